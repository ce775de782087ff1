-- Training participations of Brussels job seekers at VDAB Brussel (vdab/opleidingen, delta on
-- deelname_id): latest laatst_gewijzigd wins, ties broken by the later delivery. Dutch names and codes
-- become the shared English vocabulary (same columns as stg_bf__training_participations).
{{
    config(
        materialized='incremental',
        unique_key='participation_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('vdab', 'opleidingen') }}",
    )
}}

with

{{ training_maps('VDAB') }},

{{
    latest_versions(
        'vdab',
        'opleidingen',
        'deelname_id',
        'laatst_gewijzigd desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='participation_id',
        stale_keys=stale_training_decodings('participation_id'),
    )
}},

renamed as (
    select
        -- ids
        latest.deelname_id as participation_id,
        latest.insz as person_id,
        'VDAB' as provider,

        -- codes
        latest.studiegebied as provider_domain_code,
        domain_map.training_domain,
        latest.opleidingstype as provider_type_code,
        type_map.training_type,
        type_map.is_vocational,
        type_map.is_in_company,
        cast(null as varchar) as training_centre,
        case latest.uitstroomstatus
            when 'GESLAAGD' then 'completed'
            when 'VOORTIJDIG_GESTOPT' then 'dropped_out'
            else 'running'
        end as end_status,
        latest.attest as is_certified,

        -- dates
        latest.startdatum as start_date,
        latest.einddatum as end_date,
        latest.laatst_gewijzigd as modified_at,

        -- lineage
        latest.batch_id,
        latest.line_number
    from latest
    left join domain_map on latest.studiegebied = domain_map.provider_domain_code
    left join type_map on latest.opleidingstype = type_map.provider_type_code
)

select * from renamed
