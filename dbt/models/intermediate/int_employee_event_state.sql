-- Every event with the employee's state right after it: the fold of the census row (or the
-- hire) and all of the employee's events up to and including this one, in event order
-- (simulation_year, event_sequence), which is date order with the spec's same-date order.
-- last_row_of_date marks the state at the end of a day, used to split pay periods.
with events as (
    select * from {{ ref('stg_wfsim__events') }}
),

employees as (
    select * from {{ ref('int_employees') }}
),

running as (
    select
        events.employee_id,
        events.simulation_year,
        events.event_sequence,
        events.event_date,
        events.event_type,
        events.event_category,
        cast(events.simulation_year as bigint) * 1000000 + events.event_sequence as event_order,
        last_value(case when events.event_type in ('hire', 'promotion', 'raise')
                        then events.compensation_amount end ignore nulls) over w as salary_after,
        last_value(case when events.event_type in ('hire', 'promotion')
                        then events.level_id end ignore nulls) over w           as level_after,
        last_value(case when events.event_type in ('enrollment', 'opt_out', 'deferral_change', 'deferral_escalation')
                        then events.employee_deferral_rate end ignore nulls) over w as deferral_rate_after,
        last_value(case when events.event_type in ('enrollment', 'opt_out')
                        then {'event_type': events.event_type,
                              'event_category': events.event_category,
                              'event_date': events.event_date} end ignore nulls) over w as last_enrollment_change,
        min(case when events.event_type = 'eligibility' then events.event_date end) over w as first_eligibility_date,
        sum(case when events.event_type = 'opt_out' then 1 else 0 end) over w     as opt_outs_so_far,
        sum(case when events.event_type = 'deferral_escalation' then 1 else 0 end) over w as escalations_so_far,
        min(case when events.event_type = 'termination' then events.event_date end) over w as termination_date,
        min(case when events.event_type = 'termination' then events.event_category end) over w as termination_category
    from events
    window w as (partition by events.employee_id
                 order by events.simulation_year, events.event_sequence
                 rows between unbounded preceding and current row)
)

select
    running.employee_id,
    running.simulation_year,
    running.event_sequence,
    running.event_order,
    running.event_date,
    running.event_type,
    running.event_category,
    coalesce(running.salary_after, employees.initial_salary)               as annual_salary,
    coalesce(running.level_after, employees.initial_level_id)              as level_id,
    coalesce(running.deferral_rate_after, employees.initial_deferral_rate) as deferral_rate,
    case
        when running.last_enrollment_change is null then employees.is_census_participant
        else running.last_enrollment_change.event_type = 'enrollment'
    end                                                                    as is_enrolled,
    case
        when running.last_enrollment_change is null then employees.baseline_enrollment_date
        when running.last_enrollment_change.event_type = 'enrollment'
            then running.last_enrollment_change.event_date
    end                                                                    as enrollment_date,
    case
        when running.last_enrollment_change is null
            then case when employees.is_census_participant then 'census' end
        when running.last_enrollment_change.event_category = 'auto_enrollment' then 'auto'
        when running.last_enrollment_change.event_category = 'voluntary_enrollment' then 'voluntary'
    end                                                                    as enrollment_method,
    coalesce(employees.baseline_eligibility_date, running.first_eligibility_date) as eligibility_date,
    running.opt_outs_so_far > 0                                            as ever_opted_out,
    cast(running.escalations_so_far as integer)                            as escalations_received,
    running.termination_date,
    running.termination_category,
    row_number() over (partition by running.employee_id, running.event_date
                       order by running.simulation_year desc, running.event_sequence desc) = 1 as last_row_of_date
from running
inner join employees using (employee_id)
