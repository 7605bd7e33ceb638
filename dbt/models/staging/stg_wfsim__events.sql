-- Every event of the run, typed. The partition column simulation_year (read by DuckDB as
-- BIGINT from the directory name) is cast back to the int32 the files carry.
-- event_type_order is the specification's same-date order (section 4.10).
select
    event_id,
    scenario_id,
    plan_design_id,
    employee_id,
    event_type,
    event_category,
    cast(event_date as date)                    as event_date,
    cast(simulation_year as integer)            as simulation_year,
    cast(event_sequence as integer)             as event_sequence,
    cast(level_id as integer)                   as level_id,
    cast(previous_level_id as integer)          as previous_level_id,
    cast(compensation_amount as double)         as compensation_amount,
    cast(previous_compensation as double)       as previous_compensation,
    cast(employee_deferral_rate as double)      as employee_deferral_rate,
    cast(prev_employee_deferral_rate as double) as prev_employee_deferral_rate,
    cast(employee_age as integer)               as employee_age,
    cast(employee_tenure as integer)            as employee_tenure,
    cast(event_probability as double)           as event_probability,
    cast(random_draw as double)                 as random_draw,
    created_at,
    case event_type
        when 'hire' then 1
        when 'eligibility' then 2
        when 'enrollment' then 3
        when 'opt_out' then 4
        when 'deferral_escalation' then 5
        when 'promotion' then 6
        when 'raise' then 7
        when 'termination' then 8
    end                                         as event_type_order
from {{ source('wfsim', 'events') }}
