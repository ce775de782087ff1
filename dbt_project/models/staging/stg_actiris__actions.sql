-- Guidance events (actiris/actions, events on id_action): a fact delivered again in a later period
-- replaces the earlier version, so the latest delivery period wins (then the later produced_at).
with

loaded_batches as (
    {{ loaded_batches('actiris', 'actions') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_period,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__actions') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by id_action
            order by delivery_period desc, delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- ids
        id_action as action_id,
        id_dossier as registration_id,

        -- codes
        type_action as action_type,
        organisme_cible as target_organisation,
        canal as channel,
        annule as is_cancelled,

        -- dates
        date_action as action_date,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
