-- Every simulated employee once: the census's active rows and the run's hires, with where they
-- came from and how their employment ended. Employee ids in events and snapshots must be here.
with employees as (
    select * from {{ ref('int_employees') }}
),

terminations as (
    select employee_id, event_date as termination_date, event_category as termination_category,
           simulation_year as termination_year
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'termination'
    qualify row_number() over (partition by employee_id order by simulation_year, event_sequence) = 1
)

select
    employees.employee_id,
    employees.origin,
    employees.first_year,
    employees.birth_date,
    employees.hire_date,
    employees.initial_salary,
    employees.initial_level_id,
    employees.initial_deferral_rate,
    employees.is_census_participant,
    employees.auto_escalation_opt_out,
    employees.is_plan_ineligible,
    employees.eligibility_rule_date,
    employees.baseline_eligibility_date,
    terminations.termination_date,
    terminations.termination_category,
    terminations.termination_year
from employees
left join terminations using (employee_id)
