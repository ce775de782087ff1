-- Absenteeism per year and directorate, plus one row per year for all directorates (`ALL`), with the
-- yearly objective of meetpunt 4.1: "a fall of the annual absenteeism rate by 2 %". The reading of that
-- sentence is a setting (seeds/indicator_settings.csv): relative (default, target = previous x 0.98) or
-- points (target = previous - 2.0). `previous_rate_pct` is the rate of the calendar year before (NULL
-- when that year has no row). Targets and changes are computed from unrounded rates; `meets_target`
-- compares the published (rounded) rate with the published target.
with

monthly as (
    select * from {{ ref('absenteeism_monthly') }}
),

settings as (
    select * from {{ ref('indicator_settings') }}
),

reading as (
    select
        coalesce(
            max(case when setting = 'absenteeism_target_reading' then setting_value end), 'relative'
        ) as target_reading,
        coalesce(
            max(case when setting = 'absenteeism_target_fall' then cast(setting_value as decimal(9, 2)) end),
            2.0
        ) as target_fall
    from settings
),

monthly_all as (
    select
        month,
        year,
        'ALL' as directorate,
        sum(fte) as fte,
        sum(planned_workdays) as planned_workdays,
        sum(absence_workdays) as absence_workdays,
        sum(absence_workdays_sickness) as absence_workdays_sickness,
        sum(absence_workdays_work_accident) as absence_workdays_work_accident,
        sum(absence_workdays_private_accident) as absence_workdays_private_accident,
        sum(absence_workdays_other) as absence_workdays_other,
        sum(absence_workdays_short) as absence_workdays_short,
        sum(absence_workdays_medium) as absence_workdays_medium,
        sum(absence_workdays_long) as absence_workdays_long
    from monthly
    group by month, year
),

both_levels as (
    select
        month,
        year,
        directorate,
        fte,
        planned_workdays,
        absence_workdays,
        absence_workdays_sickness,
        absence_workdays_work_accident,
        absence_workdays_private_accident,
        absence_workdays_other,
        absence_workdays_short,
        absence_workdays_medium,
        absence_workdays_long
    from monthly
    union all
    select
        month,
        year,
        directorate,
        fte,
        planned_workdays,
        absence_workdays,
        absence_workdays_sickness,
        absence_workdays_work_accident,
        absence_workdays_private_accident,
        absence_workdays_other,
        absence_workdays_short,
        absence_workdays_medium,
        absence_workdays_long
    from monthly_all
),

yearly as (
    select
        year,
        directorate,
        cast(count(*) as integer) as months_with_staff,
        avg(fte) as fte,
        sum(planned_workdays) as planned_workdays,
        sum(absence_workdays) as absence_workdays,
        sum(absence_workdays_sickness) as absence_workdays_sickness,
        sum(absence_workdays_work_accident) as absence_workdays_work_accident,
        sum(absence_workdays_private_accident) as absence_workdays_private_accident,
        sum(absence_workdays_other) as absence_workdays_other,
        sum(absence_workdays_short) as absence_workdays_short,
        sum(absence_workdays_medium) as absence_workdays_medium,
        sum(absence_workdays_long) as absence_workdays_long,
        sum(absence_workdays) * 100 / nullif(sum(planned_workdays), 0) as rate
    from both_levels
    group by year, directorate
),

compared as (
    select
        yearly.*,
        previous.rate as previous_rate,
        case
            when reading.target_reading = 'points' then previous.rate - reading.target_fall
            else previous.rate * (1 - reading.target_fall / 100)
        end as target_rate,
        reading.target_reading
    from yearly
    cross join reading
    left join yearly as previous
        on
            yearly.directorate = previous.directorate
            and yearly.year = previous.year + 1
),

final as (
    select
        year,
        directorate,
        months_with_staff,
        cast(round(fte, 2) as decimal(18, 2)) as fte,
        cast(planned_workdays as decimal(18, 2)) as planned_workdays,
        cast(absence_workdays as decimal(18, 2)) as absence_workdays,
        cast(absence_workdays_sickness as decimal(18, 2)) as absence_workdays_sickness,
        cast(absence_workdays_work_accident as decimal(18, 2)) as absence_workdays_work_accident,
        cast(absence_workdays_private_accident as decimal(18, 2)) as absence_workdays_private_accident,
        cast(absence_workdays_other as decimal(18, 2)) as absence_workdays_other,
        cast(absence_workdays_short as decimal(18, 2)) as absence_workdays_short,
        cast(absence_workdays_medium as decimal(18, 2)) as absence_workdays_medium,
        cast(absence_workdays_long as decimal(18, 2)) as absence_workdays_long,
        cast(round(rate, 2) as decimal(9, 2)) as absenteeism_rate_pct,
        cast(round(previous_rate, 2) as decimal(9, 2)) as previous_rate_pct,
        cast(round(rate - previous_rate, 2) as decimal(9, 2)) as change_pp,
        cast(round((rate - previous_rate) * 100 / nullif(previous_rate, 0), 2) as decimal(9, 2))
            as change_relative_pct,
        cast(round(target_rate, 2) as decimal(9, 2)) as target_rate_pct,
        target_reading,
        case
            when previous_rate is not null
                then round(rate, 2) <= round(target_rate, 2)
        end as meets_target
    from compared
)

select * from final
