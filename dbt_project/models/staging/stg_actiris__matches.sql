-- Matches between vacancies and job seekers (actiris/mises_en_relation, events on id_match): an open
-- match is delivered again once it completes; the latest delivery period wins.
{{
    config(
        materialized='incremental',
        unique_key='match_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'mises_en_relation') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'mises_en_relation',
        'id_match',
        'delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='match_id',
    )
}},

renamed as (
    select
        -- ids
        id_match as match_id,
        id_offre as vacancy_id,
        id_dossier as registration_id,

        -- codes
        origine as match_origin,
        resultat as match_result,

        -- dates
        date_match as match_date,
        date_resultat as result_date,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
