-- Nothing happens to an employee on or after the termination date except the termination
-- itself (spec section 1), and nothing before the hire date; an employee terminates at most once.
with events as (
    select * from {{ ref('stg_wfsim__events') }}
),

employees as (
    select * from {{ ref('int_employees') }}
),

terminations as (
    select employee_id, min(event_date) as termination_date, count(*) as terminations
    from events
    where event_type = 'termination'
    group by employee_id
)

select
    events.employee_id,
    events.simulation_year,
    events.event_sequence,
    events.event_type,
    events.event_date,
    employees.hire_date,
    terminations.termination_date,
    case
        when terminations.terminations > 1 then 'terminated more than once'
        when events.event_type <> 'termination' and events.event_date >= terminations.termination_date
            then 'event on or after the termination date'
        else 'event before the hire date'
    end as problem
from events
left join employees using (employee_id)
left join terminations using (employee_id)
where (events.event_type <> 'termination' and events.event_date >= terminations.termination_date)
   or events.event_date < employees.hire_date
   or (events.event_type = 'termination' and terminations.terminations > 1)
