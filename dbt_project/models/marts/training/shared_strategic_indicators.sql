-- The shared strategic indicators 1-4 of Actiris, Bruxelles Formation and VDAB Brussel, by training
-- cohort (indicators.md). Counts are persons (one row per leaver in int_training_leaver_outcomes), so
-- rows regroup by summing. A cohort is closed when 31 December of N + 12 months is on or before the
-- cut-off; while open every numerator is NULL. Indicator 3 needs one more year: its check day (12 months
-- after a first job that may start up to 31 December N + 1) is known for the whole cohort only from
-- 31 December N + 2, so work_sustained stays NULL until then.
-- Targets: cohort N is measured in year N + 1 and compared with that year's target (seed
-- indicator_targets); a year without a published target stays NULL. Targets of indicators 2-4 concern
-- vocational leavers and stay NULL on rows of other training types.
with

outcomes as (
    select * from {{ ref('int_training_leaver_outcomes') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

domains as (
    select * from {{ ref('training_domains') }}
),

targets as (
    select * from {{ ref('indicator_targets') }}
),

yearly_targets as (
    select
        year,
        max(target_value) filter (where measure = 'positive_outflow_pct') as positive_outflow_target_pct,
        max(target_value) filter (where measure = 'work_any_pct') as work_any_target_pct,
        max(target_value) filter (where measure = 'work_1m_pct') as work_1m_target_pct,
        max(target_value) filter (where measure = 'work_sustained_pct') as work_sustained_target_pct,
        max(target_value) filter (where measure = 'first_job_0_3m_pct') as first_job_0_3m_target_pct
    from targets
    where indicator in ('shared_1', 'shared_2', 'shared_3', 'shared_4') and year is not null
    group by year
),

counted as (
    select
        cohort_year,
        provider,
        training_type,
        training_domain,
        bool_and(is_vocational) as is_vocational,
        count(*) as leavers,
        count(*) filter (where is_vocational) as vocational_leavers,
        count(*) filter (where is_positive_outflow) as positive_outflow,
        count(*) filter (where is_vocational and has_job) as work_any,
        count(*) filter (where is_vocational and has_job_1m) as work_1m,
        count(*) filter (where is_vocational and has_job_1m and is_employed_on_check_date) as work_sustained,
        count(*) filter (where is_vocational and first_job_period = '0_3m') as first_job_0_3m,
        count(*) filter (where is_vocational and first_job_period = '3_6m') as first_job_3_6m,
        count(*) filter (where is_vocational and first_job_period = '6_12m') as first_job_6_12m
    from outcomes
    group by cohort_year, provider, training_type, training_domain
),

closure as (
    select
        counted.*,
        make_date(counted.cohort_year + 1, 12, 31) <= cutoff.cutoff_date as cohort_closed,
        make_date(counted.cohort_year + 2, 12, 31) <= cutoff.cutoff_date as sustained_closed
    from counted
    cross join cutoff
),

published as (
    select
        cohort_year,
        provider,
        training_type,
        training_domain,
        is_vocational,
        cohort_closed,
        sustained_closed,
        leavers,
        vocational_leavers,
        case when cohort_closed then positive_outflow end as positive_outflow,
        case when cohort_closed then work_any end as work_any,
        case when cohort_closed then work_1m end as work_1m,
        case when sustained_closed then work_sustained end as work_sustained,
        case when cohort_closed then first_job_0_3m end as first_job_0_3m,
        case when cohort_closed then first_job_3_6m end as first_job_3_6m,
        case when cohort_closed then first_job_6_12m end as first_job_6_12m
    from closure
),

final as (
    select
        -- grain
        cast(published.cohort_year as integer) as cohort_year,
        cast(published.cohort_year + 1 as integer) as measured_year,
        cast(published.provider as varchar) as provider,
        cast(published.training_type as varchar) as training_type,
        cast(published.is_vocational as boolean) as is_vocational,
        cast(published.training_domain as varchar) as training_domain,
        cast(domains.domain_name_fr as varchar) as domain_name_fr,
        cast(domains.domain_name_nl as varchar) as domain_name_nl,
        cast(published.cohort_closed as boolean) as cohort_closed,
        cast(published.sustained_closed as boolean) as sustained_closed,

        -- denominators and numerators (persons)
        cast(published.leavers as integer) as leavers,
        cast(published.vocational_leavers as integer) as vocational_leavers,
        cast(published.positive_outflow as integer) as positive_outflow,
        cast(published.work_any as integer) as work_any,
        cast(published.work_1m as integer) as work_1m,
        cast(published.work_sustained as integer) as work_sustained,
        cast(published.first_job_0_3m as integer) as first_job_0_3m,
        cast(published.first_job_3_6m as integer) as first_job_3_6m,
        cast(published.first_job_6_12m as integer) as first_job_6_12m,

        -- rates
        cast({{ rate_pct('published.positive_outflow', 'published.leavers') }} as decimal(5, 2))
            as positive_outflow_pct,
        cast({{ rate_pct('published.work_any', 'published.vocational_leavers') }} as decimal(5, 2))
            as work_any_pct,
        cast({{ rate_pct('published.work_1m', 'published.vocational_leavers') }} as decimal(5, 2))
            as work_1m_pct,
        cast({{ rate_pct('published.work_sustained', 'published.work_1m') }} as decimal(5, 2))
            as work_sustained_pct,
        cast({{ rate_pct('published.first_job_0_3m', 'published.work_1m') }} as decimal(5, 2))
            as first_job_0_3m_pct,
        cast({{ rate_pct('published.first_job_3_6m', 'published.work_1m') }} as decimal(5, 2))
            as first_job_3_6m_pct,
        cast({{ rate_pct('published.first_job_6_12m', 'published.work_1m') }} as decimal(5, 2))
            as first_job_6_12m_pct,

        -- targets of the measurement year
        cast(yearly_targets.positive_outflow_target_pct as decimal(5, 2)) as positive_outflow_target_pct,
        cast(case when published.is_vocational then yearly_targets.work_any_target_pct end as decimal(5, 2))
            as work_any_target_pct,
        cast(case when published.is_vocational then yearly_targets.work_1m_target_pct end as decimal(5, 2))
            as work_1m_target_pct,
        cast(
            case when published.is_vocational then yearly_targets.work_sustained_target_pct end as decimal(5, 2)
        ) as work_sustained_target_pct,
        cast(
            case when published.is_vocational then yearly_targets.first_job_0_3m_target_pct end as decimal(5, 2)
        ) as first_job_0_3m_target_pct
    from published
    left join domains on published.training_domain = domains.training_domain
    left join yearly_targets on published.cohort_year + 1 = yearly_targets.year
)

select * from final
