-- The year-end workforce of every run of the batch, with the columns the batch metrics use
-- (spec section 8), the nondiscrimination tests included (spec v1.4 section 9: the dates, pay,
-- age, tenure and eligibility that batch_ndt_employee_years needs for the testing pay and the
-- test populations, and the engine's is_hce and is_key_employee). scenario_id, random_seed and
-- simulation_year come from the partition path.
select
    scenario_id,
    random_seed,
    simulation_year,
    employee_id,
    cast(hire_date as date)                 as hire_date,
    cast(termination_date as date)          as termination_date,
    employment_status,
    cast(annual_salary as double)           as annual_salary,
    cast(age as integer)                    as age,
    cast(tenure_years as integer)           as tenure_years,
    cast(plan_eligible as boolean)          as plan_eligible,
    cast(eligibility_date as date)          as eligibility_date,
    cast(is_enrolled as boolean)            as is_enrolled,
    cast(deferral_rate as double)           as deferral_rate,
    cast(prorated_compensation as double)   as prorated_compensation,
    cast(eligible_compensation as double)   as eligible_compensation,
    cast(employee_deferral as double)       as employee_deferral,
    cast(catch_up_deferral as double)       as catch_up_deferral,
    cast(employer_match as double)          as employer_match,
    cast(employer_core as double)           as employer_core,
    cast(forfeiture as double)              as forfeiture,
    cast(employee_balance as double)        as employee_balance,
    cast(employer_balance as double)        as employer_balance,
    cast(is_hce as boolean)                 as is_hce,
    cast(is_key_employee as boolean)        as is_key_employee
from {{ source('wfsim_batch', 'snapshots') }}
