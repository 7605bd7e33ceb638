-- The census as the run loaded it (spec section 5, `census.parquet` in the output directory):
-- wfsim's column names, aliases resolved, deferral rates as fractions, levels resolved (derived
-- from salary where the census had none). Leavers (a termination date on or before the census
-- date) are kept and flagged: they are not simulated. The balances are the accounts at the
-- census date (spec section 6; 0 when the census had none), where the accounts of 4.12 start:
-- employee_balance the employee account, employer_balance the employer account, core_balance
-- the core part of it (the match part is employer_balance - core_balance). They are passed
-- through as read, never rounded: the first year's account rounding rounds them, as in the
-- engine. prior_year_compensation (null when the census had none), ownership_pct and officer
-- are the census inputs of the nondiscrimination tests (spec section 9), typed only.
select
    employee_id,
    birth_date,
    hire_date,
    termination_date,
    is_leaver,
    annual_salary,
    level_id,
    deferral_rate,
    auto_escalation_opt_out,
    eligibility_override,
    cast(employer_balance as double) as employer_balance,
    cast(employee_balance as double) as employee_balance,
    cast(core_balance as double) as core_balance,
    cast(prior_year_compensation as double) as prior_year_compensation,
    cast(ownership_pct as double) as ownership_pct,
    cast(officer as boolean) as officer,
    eligibility_override is not distinct from false as is_plan_ineligible
from {{ source('wfsim', 'census') }}
