-- batch_metrics_by_run_year has the columns of metrics.parquet (spec section 8) in the same
-- order with the same types, and both are the seed batch_metrics: scenario_id VARCHAR,
-- random_seed BIGINT, simulation_year INTEGER, then each metric of the seed in `position` order,
-- typed by its kind (count and flag INTEGER, money and rate DOUBLE). Returns each position where the
-- name or type of the mart, metrics.parquet and the seed do not all agree.
with seed as (
    select position, column_name, column_type
    from (values (1, 'scenario_id', 'VARCHAR'), (2, 'random_seed', 'BIGINT'),
                 (3, 'simulation_year', 'INTEGER')) as key (position, column_name, column_type)
    union all
    select
        3 + row_number() over (order by position),
        metric,
        case kind when 'count' then 'INTEGER' when 'flag' then 'INTEGER'
                  when 'money' then 'DOUBLE' when 'rate' then 'DOUBLE' end
    from {{ ref('batch_metrics') }}
),

mart as (
    select row_number() over () as position, column_name, column_type
    from (describe {{ ref('batch_metrics_by_run_year') }})
),

engine as (
    select row_number() over () as position, column_name, column_type
    from (describe select * from {{ source('wfsim_batch', 'metrics') }})
)

select
    coalesce(mart.position, engine.position, seed.position)  as position,
    mart.column_name                                         as dbt_column,
    mart.column_type                                         as dbt_type,
    engine.column_name                                       as metrics_parquet_column,
    engine.column_type                                       as metrics_parquet_type,
    seed.column_name                                         as batch_metrics_column,
    seed.column_type                                         as batch_metrics_type
from mart
full outer join engine on mart.position = engine.position
full outer join seed on seed.position = coalesce(mart.position, engine.position)
where mart.column_name is distinct from engine.column_name
   or mart.column_type is distinct from engine.column_type
   or seed.column_name is distinct from engine.column_name
   or seed.column_type is distinct from engine.column_type
