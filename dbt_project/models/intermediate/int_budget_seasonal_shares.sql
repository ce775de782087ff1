-- The seasonal profile of each budget article and credit type: for every fiscal year and month, the mean
-- over the (up to) 3 latest earlier complete fiscal years (12 monthly snapshots present, December amount
-- above 0) of the share of December's cumulative amount reached by that month.
--
-- The mean share is also kept as an exact fraction in lowest terms, so that budget_execution rounds its
-- projection to the cent without floating-point error: mean = share_numerator / (history_years x
-- share_denominator), the sum of the years' shares e_i / d_i (cumulative amount that month over the
-- December amount, in cents, each reduced by their greatest common divisor) over their least common
-- denominator. Both are NULL when the reduced shares' denominators multiply past 10^30 or the sum reaches
-- 10^31, the bounds of budget_execution's exact 128-bit division (the projection then falls back to
-- floating point): amounts in round figures reduce to small fractions and stay exact whatever their size
-- (250,000,000.00 of 500,000,000.00 is 1 / 2).
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

history_cents as (
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

-- each year's share as a fraction in lowest terms (December's amount is above 0)
history_shares as (
    select
        budget_article,
        credit_type,
        fiscal_year,
        month_number,
        december_share,
        month_cents // gcd(month_cents, december_cents) as share_numerator,
        december_cents // gcd(month_cents, december_cents) as share_denominator
    from history_cents
),

earlier_years as (
    select
        lines.budget_article,
        lines.credit_type,
        lines.fiscal_year,
        lines.month_number,
        history_shares.fiscal_year as history_year,
        history_shares.december_share,
        history_shares.share_numerator,
        history_shares.share_denominator,
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
        list(share_numerator order by history_year) as numerators,
        list(share_denominator order by history_year) as denominators,
        -- the size of the denominators' product, in floating point, to keep the sum within 128 bits
        sum(log10(share_denominator)) as denominators_log10
    from earlier_years
    where recency <= 3
    group by budget_article, credit_type, fiscal_year, month_number
),

-- the shares over their least common denominator (a missing year counts 0 / 1)
common_denominators as (
    select
        *,
        case
            when denominators_log10 < 30
                then lcm(lcm(denominators[1], coalesce(denominators[2], 1)), coalesce(denominators[3], 1))
        end as common_denominator
    from means
),

summed_shares as (
    select
        *,
        numerators[1] * (common_denominator // denominators[1])
        + coalesce(numerators[2] * (common_denominator // denominators[2]), 0)
        + coalesce(numerators[3] * (common_denominator // denominators[3]), 0) as summed_numerator
    from common_denominators
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
            when abs(summed_numerator) < {{ 10 ** 31 }}
                then common_denominator // gcd(summed_numerator, common_denominator)
        end as share_denominator,
        case
            when abs(summed_numerator) < {{ 10 ** 31 }}
                then summed_numerator // gcd(summed_numerator, common_denominator)
        end as share_numerator
    from summed_shares
)

select * from final
