-- Job seeker registrations (actiris/demandeurs, delta on id_dossier): the latest version of each
-- registration episode. Latest = highest date_modification, ties broken by the later delivery.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'demandeurs') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__demandeurs') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

countries as (
    select * from {{ ref('countries') }}
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_dossier
            order by date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

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
