-- Absenteeism per month and directorate (meetpunt 4.1). Months through the cut-off only: a running
-- absence spell runs to the cut-off, so a later month would be incomplete.
with

staff_months as (
    select * from {{ ref('stg_actiris__staff_months') }}
),

absence_months as (
    select * from {{ ref('int_staff_absence_months') }}
),

months as (
    select * from {{ ref('int_months') }}
),

planned as (
    select
        staff_months.month,
        staff_months.directorate,
        sum(staff_months.fte) as fte,
        sum(staff_months.fte * months.workdays) as planned_workdays
    from staff_months
    inner join months on staff_months.month = months.month
    where months.is_through_cutoff
    group by staff_months.month, staff_months.directorate
),

absent as (
    select
        month,
        directorate,
        sum(absence_workdays) as absence_workdays,
        sum(case when absence_type = 'sickness' then absence_workdays else 0 end) as absence_workdays_sickness,
        sum(case when absence_type = 'work_accident' then absence_workdays else 0 end)
            as absence_workdays_work_accident,
        sum(case when absence_type = 'private_accident' then absence_workdays else 0 end)
            as absence_workdays_private_accident,
        sum(case when absence_type = 'other' then absence_workdays else 0 end) as absence_workdays_other,
        sum(case when length_class = 'short' then absence_workdays else 0 end) as absence_workdays_short,
        sum(case when length_class = 'medium' then absence_workdays else 0 end) as absence_workdays_medium,
        sum(case when length_class = 'long' then absence_workdays else 0 end) as absence_workdays_long
    from absence_months
    group by month, directorate
),

final as (
    select
        planned.month,
        cast(year(planned.month) as integer) as year,
        planned.directorate,
        cast(planned.fte as decimal(18, 2)) as fte,
        cast(planned.planned_workdays as decimal(18, 2)) as planned_workdays,
        cast(coalesce(absent.absence_workdays, 0) as decimal(18, 2)) as absence_workdays,
        cast(coalesce(absent.absence_workdays_sickness, 0) as decimal(18, 2)) as absence_workdays_sickness,
        cast(coalesce(absent.absence_workdays_work_accident, 0) as decimal(18, 2))
            as absence_workdays_work_accident,
        cast(coalesce(absent.absence_workdays_private_accident, 0) as decimal(18, 2))
            as absence_workdays_private_accident,
        cast(coalesce(absent.absence_workdays_other, 0) as decimal(18, 2)) as absence_workdays_other,
        cast(coalesce(absent.absence_workdays_short, 0) as decimal(18, 2)) as absence_workdays_short,
        cast(coalesce(absent.absence_workdays_medium, 0) as decimal(18, 2)) as absence_workdays_medium,
        cast(coalesce(absent.absence_workdays_long, 0) as decimal(18, 2)) as absence_workdays_long,
        {{ rate_pct('coalesce(absent.absence_workdays, 0)', 'planned.planned_workdays') }} as absenteeism_rate_pct
    from planned
    left join absent
        on
            planned.month = absent.month
            and planned.directorate = absent.directorate
)

select * from final
