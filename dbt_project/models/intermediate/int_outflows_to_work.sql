-- Outflows to work (meetpunt 1.6): per person and calendar year, their first merged job spell of at least
-- 28 days that starts in the year, no earlier than the start of one of their DEI registrations and no
-- later than 30 days after its end (a registration still open has no end). `is_sustained` tells whether
-- the person is employed (covered by a merged job spell) on the day 365 days after that spell's start;
-- `is_sustained_known` whether that day is on or before the cut-off.
with

job_spells as (
    select * from {{ ref('int_employment_spells_merged') }}
    where spell_kind = 'job'
),

registrations as (
    select * from {{ ref('int_registration_episodes') }}
    where is_dei
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

qualifying_spells as (
    select distinct
        job_spells.person_id,
        job_spells.start_date
    from job_spells
    inner join registrations
        on
            job_spells.person_id = registrations.person_id
            and job_spells.start_date >= registrations.registration_date
            and (registrations.exit_date is null or job_spells.start_date <= registrations.exit_date + 30)
    where job_spells.duration_days >= 28
),

outflows as (
    select
        person_id,
        cast(year(start_date) as integer) as year,
        min(start_date) as outflow_start_date
    from qualifying_spells
    group by person_id, year(start_date)
),

final as (
    select
        outflows.person_id,
        outflows.year,
        outflows.outflow_start_date,
        outflows.outflow_start_date + 365 as sustained_check_date,
        outflows.outflow_start_date + 365 <= cutoff.cutoff_date as is_sustained_known,
        exists(
            select 1
            from job_spells as later
            where
                later.person_id = outflows.person_id
                and later.start_date <= outflows.outflow_start_date + 365
                and later.end_date_effective >= outflows.outflow_start_date + 365
        ) as is_sustained
    from outflows
    cross join cutoff
)

select * from final
