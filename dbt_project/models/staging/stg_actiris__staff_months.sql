-- Staff, one row per person per month (actiris/rh_personnel, monthly snapshot): only the batch still
-- LOADED for its period counts.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'rh_personnel') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__rh_personnel') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by matricule, mois
            order by delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        matricule as staff_id,
        {{ period_to_month('mois') }} as month,

        -- codes
        direction as directorate,
        categorie_fonction as job_category,
        statut as staff_status,

        -- numerics
        cast(etp as decimal(4, 2)) as fte,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
