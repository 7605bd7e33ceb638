-- Every event carries the state before it: previous_compensation, previous_level_id and
-- prev_employee_deferral_rate equal the state after the employee's previous event (or the
-- census row for a census employee's first event). An event whose "before" disagrees with the
-- history is a gap or an edit in the log.
with events as (
    select * from {{ ref('stg_wfsim__events') }}
),

chained as (
    select
        events.*,
        lag(events.compensation_amount) over w     as prior_compensation,
        lag(events.level_id) over w                as prior_level_id,
        lag(events.employee_deferral_rate) over w  as prior_deferral_rate
    from events
    window w as (partition by events.employee_id order by events.simulation_year, events.event_sequence)
)

select
    chained.employee_id,
    chained.simulation_year,
    chained.event_sequence,
    chained.event_type,
    chained.previous_compensation,
    coalesce(chained.prior_compensation, employees.initial_salary)         as expected_previous_compensation,
    chained.previous_level_id,
    coalesce(chained.prior_level_id, employees.initial_level_id)           as expected_previous_level_id,
    chained.prev_employee_deferral_rate,
    coalesce(chained.prior_deferral_rate, employees.initial_deferral_rate) as expected_previous_deferral_rate
from chained
inner join {{ ref('int_employees') }} as employees using (employee_id)
where chained.event_type <> 'hire'
  and (chained.previous_compensation is distinct from coalesce(chained.prior_compensation, employees.initial_salary)
       or chained.previous_level_id is distinct from coalesce(chained.prior_level_id, employees.initial_level_id)
       or chained.prev_employee_deferral_rate is distinct from coalesce(chained.prior_deferral_rate, employees.initial_deferral_rate))
