-- Budget credits and cumulative execution (actiris/budget, monthly snapshot): only the batch that is
-- still LOADED for its period counts (a correction supersedes the whole period).
with

{{
    latest_versions(
        'actiris',
        'budget',
        'exercice, mois, article_budgetaire, type_credit',
        'delivery_produced_at desc, batch_id desc, line_number desc',
    )
}},

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
