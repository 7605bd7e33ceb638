-- The HCEs and key employees recomputed in SQL (fct_ndt_employee_years, spec v1.4 section 9:
-- ownership, look-back pay against the 414(q) amount of year N-1, pay against 150,000 and the
-- 416(i) amount of year N) must equal the engine snapshot's is_hce and is_key_employee in
-- every row of every year. Returns each differing employee-year with both values and the
-- inputs of the rule.
with recomputed as (
    select * from {{ ref('fct_ndt_employee_years') }}
),

engine as (
    select * from {{ ref('stg_wfsim__snapshots') }}
)

select
    coalesce(recomputed.employee_id, engine.employee_id)            as employee_id,
    coalesce(recomputed.simulation_year, engine.simulation_year)    as simulation_year,
    recomputed.is_hce,
    engine.is_hce                                                   as engine_is_hce,
    recomputed.is_key_employee,
    engine.is_key_employee                                          as engine_is_key_employee,
    recomputed.lookback_compensation,
    recomputed.lookback_source,
    recomputed.hce_compensation_lookback_limit,
    recomputed.ownership_pct,
    recomputed.officer,
    recomputed.prorated_compensation,
    recomputed.key_officer_compensation_limit
from recomputed
full outer join engine
    on recomputed.employee_id = engine.employee_id
   and recomputed.simulation_year = engine.simulation_year
where recomputed.employee_id is null
   or engine.employee_id is null
   or recomputed.is_hce is distinct from engine.is_hce
   or recomputed.is_key_employee is distinct from engine.is_key_employee
