-- Registration episodes with the person's attributes on the start date (age in whole years, age band)
-- and whether the episode is the person's first DEI registration ever: the base of the guarantee clocks,
-- the outflow and the new-joiner figures.
--
-- Incremental per person (the first-DEI flag depends on all of a person's registrations): a staged
-- version (batch_id, line_number: one delivered row) not stored yet, or stored with another nationality
-- group (the countries seed was corrected), or a stored one no longer staged, makes its person computed
-- again over all their registrations. Nothing here depends on the cut-off.
-- A person left without any registration gets one row holding only their id (registration_id NULL), so
-- that delete+insert removes their episodes; the post-hook deletes that row. The result equals a full
-- build. A table built before the lineage columns existed holds no version: every person is computed
-- again once, and the columns are added (append_new_columns).
{{
    config(
        materialized='incremental',
        unique_key='person_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        post_hook="delete from {{ this }} where registration_id is null",
    )
}}

with

registrations as (
    select * from {{ ref('stg_actiris__registrations') }}
),

-- noqa: disable=LT02
{% if is_incremental() -%}
{%- set stored_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
-- a staged version is one delivered row: (batch_id, line_number) identifies it
stored as (
    select
        person_id,
        nationality_group,
        {% if 'batch_id' in stored_columns -%}
            batch_id,
            line_number
        {%- else -%}
            null::bigint as batch_id,
            null::bigint as line_number
        {%- endif %}
    from {{ this }}
),

affected_persons as (
    -- versions staged and not stored: new or corrected registrations, or a version the staging decoded
    -- again with a corrected seed (its nationality group)
    select registrations.person_id
    from registrations
    where not exists (
        select 1
        from stored
        where
            stored.batch_id = registrations.batch_id
            and stored.line_number = registrations.line_number
            and stored.nationality_group is not distinct from registrations.nationality_group
    )
    union
    -- versions stored and no longer staged: replaced, withdrawn, or moved to another person
    select stored.person_id
    from stored
    where not exists (
        select 1
        from registrations
        where registrations.batch_id = stored.batch_id and registrations.line_number = stored.line_number
    )
),

{% endif -%}
-- noqa: enable=LT02
scoped as (
    select registrations.*
    from registrations
    {% if is_incremental() -%}
        where registrations.person_id in (select affected_persons.person_id from affected_persons)
    {%- endif %}
),

first_dei as (
    -- a hash aggregate rather than a window over every registration: the earliest DEI registration,
    -- ties broken by the registration id
    select
        person_id,
        arg_min(registration_id, strftime(registration_date, '%Y-%m-%d') || registration_id)
            as first_dei_registration_id
    from scoped
    where is_dei
    group by person_id
),

aged as (
    select
        *,
        -- whole years: the birthday is reached on its month and day (29 February: on 1 March in a common
        -- year, where DuckDB's date_sub would count 28 February)
        cast(
            year(registration_date) - year(birth_date)
            - case
                when month(registration_date) * 100 + day(registration_date) < month(birth_date) * 100 + day(birth_date)
                    then 1
                else 0
            end
            as integer
        ) as age_at_registration,
        cast(date_trunc('month', registration_date) as date) as registration_month
    from scoped
),

episodes as (
    select
        aged.registration_id,
        aged.person_id,
        aged.registration_type,
        aged.is_dei,
        aged.registration_date,
        aged.registration_month,
        aged.exit_date,
        aged.exit_reason,
        aged.sex,
        aged.education_level,
        aged.nationality_code,
        aged.nationality_group,
        aged.commune_ins,
        aged.age_at_registration,
        case
            when aged.age_at_registration < 25 then '<25'
            when aged.age_at_registration < 30 then '25-29'
            when aged.age_at_registration < 45 then '30-44'
            else '45+'
        end as age_band,
        coalesce(aged.registration_id = first_dei.first_dei_registration_id, false)
            as is_first_dei_registration,

        -- lineage: the staged version this row was computed from (drives the incremental runs)
        aged.batch_id,
        aged.line_number
    from aged
    left join first_dei on aged.person_id = first_dei.person_id
),

-- noqa: disable=LT02
{% if is_incremental() -%}
withdrawn_persons as (
    select affected_persons.person_id
    from affected_persons
    where affected_persons.person_id not in (select scoped.person_id from scoped)
),

final as (
    select * from episodes
    union all
    select
        null as registration_id,
        person_id,
        null as registration_type,
        null as is_dei,
        null as registration_date,
        null as registration_month,
        null as exit_date,
        null as exit_reason,
        null as sex,
        null as education_level,
        null as nationality_code,
        null as nationality_group,
        null as commune_ins,
        null as age_at_registration,
        null as age_band,
        null as is_first_dei_registration,
        null as batch_id,
        null as line_number
    from withdrawn_persons
)

{% else -%}
final as (
    select * from episodes
)

{% endif -%}
-- noqa: enable=LT02
select * from final
