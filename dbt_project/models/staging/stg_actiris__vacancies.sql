-- Vacancies (actiris/offres_emploi, delta on id_offre): latest date_modification wins, ties broken by
-- the later delivery.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'offres_emploi') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__offres_emploi') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_offre
            order by date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

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
