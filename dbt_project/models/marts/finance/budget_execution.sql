-- Budget execution within the approved credits (meetpunt 5.4), per fiscal year, month, budget article and
-- credit type, from the latest delivery of each monthly snapshot. The year-end projection divides the
-- cumulative execution by the article's seasonal share (int_budget_seasonal_shares); without an earlier
-- complete year it extrapolates linearly (x 12 / month). Reading chosen for a gap: when the earlier
-- years had executed nothing by this month (mean share 0 or below), the projection is NULL (undefined),
-- not a division by zero; so is a projection of 10^13 euros or more, which only an earlier year's share
-- near 0 gives (no budget article comes near it). Reading chosen for a gap: every delivered month is
-- published, whatever the data cut-off (the budget definition ties the figures to the latest delivery of
-- each period only).
--
-- To the cent: amounts, rates and the projection are rounded half away from zero from the exact
-- quotient (round_ratio, round_product_quotient), not from a floating-point one, so 837.49 x 12 / 8 =
-- 1256.235 publishes as 1256.24. The projection's rate is that of the published (rounded) projection,
-- as its definition reads (projected_year_end_eur / credit_adjusted_eur x 100). Only a seasonal
-- projection whose shares have no exact fraction within 128 bits (int_budget_seasonal_shares), or above
-- 10^11 euros, is rounded from the floating-point quotient. Rates are DECIMAL(38, 2): a credit of a few
-- euros beside millions executed still publishes its rate rather than failing the build.
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
                then {{ round_ratio('lines.executed_cumulative_eur * 12', 'lines.month_number') }}
            when
                seasonal_shares.share_numerator > 0
                and abs(lines.executed_cumulative_eur) < 100000000000
                and abs(lines.executed_cumulative_eur / seasonal_shares.mean_december_share) < 100000000000
                then
                    cast(
                        {{
                            round_product_quotient(
                                'cast(lines.executed_cumulative_eur * 100 as hugeint) * seasonal_shares.history_years',
                                'seasonal_shares.share_denominator',
                                'seasonal_shares.share_numerator',
                            )
                        }} as decimal(38, 0)
                    ) * 0.01
            when
                seasonal_shares.mean_december_share > 0
                and abs(lines.executed_cumulative_eur / seasonal_shares.mean_december_share) < 10000000000000
                then round(lines.executed_cumulative_eur / seasonal_shares.mean_december_share, 2)
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
        cast({{ round_ratio('executed_cumulative_eur * 100', 'credit_adjusted_eur') }} as decimal(38, 2))
            as execution_rate_pct,
        cast(projected_year_end as decimal(18, 2)) as projected_year_end_eur,
        cast(
            {{
                round_ratio(
                    'cast(cast(projected_year_end as decimal(18, 2)) as decimal(38, 2)) * 100',
                    'credit_adjusted_eur',
                )
            }}
            as decimal(38, 2)
        ) as projected_year_end_rate_pct,
        cast(history_years as integer) as projection_history_years,
        executed_cumulative_eur > credit_adjusted_eur as over_credit
    from projected
)

select * from final
