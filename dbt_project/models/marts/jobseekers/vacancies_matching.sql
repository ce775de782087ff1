-- Vacancies and matching (meetpunten 1.5, 2.3, 2.4, 3.3) per month of date_reception, NACE section,
-- channel and work region. The section comes from the code's 2-digit division (seed nace_sections spans
-- divisions), the work region from the workplace's INS code (seed municipalities; a code not listed
-- there counts as ETR). Matches count on the row of their vacancy. Each registration's first match (the
-- earliest date_match on or after date_inscription among its matches on these vacancies, ties broken by
-- the smaller id_match) adds date_match - date_inscription to days_registration_to_match_sum and 1 to
-- matched_jobseekers on the row of that match's vacancy. Reading chosen for a gap: vacancies received
-- after the cut-off are left out, and so are matches dated after it (not known at the cut-off, as for
-- the solutions), so that a cut-off set back reproduces its figures. Months before the first delivered
-- period of actiris/offres_emploi hold only the vacancies the first delivery carried (still open then):
-- they are flagged (is_before_first_delivery), and the dashboard leaves them out.
with

vacancies as (
    select * from {{ ref('stg_actiris__vacancies') }}
),

matches as (
    select * from {{ ref('stg_actiris__matches') }}
),

registrations as (
    select * from {{ ref('stg_actiris__registrations') }}
),

nace_sections as (
    select * from {{ ref('nace_sections') }}
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

first_delivery as (
    {{ first_delivered_month('actiris', 'offres_emploi') | indent(4) }}
),

-- one row per 2-digit division, so that vacancies find their section by a hash join
nace_divisions as (
    select
        nace_section,
        title_fr,
        title_nl,
        lpad(cast(unnest(range(cast(division_from as integer), cast(division_to as integer) + 1)) as varchar), 2, '0')
            as nace_division
    from nace_sections
),

placed_vacancies as (
    select
        vacancies.vacancy_id,
        cast(date_trunc('month', vacancies.received_date) as date) as month,
        nace_divisions.nace_section,
        nace_divisions.title_fr as nace_section_name_fr,
        nace_divisions.title_nl as nace_section_name_nl,
        vacancies.channel,
        coalesce(municipalities.work_region, 'ETR') as work_region,
        vacancies.positions,
        vacancies.vacancy_status = 'POURVUE_ACTIRIS' as is_filled_by_actiris
    from vacancies
    cross join cutoff
    left join nace_divisions on vacancies.nace_division = nace_divisions.nace_division
    left join municipalities on vacancies.workplace_ins = municipalities.municipality_ins
    where vacancies.received_date <= cutoff.cutoff_date
),

placed_matches as (
    select
        matches.match_id,
        matches.vacancy_id,
        matches.registration_id,
        matches.match_date,
        matches.match_origin,
        matches.match_result
    from matches
    inner join placed_vacancies on matches.vacancy_id = placed_vacancies.vacancy_id
    cross join cutoff
    where matches.match_date <= cutoff.cutoff_date
),

-- a hash aggregate: the earliest match of each registration on or after its registration date (an
-- earlier one would be a data error), ties broken by the match id (a struct key: no string built per row)
first_matches as (
    select
        placed_matches.registration_id,
        arg_min(placed_matches.match_id, (placed_matches.match_date, placed_matches.match_id)) as match_id,
        min(placed_matches.match_date - registrations.registration_date) as days_registration_to_match
    from placed_matches
    inner join registrations on placed_matches.registration_id = registrations.registration_id
    where placed_matches.match_date >= registrations.registration_date
    group by placed_matches.registration_id
),

first_match_days as (
    select
        placed_matches.vacancy_id,
        count(*) as matched_jobseekers,
        sum(first_matches.days_registration_to_match) as days_registration_to_match_sum
    from first_matches
    inner join placed_matches on first_matches.match_id = placed_matches.match_id
    group by placed_matches.vacancy_id
),

match_counts as (
    select
        vacancy_id,
        count(*) as matches,
        count(*) filter (where match_origin = 'IA') as matches_ai,
        count(*) filter (where match_result = 'EMBAUCHE') as hires
    from placed_matches
    group by vacancy_id
),

counted as (
    select
        placed_vacancies.month,
        placed_vacancies.nace_section,
        placed_vacancies.channel,
        placed_vacancies.work_region,
        any_value(placed_vacancies.nace_section_name_fr) as nace_section_name_fr,
        any_value(placed_vacancies.nace_section_name_nl) as nace_section_name_nl,
        count(*) as vacancies,
        sum(placed_vacancies.positions) as positions,
        count(*) filter (where placed_vacancies.is_filled_by_actiris) as filled_by_actiris,
        coalesce(sum(match_counts.matches), 0) as matches,
        coalesce(sum(match_counts.matches_ai), 0) as matches_ai,
        coalesce(sum(match_counts.hires), 0) as hires,
        coalesce(sum(first_match_days.days_registration_to_match_sum), 0) as days_registration_to_match_sum,
        coalesce(sum(first_match_days.matched_jobseekers), 0) as matched_jobseekers
    from placed_vacancies
    left join match_counts on placed_vacancies.vacancy_id = match_counts.vacancy_id
    left join first_match_days on placed_vacancies.vacancy_id = first_match_days.vacancy_id
    group by
        placed_vacancies.month,
        placed_vacancies.nace_section,
        placed_vacancies.channel,
        placed_vacancies.work_region
),

final as (
    select
        counted.month,
        cast(year(counted.month) as integer) as year,
        coalesce(counted.month < first_delivery.first_month, false) as is_before_first_delivery,
        counted.nace_section,
        counted.nace_section_name_fr,
        counted.nace_section_name_nl,
        counted.channel,
        counted.work_region,
        cast(counted.vacancies as integer) as vacancies,
        cast(counted.positions as integer) as positions,
        cast(counted.filled_by_actiris as integer) as filled_by_actiris,
        cast(counted.matches as integer) as matches,
        cast(counted.matches_ai as integer) as matches_ai,
        cast(counted.hires as integer) as hires,
        {{ rate_pct('counted.hires', 'counted.matches') }} as hire_conversion_pct,
        cast(counted.days_registration_to_match_sum as bigint) as days_registration_to_match_sum,
        cast(counted.matched_jobseekers as integer) as matched_jobseekers,
        cast({{ round_ratio('counted.days_registration_to_match_sum', 'counted.matched_jobseekers') }} as decimal(9, 2))
            as days_registration_to_match_avg
    from counted
    left join first_delivery on true
)

select * from final
