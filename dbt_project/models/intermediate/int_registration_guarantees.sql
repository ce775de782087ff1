-- One row per DEI registration known at the cut-off, with the outcome of each guarantee clock
-- (indicators.md, guarantee_clocks): whether the window is closed, and whether the event happened within
-- it. Outcomes are counted for closed windows only (an open window may still see its event).
-- "Within N days": event_date - registration_date between 0 and N; "within N months": on or before the
-- window's last day of int_registration_windows. Cancelled actions count for nothing. Every DEI
-- registration counts, as the spec defines the grain, also one starting before the first delivered period
-- of actiris/demandeurs (the stock of the first delivery, whose earlier actions were never delivered):
-- guarantee_clocks flags its month (is_before_first_delivery) rather than leave it out.
with

windows as (
    select * from {{ ref('int_registration_windows') }}
),

episodes as (
    select * from {{ ref('int_registration_episodes') }}
),

actions as (
    select * from {{ ref('stg_actiris__actions') }}
    where
        not is_cancelled
        and action_type in ('ENTRETIEN_1', 'OFFRE_EMPLOI', 'OFFRE_STAGE', 'OFFRE_FORMATION')
),

solutions as (
    select * from {{ ref('int_solutions') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

known_windows as (
    select windows.*
    from windows
    cross join cutoff
    where windows.registration_date <= cutoff.cutoff_date
),

-- one hash join and aggregate over the actions of each registration
action_outcomes as (
    select
        known_windows.registration_id,
        bool_or(
            actions.action_type = 'ENTRETIEN_1'
            and actions.action_date between known_windows.registration_date and known_windows.interview_window_end
        ) as has_first_interview,
        bool_or(
            actions.action_type in ('OFFRE_EMPLOI', 'OFFRE_STAGE', 'OFFRE_FORMATION')
            and actions.action_date between known_windows.registration_date and known_windows.offer_window_end
        ) as has_offer
    from known_windows
    inner join actions on known_windows.registration_id = actions.registration_id
    group by known_windows.registration_id
),

-- solutions belong to the person: any of their solutions starting in the window counts
solution_outcomes as (
    select
        known_windows.registration_id,
        bool_or(solutions.solution_date <= known_windows.youth_window_end) as has_solution_6m,
        bool_or(solutions.solution_date <= known_windows.solution_window_end) as has_solution_12m
    from known_windows
    inner join solutions
        on
            known_windows.person_id = solutions.person_id
            and known_windows.registration_date <= solutions.solution_date
            and known_windows.solution_window_end >= solutions.solution_date
    group by known_windows.registration_id
),

final as (
    select
        known_windows.registration_id,
        known_windows.person_id,
        known_windows.registration_date,
        episodes.registration_month,
        known_windows.age_at_registration,
        episodes.age_band,
        episodes.sex,
        episodes.education_level,
        episodes.nationality_group,
        episodes.commune_ins,
        known_windows.age_at_registration < 30 as is_youth,
        known_windows.interview_window_end,
        known_windows.offer_window_end,
        known_windows.youth_window_end,
        known_windows.solution_window_end,
        known_windows.is_interview_window_closed,
        known_windows.is_offer_window_closed,
        known_windows.is_youth_window_closed,
        known_windows.is_solution_window_closed,
        known_windows.is_interview_window_closed and coalesce(action_outcomes.has_first_interview, false)
            as is_first_interview_on_time,
        known_windows.is_offer_window_closed and coalesce(action_outcomes.has_offer, false)
            as is_offer_by_month_4,
        known_windows.is_youth_window_closed
        and known_windows.age_at_registration < 30
        and coalesce(solution_outcomes.has_solution_6m, false) as is_youth_solution_6m,
        known_windows.is_solution_window_closed and coalesce(solution_outcomes.has_solution_12m, false)
            as is_solution_12m
    from known_windows
    inner join episodes on known_windows.registration_id = episodes.registration_id
    left join action_outcomes on known_windows.registration_id = action_outcomes.registration_id
    left join solution_outcomes on known_windows.registration_id = solution_outcomes.registration_id
)

select * from final
