-- Invitations to Bruxelles Formation information sessions (bf/invitations_seances, events on
-- id_invitation): the latest delivery period wins.
with

loaded_batches as (
    {{ loaded_batches('bf', 'invitations_seances') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'bf__invitations_seances') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

domain_map as (
    select * from {{ ref('training_domain_map') }}
    where provider = 'BF'
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_invitation
            order by delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        latest.id_invitation as invitation_id,
        latest.niss as person_id,

        -- codes
        latest.code_domaine as provider_domain_code,
        domain_map.training_domain,
        latest.canal as channel,
        latest.present as attended,

        -- dates
        latest.date_invitation as invitation_date,

        -- lineage
        latest.batch_id,
        latest.line_number
    from latest
    left join domain_map on latest.code_domaine = domain_map.provider_domain_code
)

select * from renamed
