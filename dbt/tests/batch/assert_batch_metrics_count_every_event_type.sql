-- Every event type is counted: the seed batch_metrics (the columns of metrics.parquet, from
-- which batch_metrics_by_run_year generates its events_<event_type> counts), the mart and
-- metrics.parquet each have exactly one events_<event_type> column per event_type of the seed
-- event_types, and each such row of batch_metrics names its event_type (event_type set, and
-- metric = 'events_' || event_type). Returns each events_* column that one of the four lacks
-- or whose batch_metrics row is inconsistent.
with event_types as (
    select distinct 'events_' || event_type as column_name from {{ ref('event_types') }}
),

seed as (
    select metric as column_name, event_type
    from {{ ref('batch_metrics') }}
    where event_type is not null or starts_with(metric, 'events_')
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
),

names as (
    select column_name from event_types
    union select column_name from seed
    union select column_name from mart
    union select column_name from engine
),

checked as (
    select
        names.column_name,
        names.column_name in (select column_name from event_types)  as in_event_types,
        seed.column_name is not null                                  as in_batch_metrics,
        seed.event_type                                               as batch_metrics_event_type,
        names.column_name in (select column_name from mart)          as in_batch_metrics_by_run_year,
        names.column_name in (select column_name from engine)        as in_metrics_parquet
    from names
    left join seed on seed.column_name = names.column_name
)

select *
from checked
where not (in_event_types and in_batch_metrics and in_batch_metrics_by_run_year and in_metrics_parquet)
   or batch_metrics_event_type is null
   or column_name <> 'events_' || batch_metrics_event_type
