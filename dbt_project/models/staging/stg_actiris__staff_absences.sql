-- Staff absence spells (actiris/rh_absences, delta on id_absence): latest date_modification wins, ties
-- broken by the later delivery.
{{
    config(
        materialized='incremental',
        unique_key='absence_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'rh_absences') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'rh_absences',
        'id_absence',
        'date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='absence_id',
    )
}},

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
