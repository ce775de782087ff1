-- Training applications at Bruxelles Formation (bf/demandes_formation, events on id_demande): the latest
-- delivery period wins. The BF domain code is mapped onto the shared training domains.
with

loaded_batches as (
    {{ loaded_batches('bf', 'demandes_formation') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'bf__demandes_formation') }} as raw_rows
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
            partition by id_demande
            order by delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        latest.id_demande as application_id,
        latest.niss as person_id,

        -- codes
        latest.code_domaine as provider_domain_code,
        domain_map.training_domain,
        latest.organisme,
        latest.prescripteur as referrer,

        -- dates
        latest.date_demande as application_date,

        -- lineage
        latest.batch_id,
        latest.line_number
    from latest
    left join domain_map on latest.code_domaine = domain_map.provider_domain_code
)

select * from renamed
