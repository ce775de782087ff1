-- The seasonal profile of each budget article and credit type: for every fiscal year and month, the mean
-- over the (up to) 3 latest earlier complete fiscal years (12 monthly snapshots present, December amount
-- above 0) of the share of December's cumulative amount reached by that month.
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
        lines.executed_cumulative_eur / complete_years.december_cumulative_eur as december_share
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

final as (
    select
        budget_article,
        credit_type,
        fiscal_year,
        month_number,
        avg(december_share) as mean_december_share,
        cast(count(*) as integer) as history_years,
        list(history_year order by history_year) as history_fiscal_years
    from earlier_years
    where recency <= 3
    group by budget_article, credit_type, fiscal_year, month_number
)

select * from final
