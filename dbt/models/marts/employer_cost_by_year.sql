-- Employer cost by year from fct_employee_contributions: match, core, total and their share of
-- the year's prorated payroll (everyone employed in the year). Sums in whole cents.
with contributions as (
    select * from {{ ref('fct_employee_contributions') }}
),

totals as (
    select
        simulation_year,
        count(*)                                                     as employees,
        count(*) filter (where employee_deferral > 0)                as contributing_employees,
        count(*) filter (where employer_match > 0)                   as matched_employees,
        count(*) filter (where is_deferral_limited)                  as employees_at_deferral_limit,
        {{ sum_cents('gross_compensation') }}                        as total_prorated_payroll,
        {{ sum_cents('plan_compensation') }}                         as total_plan_compensation,
        {{ sum_cents('employee_deferral') }}                         as total_employee_deferrals,
        {{ sum_cents('employer_match') }}                            as total_employer_match,
        {{ sum_cents('employer_core') }}                             as total_employer_core,
        {{ sum_cents('employer_total') }}                            as total_employer_cost
    from contributions
    group by simulation_year
)

select
    simulation_year,
    cast(employees as integer)                                       as employees,
    cast(contributing_employees as integer)                          as contributing_employees,
    cast(matched_employees as integer)                               as matched_employees,
    cast(employees_at_deferral_limit as integer)                     as employees_at_deferral_limit,
    total_prorated_payroll,
    total_plan_compensation,
    total_employee_deferrals,
    total_employer_match,
    total_employer_core,
    total_employer_cost,
    {{ pct('total_employer_match', 'total_prorated_payroll') }}     as match_pct_of_payroll,
    {{ pct('total_employer_core', 'total_prorated_payroll') }}      as core_pct_of_payroll,
    {{ pct('total_employer_cost', 'total_prorated_payroll') }}      as employer_cost_pct_of_payroll,
    {{ pct('total_employee_deferrals', 'total_prorated_payroll') }} as employee_deferral_pct_of_payroll
from totals
order by simulation_year
