-- The engine's metrics table (metrics.parquet, spec section 8) as written: one row per
-- (scenario_id, random_seed, simulation_year). Nothing is cast, so the equality test compares
-- the file's own values.
select * from {{ source('wfsim_batch', 'metrics') }}
