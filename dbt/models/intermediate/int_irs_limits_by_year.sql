-- IRS limits for every simulated year. A year the seed lists uses the published amounts. A
-- later year projects the latest seeded year B: amount_B * (1 + irs_limit_growth_rate)^(N - B),
-- rounded DOWN to the limit's statutory increment (402(g), catch-ups: $500; 401(a)(17): $5,000;
-- 415(c): $1,000), the way the IRS rounds its cost-of-living adjustments. A year before the
-- first seeded year uses the first seeded year's amounts.
{%- set limits = [
    ('elective_deferral_limit', 500),
    ('catch_up_limit', 500),
    ('catch_up_60_63_limit', 500),
    ('compensation_limit', 5000),
    ('annual_additions_limit', 1000)] %}

with run as (
    select * from {{ ref('stg_wfsim__run') }}
),

seeded as (
    select * from {{ ref('irs_limits') }}
),

years as (
    select cast(unnest(range(run.start_year, run.end_year + 1)) as integer) as simulation_year
    from run
),

basis as (
    -- The seeded row each year builds on: its own, else the latest earlier one, else the first.
    select
        years.simulation_year,
        coalesce(
            (select max(plan_year) from seeded where plan_year <= years.simulation_year),
            (select min(plan_year) from seeded)
        ) as basis_year
    from years
)

select
    basis.simulation_year,
    basis.basis_year,
    case
        when basis.basis_year = basis.simulation_year then 'published'
        when basis.basis_year < basis.simulation_year then 'projected'
        else 'earliest published'
    end as limit_source,
    {%- for name, step in limits %}
    cast(case
        when basis.basis_year >= basis.simulation_year then seeded.{{ name }}
        else floor(cast(seeded.{{ name }} as double)
                   * pow(1 + {{ wfsim_double(var('irs_limit_growth_rate')) }}, basis.simulation_year - basis.basis_year)
                   / {{ step }}) * {{ step }}
    end as double) as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from basis
inner join seeded on seeded.plan_year = basis.basis_year
