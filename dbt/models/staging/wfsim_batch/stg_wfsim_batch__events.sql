-- Every event of every run of the batch, with the columns the batch metrics use.
-- scenario_id, random_seed and simulation_year come from the partition path.
select
    scenario_id,
    random_seed,
    simulation_year,
    employee_id,
    event_type,
    event_category,
    cast(event_date as date)         as event_date,
    cast(event_sequence as integer)  as event_sequence
from {{ source('wfsim_batch', 'events') }}
