{#-
    The data cut-off set by hand: var `warehouse_cutoff`, else the environment variable WAREHOUSE_CUTOFF,
    as a SQL date literal, or `null` when neither is set (int_cutoff then derives it from audit.deliveries).
-#}
{% macro cutoff_override() -%}
    {%- set value = var('warehouse_cutoff', '') or env_var('WAREHOUSE_CUTOFF', '') -%}
    {%- if value | trim -%}
        date '{{ value | trim }}'
    {%- else -%}
        null::date
    {%- endif -%}
{%- endmacro %}
