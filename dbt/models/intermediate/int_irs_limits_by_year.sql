-- IRS limits for every simulated year (spec 4.13), from the run's own `irs_limits` config
-- (stg_wfsim__run_config), never restated here: the macro irs_limits_projection
-- (macros/irs_limits.sql, shared with the batch models) projects them. A year with a published
-- row uses it as written. A later year projects B, the latest published year before it, per
-- limit:
--   x = amount_B; repeat N - B times: x = x * (1 + growth_rate); then floor(x / step) * step
-- with step $500 (402(g) and both catch-ups), $5,000 (401(a)(17), the 414(q) HCE pay threshold
-- and the 416(i) key-officer threshold), $1,000 (415(c)) or $300 (the Social Security taxable
-- wage base, spec v1.4): the IRS and SSA round their cost-of-living adjustments down to those
-- steps. The growth is compounded by repeated multiplication in DOUBLE, as the engine does,
-- not pow(), which can differ in the last bit. A year before the first published row uses the
-- first row.
--
-- hce_compensation_lookback_limit is the 414(q) amount of year N - 1, the look-back year of
-- year N's HCE test (spec section 9), projected the same way (for the first simulated year,
-- the year before it).
with runs as (
    select
        run.start_year,
        run.end_year,
        run_config.irs_limits_published,
        run_config.irs_limit_growth_rate
    from {{ ref('stg_wfsim__run') }} as run
    cross join {{ ref('stg_wfsim__run_config') }} as run_config
),

projected as (
    {{ irs_limits_projection('runs') }}
),

with_lookback as (
    select
        projected.*,
        lag(hce_compensation_limit) over (order by simulation_year) as hce_compensation_lookback_limit
    from projected
)

select with_lookback.*
from with_lookback
cross join runs
where with_lookback.simulation_year >= runs.start_year
