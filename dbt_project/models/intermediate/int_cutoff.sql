-- The data cut-off (indicators.md, Common rules): the last day of the latest period delivered for
-- actiris/demandeurs (status LOADED or SUPERSEDED: a rejected delivery delivers nothing), unless set by
-- hand (var warehouse_cutoff or env WAREHOUSE_CUTOFF). Reading chosen for a gap: without any
-- demandeurs delivery, the latest period delivered of any dataset stands in, so that the staff marts
-- still have a cut-off (the budget marts publish every delivered month, see budget_execution).
with

deliveries as (
    select * from {{ source('audit', 'deliveries') }}
    where status in ('LOADED', 'SUPERSEDED')
),

demandeurs_periods as (
    select max(period) as last_period
    from deliveries
    where source = 'actiris' and dataset = 'demandeurs'
),

-- the marts flag what precedes it, as others do with their own dataset's first delivery
first_demandeurs_delivery as (
    {{ first_delivered_month('actiris', 'demandeurs') | indent(4) }}
),

any_periods as (
    select max(period) as last_period
    from deliveries
),

final as (
    select
        coalesce(
            {{ cutoff_override() }},
            last_day({{ period_to_month('demandeurs_periods.last_period') }}),
            last_day({{ period_to_month('any_periods.last_period') }})
        ) as cutoff_date,
        first_demandeurs_delivery.first_month as first_registration_period,
        case
            when {{ cutoff_override() }} is not null then 'override'
            when demandeurs_periods.last_period is not null then 'actiris/demandeurs'
            when any_periods.last_period is not null then 'latest delivery of any dataset'
        end as cutoff_origin
    from demandeurs_periods
    cross join any_periods
    cross join first_demandeurs_delivery
)

select * from final
