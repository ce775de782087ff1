-- What each training leaver did in their 12-month window (indicators.md, shared_strategic_indicators 1-4),
-- one row per row of int_training_leavers. Events count when they start in the window (from the day after
-- the end date through end + 12 months): merged job spells (any length, or >= 28 days with a running spell
-- lasting to the cut-off), merged internship spells or in-company participations (FPI_E / IBO, as in the
-- Solutions rule), and other participations at either provider. The first job spell of >= 28 days in the
-- window is the one of indicators 3 and 4; the person is checked for employment 12 months (clipped) after
-- its start. Every join is a hash join on the person, filtered on dates: no per-row subqueries on spells.
with

leavers as (
    select * from {{ ref('int_training_leavers') }}
),

spells as (
    select * from {{ ref('int_employment_spells_merged') }}
),

participations as (
    select * from {{ ref('int_training_participations') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

job_spells as (
    select
        person_id,
        start_date,
        end_date_effective,
        duration_days
    from spells
    where spell_kind = 'job'
),

jobs_in_window as (
    select
        leavers.person_id,
        leavers.cohort_year,
        min(job_spells.start_date) as first_job_start_date,
        min(job_spells.start_date) filter (where job_spells.duration_days >= 28) as first_job_1m_start_date
    from leavers
    inner join job_spells
        on
            leavers.person_id = job_spells.person_id
            and job_spells.start_date between leavers.window_start_date and leavers.window_end_date
    group by leavers.person_id, leavers.cohort_year
),

internship_spells_in_window as (
    select distinct
        leavers.person_id,
        leavers.cohort_year
    from leavers
    inner join spells
        on
            leavers.person_id = spells.person_id
            and spells.spell_kind = 'internship'
            and spells.start_date between leavers.window_start_date and leavers.window_end_date
),

trainings_in_window as (
    select
        leavers.person_id,
        leavers.cohort_year,
        bool_or(participations.is_in_company) as has_in_company_training
    from leavers
    inner join participations
        on
            leavers.person_id = participations.person_id
            and participations.start_date between leavers.window_start_date and leavers.window_end_date
            -- another participation, never the leaver's own
            and (participations.provider, participations.participation_id)
            != (leavers.provider, leavers.participation_id)
    group by leavers.person_id, leavers.cohort_year
),

sustained_checks as (
    select
        person_id,
        cohort_year,
        first_job_1m_start_date,
        {{ add_months_clipped('first_job_1m_start_date', 12) }} as sustained_check_date
    from jobs_in_window
    where first_job_1m_start_date is not null
),

employed_on_check_date as (
    select distinct
        sustained_checks.person_id,
        sustained_checks.cohort_year
    from sustained_checks
    inner join job_spells
        on
            sustained_checks.person_id = job_spells.person_id
            and sustained_checks.sustained_check_date
            between job_spells.start_date and job_spells.end_date_effective
),

final as (
    select
        -- ids
        leavers.person_id,
        leavers.cohort_year,
        leavers.provider,
        leavers.participation_id,

        -- codes
        leavers.training_type,
        leavers.is_vocational,
        leavers.training_domain,

        -- flags
        jobs_in_window.first_job_start_date is not null as has_job,
        jobs_in_window.first_job_1m_start_date is not null as has_job_1m,
        trainings_in_window.person_id is not null as has_other_training,
        internship_spells_in_window.person_id is not null
        or coalesce(trainings_in_window.has_in_company_training, false) as has_internship,
        (
            jobs_in_window.first_job_1m_start_date is not null
            or trainings_in_window.person_id is not null
            or internship_spells_in_window.person_id is not null
        ) as is_positive_outflow,
        case
            when jobs_in_window.first_job_1m_start_date is null then null
            when jobs_in_window.first_job_1m_start_date <= leavers.window_3m_date then '0_3m'
            when jobs_in_window.first_job_1m_start_date <= leavers.window_6m_date then '3_6m'
            else '6_12m'
        end as first_job_period,
        case
            when sustained_checks.sustained_check_date is null then null
            -- not known yet: the day lies after the cut-off
            when sustained_checks.sustained_check_date > cutoff.cutoff_date then null
            else employed_on_check_date.person_id is not null
        end as is_employed_on_check_date,

        -- dates
        leavers.end_date,
        leavers.window_end_date,
        jobs_in_window.first_job_start_date,
        jobs_in_window.first_job_1m_start_date,
        sustained_checks.sustained_check_date
    from leavers
    cross join cutoff
    left join jobs_in_window
        on leavers.person_id = jobs_in_window.person_id and leavers.cohort_year = jobs_in_window.cohort_year
    left join internship_spells_in_window
        on
            leavers.person_id = internship_spells_in_window.person_id
            and leavers.cohort_year = internship_spells_in_window.cohort_year
    left join trainings_in_window
        on
            leavers.person_id = trainings_in_window.person_id
            and leavers.cohort_year = trainings_in_window.cohort_year
    left join sustained_checks
        on
            leavers.person_id = sustained_checks.person_id
            and leavers.cohort_year = sustained_checks.cohort_year
    left join employed_on_check_date
        on
            leavers.person_id = employed_on_check_date.person_id
            and leavers.cohort_year = employed_on_check_date.cohort_year
)

select * from final
