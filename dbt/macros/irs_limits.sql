{#- The IRS limits of spec 4.13, per run and year, from runs' own `irs_limits` config: shared by
    int_irs_limits_by_year (one run) and the batch models (every kept run of a batch).

    irs_limits_projection(runs, keys) returns a SELECT over `runs`, a relation (or CTE name)
    with the columns `keys` (a list of column names identifying a run; empty for one run),
    start_year, end_year, irs_limits_published (the JSON object keyed by year) and
    irs_limit_growth_rate. One row per run and year from start_year - 1 (the look-back year of
    the first year's HCE test, spec section 9) through end_year: the run keys, simulation_year,
    basis_year, limit_source and one column per limit of irs_limit_columns().

    A year with a published row uses it as written. A later year projects B, the latest
    published year before it, per limit:
      x = amount_B; repeat N - B times: x = x * (1 + growth_rate); then floor(x / step) * step
    with step $500 (402(g) and both catch-ups), $5,000 (401(a)(17), the 414(q) HCE pay
    threshold and the 416(i) key-officer threshold), $1,000 (415(c)) or $300 (the Social
    Security taxable wage base). The growth is compounded by repeated multiplication in DOUBLE,
    as the engine does, not pow(), which can differ in the last bit. A year before the first
    published row uses the first row. -#}

{#- (config key, column name, step) of every published limit. -#}
{% macro irs_limit_columns() -%}
    {{- return([
        ('elective_deferral', 'elective_deferral_limit', 500),
        ('catch_up', 'catch_up_limit', 500),
        ('catch_up_60_63', 'catch_up_60_63_limit', 500),
        ('compensation', 'compensation_limit', 5000),
        ('annual_additions', 'annual_additions_limit', 1000),
        ('hce_compensation', 'hce_compensation_limit', 5000),
        ('key_officer_compensation', 'key_officer_compensation_limit', 5000),
        ('ss_wage_base', 'ss_wage_base', 300)]) }}
{%- endmacro %}

{% macro irs_limits_projection(runs, keys=[]) -%}
{%- set limits = irs_limit_columns() %}
select
    {%- for k in keys %}
    years.{{ k }},
    {%- endfor %}
    years.simulation_year,
    years.basis_year,
    case
        when years.basis_year = years.simulation_year then 'published'
        when years.basis_year < years.simulation_year then 'projected'
        else 'earliest published'
    end as limit_source,
    {%- for key, name, step in limits %}
    case
        when years.basis_year >= years.simulation_year then published.amounts.{{ key }}
        else floor(list_reduce(range(years.simulation_year - years.basis_year),
                               lambda x, i: x * (1.0::double + years.growth_rate),
                               published.amounts.{{ key }}) / {{ step }}.0::double) * {{ step }}.0::double
    end as {{ name }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from (
    -- The published row each year builds on: its own, else the latest earlier one, else the first.
    select
        {%- for k in keys %}
        y.{{ k }},
        {%- endfor %}
        y.simulation_year,
        any_value(y.growth_rate) as growth_rate,
        coalesce(max(p.plan_year) filter (where p.plan_year <= y.simulation_year), min(p.plan_year)) as basis_year
    from (
        select
            {%- for k in keys %}
            r.{{ k }},
            {%- endfor %}
            cast(unnest(range(r.start_year - 1, r.end_year + 1)) as integer) as simulation_year,
            cast(r.irs_limit_growth_rate as double)                       as growth_rate
        from {{ runs }} as r
    ) as y
    inner join (
        select
            {%- for k in keys %}
            r.{{ k }},
            {%- endfor %}
            cast(row.key as integer) as plan_year
        from {{ runs }} as r, json_each(r.irs_limits_published) as row
    ) as p on true
        {%- for k in keys %} and p.{{ k }} = y.{{ k }}{% endfor %}
    group by
        {%- for k in keys %} y.{{ k }},{% endfor %} y.simulation_year
) as years
inner join (
    select
        {%- for k in keys %}
        r.{{ k }},
        {%- endfor %}
        cast(row.key as integer) as plan_year,
        from_json(row.value, '{
            {%- for key, _, _ in limits %}"{{ key }}": "DOUBLE"{% if not loop.last %}, {% endif %}{% endfor -%}
        }') as amounts
    from {{ runs }} as r, json_each(r.irs_limits_published) as row
) as published
    on published.plan_year = years.basis_year
    {%- for k in keys %} and published.{{ k }} = years.{{ k }}{% endfor %}
{%- endmacro %}
