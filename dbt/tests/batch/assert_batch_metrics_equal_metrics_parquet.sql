-- The batch metrics recomputed from the kept snapshots and events (batch_metrics_by_run_year)
-- must equal the engine's metrics.parquet exactly: the same (scenario_id, random_seed,
-- simulation_year) rows, and in each row every metric column, floats compared with
-- `is distinct from` (no tolerance; null equals null). Returns one row per differing or
-- missing (run, year): `missing` says which side lacks it, or `differences` lists each column
-- that differs as `column: dbt X vs metrics.parquet Y`. The columns compared are the metrics
-- of the seed batch_metrics, read at run time in `position` order, so no metric
-- (events_<event_type> included) is listed here; assert_batch_metrics_columns_match_metrics_parquet
-- holds the seed, the mart and metrics.parquet to the same columns.
-- depends_on: {{ ref('batch_metrics') }}
{%- set metric_columns = batch_metrics() | map(attribute='metric') | list %}

with mart as (
    select *, true as in_mart from {{ ref('batch_metrics_by_run_year') }}
),

engine as (
    select *, true as in_engine from {{ ref('stg_wfsim_batch__metrics') }}
),

compared as (
    select
        coalesce(mart.scenario_id, engine.scenario_id)          as scenario_id,
        coalesce(mart.random_seed, engine.random_seed)          as random_seed,
        coalesce(mart.simulation_year, engine.simulation_year)  as simulation_year,
        case
            when engine.in_engine is null then 'missing from metrics.parquet'
            when mart.in_mart is null then 'missing from the kept snapshots and summaries'
        end                                                     as missing,
        case when engine.in_engine is null or mart.in_mart is null then []::varchar[] else list_filter([
            {%- for column in metric_columns %}
            case when mart.{{ column }} is distinct from engine.{{ column }}
                 then '{{ column }}: dbt ' || coalesce(cast(mart.{{ column }} as varchar), 'null')
                      || ' vs metrics.parquet ' || coalesce(cast(engine.{{ column }} as varchar), 'null') end
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ], lambda x: x is not null) end                         as differences
    from mart
    full outer join engine
        on  mart.scenario_id = engine.scenario_id
        and mart.random_seed = engine.random_seed
        and mart.simulation_year = engine.simulation_year
)

select *
from compared
where missing is not null or len(differences) > 0
order by scenario_id, random_seed, simulation_year
