-- metrics.parquet counts each event type of the year in a column events_<event_type>, and so
-- does batch_metrics_by_run_year: both have exactly one such column per event_type of the seed
-- event_types. (The mart lists its events_* columns itself, in metrics.parquet's order, which
-- is neither of the orders the seed gives; this test makes a type the seed gains and the mart
-- lacks fail the build.) Returns each events_* column that one of the three lacks.
with seed as (
    select distinct 'events_' || event_type as column_name from {{ ref('event_types') }}
),

mart as (
    select column_name
    from (describe {{ ref('batch_metrics_by_run_year') }})
    where starts_with(column_name, 'events_')
),

engine as (
    select column_name
    from (describe select * from {{ source('wfsim_batch', 'metrics') }})
    where starts_with(column_name, 'events_')
)

select
    coalesce(seed.column_name, mart.column_name, engine.column_name)  as column_name,
    seed.column_name is not null                                       as in_event_types,
    mart.column_name is not null                                       as in_batch_metrics_by_run_year,
    engine.column_name is not null                                     as in_metrics_parquet
from seed
full outer join mart on mart.column_name = seed.column_name
full outer join engine on engine.column_name = coalesce(seed.column_name, mart.column_name)
where seed.column_name is null or mart.column_name is null or engine.column_name is null
