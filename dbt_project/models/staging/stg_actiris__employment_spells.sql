-- Employment spells from the social-security link (actiris/occupations, delta on id_occupation): latest
-- date_modification wins, ties broken by the later delivery. `spell_kind` splits internships
-- (type_contrat STAGE) from jobs (every other contract type), as indicators.md defines them.
{{
    config(
        materialized='incremental',
        unique_key='employment_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_rows_of_unloaded_batches('actiris', 'occupations') }}",
    )
}}

with

{{
    latest_versions(
        'actiris',
        'occupations',
        'id_occupation',
        'date_modification desc, delivery_produced_at desc, batch_id desc, line_number desc',
        staged_key='employment_id',
    )
}},

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
