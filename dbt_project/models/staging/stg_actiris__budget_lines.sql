-- Budget credits and cumulative execution (actiris/budget, monthly snapshot): only the batch that is
-- still LOADED for its period counts (a correction supersedes the whole period).
with

loaded_batches as (
    {{ loaded_batches('actiris', 'budget') }}
),

source as (
    select
        raw_rows.*,
        loaded_batches.delivery_produced_at
    from {{ source('raw', 'actiris__budget') }} as raw_rows
    inner join loaded_batches on raw_rows.batch_id = loaded_batches.batch_id
),

latest as (
    select *
    from source
    qualify row_number() over (
            partition by exercice, mois, article_budgetaire, type_credit
            order by delivery_produced_at desc, batch_id desc, line_number desc
        ) = 1
),

renamed as (
    select
        -- keys
        exercice as fiscal_year,
        mois as month_number,
        make_date(exercice, mois, 1) as month,
        article_budgetaire as budget_article,
        type_credit as credit_type,

        -- strings
        libelle_article as article_label,
        programme,

        -- amounts (EUR)
        credit_initial as credit_initial_eur,
        credit_ajuste as credit_adjusted_eur,
        montant_cumule as executed_cumulative_eur,

        -- lineage
        batch_id,
        line_number
    from latest
)

select * from renamed
