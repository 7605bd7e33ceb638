-- Employer cost by year from fct_employee_contributions and fct_employer_balances: deferrals,
-- match, core, their total, the forfeitures of the year's leavers (the unvested part of their
-- employer account, spec 4.12) and the net cost match + core - forfeitures (the spec's
-- `employer_cost`, section 8), each also as a share of the year's prorated payroll (everyone
-- employed in the year), and the accounts at year end (every row, a leaver's after the
-- forfeiture) with the year's investment return on them (spec 4.12). Money is summed in whole cents, as integers, and the net cost is
-- taken in cents too, so no total depends on the order DuckDB adds rows in.

with contributions as (
    select
        contributions.*,
        balances.forfeiture,
        balances.employer_balance,
        balances.core_balance,
        balances.employee_balance,
        balances.employee_return,
        balances.employer_return
    from {{ ref('fct_employee_contributions') }} as contributions
    inner join {{ ref('fct_employer_balances') }} as balances using (employee_year_id)
),

totals as (
    select
        simulation_year,
        count(*)                                                     as employees,
        count(*) filter (where employee_deferral > 0)                as contributing_employees,
        count(*) filter (where employer_match > 0)                   as matched_employees,
        count(*) filter (where is_deferral_limited)                  as employees_at_deferral_limit,
        count(*) filter (where forfeiture > 0)                       as forfeiting_employees,
        {{ sum_cents('gross_compensation') }}                        as total_prorated_payroll,
        {{ sum_cents('plan_compensation') }}                         as total_plan_compensation,
        {{ sum_cents('employee_deferral') }}                         as total_employee_deferrals,
        {{ sum_cents('employer_match') }}                            as total_employer_match,
        {{ sum_cents('employer_core') }}                             as total_employer_core,
        {{ sum_cents('employer_total') }}                            as total_employer_cost,
        {{ sum_cents('forfeiture') }}                                as total_forfeitures,
        (({{ sum_cents_int('employer_match') }} + {{ sum_cents_int('employer_core') }} - {{ sum_cents_int('forfeiture') }}) / 100)::double
                                                                     as net_employer_cost,
        {{ sum_cents('employer_balance') }}                          as total_employer_balance,
        {{ sum_cents('core_balance') }}                              as total_core_balance,
        {{ sum_cents('employee_balance') }}                          as total_employee_balance,
        {{ sum_cents('employee_return') }}                           as total_employee_return,
        {{ sum_cents('employer_return') }}                           as total_employer_return
    from contributions
    group by simulation_year
)

select
    simulation_year,
    cast(employees as integer)                                       as employees,
    cast(contributing_employees as integer)                          as contributing_employees,
    cast(matched_employees as integer)                               as matched_employees,
    cast(employees_at_deferral_limit as integer)                     as employees_at_deferral_limit,
    cast(forfeiting_employees as integer)                            as forfeiting_employees,
    total_prorated_payroll,
    total_plan_compensation,
    total_employee_deferrals,
    total_employer_match,
    total_employer_core,
    total_employer_cost,
    total_forfeitures,
    net_employer_cost,
    total_employer_balance,
    total_core_balance,
    total_employee_balance,
    total_employee_return,
    total_employer_return,
    {{ pct('total_employer_match', 'total_prorated_payroll') }}     as match_pct_of_payroll,
    {{ pct('total_employer_core', 'total_prorated_payroll') }}      as core_pct_of_payroll,
    {{ pct('total_employer_cost', 'total_prorated_payroll') }}      as employer_cost_pct_of_payroll,
    {{ pct('total_forfeitures', 'total_prorated_payroll') }}        as forfeitures_pct_of_payroll,
    {{ pct('net_employer_cost', 'total_prorated_payroll') }}        as net_employer_cost_pct_of_payroll,
    {{ pct('total_employee_deferrals', 'total_prorated_payroll') }} as employee_deferral_pct_of_payroll
from totals
order by simulation_year
