-- event_sequence numbers an employee's events of a year 1, 2, ... in date order, same-date
-- events in the spec's order (event_type_order: the same_date_order of the seed event_types);
-- every event lies in its simulation_year and its event_id is
-- 'EVT_' + the first 24 hex digits of md5('{scenario}|{plan}|{employee}|{year}|{sequence}').
select
    employee_id,
    simulation_year,
    event_sequence,
    event_date,
    event_type,
    event_id
from {{ ref('stg_wfsim__events') }}
qualify event_sequence <> row_number() over (
            partition by employee_id, simulation_year order by event_date, event_type_order, event_sequence)
     or year(event_date) <> simulation_year
     or event_id <> 'EVT_' || left(md5(scenario_id || '|' || plan_design_id || '|' || employee_id || '|'
                                      || cast(simulation_year as varchar) || '|' || cast(event_sequence as varchar)), 24)
