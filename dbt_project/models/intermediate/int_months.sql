-- One row per calendar month (2010-2035): first and last day, workdays, and whether the month ends on or
-- before the cut-off ("months through the cut-off").
with

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

months as (
    select
        month,
        max(calendar_date) as month_end,
        cast(sum(case when is_workday then 1 else 0 end) as integer) as workdays
    from calendar_days
    where calendar_date >= date '{{ var("calendar_start") }}'
    group by month
),

final as (
    select
        months.month,
        months.month_end,
        cast(year(months.month) as integer) as year,
        months.workdays,
        coalesce(months.month_end <= cutoff.cutoff_date, false) as is_through_cutoff
    from months
    cross join cutoff
)

select * from final
