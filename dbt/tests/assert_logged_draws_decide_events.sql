-- The logged draws explain the decisions (spec 4.9 "Logged draws"): where an event logs a
-- probability p and a draw u, u < p (an event happens iff u < p) and u is in [0, 1) (a
-- deferral_change logs q_e and u, spec §4.8 step 6); RIF and
-- new-hire terminations log u without p; every other event logs neither.
select
    employee_id,
    simulation_year,
    event_sequence,
    event_category,
    event_probability,
    random_draw
from {{ ref('stg_wfsim__events') }}
where case
    when event_category in ('experienced_termination', 'promotion', 'voluntary_enrollment', 'opt_out', 'match_response')
        then not (event_probability is not null and random_draw is not null
                  and random_draw >= 0 and random_draw < 1 and random_draw < event_probability)
    when event_category in ('reduction_in_force', 'new_hire_termination')
        then not (event_probability is null and random_draw is not null and random_draw >= 0 and random_draw < 1)
    else event_probability is not null or random_draw is not null
end
