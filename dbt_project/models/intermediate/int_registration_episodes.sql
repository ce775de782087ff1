-- Registration episodes with the person's attributes on the start date (age in whole years, age band)
-- and whether the episode is the person's first DEI registration ever: the base of the guarantee clocks,
-- the outflow and the new-joiner figures.
--
-- Incremental per person (the first-DEI flag depends on all of a person's registrations): a person is
-- computed again over all their registrations when a delivery of actiris/demandeurs newer than the
-- stored through_batch_id (or one it superseded) holds a version of one of their registrations
-- (changed_persons: new, corrected, withdrawn or moved registrations), or when a stored nationality group
-- is not what the countries seed decodes now (a corrected seed). through_batch_id is the newest delivery
-- the staged registrations held, so that a run of this model alone before the staging has read a new
-- delivery leaves it to the next run. Nothing here depends on the cut-off. A person left without any
-- registration gets one row holding only their id (registration_id NULL), so that delete+insert removes
-- their episodes; the post-hook deletes that row. The result equals a full build. A table built before
-- through_batch_id existed computes every person again once (append_new_columns adds it).
-- depends_on: {{ ref('countries') }} (read by incremental runs only: stored groups the seed no longer decodes)
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
{#- the stored watermark as a constant, so that the scan of raw skips the older deliveries' blocks -#}
{%- set through_batch_id = stored_watermarks(['through_batch_id'])[0] -%}
countries as (
    select * from {{ ref('countries') }}
),

affected_persons as (
    select delivered.person_id
    from (
        {{ changed_persons('actiris', 'demandeurs', 'id_dossier', 'niss', through_batch_id) | indent(8) }}
    ) as delivered
    union
    {{ stale_decoded_keys(
        'person_id',
        ['nationality_code'],
        {'nationality_group': "coalesce(countries.nationality_group, 'NON_EU')"},
        'left join countries on decoded.nationality_code = countries.country_code',
    ) | indent(4) }}
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

        -- lineage: the staged version this row was computed from
        aged.batch_id,
        aged.line_number,
        -- what the next incremental run compares with
        (select max(staged.batch_id) from {{ ref('stg_actiris__registrations') }} as staged) as through_batch_id
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
        null as line_number,
        null as through_batch_id
    from withdrawn_persons
)

{% else -%}
final as (
    select * from episodes
)

{% endif -%}
-- noqa: enable=LT02
select * from final
