-- One row per run of the batch, from its generation_summary.json. scenario_id and random_seed
-- are the path's (summaries/scenario_id=S/random_seed=K/); summary_scenario_id and
-- summary_random_seed are what the summary itself says (they must agree). From the run's
-- resolved config: the IRS limits (irs_limits.published as JSON, growth_rate), from which
-- batch_ndt_employee_years projects 401(a)(17), and the nondiscrimination test settings `ndt`
-- (spec v1.4 section 9), which batch_ndt_by_run_year applies. Numbers are read as DOUBLE.
select
    regexp_extract(filename, '/scenario_id=([^/]+)/random_seed=[0-9]+/[^/]+$', 1)                    as scenario_id,
    cast(regexp_extract(filename, '/scenario_id=[^/]+/random_seed=([0-9]+)/[^/]+$', 1) as bigint)   as random_seed,
    scenario_id                                                                                       as summary_scenario_id,
    cast(random_seed as bigint)                                                                       as summary_random_seed,
    start_year,
    end_year,
    years,
    resolved_config -> '$.irs_limits.published'                                                       as irs_limits_published,
    cast(resolved_config ->> '$.irs_limits.growth_rate' as double)                                    as irs_limit_growth_rate,
    resolved_config ->> '$.ndt.testing_method'                                                        as ndt_testing_method,
    resolved_config ->> '$.ndt.safe_harbor'                                                           as ndt_safe_harbor,
    cast(resolved_config ->> '$.ndt.first_year_nhce_adp' as double)                                   as ndt_first_year_nhce_adp,
    cast(resolved_config ->> '$.ndt.first_year_nhce_acp' as double)                                   as ndt_first_year_nhce_acp,
    filename                                                                                          as summary_file
from {{ source('wfsim_batch', 'summaries') }}
