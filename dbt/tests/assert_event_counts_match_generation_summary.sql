-- The event files hold exactly the events generation_summary.json counts, year by year: for
-- every kind of the seed event_types, the year's events of its event_category equal the
-- summary's counter of that kind (stg_wfsim__run_year_events, read by the seed's counter
-- names); the year's events equal the summary's `events`; and the summary's counters of the
-- seed's kinds add up to its `events`, so a counter the seed does not know shows too. Nothing
-- here names a kind: a new kind in the seed is checked as it is. Returns one row per
-- differing count: the year, what is counted, the events' count and the summary's.
with events as (
    select * from {{ ref('stg_wfsim__events') }}
),

summary_by_kind as (
    select * from {{ ref('stg_wfsim__run_year_events') }}
),

summary_years as (
    select * from {{ ref('stg_wfsim__run_years') }}
),

counted_by_kind as (
    select simulation_year, event_category, count(*) as events
    from events
    group by simulation_year, event_category
),

counted_years as (
    select simulation_year, count(*) as events
    from events
    group by simulation_year
),

by_kind as (
    select
        coalesce(counted.simulation_year, summary.simulation_year)           as simulation_year,
        coalesce(summary.counter, 'event_category ' || counted.event_category
                                  || ' (not in the seed event_types)')     as counted,
        coalesce(counted.events, 0)                                          as in_events,
        summary.events                                                       as in_summary
    from counted_by_kind as counted
    full outer join summary_by_kind as summary
        on  summary.simulation_year = counted.simulation_year
        and summary.event_category = counted.event_category
),

totals as (
    select
        coalesce(counted.simulation_year, summary.simulation_year)  as simulation_year,
        'events'                                                    as counted,
        counted.events                                              as in_events,
        summary.events                                              as in_summary
    from counted_years as counted
    full outer join summary_years as summary
        on summary.simulation_year = counted.simulation_year
),

counters_summed as (
    select
        summary_years.simulation_year,
        'events (the sum of the summary''s counters of the seed''s kinds)' as counted,
        sum(summary_by_kind.events)                                        as in_events,
        summary_years.events                                               as in_summary
    from summary_years
    left join summary_by_kind
        on summary_by_kind.simulation_year = summary_years.simulation_year
    group by summary_years.simulation_year, summary_years.events
)

select *
from (
    select * from by_kind
    union all
    select * from totals
    union all
    select * from counters_summed
)
where in_events is distinct from in_summary
order by simulation_year, counted
