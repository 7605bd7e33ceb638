-- One row per run of the batch, from its generation_summary.json. scenario_id and random_seed
-- are the path's (summaries/scenario_id=S/random_seed=K/); summary_scenario_id and
-- summary_random_seed are what the summary itself says (they must agree).
select
    regexp_extract(filename, '/scenario_id=([^/]+)/random_seed=[0-9]+/[^/]+$', 1)                    as scenario_id,
    cast(regexp_extract(filename, '/scenario_id=[^/]+/random_seed=([0-9]+)/[^/]+$', 1) as bigint)   as random_seed,
    scenario_id                                                                                       as summary_scenario_id,
    cast(random_seed as bigint)                                                                       as summary_random_seed,
    start_year,
    end_year,
    years,
    filename                                                                                          as summary_file
from {{ source('wfsim_batch', 'summaries') }}
