-- Employment spells merged per person and kind (indicators.md, Employment spells): spells of one person
-- and one kind (job / internship) that overlap, or leave at most 3 calendar days without a spell between
-- them (next.start - previous.end - 1 <= 3), form one continuous spell. A running spell ends at the
-- cut-off. Spells starting after the cut-off are left out (they are not known at the cut-off).
--
-- Incremental: only the persons whose spells changed are merged again. A person's spells carry a
-- fingerprint (xor of a hash of each spell's id and dates); a person is merged again when the staged
-- fingerprint differs from the stored one (new, changed or withdrawn spells, spells newly before the
-- cut-off). A person whose spells are unchanged but who has a running spell keeps their islands; only
-- the running island's end (the cut-off, which moves with every delivery) and duration are updated.
-- Persons left without spells are deleted by the post-hook. The result equals a full build.
{{
    config(
        materialized='incremental',
        unique_key='person_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_persons_without_spells() }}",
    )
}}

with

spells as (
    select * from {{ ref('stg_actiris__employment_spells') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

known_spells as (
    select
        spells.person_id,
        spells.spell_kind,
        spells.employment_id,
        spells.start_date,
        spells.end_date,
        coalesce(spells.end_date, cutoff.cutoff_date) as end_date_effective,
        hash(spells.employment_id, spells.spell_kind, spells.start_date, spells.end_date) as spell_hash
    from spells
    cross join cutoff
    where spells.start_date <= cutoff.cutoff_date
),

-- noqa: disable=LT02
{% if is_incremental() -%}
staged_fingerprints as (
    select
        person_id,
        bit_xor(spell_hash) as fingerprint,
        bool_or(end_date is null) as has_running_spell
    from known_spells
    group by person_id
),

stored_fingerprints as (
    select
        person_id,
        bit_xor(spells_fingerprint) as fingerprint
    from {{ this }}
    group by person_id
),

affected_persons as (
    select staged_fingerprints.person_id
    from staged_fingerprints
    left join stored_fingerprints on staged_fingerprints.person_id = stored_fingerprints.person_id
    where stored_fingerprints.fingerprint is distinct from staged_fingerprints.fingerprint
),

running_persons as (
    select staged_fingerprints.person_id
    from staged_fingerprints
    inner join stored_fingerprints on staged_fingerprints.person_id = stored_fingerprints.person_id
    where
        staged_fingerprints.has_running_spell
        and stored_fingerprints.fingerprint = staged_fingerprints.fingerprint
),

moved_to_new_cutoff as (
    select
        stored.person_id,
        stored.spell_kind,
        stored.spell_number,
        stored.start_date,
        stored.end_date,
        case
            when stored.is_running
                then greatest(coalesce(stored.closed_end_date, cutoff.cutoff_date), cutoff.cutoff_date)
            else stored.end_date_effective
        end as end_date_effective,
        stored.is_running,
        stored.source_spells,
        stored.spells_fingerprint,
        stored.closed_end_date
    from {{ this }} as stored
    inner join running_persons on stored.person_id = running_persons.person_id
    cross join cutoff
),

{% endif -%}
-- noqa: enable=LT02
bounded as (
    select known_spells.*
    from known_spells
    {% if is_incremental() -%}
        inner join affected_persons on known_spells.person_id = affected_persons.person_id
    {%- endif %}
),

ordered as (
    select
        *,
        max(end_date_effective) over (
            partition by person_id, spell_kind
            order by start_date, end_date_effective, employment_id
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date
    from bounded
),

islands as (
    select
        *,
        sum(case when previous_end_date is null or start_date - previous_end_date - 1 > 3 then 1 else 0 end)
            over (
                partition by person_id, spell_kind
                order by start_date, end_date_effective, employment_id
                rows between unbounded preceding and current row
            ) as spell_number
    from ordered
),

merged as (
    select
        person_id,
        spell_kind,
        cast(spell_number as integer) as spell_number,
        min(start_date) as start_date,
        case when bool_or(end_date is null) then null else max(end_date) end as end_date,
        max(end_date_effective) as end_date_effective,
        bool_or(end_date is null) as is_running,
        cast(count(*) as integer) as source_spells,
        bit_xor(spell_hash) as spells_fingerprint,
        max(end_date) as closed_end_date
    from islands
    group by person_id, spell_kind, spell_number
),

-- noqa: disable=LT02
{% if is_incremental() -%}
merged_and_moved as (
    select * from merged
    union all
    select * from moved_to_new_cutoff
),

{% else -%}
merged_and_moved as (
    select * from merged
),

{% endif -%}
-- noqa: enable=LT02
final as (
    select
        person_id,
        spell_kind,
        spell_number,
        start_date,
        end_date,
        end_date_effective,
        cast(end_date_effective - start_date + 1 as integer) as duration_days,
        is_running,
        source_spells,
        spells_fingerprint,
        closed_end_date
    from merged_and_moved
)

select * from final
