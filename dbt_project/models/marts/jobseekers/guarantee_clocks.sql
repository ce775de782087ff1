-- The clocks that start at a DEI registration (meetpunten 2.1, 2.2; Youth Guarantee; solution guarantee),
-- per registration month and profile. `registrations` counts every DEI registration of the month known at
-- the cut-off; each `..._due` counts those whose window is closed, and each numerator counts events among
-- them only (int_registration_guarantees), so a rate never mixes open windows in.
with

guarantees as (
    select * from {{ ref('int_registration_guarantees') }}
),

communes as (
    select * from {{ ref('communes') }}
),

targets as (
    select * from {{ ref('int_indicator_targets_yearly') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

year_targets as (
    select
        year,
        max(target_value) filter (where measure = 'first_interview_on_time_pct')
            as first_interview_on_time_target_pct,
        max(target_value) filter (where measure = 'offer_by_month_4_pct') as offer_by_month_4_target_pct,
        max(target_value) filter (where measure = 'youth_solution_6m_pct') as youth_solution_6m_target_pct,
        max(target_value) filter (where measure = 'solution_12m_pct') as solution_12m_target_pct
    from targets
    group by year
),

counted as (
    select
        registration_month,
        age_band,
        sex,
        education_level,
        nationality_group,
        commune_ins,
        count(*) as registrations,
        count(*) filter (where is_first_interview_on_time) as first_interview_on_time,
        count(*) filter (where is_interview_window_closed) as first_interview_due,
        count(*) filter (where is_offer_by_month_4) as offer_by_month_4,
        count(*) filter (where is_offer_window_closed) as offer_due,
        count(*) filter (where is_youth_solution_6m) as youth_solution_6m,
        count(*) filter (where is_youth and is_youth_window_closed) as youth_due,
        count(*) filter (where is_solution_12m) as solution_12m,
        count(*) filter (where is_solution_window_closed) as solution_due_12m
    from guarantees
    group by registration_month, age_band, sex, education_level, nationality_group, commune_ins
),

final as (
    select
        counted.registration_month,
        cast(year(counted.registration_month) as integer) as registration_year,
        coalesce(counted.registration_month < cutoff.first_registration_period, false)
            as is_before_first_delivery,
        counted.age_band,
        counted.sex,
        counted.education_level,
        counted.nationality_group,
        counted.commune_ins,
        communes.commune_name_fr,
        communes.commune_name_nl,
        cast(counted.registrations as integer) as registrations,
        cast(counted.first_interview_on_time as integer) as first_interview_on_time,
        cast(counted.first_interview_due as integer) as first_interview_due,
        {{ rate_pct('counted.first_interview_on_time', 'counted.first_interview_due') }} as first_interview_on_time_pct,
        cast(year_targets.first_interview_on_time_target_pct as decimal(9, 2))
            as first_interview_on_time_target_pct,
        cast(counted.offer_by_month_4 as integer) as offer_by_month_4,
        cast(counted.offer_due as integer) as offer_due,
        {{ rate_pct('counted.offer_by_month_4', 'counted.offer_due') }} as offer_by_month_4_pct,
        cast(year_targets.offer_by_month_4_target_pct as decimal(9, 2)) as offer_by_month_4_target_pct,
        cast(counted.youth_solution_6m as integer) as youth_solution_6m,
        cast(counted.youth_due as integer) as youth_due,
        {{ rate_pct('counted.youth_solution_6m', 'counted.youth_due') }} as youth_solution_6m_pct,
        cast(year_targets.youth_solution_6m_target_pct as decimal(9, 2)) as youth_solution_6m_target_pct,
        cast(counted.solution_12m as integer) as solution_12m,
        cast(counted.solution_due_12m as integer) as solution_due_12m,
        {{ rate_pct('counted.solution_12m', 'counted.solution_due_12m') }} as solution_12m_pct,
        cast(year_targets.solution_12m_target_pct as decimal(9, 2)) as solution_12m_target_pct
    from counted
    left join communes on counted.commune_ins = communes.commune_ins
    left join year_targets on year(counted.registration_month) = year_targets.year
    cross join cutoff
)

select * from final
