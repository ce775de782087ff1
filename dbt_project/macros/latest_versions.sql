{#-
    The CTEs every keyed staging model starts from: `loaded_batches` (non-superseded LOADED deliveries of
    the dataset), `source` (their raw rows) and `latest` (one row per key: the first in `order_by`).

    Incremental runs (the model is materialized incremental, delete+insert on its key) recompute only
    the affected keys: keys delivered in a batch newer than any the model has seen, and keys whose
    current version came from a batch that is no longer LOADED (a correction superseded it). Their
    winner is chosen again over the whole loaded history of those keys, so the result equals a full
    build; `delete_rows_of_unloaded_batches` (post-hook) removes keys left with no loaded version.

    `key` is the raw key: one column, or a comma-separated list for the snapshot datasets (their staging
    models are tables: a month's snapshot is small). `staged_key` names the key's column in the staged
    model: needed only by an incremental model.

    `stale_keys`: for a model that decodes codes with seeds, a query of the staged keys whose stored
    decoding differs from the seed's current one. They are recomputed too, so that a corrected seed
    reaches every row on the next run, as in a full build.
-#}
{% macro latest_versions(source_name, dataset_name, key, order_by, staged_key=none, stale_keys=none) -%}
{%- if is_incremental() and staged_key is none -%}
    {{ exceptions.raise_compiler_error("latest_versions: an incremental model needs staged_key") }}
{%- endif -%}
loaded_batches as (
    {{ loaded_batches(source_name, dataset_name) }}
),

{% if is_incremental() -%}
affected_keys as (
    select raw_rows.{{ key }} as key_value
    from {{ source('raw', source_name ~ '__' ~ dataset_name) }} as raw_rows
    where raw_rows.batch_id > (select coalesce(max(batch_id), 0) from {{ this }})
    union
    select {{ staged_key }} as key_value
    from {{ this }}
    where batch_id not in (select batch_id from loaded_batches)
    {%- if stale_keys is not none %}
    union
    {{ stale_keys | trim | indent(4) }}
    {%- endif %}
),

{% endif -%}
source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', source_name ~ '__' ~ dataset_name) }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
    {% if is_incremental() -%}
        where raw_rows.{{ key }} in (select key_value from affected_keys)
    {%- endif %}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by {{ key }} order by {{ order_by }}) = 1
)
{%- endmacro %}

{#- Post-hook of incremental staging models: drop versions whose delivery is no longer LOADED. -#}
{% macro delete_rows_of_unloaded_batches(source_name, dataset_name) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where batch_id not in (
            select batch_id from {{ source('audit', 'deliveries') }}
            where source = '{{ source_name }}' and dataset = '{{ dataset_name }}' and status = 'LOADED'
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
