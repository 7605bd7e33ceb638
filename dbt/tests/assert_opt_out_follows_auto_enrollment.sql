-- An opt-out only undoes an auto-enrollment: the employee's latest enrollment or opt-out before
-- it is an auto-enrollment, on or before the opt-out date.
with changes as (
    select
        employee_id,
        simulation_year,
        event_sequence,
        event_date,
        event_type,
        event_category,
        lag(event_category) over w as previous_category,
        lag(event_date) over w     as previous_date
    from {{ ref('stg_wfsim__events') }}
    where event_type in ('enrollment', 'opt_out')
    window w as (partition by employee_id order by simulation_year, event_sequence)
)

select *
from changes
where event_type = 'opt_out'
  and (previous_category is distinct from 'auto_enrollment' or previous_date > event_date)
