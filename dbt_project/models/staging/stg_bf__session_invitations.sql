-- Invitations to Bruxelles Formation information sessions (bf/invitations_seances, events on
-- id_invitation): the latest delivery period wins.
{{
    config(
        materialized='incremental',
        unique_key='invitation_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('bf', 'invitations_seances') }}",
    )
}}

with

{{ training_maps('BF', with_types=false) }},

{{
    latest_versions(
        'bf',
        'invitations_seances',
        'id_invitation',
        'delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='invitation_id',
        stale_keys=stale_training_decodings('invitation_id', with_types=false),
    )
}},

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
