{#-
    For an incremental staging model that decodes codes with seeds (the `stale_keys` of latest_versions):
    the staged keys whose stored decoding differs from what the seeds decode now, so that a corrected
    seed reaches every row at the next build, as in a full build. The comparison runs on the few distinct
    decodings stored, then finds their rows.

    `codes`: the stored code columns; `decodings`: stored decoded column -> the seed's expression for it,
    over `decoded` (the distinct stored rows) and the seed CTEs that `joins` brings in.
-#}
{% macro stale_decoded_keys(staged_key, codes, decodings, joins) -%}
    {%- set columns = codes + (decodings | list) -%}
    {%- set differs = [] -%}
    {%- for column, expression in decodings.items() -%}
        {%- do differs.append('decoded.' ~ column ~ ' is distinct from ' ~ expression) -%}
    {%- endfor -%}
    {%- set matches = [] -%}
    {%- for column in columns -%}
        {%- do matches.append('staged.' ~ column ~ ' is not distinct from stale.' ~ column) -%}
    {%- endfor -%}
select staged.{{ staged_key }}
from {{ this }} as staged
where exists (
    select 1
    from (
        select decoded.*
        from (
            select distinct
                {{ columns | join(',\n                ') }}
            from {{ this }}
        ) as decoded
        {{ joins }}
        where
            {{ differs | join('\n            or ') }}
    ) as stale
    where
        {{ matches | join('\n        and ') }}
)
{%- endmacro %}
