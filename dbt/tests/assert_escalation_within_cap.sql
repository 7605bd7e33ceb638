-- Auto-escalation raises the deferral rate and never above the cap (var deferral_cap, the
-- config's deferral_auto_escalation.maximum_rate).
select
    employee_id,
    simulation_year,
    event_sequence,
    prev_employee_deferral_rate,
    employee_deferral_rate
from {{ ref('stg_wfsim__events') }}
where event_type = 'deferral_escalation'
  and (employee_deferral_rate > {{ wfsim_double(var('deferral_cap')) }}
       or prev_employee_deferral_rate >= {{ wfsim_double(var('deferral_cap')) }}
       or employee_deferral_rate <= prev_employee_deferral_rate
       or prev_employee_deferral_rate is null)
