-- One row per simulated employee: the census's active rows and every hire event. This is the
-- state each employee starts from before any event is applied, plus the eligibility rule date
-- E = greatest(hire_date + waiting period, the date of the minimum-age birthday) (spec 4.7).
-- A hire's birth date is not in the event: the spec places it on July 1 of
-- year(hire_date) - a (section 4.3), and the hire event's age at the hire date gives a.
with run as (
    select * from {{ ref('stg_wfsim__run') }}
),

census as (
    select
        c.employee_id,
        'census'                          as origin,
        c.birth_date,
        c.hire_date,
        c.annual_salary                   as initial_salary,
        c.level_id                        as initial_level_id,
        c.deferral_rate                   as initial_deferral_rate,
        c.deferral_rate > 0               as is_census_participant,
        c.auto_escalation_opt_out,
        c.is_plan_ineligible,
        run.start_year                    as first_year
    from {{ ref('stg_wfsim__census') }} as c
    cross join run
    where not c.is_leaver
),

hires as (
    select
        employee_id,
        'hire'                            as origin,
        make_date(
            (year(event_date)
             - case when month(event_date) >= 7 then employee_age else employee_age + 1 end)::bigint,
            7, 1)                         as birth_date,
        event_date                        as hire_date,
        compensation_amount               as initial_salary,
        level_id                          as initial_level_id,
        employee_deferral_rate            as initial_deferral_rate,
        false                             as is_census_participant,
        false                             as auto_escalation_opt_out,
        false                             as is_plan_ineligible,
        simulation_year                   as first_year
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'hire'
),

employees as (
    select * from census
    union all
    select * from hires
),

with_rule as (
    select
        employees.*,
        greatest(
            employees.hire_date + run.eligibility_waiting_period_days,
            {{ anniversary('employees.birth_date', 'run.eligibility_minimum_age') }}
        )                                 as eligibility_rule_date
    from employees
    cross join run
)

select
    with_rule.*,
    -- Eligible at the start with no event (spec 4.7): census participants whatever their E
    -- (dated min(E, census date)); census non-participants with E before Jan 1 of start_year
    -- unless eligibility_override is false. Everyone else needs an eligibility event.
    case
        when origin = 'census' and is_census_participant
            then least(eligibility_rule_date, run.census_date)
        when origin = 'census' and not is_plan_ineligible
             and eligibility_rule_date < {{ jan1('run.start_year') }}
            then eligibility_rule_date
    end                                   as baseline_eligibility_date,
    case when is_census_participant then run.census_date end as baseline_enrollment_date
from with_rule
cross join run
