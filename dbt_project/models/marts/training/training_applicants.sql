-- Indicator 6 of the shared strategic indicators: distinct persons who applied for a training at
-- Bruxelles Formation or a partner, per calendar year (of date_demande), organisme and prescripteur.
-- A person who applied through two referrers counts on both rows, so `applicants` does not add up across
-- rows: applicants_in_year holds the year's distinct persons (repeated on each row of the year, read it
-- per year with MAX), and `applications` is the additive count of applications. Applications after the
-- cut-off are not counted (the cut-off's year is partial: year_complete is false).
-- The published target is a yearly total: applicants_year_target, repeated like applicants_in_year.
with

applications as (
    select * from {{ ref('stg_bf__training_applications') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

targets as (
    select * from {{ ref('indicator_targets') }}
    where indicator = 'shared_6' and measure = 'applicants' and year is not null
),

known as (
    select
        applications.*,
        year(applications.application_date) as year
    from applications
    cross join cutoff
    where applications.application_date <= cutoff.cutoff_date
),

counted as (
    select
        year,
        organisme,
        referrer as prescripteur,
        count(distinct person_id) as applicants,
        count(*) as applications
    from known
    group by year, organisme, referrer
),

yearly as (
    select
        year,
        count(distinct person_id) as applicants_in_year
    from known
    group by year
),

final as (
    select
        -- grain
        cast(counted.year as integer) as year,
        cast(counted.organisme as varchar) as organisme,
        cast(counted.prescripteur as varchar) as prescripteur,
        cast(make_date(cast(counted.year as integer), 12, 31) <= cutoff.cutoff_date as boolean) as year_complete,

        -- counts
        cast(counted.applicants as integer) as applicants,
        cast(counted.applications as integer) as applications,

        -- the year's figures (totals over the year's rows: read per year, never summed)
        cast(yearly.applicants_in_year as integer) as applicants_in_year,
        cast(targets.target_value as integer) as applicants_year_target
    from counted
    cross join cutoff
    inner join yearly on counted.year = yearly.year
    left join targets on counted.year = targets.year
)

select * from final
