-- Availability-control procedures (actiris/decisions_disponibilite, events on id_decision): a pending
-- procedure is delivered again once decided; the latest delivery period wins.
with

loaded_batches as (
    {{ loaded_batches('actiris', 'decisions_disponibilite') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__decisions_disponibilite') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_decision
            order by delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        id_decision as decision_id,
        id_dossier as registration_id,

        -- codes
        type_procedure as procedure_type,
        resultat as decision_result,
        recours as has_appeal,

        -- dates
        date_debut_procedure as procedure_start_date,
        date_decision as decision_date,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
