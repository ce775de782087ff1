-- Month-end counts of open DEI registrations, for the months from the first delivered period of
-- actiris/demandeurs through the cut-off. Open at a month end: started on or before the month's last day
-- and date_sortie NULL or after it.
with

registrations as (
    select * from {{ ref('int_registration_episodes') }}
    where is_dei
),

months as (
    select * from {{ ref('int_months') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

covered_months as (
    select
        months.month,
        months.month_end
    from months
    cross join cutoff
    where
        months.is_through_cutoff
        and months.month >= cutoff.first_registration_period
),

final as (
    select
        covered_months.month,
        covered_months.month_end,
        cast(count(registrations.registration_id) as integer) as open_dei_registrations
    from covered_months
    left join registrations
        on
            covered_months.month_end >= registrations.registration_date
            and (registrations.exit_date is null or covered_months.month_end < registrations.exit_date)
    group by covered_months.month, covered_months.month_end
)

select * from final
