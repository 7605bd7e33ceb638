-- The year's money totals of employer_cost_by_year (summed in whole cents from the
-- contributions and balances recomputed from the events) must equal the engine's own totals in
-- generation_summary.json (its integer-cent sums of the snapshot columns), exactly: payroll,
-- employee deferrals, match, core, forfeitures, the net employer cost, and the year-end
-- employee and employer account balances (fct_employer_balances, every row, leavers included). Returns one row per
-- differing year with the totals that differ.
{%- set pairs = [
    ('total_prorated_payroll', 'payroll'),
    ('total_employee_deferrals', 'employee_deferrals'),
    ('total_employer_match', 'employer_match'),
    ('total_employer_core', 'employer_core'),
    ('total_forfeitures', 'forfeitures'),
    ('net_employer_cost', 'employer_cost'),
    ('total_employee_balance', 'employee_balances'),
    ('total_employer_balance', 'employer_balances')] %}

with compared as (
    select
        coalesce(mart.simulation_year, summary.simulation_year)  as simulation_year,
        list_filter([
            {%- for ours, theirs in pairs %}
            case when mart.{{ ours }} is distinct from summary.{{ theirs }}
                 then '{{ theirs }}: dbt ' || coalesce(cast(mart.{{ ours }} as varchar), 'null')
                      || ' vs summary ' || coalesce(cast(summary.{{ theirs }} as varchar), 'null') end
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ], lambda x: x is not null)                               as differences
    from {{ ref('employer_cost_by_year') }} as mart
    full outer join {{ ref('stg_wfsim__run_years') }} as summary
        on mart.simulation_year = summary.simulation_year
)

select *
from compared
where len(differences) > 0
