{#-
    The least-squares line through a group of points at `x`, rounded half away from zero to 2 decimals
    from its exact value (round_ratio), not from a floating-point regr_slope. `sums` is the relation that
    holds the group's exact integer sums n, sx, sy, sxx and sxy, with x shifted by `x_origin` and y scaled
    by `y_scale` to integers: the line at x is (sy d + (n sxy - sx sy) (n (x - x_origin) - sx)) /
    (y_scale n d), with d = n sxx - sx^2; NULL when d is 0 (fewer than two distinct x).
-#}
{% macro least_squares_at(x, sums, x_origin, y_scale) -%}
    {%- set d = '(' ~ sums ~ '.n * ' ~ sums ~ '.sxx - ' ~ sums ~ '.sx * ' ~ sums ~ '.sx)' -%}
    {%- set numerator = sums ~ '.sy * ' ~ d ~ ' + (' ~ sums ~ '.n * ' ~ sums ~ '.sxy - ' ~ sums ~ '.sx * '
        ~ sums ~ '.sy) * (' ~ sums ~ '.n * (' ~ x ~ ' - ' ~ x_origin ~ ') - ' ~ sums ~ '.sx)' -%}
    {{ round_ratio(numerator, y_scale ~ ' * ' ~ sums ~ '.n * ' ~ d) }}
{%- endmacro %}
