-- The target of each indicator measure for each calendar year (seed indicator_targets): the row of that
-- year when there is one, else the row without a year (a target for every year).
with

targets as (
    select * from {{ ref('indicator_targets') }}
),

months as (
    select * from {{ ref('int_months') }}
),

years as (
    select distinct year from months
),

measures as (
    select distinct
        indicator,
        measure
    from targets
),

final as (
    select
        measures.indicator,
        measures.measure,
        years.year,
        coalesce(for_the_year.target_value, every_year.target_value) as target_value,
        coalesce(for_the_year.unit, every_year.unit) as unit
    from measures
    cross join years
    left join targets as for_the_year
        on
            measures.indicator = for_the_year.indicator
            and measures.measure = for_the_year.measure
            and years.year = for_the_year.year
    left join targets as every_year
        on
            measures.indicator = every_year.indicator
            and measures.measure = every_year.measure
            and every_year.year is null
    where coalesce(for_the_year.target_value, every_year.target_value) is not null
)

select * from final
