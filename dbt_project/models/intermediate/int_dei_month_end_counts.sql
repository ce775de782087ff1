-- Month-end counts of open DEI registrations, for the months from the first delivered period of
-- actiris/demandeurs through the cut-off. Open at a month end: started on or before the month's last day
-- and date_sortie NULL or after it. Counted as a running sum of monthly movements (+1 in the month a
-- registration starts, -1 in the month it ends), which needs one pass over the registrations.
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

first_month as (
    select min(month) as month from months
),

movements as (
    -- registrations older than the calendar start count from its first month
    select
        greatest(cast(date_trunc('month', registrations.registration_date) as date), first_month.month)
            as month,
        1 as change
    from registrations
    cross join first_month
    union all
    select
        greatest(cast(date_trunc('month', registrations.exit_date) as date), first_month.month) as month,
        -1 as change
    from registrations
    cross join first_month
    where registrations.exit_date is not null
),

monthly_changes as (
    select
        month,
        sum(change) as net_change
    from movements
    group by month
),

running as (
    select
        months.month,
        months.month_end,
        months.is_through_cutoff,
        sum(coalesce(monthly_changes.net_change, 0)) over (
            order by months.month rows between unbounded preceding and current row
        ) as open_dei_registrations
    from months
    left join monthly_changes on months.month = monthly_changes.month
),

final as (
    select
        running.month,
        running.month_end,
        cast(running.open_dei_registrations as integer) as open_dei_registrations
    from running
    cross join cutoff
    where
        running.is_through_cutoff
        and running.month >= cutoff.first_registration_period
)

select * from final
