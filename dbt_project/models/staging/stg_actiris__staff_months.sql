-- Staff, one row per person per month (actiris/rh_personnel, monthly snapshot): only the batch still
-- LOADED for its period counts.
with

{{
    latest_versions(
        'actiris',
        'rh_personnel',
        'matricule, mois',
        'delivery_produced_at desc, batch_id desc, line_number desc',
    )
}},

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
