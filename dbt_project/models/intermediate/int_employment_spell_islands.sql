-- Employment spells merged per person and kind (indicators.md, Employment spells), stored without
-- anything that moves with the cut-off (merged_at_cutoff only records the run's cut-off for the next
-- incremental run): spells of one person and one kind (job / internship) that
-- overlap, or leave at most 3 calendar days without a spell between them (next.start - previous.end - 1
-- <= 3), form one island. Reading chosen for a gap: spells starting after the cut-off are left out
-- before merging (not known at the cut-off; a spell that started by then keeps its delivered end).
-- int_employment_spells_merged adds the cut-off-dependent end of the running islands.
--
-- A running spell ends at the cut-off, which is on or after the start of every known spell: every later
-- spell of the same kind joins its island, whatever the cut-off's value. So the islands depend only on
-- the set of known spells, and a new month re-merges only the persons whose known spells changed.
--
-- Incremental: every row records the newest delivery the staged spells held and the cut-off it was
-- merged with (through_batch_id, merged_at_cutoff): the staged, not the audited, deliveries, so that a
-- run of this model alone before the staging has read a new delivery leaves it to the next run. A person
-- is merged again when a later delivery (or the one it superseded) holds a version of one of their
-- spells (changed_persons: new, corrected, withdrawn or moved spells), or when the cut-off's move changes
-- which of their spells are known: one of their spells starts between the cut-off stored on their rows
-- and the present one (either way: a cut-off set back by hand, then released), or they have a known
-- spell and no row (all their spells were unknown when they were last merged). The window is each
-- person's own: a person the cut-off did not touch keeps the cut-off of their last merge, and is not
-- merged again at every later month. A person left without known spells gets one row holding only
-- their id (spell_number NULL), so that delete+insert removes their islands; the post-hook deletes that
-- row. The result equals a full build. A table built before the two columns existed merges every person
-- again once (sync_all_columns adds them).
{{
    config(
        materialized='incremental',
        unique_key='person_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
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
        coalesce(spells.end_date, cutoff.cutoff_date) as end_date_effective
    from spells
    cross join cutoff
    where spells.start_date <= cutoff.cutoff_date
),

-- noqa: disable=LT02
{% if is_incremental() -%}
{#- the stored watermark as a constant, so that the scan of raw skips the older deliveries' blocks -#}
{%- set through_batch_id = stored_watermarks(['through_batch_id'])[0] -%}
stored_cutoffs as (
    select
        person_id,
        any_value(merged_at_cutoff) as merged_at_cutoff
    from {{ this }}
    group by person_id
),

changed_persons as (
    select delivered.person_id
    from (
        {{ changed_persons('actiris', 'occupations', 'id_occupation', 'niss', through_batch_id) | indent(8) }}
    ) as delivered
    union
    -- spells newly known (or no longer known) since the person was last merged, because the cut-off moved
    select staged.person_id
    from {{ ref('stg_actiris__employment_spells') }} as staged
    cross join cutoff
    left join stored_cutoffs on staged.person_id = stored_cutoffs.person_id
    where
        (stored_cutoffs.person_id is null and staged.start_date <= cutoff.cutoff_date)
        or (
            staged.start_date > least(stored_cutoffs.merged_at_cutoff, cutoff.cutoff_date)
            and staged.start_date <= greatest(stored_cutoffs.merged_at_cutoff, cutoff.cutoff_date)
        )
),

{% endif -%}
-- noqa: enable=LT02
bounded as (
    select known_spells.*
    from known_spells
    {% if is_incremental() -%}
        where known_spells.person_id in (select changed_persons.person_id from changed_persons)
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
        max(end_date) as closed_end_date
    from islands
    group by person_id, spell_kind, spell_number
),

-- what the next incremental run compares with
stamped as (
    select
        merged.*,
        (select max(staged.batch_id) from {{ ref('stg_actiris__employment_spells') }} as staged)
            as through_batch_id,
        cutoff.cutoff_date as merged_at_cutoff
    from merged
    cross join cutoff
),

-- noqa: disable=LT02
{% if is_incremental() -%}
withdrawn_persons as (
    select distinct stored.person_id
    from {{ this }} as stored
    where
        stored.person_id in (select changed_persons.person_id from changed_persons)
        and stored.person_id not in (select bounded.person_id from bounded)
),

final as (
    select * from stamped
    union all
    select
        person_id,
        null as spell_kind,
        null as spell_number,
        null as start_date,
        null as end_date,
        null as is_running,
        null as source_spells,
        null as closed_end_date,
        null as through_batch_id,
        null as merged_at_cutoff
    from withdrawn_persons
)

{% else -%}
final as (
    select * from stamped
)

{% endif -%}
-- noqa: enable=LT02
select * from final
