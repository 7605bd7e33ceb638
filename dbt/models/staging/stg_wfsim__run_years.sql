-- generation_summary.json's per-year headcounts, event total and money totals (the engine's
-- integer-cent sums of the snapshot columns, spec 8, with spec v1.4's year-end account
-- balances employee_balances and employer_balances), and the year's nondiscrimination tests
-- (`ndt`, spec v1.4 section 9) flattened to one column per field, one row per simulated year.
-- The per-kind event counters are stg_wfsim__run_year_events, read by the seed event_types'
-- counter names.
--
-- The `ndt` fields are typed explicitly: ratios, averages, limits and the excess DOUBLE (as the
-- JSON numbers were written), counts INTEGER, pass / safe_harbor / top_heavy BOOLEAN; a JSON
-- null stays null.
{%- set ndt_fields = [
    ('hce_count', 'hce_count', 'integer'),
    ('key_count', 'key_count', 'integer')] %}
{%- for test in ['adp', 'acp'] %}
    {%- for field, type in [('n_hce', 'integer'), ('n_nhce', 'integer'), ('hce', 'double'),
                            ('nhce', 'double'), ('limit', 'double'), ('pass', 'boolean'),
                            ('excess', 'double'), ('safe_harbor', 'boolean')] %}
        {%- do ndt_fields.append((test ~ '.' ~ field, test ~ '_' ~ field, type)) %}
    {%- endfor %}
{%- endfor %}
{%- for field, type in [('n_hce', 'integer'), ('n_nhce', 'integer'), ('benefiting_hce', 'integer'),
                        ('benefiting_nhce', 'integer'), ('ratio', 'double'), ('pass', 'boolean')] %}
    {%- do ndt_fields.append(('coverage.' ~ field, 'coverage_' ~ field, type)) %}
{%- endfor %}
{%- do ndt_fields.append(('top_heavy.ratio', 'top_heavy_ratio', 'double')) %}
{%- do ndt_fields.append(('top_heavy.top_heavy', 'top_heavy', 'boolean')) %}

with summary as (
    select unnest(years) as y from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(y.year as integer)                     as simulation_year,
    cast(y.n_start as integer)                  as n_start,
    cast(y.target as integer)                   as target,
    cast(y.n_end as integer)                    as n_end,
    cast(y.events as integer)                   as events,
    cast(y.payroll as double)                   as payroll,
    cast(y.employee_deferrals as double)        as employee_deferrals,
    cast(y.employer_match as double)            as employer_match,
    cast(y.employer_core as double)             as employer_core,
    cast(y.forfeitures as double)               as forfeitures,
    cast(y.employer_cost as double)             as employer_cost,
    cast(y.employee_balances as double)         as employee_balances,
    cast(y.employer_balances as double)         as employer_balances,
    {%- for path, name, type in ndt_fields %}
    cast(y.ndt{% for part in path.split('.') %}."{{ part }}"{% endfor %} as {{ type }}) as ndt_{{ name }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
from summary
