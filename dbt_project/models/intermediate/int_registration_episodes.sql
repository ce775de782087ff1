-- Registration episodes with the person's attributes on the start date (age in whole years, age band)
-- and whether the episode is the person's first DEI registration ever: the base of the guarantee clocks,
-- the outflow and the new-joiner figures.
with

registrations as (
    select * from {{ ref('stg_actiris__registrations') }}
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
        registration_id,
        person_id,
        registration_type,
        is_dei,
        registration_date,
        registration_month,
        exit_date,
        exit_reason,
        sex,
        education_level,
        nationality_code,
        nationality_group,
        commune_ins,
        age_at_registration,
        case
            when age_at_registration < 25 then '<25'
            when age_at_registration < 30 then '25-29'
            when age_at_registration < 45 then '30-44'
            else '45+'
        end as age_band,
        is_dei and row_number() over (
            partition by person_id, is_dei
            order by registration_date, registration_id
        ) = 1 as is_first_dei_registration
    from aged
)

select * from final
