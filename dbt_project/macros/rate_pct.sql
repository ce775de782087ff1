{#-
    A published rate (indicators.md, Rates): numerator / denominator x 100, rounded to 2 decimals, NULL
    when the denominator is 0.
-#}
{% macro rate_pct(numerator, denominator) -%}
    cast(round({{ numerator }} * 100 / nullif({{ denominator }}, 0), 2) as decimal(9, 2))
{%- endmacro %}
