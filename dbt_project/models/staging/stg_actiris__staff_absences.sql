-- Staff absence spells (actiris/rh_absences, delta on id_absence): latest date_modification wins, ties
-- broken by the later delivery.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'rh_absences') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__rh_absences') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_absence
            order by date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        id_absence as absence_id,
        matricule as staff_id,

        -- codes
        type_absence as absence_type_code,
        case type_absence
            when 'MALADIE' then 'sickness'
            when 'ACCIDENT_TRAVAIL' then 'work_accident'
            when 'ACCIDENT_VIE_PRIVEE' then 'private_accident'
            else 'other'
        end as absence_type,

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
