-- The census as the run loaded it (spec section 5, `census.parquet` in the output directory):
-- wfsim's column names, aliases resolved, deferral rates as fractions, levels resolved (derived
-- from salary where the census had none). Leavers (a termination date on or before the census
-- date) are kept and flagged: they are not simulated. employer_balance is the employer account
-- at the census date (spec section 6; 0 when the census had none), where vesting starts (4.12).
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
    eligibility_override is not distinct from false as is_plan_ineligible
from {{ source('wfsim', 'census') }}
