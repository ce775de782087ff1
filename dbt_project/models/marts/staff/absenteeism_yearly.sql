-- Absenteeism per year and directorate, plus one row per year for all directorates (`ALL`), with the
-- yearly objective of meetpunt 4.1: "a fall of the annual absenteeism rate by 2 %". The reading of that
-- sentence is a setting (seeds/indicator_settings.csv): relative (default, target = previous x 0.98) or
-- points (target = previous - 2.0). `previous_rate_pct` is the rate of the calendar year before (NULL
-- when that year has no row). The target, the changes and `meets_target` are computed from the published
-- (rounded) rates, as their definitions read (previous_rate_pct x 0.98), so that each can be checked
-- from the row itself; every quotient is rounded from the exact value (round_ratio), `fte` included.
-- The target is that product itself, not rounded (at most 6 decimals for a fall of 2 decimals): a rate
-- of 9.81 after 10.01 has fallen by 1.998 %, short of the 2 % its target of 9.8098 asks.
-- Reading chosen for a gap: the year of the cut-off holds its months through the cut-off only, so its
-- rate and verdict are provisional until its December is delivered.
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
        {{ round_ratio('sum(fte)', 'count(*)') }} as fte,
        sum(planned_workdays) as planned_workdays,
        sum(absence_workdays) as absence_workdays,
        sum(absence_workdays_sickness) as absence_workdays_sickness,
        sum(absence_workdays_work_accident) as absence_workdays_work_accident,
        sum(absence_workdays_private_accident) as absence_workdays_private_accident,
        sum(absence_workdays_other) as absence_workdays_other,
        sum(absence_workdays_short) as absence_workdays_short,
        sum(absence_workdays_medium) as absence_workdays_medium,
        sum(absence_workdays_long) as absence_workdays_long,
        {{ rate_pct('sum(absence_workdays)', 'sum(planned_workdays)') }} as rate
    from both_levels
    group by year, directorate
),

compared as (
    select
        yearly.*,
        previous.rate as previous_rate,
        case
            when reading.target_reading = 'points' then previous.rate - reading.target_fall
            else previous.rate * (100 - reading.target_fall) * 0.01
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
        cast(fte as decimal(18, 2)) as fte,
        cast(planned_workdays as decimal(18, 2)) as planned_workdays,
        cast(absence_workdays as decimal(18, 2)) as absence_workdays,
        cast(absence_workdays_sickness as decimal(18, 2)) as absence_workdays_sickness,
        cast(absence_workdays_work_accident as decimal(18, 2)) as absence_workdays_work_accident,
        cast(absence_workdays_private_accident as decimal(18, 2)) as absence_workdays_private_accident,
        cast(absence_workdays_other as decimal(18, 2)) as absence_workdays_other,
        cast(absence_workdays_short as decimal(18, 2)) as absence_workdays_short,
        cast(absence_workdays_medium as decimal(18, 2)) as absence_workdays_medium,
        cast(absence_workdays_long as decimal(18, 2)) as absence_workdays_long,
        rate as absenteeism_rate_pct,
        previous_rate as previous_rate_pct,
        cast(rate - previous_rate as decimal(9, 2)) as change_pp,
        {{ rate_pct('rate - previous_rate', 'previous_rate') }} as change_relative_pct,
        cast(target_rate as decimal(12, 6)) as target_rate_pct,
        target_reading,
        case
            when previous_rate is not null
                then rate <= target_rate
        end as meets_target
    from compared
)

select * from final
