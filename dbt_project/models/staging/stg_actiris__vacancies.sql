-- Vacancies (actiris/offres_emploi, delta on id_offre): latest date_modification wins, ties broken by
-- the later delivery.
{{
    config(
        materialized='incremental',
        unique_key='vacancy_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'offres_emploi') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'offres_emploi',
        'id_offre',
        'date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='vacancy_id',
    )
}},

renamed as (
    select
        -- ids
        id_offre as vacancy_id,
        numero_bce as enterprise_number,
        id_partenariat as partnership_id,

        -- codes
        code_nace as nace_code,
        left(code_nace, 2) as nace_division,
        code_isco as isco_code,
        lieu_code_ins as workplace_ins,
        canal as channel,
        statut as vacancy_status,

        -- numerics
        nb_postes as positions,

        -- dates
        date_reception as received_date,
        date_cloture as closed_date,
        date_modification as modified_at,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
