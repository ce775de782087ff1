-- Budget execution within the approved credits (meetpunt 5.4), per fiscal year, month, budget article and
-- credit type, from the latest delivery of each monthly snapshot. The year-end projection divides the
-- cumulative execution by the article's seasonal share (int_budget_seasonal_shares); without an earlier
-- complete year it extrapolates linearly (x 12 / month). Reading chosen for a gap: when the earlier
-- years had executed nothing by this month (mean share 0), the projection is NULL (undefined), not a
-- division by zero.
with

lines as (
    select * from {{ ref('stg_actiris__budget_lines') }}
),

seasonal_shares as (
    select * from {{ ref('int_budget_seasonal_shares') }}
),

projected as (
    select
        lines.*,
        seasonal_shares.mean_december_share,
        coalesce(seasonal_shares.history_years, 0) as history_years,
        case
            when seasonal_shares.history_years is null
                then lines.executed_cumulative_eur * 12 / lines.month_number
            when seasonal_shares.mean_december_share > 0
                then lines.executed_cumulative_eur / seasonal_shares.mean_december_share
        end as projected_year_end
    from lines
    left join seasonal_shares
        on
            lines.budget_article = seasonal_shares.budget_article
            and lines.credit_type = seasonal_shares.credit_type
            and lines.fiscal_year = seasonal_shares.fiscal_year
            and lines.month_number = seasonal_shares.month_number
),

final as (
    select
        cast(fiscal_year as integer) as fiscal_year,
        month,
        cast(month_number as integer) as month_number,
        budget_article,
        credit_type,
        programme,
        article_label,
        cast(credit_initial_eur as decimal(18, 2)) as credit_initial_eur,
        cast(credit_adjusted_eur as decimal(18, 2)) as credit_adjusted_eur,
        cast(executed_cumulative_eur as decimal(18, 2)) as executed_cumulative_eur,
        cast(round(executed_cumulative_eur * 100 / nullif(credit_adjusted_eur, 0), 2) as decimal(12, 2))
            as execution_rate_pct,
        cast(round(projected_year_end, 2) as decimal(18, 2)) as projected_year_end_eur,
        cast(round(projected_year_end * 100 / nullif(credit_adjusted_eur, 0), 2) as decimal(12, 2))
            as projected_year_end_rate_pct,
        cast(history_years as integer) as projection_history_years,
        executed_cumulative_eur > credit_adjusted_eur as over_credit
    from projected
)

select * from final
