-- Staff deployed in direct guidance of users (meetpunt 4.3), per month and directorate plus `ALL`:
-- the share of FTE with categorie_fonction ACCOMPAGNEMENT_DIRECT against the 65 % target of
-- seeds/indicator_targets.csv. `meets_target` compares the published (rounded) share with the target.
with

staff_months as (
    select * from {{ ref('stg_actiris__staff_months') }}
),

targets as (
    select * from {{ ref('indicator_targets') }}
    where measure = 'direct_guidance_share_pct'
),

by_directorate as (
    select
        month,
        directorate,
        sum(fte) as fte_total,
        sum(case when job_category = 'ACCOMPAGNEMENT_DIRECT' then fte else 0 end) as fte_direct_guidance
    from staff_months
    group by month, directorate
),

all_directorates as (
    select
        month,
        'ALL' as directorate,
        sum(fte_total) as fte_total,
        sum(fte_direct_guidance) as fte_direct_guidance
    from by_directorate
    group by month
),

both_levels as (
    select
        month,
        directorate,
        fte_total,
        fte_direct_guidance
    from by_directorate
    union all
    select
        month,
        directorate,
        fte_total,
        fte_direct_guidance
    from all_directorates
),

with_target as (
    select
        both_levels.*,
        {{ rate_pct('both_levels.fte_direct_guidance', 'both_levels.fte_total') }} as share_pct,
        (
            select targets.target_value
            from targets
            where targets.year is null or targets.year = year(both_levels.month)
            order by targets.year nulls last
            limit 1
        ) as target_pct
    from both_levels
),

final as (
    select
        month,
        cast(year(month) as integer) as year,
        directorate,
        cast(fte_total as decimal(18, 2)) as fte_total,
        cast(fte_direct_guidance as decimal(18, 2)) as fte_direct_guidance,
        cast(share_pct as decimal(9, 2)) as direct_guidance_share_pct,
        cast(target_pct as decimal(9, 2)) as target_pct,
        share_pct >= target_pct as meets_target
    from with_target
)

select * from final
