-- Employment spells from the social-security link (actiris/occupations, delta on id_occupation): latest
-- date_modification wins, ties broken by the later delivery. `spell_kind` splits internships
-- (type_contrat STAGE) from jobs (every other contract type), as indicators.md defines them.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'occupations') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__occupations') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_occupation
            order by date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        id_occupation as employment_id,
        niss as person_id,

        -- codes
        type_contrat as contract_type,
        case when type_contrat = 'STAGE' then 'internship' else 'job' end as spell_kind,
        regime as work_regime,
        code_nace as nace_code,
        region_travail as work_region,

        -- dates
        date_debut as start_date,
        date_fin as end_date,
        date_modification as modified_at,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
