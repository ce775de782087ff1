{#-
    Post-hook of the marts, under Dagster only (dagster-dbt sets DAGSTER_DBT_CLI=true): logs the built
    relation's row count and columns, which orchestration.assets.dbt attaches to the materialisation as
    dagster/row_count and dagster/column_schema. Read on dbt's own connection while it builds: no other
    process can open the DuckDB file until dbt exits. A plain `dbt build` renders nothing here.
-#}
{% macro dagster_table_metadata() -%}
    {%- if execute and env_var('DAGSTER_DBT_CLI', '') == 'true' -%}
        {%- set counted = run_query('select count(*) from ' ~ this) -%}
        {%- set described = run_query(
            "select column_name, data_type, is_nullable = 'YES' from information_schema.columns"
            ~ " where table_catalog = '" ~ this.database ~ "' and table_schema = '" ~ this.schema
            ~ "' and table_name = '" ~ this.identifier ~ "' order by ordinal_position"
        ) -%}
        {%- set columns = [] -%}
        {%- for row in described.rows -%}
            {%- do columns.append([row[0], row[1], row[2]]) -%}
        {%- endfor -%}
        {%- set payload = {
            'relation': [this.schema, this.identifier],
            'row_count': counted.rows[0][0] | int,
            'columns': columns,
        } -%}
        {%- do log('dagster_table_metadata ' ~ tojson(payload), info=True) -%}
    {%- endif -%}
{%- endmacro %}
