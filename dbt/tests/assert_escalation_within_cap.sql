-- Auto-escalation raises the deferral rate and never above the cap (the run's
-- deferral_auto_escalation.maximum_rate).
select
    events.employee_id,
    events.simulation_year,
    events.event_sequence,
    events.prev_employee_deferral_rate,
    events.employee_deferral_rate
from {{ ref('stg_wfsim__events') }} as events
cross join {{ ref('stg_wfsim__run_config') }} as run_config
where events.event_type = 'deferral_escalation'
  and (employee_deferral_rate > run_config.deferral_cap
       or prev_employee_deferral_rate >= run_config.deferral_cap
       or employee_deferral_rate <= prev_employee_deferral_rate
       or prev_employee_deferral_rate is null)
