-- Employment spells merged per person and kind (indicators.md, Employment spells), stored without
-- anything that moves with the cut-off: spells of one person and one kind (job / internship) that
-- overlap, or leave at most 3 calendar days without a spell between them (next.start - previous.end - 1
-- <= 3), form one island. Reading chosen for a gap: spells starting after the cut-off are left out
-- before merging (not known at the cut-off; a spell that started by then keeps its delivered end).
-- int_employment_spells_merged adds the cut-off-dependent end of the running islands.
--
-- A running spell ends at the cut-off, which is on or after the start of every known spell: every later
-- spell of the same kind joins its island, whatever the cut-off's value. So the islands depend only on
-- the set of known spells, and a new month re-merges only the persons whose known spells changed.
--
-- Incremental: a person's known spells carry a fingerprint (xor of a hash of each spell's id and dates);
-- a person is merged again when the staged fingerprint differs from the stored one (new, changed or
-- withdrawn spells, spells newly before the cut-off). A person left without known spells gets one row
-- holding only their id (spell_number NULL), so that delete+insert removes their islands; the post-hook
-- deletes that row. The result equals a full build.
{{
    config(
        materialized='incremental',
        unique_key='person_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where spell_number is null",
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
        -- only orders and bridges spells: a running spell's end is on or after every known start
        coalesce(spells.end_date, cutoff.cutoff_date) as end_date_effective,
        hash(spells.employment_id, spells.spell_kind, spells.start_date, spells.end_date) as spell_hash
    from spells
    cross join cutoff
    where spells.start_date <= cutoff.cutoff_date
),

-- noqa: disable=LT02
{% if is_incremental() -%}
-- persons compared by a 64-bit hash of their id: grouping by it is cheaper than by the 64-character
-- pseudonym; a collision only makes an unchanged person merged again
staged_fingerprints as (
    select
        hash(person_id) as person_hash,
        bit_xor(spell_hash) as fingerprint
    from known_spells
    group by hash(person_id)
),

stored_fingerprints as (
    select
        hash(person_id) as person_hash,
        bit_xor(spells_fingerprint) as fingerprint
    from {{ this }}
    group by hash(person_id)
),

changed_persons as (
    select coalesce(staged_fingerprints.person_hash, stored_fingerprints.person_hash) as person_hash
    from staged_fingerprints
    full outer join stored_fingerprints on staged_fingerprints.person_hash = stored_fingerprints.person_hash
    where stored_fingerprints.fingerprint is distinct from staged_fingerprints.fingerprint
),

{% endif -%}
-- noqa: enable=LT02
bounded as (
    select known_spells.*
    from known_spells
    {% if is_incremental() -%}
        where hash(known_spells.person_id) in (select changed_persons.person_hash from changed_persons)
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
        bool_or(end_date is null) as is_running,
        cast(count(*) as integer) as source_spells,
        bit_xor(spell_hash) as spells_fingerprint,
        max(end_date) as closed_end_date
    from islands
    group by person_id, spell_kind, spell_number
),

-- noqa: disable=LT02
{% if is_incremental() -%}
withdrawn_persons as (
    select distinct stored.person_id
    from {{ this }} as stored
    where
        hash(stored.person_id) in (select changed_persons.person_hash from changed_persons)
        and stored.person_id not in (select bounded.person_id from bounded)
),

final as (
    select * from merged
    union all
    select
        person_id,
        null as spell_kind,
        null as spell_number,
        null as start_date,
        null as end_date,
        null as is_running,
        null as source_spells,
        null as spells_fingerprint,
        null as closed_end_date
    from withdrawn_persons
)

{% else -%}
final as (
    select * from merged
)

{% endif -%}
-- noqa: enable=LT02
select * from final
