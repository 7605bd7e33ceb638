-- batch_metrics_by_run_year has the columns of metrics.parquet (spec section 8) in the same
-- order with the same types: scenario_id VARCHAR, random_seed BIGINT, simulation_year and the
-- counts INTEGER, the rates and money DOUBLE. Returns each position where name or type differ.
with mart as (
    select row_number() over () as position, column_name, column_type
    from (describe {{ ref('batch_metrics_by_run_year') }})
),

engine as (
    select row_number() over () as position, column_name, column_type
    from (describe select * from {{ source('wfsim_batch', 'metrics') }})
)

select
    coalesce(mart.position, engine.position)  as position,
    mart.column_name                          as dbt_column,
    mart.column_type                          as dbt_type,
    engine.column_name                        as metrics_parquet_column,
    engine.column_type                        as metrics_parquet_type
from mart
full outer join engine on mart.position = engine.position
where mart.column_name is distinct from engine.column_name
   or mart.column_type is distinct from engine.column_type
