-- The training cohorts of the shared strategic indicators (indicators.md, shared_strategic_indicators):
-- one row per person and cohort year N, the year their BF or VDAB participation ended (completed or
-- dropped out). A person with several participations ending in N counts once, with the one that ended
-- last, ties broken by the later start (then provider and participation id, so that reruns agree).
-- Participations ending after the cut-off are not known to have ended at the cut-off: left out.
-- The follow-up window runs from the day after the end through end + 12 months (day of month clipped).
with

participations as (
    select * from {{ ref('int_training_participations') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

ended as (
    select participations.*
    from participations
    cross join cutoff
    where
        participations.end_status in ('completed', 'dropped_out')
        and participations.end_date is not null
        and participations.end_date <= cutoff.cutoff_date
),

last_in_year as (
    select
        *,
        cast(year(end_date) as integer) as cohort_year
    from ended
    qualify row_number() over (
            partition by person_id, year(end_date)
            order by end_date desc, start_date desc, provider desc, participation_id desc
        ) = 1
),

final as (
    select
        -- ids
        person_id,
        cohort_year,
        provider,
        participation_id,

        -- codes
        training_type,
        is_vocational,
        is_in_company,
        training_domain,
        end_status,

        -- dates
        start_date,
        end_date,
        cast(end_date + 1 as date) as window_start_date,
        {{ add_months_clipped('end_date', 3) }} as window_3m_date,
        {{ add_months_clipped('end_date', 6) }} as window_6m_date,
        {{ add_months_clipped('end_date', 12) }} as window_end_date
    from last_in_year
)

select * from final
