-- Every event of every run of the batch, with the columns the batch metrics use (the salary
-- after and before each event for the testing pay of spec v1.4 section 9).
-- scenario_id, random_seed and simulation_year come from the partition path.
select
    scenario_id,
    random_seed,
    simulation_year,
    employee_id,
    event_type,
    event_category,
    cast(event_date as date)              as event_date,
    cast(event_sequence as integer)       as event_sequence,
    cast(compensation_amount as double)   as compensation_amount,
    cast(previous_compensation as double) as previous_compensation
from {{ source('wfsim_batch', 'events') }}
