-- The nondiscrimination tests (spec v1.4 section 9) of every kept run of a batch, one row per
-- (scenario_id, random_seed, simulation_year): the single run's fct_ndt_by_year, computed by
-- the same macro (ndt_year_results, macros/ndt.sql) from batch_ndt_employee_years and each
-- run's own `ndt` settings (a scenario may change them). batch_metrics_by_run_year takes the
-- section 8 metrics columns from here (hce_count, adp_*, acp_*, coverage_*, top_heavy*).
with ndt_rows as (
    select
        scenario_id,
        random_seed,
        simulation_year,
        is_hce,
        is_key_employee,
        testing_compensation,
        in_test_population,
        is_non_excludable,
        adp_amount,
        acp_amount,
        adp_ratio,
        acp_ratio,
        balance_cents
    from {{ ref('batch_ndt_employee_years') }}
),

ndt_settings as (
    select
        scenario_id,
        random_seed,
        start_year,
        ndt_testing_method      as testing_method,
        ndt_safe_harbor         as safe_harbor,
        ndt_first_year_nhce_adp as first_year_nhce_adp,
        ndt_first_year_nhce_acp as first_year_nhce_acp
    from {{ ref('stg_wfsim_batch__runs') }}
)
{{ ndt_year_results(['scenario_id', 'random_seed']) }}

select * from ndt_results
order by scenario_id, random_seed, simulation_year
