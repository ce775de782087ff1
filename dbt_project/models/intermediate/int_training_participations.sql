-- Training participations at both providers in one vocabulary (Bruxelles Formation and VDAB Brussel):
-- the base of the shared strategic indicators and of the training solutions.
with

bf as (
    select * from {{ ref('stg_bf__training_participations') }}
),

vdab as (
    select * from {{ ref('stg_vdab__training_participations') }}
),

unioned as (
    select
        participation_id,
        person_id,
        provider,
        provider_domain_code,
        training_domain,
        provider_type_code,
        training_type,
        is_vocational,
        is_in_company,
        end_status,
        is_certified,
        start_date,
        end_date
    from bf
    union all
    select
        participation_id,
        person_id,
        provider,
        provider_domain_code,
        training_domain,
        provider_type_code,
        training_type,
        is_vocational,
        is_in_company,
        end_status,
        is_certified,
        start_date,
        end_date
    from vdab
)

select * from unioned
