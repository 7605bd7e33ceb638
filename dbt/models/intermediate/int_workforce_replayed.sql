-- The year-end workforce rebuilt from the census and the events alone, column for column like
-- the engine's snapshot (spec 4.10 and 5). State is the fold of the census row and every event
-- up to the end of the year; prorated compensation folds the pay periods of
-- int_compensation_periods in date order: acc = acc + (salary * days) / D from 0.0, then
-- rounded to cents (spec 4.10). The test assert_replayed_workforce_equals_snapshot checks that
-- it equals the engine's snapshot in every column.
with run as (
    select * from {{ ref('stg_wfsim__run') }}
),

years as (
    select
        *,
        cast(simulation_year as bigint) * 1000000 + 999999 as year_end_order
    from {{ ref('int_employee_years') }}
),

employees as (
    select * from {{ ref('int_employees') }}
),

states as (
    select * from {{ ref('int_employee_event_state') }}
),

prorated as (
    -- Merge the fine periods back into the spec's salary periods, then fold them in date order.
    select
        employee_id,
        simulation_year,
        {{ round_cents(ordered_fsum('(annual_salary * cast(days as double)) / cast(days_in_year as double)', 'segment_start')) }}
            as prorated_compensation
    from (
        select employee_id, simulation_year, salary_segment,
               min(period_start) as segment_start,
               sum(days) as days,
               any_value(days_in_year) as days_in_year,
               any_value(annual_salary) as annual_salary
        from {{ ref('int_compensation_periods') }}
        group by employee_id, simulation_year, salary_segment
    ) as segments
    group by employee_id, simulation_year
),

year_end as (
    select
        years.employee_year_id,
        years.employee_id,
        years.simulation_year,
        years.hired_this_year,
        years.termination_date,
        coalesce(years.termination_date, years.year_end)                      as as_of_date,
        employees.birth_date,
        employees.hire_date,
        employees.auto_escalation_opt_out,
        coalesce(s.level_id, employees.initial_level_id)                      as level_id,
        coalesce(s.annual_salary, employees.initial_salary)                   as annual_salary,
        coalesce(s.deferral_rate, employees.initial_deferral_rate)            as deferral_rate,
        coalesce(s.is_enrolled, employees.is_census_participant)              as is_enrolled,
        case when s.employee_id is null then employees.baseline_enrollment_date else s.enrollment_date end as enrollment_date,
        case when s.employee_id is null
             then case when employees.is_census_participant then 'census' end
             else s.enrollment_method end                                     as enrollment_method,
        coalesce(s.eligibility_date, employees.baseline_eligibility_date)     as eligibility_date,
        coalesce(s.ever_opted_out, false)                                     as ever_opted_out,
        coalesce(s.escalations_received, 0)                                   as escalations_received,
        s.termination_category
    from years
    inner join employees using (employee_id)
    asof left join states as s
        on s.employee_id = years.employee_id and s.event_order <= years.year_end_order
)

select
    year_end.employee_year_id,
    run.scenario_id,
    run.plan_design_id,
    year_end.employee_id,
    year_end.simulation_year,
    year_end.birth_date,
    year_end.hire_date,
    year_end.termination_date,
    case when year_end.termination_date is null then 'active' else 'terminated' end as employment_status,
    case
        when year_end.termination_date is null and not year_end.hired_this_year then 'continuous_active'
        when year_end.termination_date is null then 'new_hire_active'
        when year_end.termination_category = 'new_hire_termination' then 'new_hire_termination'
        else 'experienced_termination'
    end                                                                        as detailed_status_code,
    cast(year_end.level_id as integer)                                         as level_id,
    year_end.annual_salary,
    prorated.prorated_compensation,
    {{ years_between('year_end.birth_date', 'year_end.as_of_date') }}          as age,
    {{ years_between('year_end.hire_date', 'year_end.as_of_date') }}           as tenure_years,
    {{ age_band(years_between('year_end.birth_date', 'year_end.as_of_date')) }}   as age_band,
    {{ tenure_band(years_between('year_end.hire_date', 'year_end.as_of_date')) }} as tenure_band,
    year_end.eligibility_date is not null                                      as plan_eligible,
    year_end.eligibility_date,
    year_end.is_enrolled,
    year_end.enrollment_date,
    year_end.enrollment_method,
    year_end.ever_opted_out,
    year_end.deferral_rate,
    year_end.auto_escalation_opt_out,
    cast(year_end.escalations_received as integer)                             as escalations_received,
    -- Beyond the snapshot's columns: what the marts need to split counts.
    year_end.hired_this_year,
    case when year_end.termination_date is not null then year_end.termination_category end as termination_category
from year_end
cross join run
left join prorated using (employee_id, simulation_year)
