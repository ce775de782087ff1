-- Registration episodes with the person's attributes on the start date (age in whole years, age band)
-- and whether the episode is the person's first DEI registration ever: the base of the guarantee clocks,
-- the outflow and the new-joiner figures.
with

registrations as (
    select * from {{ ref('stg_actiris__registrations') }}
),

first_dei as (
    -- a hash aggregate rather than a window over every registration: the earliest DEI registration,
    -- ties broken by the registration id
    select
        person_id,
        arg_min(registration_id, strftime(registration_date, '%Y-%m-%d') || registration_id)
            as first_dei_registration_id
    from registrations
    where is_dei
    group by person_id
),

aged as (
    select
        *,
        cast(date_sub('year', birth_date, registration_date) as integer) as age_at_registration,
        cast(date_trunc('month', registration_date) as date) as registration_month
    from registrations
),

final as (
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
            as is_first_dei_registration
    from aged
    left join first_dei on aged.person_id = first_dei.person_id
)

select * from final
