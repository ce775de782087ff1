-- Availability-control procedures (actiris/decisions_disponibilite, events on id_decision): a pending
-- procedure is delivered again once decided; the latest delivery period wins.
{{
    config(
        materialized='incremental',
        unique_key='decision_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'decisions_disponibilite') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'decisions_disponibilite',
        'id_decision',
        'delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='decision_id',
    )
}},

renamed as (
    select
        -- ids
        id_decision as decision_id,
        id_dossier as registration_id,

        -- codes
        type_procedure as procedure_type,
        resultat as decision_result,
        recours as has_appeal,

        -- dates
        date_debut_procedure as procedure_start_date,
        date_decision as decision_date,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
