-- Employment spells merged per person and kind (indicators.md, Employment spells): spells of one person
-- and one kind (job / internship) that overlap, or leave at most 3 calendar days without a spell between
-- them (next.start - previous.end - 1 <= 3), form one continuous spell. A running spell ends at the
-- cut-off. Spells starting after the cut-off are left out (they are not known at the cut-off).
with

spells as (
    select * from {{ ref('stg_actiris__employment_spells') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

bounded as (
    select
        spells.person_id,
        spells.spell_kind,
        spells.employment_id,
        spells.start_date,
        spells.end_date,
        coalesce(spells.end_date, cutoff.cutoff_date) as end_date_effective
    from spells
    cross join cutoff
    where spells.start_date <= cutoff.cutoff_date
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

final as (
    select
        person_id,
        spell_kind,
        cast(spell_number as integer) as spell_number,
        min(start_date) as start_date,
        case when bool_or(end_date is null) then null else max(end_date) end as end_date,
        max(end_date_effective) as end_date_effective,
        cast(max(end_date_effective) - min(start_date) + 1 as integer) as duration_days,
        bool_or(end_date is null) as is_running,
        cast(count(*) as integer) as source_spells
    from islands
    group by person_id, spell_kind, spell_number
)

select * from final
