-- Guidance events (actiris/actions, events on id_action): a fact delivered again in a later period
-- replaces the earlier version, so the latest delivery period wins (then the later produced_at).
{{
    config(
        materialized='incremental',
        unique_key='action_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'actions') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'actions',
        'id_action',
        'delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='action_id',
    )
}},

renamed as (
    select
        -- ids
        id_action as action_id,
        id_dossier as registration_id,

        -- codes
        type_action as action_type,
        organisme_cible as target_organisation,
        canal as channel,
        annule as is_cancelled,

        -- dates
        date_action as action_date,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
