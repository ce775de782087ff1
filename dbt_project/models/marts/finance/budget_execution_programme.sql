-- Budget execution summed by programme (meetpunt 5.4): the amounts of budget_execution summed per fiscal
-- year, month, programme and credit type; rates and `over_credit` recomputed from the sums. The projected
-- year end is the sum of the articles' published projections. Reading chosen for a gap: an article
-- without a projection adds nothing (`articles_without_projection` counts them). Rates are rounded from
-- the exact quotient (round_ratio).
with

articles as (
    select * from {{ ref('budget_execution') }}
),

summed as (
    select
        fiscal_year,
        month,
        month_number,
        programme,
        credit_type,
        cast(count(*) as integer) as budget_articles,
        cast(count(*) - count(projected_year_end_eur) as integer) as articles_without_projection,
        sum(credit_initial_eur) as credit_initial_eur,
        sum(credit_adjusted_eur) as credit_adjusted_eur,
        sum(executed_cumulative_eur) as executed_cumulative_eur,
        sum(projected_year_end_eur) as projected_year_end_eur
    from articles
    group by fiscal_year, month, month_number, programme, credit_type
),

final as (
    select
        fiscal_year,
        month,
        month_number,
        programme,
        credit_type,
        budget_articles,
        articles_without_projection,
        cast(credit_initial_eur as decimal(18, 2)) as credit_initial_eur,
        cast(credit_adjusted_eur as decimal(18, 2)) as credit_adjusted_eur,
        cast(executed_cumulative_eur as decimal(18, 2)) as executed_cumulative_eur,
        cast({{ round_ratio('executed_cumulative_eur * 100', 'credit_adjusted_eur') }} as decimal(38, 2))
            as execution_rate_pct,
        cast(projected_year_end_eur as decimal(18, 2)) as projected_year_end_eur,
        cast({{ round_ratio('projected_year_end_eur * 100', 'credit_adjusted_eur') }} as decimal(38, 2))
            as projected_year_end_rate_pct,
        executed_cumulative_eur > credit_adjusted_eur as over_credit
    from summed
)

select * from final
