-- The year-end workforce of every run of the batch, with the columns the batch metrics use
-- (spec section 8). scenario_id, random_seed and simulation_year come from the partition path.
select
    scenario_id,
    random_seed,
    simulation_year,
    employee_id,
    cast(termination_date as date)          as termination_date,
    employment_status,
    cast(plan_eligible as boolean)          as plan_eligible,
    cast(is_enrolled as boolean)            as is_enrolled,
    cast(deferral_rate as double)           as deferral_rate,
    cast(prorated_compensation as double)   as prorated_compensation,
    cast(employee_deferral as double)       as employee_deferral,
    cast(employer_match as double)          as employer_match,
    cast(employer_core as double)           as employer_core,
    cast(forfeiture as double)              as forfeiture,
    cast(employee_balance as double)        as employee_balance,
    cast(employer_balance as double)        as employer_balance
from {{ source('wfsim_batch', 'snapshots') }}
