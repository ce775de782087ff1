{#-
    The persons whose delivered rows of one raw dataset may have changed since the deliveries up to
    batch `after_batch_id` were accounted for (none: every person of the dataset). A key changes when a
    later delivery holds it (a new or corrected version) or when a delivery of the same period that held
    it was superseded by such a delivery (a correction that withdraws it). The persons are those of every
    raw version of those keys, so a key that moved to another person marks both: the one it left and the
    one it joined. Read from raw and the delivery audit, not from whole staged histories: the cost
    follows the new deliveries, not the history. `after_batch_id` is a constant, not a query, so that the
    scan of raw skips the blocks of older deliveries (raw grows batch by batch).
-#}
{% macro changed_persons(source_name, dataset_name, key, person, after_batch_id) -%}
{%- set after = after_batch_id if after_batch_id is not none else -1 -%}
with new_deliveries as (
    select batch_id, period
    from {{ source('audit', 'deliveries') }}
    where
        source = '{{ source_name }}'
        and dataset = '{{ dataset_name }}'
        and batch_id > {{ after }}
),

superseded_deliveries as (
    select superseded.batch_id
    from {{ source('audit', 'deliveries') }} as superseded
    where
        superseded.source = '{{ source_name }}'
        and superseded.dataset = '{{ dataset_name }}'
        and superseded.status = 'SUPERSEDED'
        and superseded.period in (select new_deliveries.period from new_deliveries)
),

touched_keys as (
    select raw_rows.{{ key }} as key_value
    from {{ source('raw', source_name ~ '__' ~ dataset_name) }} as raw_rows
    where raw_rows.batch_id > {{ after }}
    union
    select raw_rows.{{ key }} as key_value
    from {{ source('raw', source_name ~ '__' ~ dataset_name) }} as raw_rows
    where raw_rows.batch_id in (select superseded_deliveries.batch_id from superseded_deliveries)
)

select distinct raw_rows.{{ person }} as person_id
from {{ source('raw', source_name ~ '__' ~ dataset_name) }} as raw_rows
where raw_rows.{{ key }} in (select touched_keys.key_value from touched_keys)
{%- endmacro %}

{#-
    The largest stored value of each of `columns` in the incremental model being built (its watermarks),
    in one query, as constants for the SQL: a list in the order of `columns`. Each is none when the table
    does not hold the column yet (built before it existed), holds no row, or dbt is only parsing: the
    model then treats every person as changed.
-#}
{% macro stored_watermarks(columns) -%}
    {%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if not execute or columns | reject('in', stored_columns) | list -%}
        {{ return([none] * (columns | length)) }}
    {%- endif -%}
    {%- set maxima = [] -%}
    {%- for column in columns -%}
        {%- do maxima.append('cast(max(' ~ column ~ ') as varchar)') -%}
    {%- endfor -%}
    {{ return(run_query('select ' ~ maxima | join(', ') ~ ' from ' ~ this).rows[0] | list) }}
{%- endmacro %}
