{#-
    The seed CTEs a BF or VDAB staging model decodes its codes with: `domain_map` (domain code -> shared
    training domain) and, with `with_types`, `type_map` (training type code -> shared type and flags).
-#}
{% macro training_maps(provider, with_types=true) -%}
domain_map as (
    select * from {{ ref('training_domain_map') }}
    where provider = '{{ provider }}'
){% if with_types %},

type_map as (
    select * from {{ ref('training_type_map') }}
    where provider = '{{ provider }}'
){% endif %}
{%- endmacro %}

{#- The stale_keys of those models: rows decoded otherwise than the maps above decode now. -#}
{% macro stale_training_decodings(staged_key, with_types=true) -%}
    {%- set decodings = {'training_domain': 'domain_map.training_domain'} -%}
    {%- set codes = ['provider_domain_code'] -%}
    {%- set joins = 'left join domain_map on decoded.provider_domain_code = domain_map.provider_domain_code' -%}
    {%- if with_types -%}
        {%- do codes.append('provider_type_code') -%}
        {%- do decodings.update({
            'training_type': 'type_map.training_type',
            'is_vocational': 'type_map.is_vocational',
            'is_in_company': 'type_map.is_in_company',
        }) -%}
        {%- set joins = joins ~ '\n        left join type_map on decoded.provider_type_code = type_map.provider_type_code' -%}
    {%- endif -%}
    {{ stale_decoded_keys(staged_key, codes, decodings, joins) }}
{%- endmacro %}
