-- The nondiscrimination tests of every simulated year (spec v1.4 section 9), one row per
-- simulation_year, recomputed in SQL from the year's snapshot rows (fct_ndt_employee_years:
-- the recomputed HCEs and key employees, the testing pay and the ratios) with the run's `ndt`
-- settings (stg_wfsim__run_config). The arithmetic is the macro ndt_year_results
-- (macros/ndt.sql), which the batch models share:
--   avg(group) = round_half_away(S / n), S the integer sum of the ratios (hundredths of a %)
--   pass(h, b) = 100 h <= 125 b or h <= min(2 b, b + 200); limit(b) = max(1.25 b, min(2 b, b + 200)) / 10000
--   b = the NHCE average (testing_method current), or (prior) year N-1's own NHCE average,
--       round_half_away(first_year_nhce_* x 10000) in the first simulated year
--   excess: the largest integer L with pass(avg of min(ratio, L), b), then
--           sum over the HCEs of round_cents(max(d - (L x tc) / 10000, 0)), in cents
--   coverage: 100 b_N n_H >= 70 n_N b_H; ratio (b_N / n_N) / (b_H / n_H), null when n_N, n_H or b_H is 0
--   top-heavy: key employees' balances / everyone's (integer cents), > 0.6
-- The first columns are the fields of generation_summary.json's `ndt` (assert_ndt_equals_
-- generation_summary compares them exactly); the integers behind them follow.
-- Simplifications (spec section 9): no top-paid-group election, no 318 attribution beyond
-- ownership_pct, no hours-based exclusions, no permissive disaggregation, no correction
-- allocated to individual HCEs (step 2), coverage of the deferral part only, balances without
-- the 5-year distribution look-back.
with ndt_rows as (
    select
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
    from {{ ref('fct_ndt_employee_years') }}
),

ndt_settings as (
    select
        run.start_year,
        run_config.ndt_testing_method     as testing_method,
        run_config.ndt_safe_harbor        as safe_harbor,
        run_config.ndt_first_year_nhce_adp as first_year_nhce_adp,
        run_config.ndt_first_year_nhce_acp as first_year_nhce_acp
    from {{ ref('stg_wfsim__run') }} as run
    cross join {{ ref('stg_wfsim__run_config') }} as run_config
)
{{ ndt_year_results() }}

select * from ndt_results
order by simulation_year
