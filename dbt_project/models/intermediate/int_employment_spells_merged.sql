-- Employment spells merged per person and kind (indicators.md, Employment spells): the islands of
-- int_employment_spell_islands (spells that overlap or leave at most 3 days between them) with their end
-- at the cut-off. A running island ends at the cut-off, or at the latest end of its closed spells when
-- that is later; duration_days = end_date_effective - start_date + 1.
--
-- A view: only the running islands' end moves with the cut-off, so nothing is stored twice and a new
-- month rewrites no island of an unchanged person.
{{ config(materialized='view') }}

with

islands as (
    select * from {{ ref('int_employment_spell_islands') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

at_cutoff as (
    select
        islands.*,
        case
            when islands.is_running
                then greatest(coalesce(islands.closed_end_date, cutoff.cutoff_date), cutoff.cutoff_date)
            else islands.end_date
        end as end_date_effective
    from islands
    cross join cutoff
),

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
        closed_end_date
    from at_cutoff
)

select * from final
