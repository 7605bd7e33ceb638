-- The nondiscrimination tests recomputed in SQL (fct_ndt_by_year, spec v1.4 section 9) must
-- equal the engine's `ndt` of every year in generation_summary.json exactly, field by field,
-- nulls included (`is distinct from`: a null equals only a null; floats with no tolerance).
-- Returns one row per differing or missing year, listing each differing field as
-- `field: dbt X vs summary Y` (the field named as in the summary, e.g. adp.excess).
{%- set fields = ['hce_count', 'key_count'] %}
{%- for t in ['adp', 'acp'] %}
    {%- for f in ['n_hce', 'n_nhce', 'hce', 'nhce', 'limit', 'pass', 'excess', 'safe_harbor'] %}
        {%- do fields.append(t ~ '.' ~ f) %}
    {%- endfor %}
{%- endfor %}
{%- for f in ['n_hce', 'n_nhce', 'benefiting_hce', 'benefiting_nhce', 'ratio', 'pass'] %}
    {%- do fields.append('coverage.' ~ f) %}
{%- endfor %}
{%- do fields.append('top_heavy.ratio') %}
{%- do fields.append('top_heavy.top_heavy') %}

with mart as (
    select *, true as in_mart from {{ ref('fct_ndt_by_year') }}
),

summary as (
    select *, true as in_summary from {{ ref('stg_wfsim__run_years') }}
),

compared as (
    select
        coalesce(mart.simulation_year, summary.simulation_year)     as simulation_year,
        case
            when summary.in_summary is null then 'missing from generation_summary.json'
            when mart.in_mart is null then 'missing from fct_ndt_by_year'
        end                                                         as missing,
        list_filter([
            {%- for f in fields %}
            {%- set column = f | replace('top_heavy.top_heavy', 'top_heavy') | replace('.', '_') %}
            case when mart.{{ column }} is distinct from summary.ndt_{{ column }}
                 then '{{ f }}: dbt ' || coalesce(cast(mart.{{ column }} as varchar), 'null')
                      || ' vs summary ' || coalesce(cast(summary.ndt_{{ column }} as varchar), 'null') end
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ], lambda x: x is not null)                                 as differences
    from mart
    full outer join summary on mart.simulation_year = summary.simulation_year
)

select *
from compared
where missing is not null or len(differences) > 0
order by simulation_year
