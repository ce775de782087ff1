-- Matches between vacancies and job seekers (actiris/mises_en_relation, events on id_match): an open
-- match is delivered again once it completes; the latest delivery period wins.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'mises_en_relation') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__mises_en_relation') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_match
            order by delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

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
