{#-
    The first day of the first period delivered of one dataset (LOADED or SUPERSEDED: a rejected delivery
    delivers nothing) as `first_month`, NULL before any delivery: a mart counting the dataset by month
    flags its months before it, of which the first delivery carried only what was still open then.
-#}
{% macro first_delivered_month(source_name, dataset_name) -%}
select {{ period_to_month('min(period)') }} as first_month
from {{ source('audit', 'deliveries') }}
where
    source = '{{ source_name }}'
    and dataset = '{{ dataset_name }}'
    and status in ('LOADED', 'SUPERSEDED')
{%- endmacro %}
