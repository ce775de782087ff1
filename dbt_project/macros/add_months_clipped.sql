{#-
    "Within N months" (indicators.md, Days): the same day of month N months later, clipped to that
    month's last day (31 January + 1 month = 28/29 February). The window's last day.
-#}
{% macro add_months_clipped(start_date, months) -%}
    cast({{ start_date }} + to_months({{ months }}) as date)
{%- endmacro %}
