{#- The census columns wfsim reads (spec section 6), each with its upstream alias. -#}
{% macro census_columns_present(relation) -%}
    {%- if execute -%}
        {%- set described = run_query('describe select * from ' ~ relation) -%}
        {{ return(described.columns[0].values() | map('lower') | list) }}
    {%- else -%}
        {{ return([]) }}
    {%- endif -%}
{%- endmacro %}

{#- The text of a census column (trimmed, '' as null), under its name or alias; null when absent. -#}
{% macro census_text(present, name, alias=none) -%}
    {%- if name in present -%}
        nullif(trim(cast("{{ name }}" as varchar)), '')
    {%- elif alias is not none and alias in present -%}
        nullif(trim(cast("{{ alias }}" as varchar)), '')
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}

{#- wfsim's lenient booleans: true/false/yes/no/t/f/y/n/1/0 in any case, or empty. -#}
{% macro census_bool(text) -%}
    case
        when lower({{ text }}) in ('true', 'yes', 't', 'y', '1') then true
        when lower({{ text }}) in ('false', 'no', 'f', 'n', '0') then false
    end
{%- endmacro %}

{#- A date, optionally followed by a time part that is ignored. -#}
{% macro census_date(text) -%}
    try_cast(left({{ text }}, 10) as date)
{%- endmacro %}
