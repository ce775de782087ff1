{#-
    Exact rounding of published quotients, to the cent: DuckDB divides DECIMALs (and integers) in
    floating point, so an exact half-cent such as 837.49 x 12 / 8 = 1256.235 comes out as 1256.2349...
    and rounds down. These macros divide 128-bit integers instead, and round half away from zero, as
    DuckDB's round() does on a DECIMAL.
-#}

{#-
    numerator / denominator rounded to `scale` decimals, as DECIMAL(38, scale); NULL when the denominator
    is 0 or NULL. Both are integers or DECIMALs of at most 6 decimals (counts, euros, FTE, workdays,
    published rates), each below 10^25 in absolute value.
-#}
{% macro round_ratio(numerator, denominator, scale=2) -%}
    {%- set n = "cast(cast(" ~ numerator ~ " as decimal(38, 6)) * 1000000 as hugeint)" -%}
    {%- set d = "cast(cast(" ~ denominator ~ " as decimal(38, 6)) * 1000000 as hugeint)" -%}
    case
        when ({{ denominator }}) <> 0 then
            cast(
                sign({{ n }}) * sign({{ d }})
                * ((2 * abs({{ n }}) * {{ 10 ** scale }} + abs({{ d }})) // (2 * abs({{ d }})))
                as decimal(38, 0)
            ) * cast({{ 1 / 10 ** scale if scale else 1 }} as decimal(38, {{ scale }}))
    end
{%- endmacro %}

{#-
    round(x * b / a) to an integer, half away from zero, for HUGEINTs x, b >= 0 and a > 0 whose product
    x * b may not fit 128 bits: x * b / a = x * q + x * r / a with b = q * a + r, and x * r / a is taken
    in two limbs of x (x = xh * 10^6 + xl), so that no intermediate exceeds about 10^6 * a. Exact while
    a < 10^31 and |x * b / a| < 10^37; the caller falls back outside that range.
-#}
{% macro round_product_quotient(x, b, a) -%}
    {%- set ax = "abs(" ~ x ~ ")" -%}
    {%- set q = "((" ~ b ~ ") // (" ~ a ~ "))" -%}
    {%- set r = "((" ~ b ~ ") % (" ~ a ~ "))" -%}
    {%- set xh = "(" ~ ax ~ " // 1000000)" -%}
    {%- set xl = "(" ~ ax ~ " % 1000000)" -%}
    {%- set t = "(" ~ r ~ " * 1000000)" -%}
    {%- set rest = "(" ~ xh ~ " * (" ~ t ~ " % (" ~ a ~ ")) + " ~ xl ~ " * " ~ r ~ ")" -%}
    sign({{ x }}) * (
        {{ ax }} * {{ q }}
        + {{ xh }} * ({{ t }} // ({{ a }}))
        + {{ rest }} // ({{ a }})
        + case when 2 * ({{ rest }} % ({{ a }})) >= ({{ a }}) then 1 else 0 end
    )
{%- endmacro %}
