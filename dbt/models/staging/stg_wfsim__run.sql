-- The run's parameters, one row: years, seed and ids from generation_summary.json, and the
-- census date and eligibility rule from the run's resolved config.
with summary as (
    select * from {{ source('wfsim', 'generation_summary') }}
),

run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
)

select
    cast(summary.start_year as integer)     as start_year,
    cast(summary.end_year as integer)       as end_year,
    cast(summary.random_seed as bigint)     as random_seed,
    summary.scenario_id,
    summary.plan_design_id,
    summary.engine,
    summary.tool_version,
    run_config.census_date,
    run_config.eligibility_minimum_age,
    run_config.eligibility_waiting_period_days
from summary
cross join run_config
