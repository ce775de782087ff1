-- Every day from var calendar_start through calendar_end (2010-2035) with its workday status: Monday to
-- Friday minus the Belgian public
-- holidays of seeds/public_holidays.csv. `workday_number` is the running count of workdays, so the
-- workdays of any inclusive range [a, b] are workday_number(b) - workday_number(a - 1).
with

holidays as (
    select * from {{ ref('public_holidays') }}
),

days as (
    -- one day before the start, so that workday_number(start - 1) exists
    select
        cast(
            unnest(
                generate_series(
                    date '{{ var("calendar_start") }}' - 1, date '{{ var("calendar_end") }}', interval 1 day
                )
            ) as date
        ) as calendar_date
),

flagged as (
    select
        days.calendar_date,
        cast(date_trunc('month', days.calendar_date) as date) as month,
        isodow(days.calendar_date) as iso_weekday,
        holidays.holiday_date is not null as is_public_holiday,
        isodow(days.calendar_date) <= 5 and holidays.holiday_date is null as is_workday
    from days
    left join holidays on days.calendar_date = holidays.holiday_date
),

final as (
    select
        *,
        sum(case when is_workday then 1 else 0 end) over (
            order by calendar_date rows between unbounded preceding and current row
        ) as workday_number
    from flagged
)

select * from final
