-- One row per (run, simulated year) from each run's generation_summary.json: the headcount
-- target of spec 4.2, which the snapshots and events cannot show, and the summary's n_start.
with years as (
    select scenario_id, random_seed, unnest(years) as y
    from {{ ref('stg_wfsim_batch__runs') }}
)

select
    scenario_id,
    random_seed,
    cast(y.year as integer)     as simulation_year,
    cast(y.n_start as integer)  as n_start,
    cast(y.target as integer)   as target
from years
