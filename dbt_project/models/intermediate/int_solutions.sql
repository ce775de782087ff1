-- Solution events per person (indicators.md, Solutions): a job (a merged job spell starting), an
-- internship (a merged internship spell, or an FPI_E / IBO participation, starting), a training (any BF or
-- VDAB participation starting) or a return to studies (a registration ending with motif ETUDES, on its
-- exit date). Read literally, an FPI_E / IBO participation is both an internship and a training. Events
-- after the cut-off are left out (not known at the cut-off).
with

spells as (
    select * from {{ ref('int_employment_spells_merged') }}
),

participations as (
    select * from {{ ref('int_training_participations') }}
),

registrations as (
    select * from {{ ref('stg_actiris__registrations') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

events as (
    select
        person_id,
        spell_kind as solution_kind,
        start_date as solution_date,
        'employment_spell' as event_source,
        spell_kind || '-' || cast(spell_number as varchar) as event_id
    from spells

    union all

    select
        person_id,
        'internship' as solution_kind,
        start_date as solution_date,
        'training_participation' as event_source,
        provider || '-' || participation_id as event_id
    from participations
    where is_in_company

    union all

    select
        person_id,
        'training' as solution_kind,
        start_date as solution_date,
        'training_participation' as event_source,
        provider || '-' || participation_id as event_id
    from participations

    union all

    select
        person_id,
        'studies' as solution_kind,
        exit_date as solution_date,
        'registration_exit' as event_source,
        registration_id as event_id
    from registrations
    where exit_reason = 'ETUDES'
),

final as (
    select
        events.person_id,
        events.solution_kind,
        events.solution_date,
        events.event_source,
        events.event_id
    from events
    cross join cutoff
    where events.solution_date <= cutoff.cutoff_date
)

select * from final
