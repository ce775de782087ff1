{#-
    A published rate (indicators.md, Rates): numerator / denominator x 100, rounded to 2 decimals (exactly:
    round_ratio), NULL when the denominator is 0.
-#}
{% macro rate_pct(numerator, denominator) -%}
    cast({{ round_ratio('(' ~ numerator ~ ') * 100', denominator) }} as decimal(9, 2))
{%- endmacro %}
