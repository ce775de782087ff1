-- The time windows that start at a DEI registration (guarantee clocks, indicators.md): the last day of
-- each window and whether it is closed at the cut-off. "Within N days": last day = start + N.
-- "Within N months": the same day N months later, clipped to the month's last day. A window is closed
-- when its last day is on or before the cut-off, open otherwise. A view: the guarantee marts read it once.
{{ config(materialized='view') }}

with

registrations as (
    select * from {{ ref('int_registration_episodes') }}
    where is_dei
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

windows as (
    select
        registrations.registration_id,
        registrations.person_id,
        registrations.registration_date,
        registrations.age_at_registration,
        registrations.registration_date + 15 as interview_window_end,
        {{ add_months_clipped('registrations.registration_date', 4) }} as offer_window_end,
        {{ add_months_clipped('registrations.registration_date', 6) }} as youth_window_end,
        {{ add_months_clipped('registrations.registration_date', 12) }} as solution_window_end,
        cutoff.cutoff_date
    from registrations
    cross join cutoff
),

final as (
    select
        registration_id,
        person_id,
        registration_date,
        age_at_registration,
        interview_window_end,
        offer_window_end,
        youth_window_end,
        solution_window_end,
        coalesce(interview_window_end <= cutoff_date, false) as is_interview_window_closed,
        coalesce(offer_window_end <= cutoff_date, false) as is_offer_window_closed,
        coalesce(youth_window_end <= cutoff_date, false) as is_youth_window_closed,
        coalesce(solution_window_end <= cutoff_date, false) as is_solution_window_closed
    from windows
)

select * from final
