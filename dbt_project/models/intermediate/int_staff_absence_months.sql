-- Absence spells cut into months: the workdays of each month inside the spell (Monday to Friday minus
-- public holidays), weighted by the person's FTE in that month. A running spell runs to the cut-off; the
-- length class is that of the whole spell (short <= 30, medium 31-365, long > 365 calendar days). A
-- person without a staff row in a month counts nothing that month.
with

absences as (
    select * from {{ ref('stg_actiris__staff_absences') }}
),

staff_months as (
    select * from {{ ref('stg_actiris__staff_months') }}
),

months as (
    select * from {{ ref('int_months') }}
),

calendar_days as (
    select
        calendar_date,
        workday_number
    from {{ ref('int_calendar_days') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

spells as (
    select
        absences.absence_id,
        absences.staff_id,
        absences.absence_type,
        absences.start_date,
        coalesce(absences.end_date, cutoff.cutoff_date) as end_date_effective,
        coalesce(absences.end_date, cutoff.cutoff_date) - absences.start_date + 1 as spell_days
    from absences
    cross join cutoff
    where coalesce(absences.end_date, cutoff.cutoff_date) >= absences.start_date
),

classified as (
    select
        *,
        case
            when spell_days <= 30 then 'short'
            when spell_days <= 365 then 'medium'
            else 'long'
        end as length_class
    from spells
),

spell_months as (
    select
        classified.*,
        months.month,
        greatest(classified.start_date, months.month) as part_start_date,
        least(classified.end_date_effective, months.month_end) as part_end_date
    from classified
    inner join months
        on
            classified.end_date_effective >= months.month
            and classified.start_date <= months.month_end
),

counted as (
    select
        spell_months.*,
        cast(part_end.workday_number - day_before.workday_number as integer) as absence_workdays_unweighted
    from spell_months
    inner join calendar_days as part_end on spell_months.part_end_date = part_end.calendar_date
    inner join calendar_days as day_before on spell_months.part_start_date - 1 = day_before.calendar_date
),

final as (
    select
        counted.absence_id,
        counted.staff_id,
        counted.month,
        staff_months.directorate,
        counted.absence_type,
        counted.length_class,
        counted.spell_days,
        counted.part_start_date,
        counted.part_end_date,
        counted.absence_workdays_unweighted,
        staff_months.fte,
        staff_months.fte * counted.absence_workdays_unweighted as absence_workdays
    from counted
    inner join staff_months
        on
            counted.staff_id = staff_months.staff_id
            and counted.month = staff_months.month
)

select * from final
