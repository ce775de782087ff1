-- Job seeker registrations (actiris/demandeurs, delta on id_dossier): the latest version of each
-- registration episode. Latest = highest date_modification, ties broken by the later delivery.
{{
    config(
        materialized='incremental',
        unique_key='registration_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'demandeurs') }}",
    )
}}

with

countries as (
    select * from {{ ref('countries') }}
),

{{
    latest_versions(
        'actiris',
        'demandeurs',
        'id_dossier',
        'date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='registration_id',
        stale_keys=stale_decoded_keys(
            'registration_id',
            ['nationality_code'],
            {'nationality_group': "coalesce(countries.nationality_group, 'NON_EU')"},
            'left join countries on decoded.nationality_code = countries.country_code',
        ),
    )
}},

renamed as (
    select
        -- ids
        latest.id_dossier as registration_id,
        latest.niss as person_id,

        -- person
        latest.date_naissance as birth_date,
        latest.sexe as sex,
        latest.code_ins_commune as commune_ins,
        latest.niveau_etudes as education_level,
        latest.nationalite as nationality_code,
        coalesce(countries.nationality_group, 'NON_EU') as nationality_group,
        latest.langue as language_code,

        -- registration
        latest.type_inscription as registration_type,
        starts_with(latest.type_inscription, 'DEI') as is_dei,
        latest.code_ins_cpas as cpas_ins,
        latest.motif_sortie as exit_reason,

        -- dates
        latest.date_inscription as registration_date,
        latest.date_sortie as exit_date,
        latest.date_modification as modified_at,

        -- lineage
        latest.batch_id,
        latest.line_number
    from latest
    left join countries on latest.nationalite = countries.country_code
)

select * from renamed
