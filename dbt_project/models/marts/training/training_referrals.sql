-- Indicator 5 of the shared strategic indicators: invitations to Bruxelles Formation's information
-- sessions per calendar year (of date_invitation), channel and shared training domain; `attended`
-- counts the invitations marked present (`present = O`). Invitations after the cut-off are not counted
-- (the cut-off's year is partial: year_complete is false).
-- The published target is a yearly total over every channel and domain: it is repeated on each row of
-- the year in invitations_year_target, to be read per year (MAX), never summed.
with

invitations as (
    select * from {{ ref('stg_bf__session_invitations') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

domains as (
    select * from {{ ref('training_domains') }}
),

targets as (
    select * from {{ ref('indicator_targets') }}
    where indicator = 'shared_5' and measure = 'invitations' and year is not null
),

counted as (
    select
        year(invitations.invitation_date) as year,
        invitations.channel,
        invitations.training_domain,
        count(*) as invitations,
        count(*) filter (where invitations.attended) as attended
    from invitations
    cross join cutoff
    where invitations.invitation_date <= cutoff.cutoff_date
    group by year(invitations.invitation_date), invitations.channel, invitations.training_domain
),

final as (
    select
        -- grain
        cast(counted.year as integer) as year,
        cast(counted.channel as varchar) as channel,
        cast(counted.training_domain as varchar) as training_domain,
        cast(domains.domain_name_fr as varchar) as domain_name_fr,
        cast(domains.domain_name_nl as varchar) as domain_name_nl,
        cast(make_date(cast(counted.year as integer), 12, 31) <= cutoff.cutoff_date as boolean) as year_complete,

        -- counts
        cast(counted.invitations as integer) as invitations,
        cast(counted.attended as integer) as attended,

        -- the year's target (a total over the year's rows)
        cast(targets.target_value as integer) as invitations_year_target
    from counted
    cross join cutoff
    left join domains on counted.training_domain = domains.training_domain
    left join targets on counted.year = targets.year
)

select * from final
