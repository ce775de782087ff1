-- Training participations at Bruxelles Formation (bf/stagiaires, delta on id_participation): latest
-- date_modification wins, ties broken by the later delivery. Training types and domains are harmonised
-- with VDAB's onto the indicators.md vocabulary (seeds training_type_map, training_domain_map).
{{
    config(
        materialized='incremental',
        unique_key='participation_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('bf', 'stagiaires') }}",
    )
}}

with

{{ training_maps('BF') }},

{{
    latest_versions(
        'bf',
        'stagiaires',
        'id_participation',
        'date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='participation_id',
        stale_keys=stale_training_decodings('participation_id'),
    )
}},

renamed as (
    select
        -- ids
        latest.id_participation as participation_id,
        latest.niss as person_id,
        'BF' as provider,

        -- codes
        latest.code_domaine as provider_domain_code,
        domain_map.training_domain,
        latest.type_formation as provider_type_code,
        type_map.training_type,
        type_map.is_vocational,
        type_map.is_in_company,
        latest.centre as training_centre,
        case latest.statut_fin
            when 'TERMINE' then 'completed'
            when 'ABANDON' then 'dropped_out'
            else 'running'
        end as end_status,
        latest.certifie as is_certified,

        -- dates
        latest.date_debut as start_date,
        latest.date_fin as end_date,
        latest.date_modification as modified_at,

        -- lineage
        latest.batch_id,
        latest.line_number
    from latest
    left join domain_map on latest.code_domaine = domain_map.provider_domain_code
    left join type_map on latest.type_formation = type_map.provider_type_code
)

select * from renamed
