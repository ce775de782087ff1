-- The path to a 70 % employment rate in 2030 (meetpunt 1.6), per year and region, from the first year
-- Statbel published (any region) through the target year, so that every region shows its gaps.
-- Published rates are Statbel's (seeds/employment_rate_statbel): a year Statbel did not publish, or a
-- figure of low confidence, stays NULL and nothing is invented.
-- The projection is the least-squares line through the region's last 5 published years, taken on exact
-- integer sums; it, the target line, the required pace and the DEI mean are rounded from their exact
-- quotients (round_ratio: no floating-point tie lost), so gap_pp is the published rate minus the
-- published target, and on_track compares the published projection of the target year with the target. The Actiris
-- columns (BE10 only) cover the years from the first delivered period of actiris/demandeurs through the
-- cut-off's year.
with

statbel as (
    select * from {{ ref('employment_rate_statbel') }}
),

targets as (
    select * from {{ ref('employment_rate_targets') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

dei_month_ends as (
    select * from {{ ref('int_dei_month_end_counts') }}
),

outflows as (
    select * from {{ ref('int_outflows_to_work') }}
),

published as (
    select
        year,
        region_code,
        employment_rate_pct,
        source_url
    from statbel
    where employment_rate_pct is not null and confidence in ('high', 'medium')
),

regions as (
    select
        region_code,
        any_value(region_name) as region_name
    from statbel
    group by region_code
),

first_year as (
    select min(year) as first_published_year from published
),

horizon as (
    select coalesce(max(target_year), 2030) as target_year from targets
),

region_years as (
    select
        regions.region_code,
        regions.region_name,
        cast(unnest(generate_series(first_year.first_published_year, horizon.target_year)) as integer) as year
    from regions
    cross join first_year
    cross join horizon
),

-- the points of the line as integers: years from 2000, rates in tenths
last_five as (
    select
        region_code,
        cast(year - 2000 as hugeint) as x,
        cast(employment_rate_pct * 10 as hugeint) as y
    from published
    qualify row_number() over (partition by region_code order by year desc) <= 5
),

-- the least-squares line's exact sums (least_squares_at)
trend as (
    select
        region_code,
        cast(count(*) as hugeint) as n,
        sum(x) as sx,
        sum(y) as sy,
        sum(x * x) as sxx,
        sum(x * y) as sxy
    from last_five
    group by region_code
),

target_lines as (
    select
        targets.region_code,
        targets.baseline_year,
        targets.target_year,
        targets.target_rate_pct,
        baseline.employment_rate_pct as baseline_rate_pct
    from targets
    left join published as baseline
        on
            targets.region_code = baseline.region_code
            and targets.baseline_year = baseline.year
),

actiris_years as (
    select
        cast(year(first_registration_period) as integer) as first_year,
        cast(year(cutoff_date) as integer) as last_year,
        cutoff_date
    from cutoff
),

dei_yearly as (
    select
        cast(year(month) as integer) as year,
        {{ round_ratio('sum(open_dei_registrations)', 'count(*)') }} as jobseekers_dei_avg
    from dei_month_ends
    group by year(month)
),

outflow_yearly as (
    select
        year,
        count(*) as outflows_to_work,
        count(*) filter (where is_sustained) as sustained,
        bool_and(is_sustained_known) as all_known
    from outflows
    group by year
),

joined as (
    select
        region_years.year,
        region_years.region_code,
        region_years.region_name,
        published.employment_rate_pct,
        published.source_url,
        target_lines.target_year,
        target_lines.target_rate_pct as target_year_rate_pct,
        target_lines.baseline_year,
        case
            when target_lines.region_code is not null and region_years.year >= target_lines.baseline_year
                then target_lines.baseline_rate_pct
                    + {{
                        round_ratio(
                            '(target_lines.target_rate_pct - target_lines.baseline_rate_pct)'
                            ~ ' * (region_years.year - target_lines.baseline_year)',
                            'target_lines.target_year - target_lines.baseline_year',
                        )
                    }}
        end as target_rate,
        case
            when target_lines.region_code is not null and region_years.year < target_lines.target_year
                then {{
                    round_ratio(
                        'target_lines.target_rate_pct - published.employment_rate_pct',
                        'target_lines.target_year - region_years.year',
                    )
                }}
        end as required_pp_per_year,
        {{ least_squares_at('region_years.year', 'trend', 2000, 10) }} as projected_rate,
        -- the published (rounded) projection of the target year, as the row's other derived figures
        case
            when target_lines.region_code is not null
                then
                    {{ least_squares_at('target_lines.target_year', 'trend', 2000, 10) }}
                    >= target_lines.target_rate_pct
        end as on_track,
        region_years.region_code = 'BE10'
        and region_years.year between actiris_years.first_year and actiris_years.last_year as has_actiris_data,
        dei_yearly.jobseekers_dei_avg,
        outflow_yearly.outflows_to_work,
        outflow_yearly.sustained,
        outflow_yearly.all_known
    from region_years
    cross join actiris_years
    left join published
        on
            region_years.region_code = published.region_code
            and region_years.year = published.year
    left join target_lines on region_years.region_code = target_lines.region_code
    left join trend on region_years.region_code = trend.region_code
    left join dei_yearly on region_years.year = dei_yearly.year
    left join outflow_yearly on region_years.year = outflow_yearly.year
),

final as (
    select
        year,
        region_code,
        region_name,
        cast(employment_rate_pct as decimal(6, 2)) as employment_rate_pct,
        cast(target_rate as decimal(6, 2)) as target_rate_pct,
        cast(employment_rate_pct - target_rate as decimal(6, 2)) as gap_pp,
        cast(required_pp_per_year as decimal(6, 2)) as required_pp_per_year,
        cast(projected_rate as decimal(6, 2)) as projected_rate_pct,
        on_track,
        cast(target_year as integer) as target_year,
        cast(target_year_rate_pct as decimal(6, 2)) as target_year_rate_pct,
        cast(baseline_year as integer) as baseline_year,
        cast(case when has_actiris_data then jobseekers_dei_avg end as decimal(12, 2))
            as jobseekers_dei_avg,
        cast(case when has_actiris_data then coalesce(outflows_to_work, 0) end as integer) as outflows_to_work,
        cast(
            case
                when has_actiris_data and outflows_to_work is null then 0
                when has_actiris_data and all_known then sustained
            end as integer
        ) as outflows_sustained,
        source_url as employment_rate_source_url
    from joined
)

select * from final
