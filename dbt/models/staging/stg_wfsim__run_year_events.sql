-- generation_summary.json's per-year event counters, one row per (simulated year, kind of the
-- seed event_types): `years[].<counter>` read by the kind's counter name, so the kinds are
-- listed only in the seed. null when the summary has no such counter.
with summary as (
    select unnest(years) as y from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(summary.y.year as integer)                                       as simulation_year,
    kinds.event_category,
    kinds.event_type,
    kinds.counter,
    cast(json_extract_string(to_json(summary.y), '$."' || kinds.counter || '"') as integer)
                                                                          as events
from summary
cross join {{ ref('event_types') }} as kinds
