-- The seasonal profile of each budget article and credit type: for every fiscal year and month, the mean
-- over the (up to) 3 latest earlier complete fiscal years (12 monthly snapshots present, December amount
-- above 0) of the share of December's cumulative amount reached by that month.
--
-- The mean share is also kept as an exact fraction, so that budget_execution rounds its projection to
-- the cent without floating-point error: with e_i the year's cumulative amount that month and d_i its
-- December amount (in cents), mean = share_numerator / (history_years x share_denominator), where
-- share_denominator = d_1 d_2 d_3 and share_numerator = e_1 d_2 d_3 + d_1 e_2 d_3 + d_1 d_2 e_3 (a missing
-- year counts d = 1, e = 0). Both are NULL when the product of December amounts reaches 10^30 cents
-- (the projection then falls back to floating point).
with

lines as (
    select * from {{ ref('stg_actiris__budget_lines') }}
),

complete_years as (
    select
        budget_article,
        credit_type,
        fiscal_year,
        max(case when month_number = 12 then executed_cumulative_eur end) as december_cumulative_eur
    from lines
    group by budget_article, credit_type, fiscal_year
    having count(distinct month_number) = 12 and december_cumulative_eur > 0
),

history_shares as (
    select
        lines.budget_article,
        lines.credit_type,
        lines.fiscal_year,
        lines.month_number,
        lines.executed_cumulative_eur / complete_years.december_cumulative_eur as december_share,
        cast(lines.executed_cumulative_eur * 100 as hugeint) as month_cents,
        cast(complete_years.december_cumulative_eur * 100 as hugeint) as december_cents
    from lines
    inner join complete_years
        on
            lines.budget_article = complete_years.budget_article
            and lines.credit_type = complete_years.credit_type
            and lines.fiscal_year = complete_years.fiscal_year
),

earlier_years as (
    select
        lines.budget_article,
        lines.credit_type,
        lines.fiscal_year,
        lines.month_number,
        history_shares.fiscal_year as history_year,
        history_shares.december_share,
        history_shares.month_cents,
        history_shares.december_cents,
        row_number() over (
            partition by lines.budget_article, lines.credit_type, lines.fiscal_year, lines.month_number
            order by history_shares.fiscal_year desc
        ) as recency
    from lines
    inner join history_shares
        on
            lines.budget_article = history_shares.budget_article
            and lines.credit_type = history_shares.credit_type
            and lines.month_number = history_shares.month_number
            and lines.fiscal_year > history_shares.fiscal_year
),

means as (
    select
        budget_article,
        credit_type,
        fiscal_year,
        month_number,
        avg(december_share) as mean_december_share,
        cast(count(*) as integer) as history_years,
        list(history_year order by history_year) as history_fiscal_years,
        list(month_cents order by history_year) as month_cents,
        list(december_cents order by history_year) as december_cents,
        -- the size of d_1 d_2 d_3, in floating point, to keep the exact fraction within 128 bits
        sum(log10(december_cents)) as december_cents_log10
    from earlier_years
    where recency <= 3
    group by budget_article, credit_type, fiscal_year, month_number
),

final as (
    select
        budget_article,
        credit_type,
        fiscal_year,
        month_number,
        mean_december_share,
        history_years,
        history_fiscal_years,
        case
            when december_cents_log10 < 30
                then december_cents[1] * coalesce(december_cents[2], 1) * coalesce(december_cents[3], 1)
        end as share_denominator,
        case
            when december_cents_log10 < 30
                then
                    month_cents[1] * coalesce(december_cents[2], 1) * coalesce(december_cents[3], 1)
                    + coalesce(month_cents[2], 0) * december_cents[1] * coalesce(december_cents[3], 1)
                    + coalesce(month_cents[3], 0) * december_cents[1] * coalesce(december_cents[2], 1)
        end as share_numerator
    from means
)

select * from final
