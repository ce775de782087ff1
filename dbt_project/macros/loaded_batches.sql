{#-
    The deliveries of one dataset whose rows count: status LOADED only. A correction marks every earlier
    delivery of its (source, dataset, period) SUPERSEDED, so superseded batches drop out here, and
    rejected or duplicate deliveries never had rows in raw.
-#}
{% macro loaded_batches(source_name, dataset_name) -%}
    select
        batch_id,
        period as delivery_period,
        produced_at as delivery_produced_at
    from {{ source('audit', 'deliveries') }}
    where
        source = '{{ source_name }}'
        and dataset = '{{ dataset_name }}'
        and status = 'LOADED'
{%- endmacro %}
