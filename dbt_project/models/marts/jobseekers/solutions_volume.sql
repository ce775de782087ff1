-- Job seekers with a solution in the year: distinct persons with a job, training or internship solution
-- (int_solutions; a return to studies is not one here) starting in the year while one of their DEI
-- registrations was open (date_inscription <= day and date_sortie NULL or >= day), and the same among new
-- joiners (persons whose first DEI registration ever started in that year). One row per year from the
-- first DEI registration known (or the first delivered period of actiris/demandeurs, if earlier) through
-- the cut-off's year, so the series has no gap; a year before the first delivered period knows only the
-- registrations the first delivery carried (is_before_first_delivery); the cut-off's year is partial
-- unless the cut-off is 31 December (is_complete_year).
with

solutions as (
    select * from {{ ref('int_solutions') }}
    where solution_kind in ('job', 'training', 'internship')
),

episodes as (
    select * from {{ ref('int_registration_episodes') }}
    where is_dei
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

-- the first registration as a one-row aggregate: a demandeurs delivery without any DEI registration
-- still gives its years (with zero counts)
first_registration as (
    select min(registration_date) as registration_date
    from episodes
),

years as (
    select
        cast(unnest(range(
            -- least() skips a NULL (no DEI registration, or no demandeurs period)
            year(least(cutoff.first_registration_period, first_registration.registration_date)),
            year(cutoff.cutoff_date) + 1
        )) as integer) as year
    from cutoff
    cross join first_registration
),

first_dei_years as (
    select
        person_id,
        year(registration_date) as first_dei_year
    from episodes
    where is_first_dei_registration
),

-- solutions of persons with a DEI registration open on the solution's start date, once per person,
-- kind and year (several open registrations do not multiply a solution)
solution_persons as (
    select distinct
        solutions.person_id,
        solutions.solution_kind,
        cast(year(solutions.solution_date) as integer) as year
    from solutions
    inner join episodes
        on
            solutions.person_id = episodes.person_id
            and solutions.solution_date >= episodes.registration_date
            and (episodes.exit_date is null or solutions.solution_date <= episodes.exit_date)
),

flagged as (
    select
        solution_persons.*,
        coalesce(first_dei_years.first_dei_year = solution_persons.year, false) as is_new_joiner
    from solution_persons
    left join first_dei_years on solution_persons.person_id = first_dei_years.person_id
),

-- one row per person and year: solution_persons is distinct per person, kind and year, so counting these
-- rows counts distinct persons (a hash aggregate instead of eight distinct counts)
person_years as (
    select
        year,
        person_id,
        bool_or(solution_kind = 'job') as has_job,
        bool_or(solution_kind = 'training') as has_training,
        bool_or(solution_kind = 'internship') as has_internship,
        bool_or(is_new_joiner) as is_new_joiner
    from flagged
    group by year, person_id
),

counted as (
    select
        year,
        count(*) filter (where has_job) as persons_job,
        count(*) filter (where has_training) as persons_training,
        count(*) filter (where has_internship) as persons_internship,
        count(*) as persons_any,
        count(*) filter (where has_job and is_new_joiner) as new_joiners_job,
        count(*) filter (where has_training and is_new_joiner) as new_joiners_training,
        count(*) filter (where has_internship and is_new_joiner) as new_joiners_internship,
        count(*) filter (where is_new_joiner) as new_joiners_any
    from person_years
    group by year
),

final as (
    select
        years.year,
        make_date(years.year, 12, 31) <= cutoff.cutoff_date as is_complete_year,
        coalesce(years.year < year(cutoff.first_registration_period), false) as is_before_first_delivery,
        cast(coalesce(counted.persons_job, 0) as integer) as persons_job,
        cast(coalesce(counted.persons_training, 0) as integer) as persons_training,
        cast(coalesce(counted.persons_internship, 0) as integer) as persons_internship,
        cast(coalesce(counted.persons_any, 0) as integer) as persons_any,
        cast(coalesce(counted.new_joiners_job, 0) as integer) as new_joiners_job,
        cast(coalesce(counted.new_joiners_training, 0) as integer) as new_joiners_training,
        cast(coalesce(counted.new_joiners_internship, 0) as integer) as new_joiners_internship,
        cast(coalesce(counted.new_joiners_any, 0) as integer) as new_joiners_any
    from years
    cross join cutoff
    left join counted on years.year = counted.year
)

select * from final
