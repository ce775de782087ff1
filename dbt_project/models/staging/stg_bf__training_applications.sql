-- Training applications at Bruxelles Formation (bf/demandes_formation, events on id_demande): the latest
-- delivery period wins. The BF domain code is mapped onto the shared training domains.
{{
    config(
        materialized='incremental',
        unique_key='application_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('bf', 'demandes_formation') }}",
    )
}}

with

{{ training_maps('BF', with_types=false) }},

{{
    latest_versions(
        'bf',
        'demandes_formation',
        'id_demande',
        'delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='application_id',
        stale_keys=stale_training_decodings('application_id', with_types=false),
    )
}},

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
