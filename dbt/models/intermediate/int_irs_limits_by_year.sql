-- IRS limits for every simulated year (spec 4.13), from the run's own `irs_limits` config
-- (stg_wfsim__run_config), never restated here. A year with a published row uses it as
-- written. A later year projects B, the latest published year before it, per limit:
--   x = amount_B; repeat N - B times: x = x * (1 + growth_rate); then floor(x / step) * step
-- with step $500 (402(g) and both catch-ups), $5,000 (401(a)(17), the 414(q) HCE pay threshold
-- and the 416(i) key-officer threshold), $1,000 (415(c)) or $300 (the Social Security taxable
-- wage base, spec v1.4): the IRS and SSA round their cost-of-living adjustments down to those
-- steps. The growth is compounded by
-- repeated multiplication in DOUBLE, as the engine does, not pow(), which can differ in the
-- last bit. A year before the first published row uses the first row.
{%- set limits = [
    ('elective_deferral', 'elective_deferral_limit', 500),
    ('catch_up', 'catch_up_limit', 500),
    ('catch_up_60_63', 'catch_up_60_63_limit', 500),
    ('compensation', 'compensation_limit', 5000),
    ('annual_additions', 'annual_additions_limit', 1000),
    ('hce_compensation', 'hce_compensation_limit', 5000),
    ('key_officer_compensation', 'key_officer_compensation_limit', 5000),
    ('ss_wage_base', 'ss_wage_base', 300)] %}

with run as (
    select * from {{ ref('stg_wfsim__run') }}
),

run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
),

published as (
    select
        cast(row.key as integer) as plan_year,
        from_json(row.value, '{
            {%- for key, _, _ in limits %}"{{ key }}": "DOUBLE"{% if not loop.last %}, {% endif %}{% endfor -%}
        }') as amounts
    from run_config, json_each(run_config.irs_limits_published) as row
),

years as (
    select cast(unnest(range(run.start_year, run.end_year + 1)) as integer) as simulation_year
    from run
),

basis as (
    -- The published row each year builds on: its own, else the latest earlier one, else the first.
    select
        years.simulation_year,
        coalesce(
            (select max(plan_year) from published where plan_year <= years.simulation_year),
            (select min(plan_year) from published)
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
    {%- for key, name, step in limits %}
    case
        when basis.basis_year >= basis.simulation_year then published.amounts.{{ key }}
        else floor(list_reduce(range(basis.simulation_year - basis.basis_year),
                               lambda x, i: x * (1.0::double + run_config.irs_limit_growth_rate),
                               published.amounts.{{ key }}) / {{ step }}.0::double) * {{ step }}.0::double
    end as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from basis
inner join published on published.plan_year = basis.basis_year
cross join run_config
