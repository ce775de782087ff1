{#- The first day of the month of a 'YYYY-MM' text, as a DATE. -#}
{% macro period_to_month(period) -%}
    cast(strptime({{ period }} || '-01', '%Y-%m-%d') as date)
{%- endmacro %}
