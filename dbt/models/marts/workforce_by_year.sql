-- Workforce flows by year: headcount at Jan 1 and Dec 31, hires, terminations by kind, growth
-- and turnover. Headcounts come from the replayed workforce, flows from the events.
-- total_terminations counts every termination event (event_type), so it and the growth
-- identity stay whole if the seed event_types gains a termination kind that has no column here.
-- growth_pct = (end - start) / start; turnover_pct = all terminations / start headcount;
-- experienced_turnover_pct = experienced and RIF terminations / start headcount.
with workforce as (
    select * from {{ ref('int_workforce_replayed') }}
),

events as (
    select * from {{ ref('stg_wfsim__events') }}
),

headcount as (
    select
        simulation_year,
        count(*) filter (where not hired_this_year)                  as start_headcount,
        count(*) filter (where employment_status = 'active')         as end_headcount
    from workforce
    group by simulation_year
),

flows as (
    select
        simulation_year,
        count(*) filter (where event_type = 'hire')                                    as hires,
        count(*) filter (where event_category = 'experienced_termination')            as experienced_terminations,
        count(*) filter (where event_category = 'reduction_in_force')                 as rif_terminations,
        count(*) filter (where event_category = 'new_hire_termination')               as new_hire_terminations,
        count(*) filter (where event_type = 'termination')                            as terminations
    from events
    group by simulation_year
)

select
    headcount.simulation_year,
    cast(headcount.start_headcount as integer)                                        as start_headcount,
    cast(coalesce(flows.hires, 0) as integer)                                         as hires,
    cast(coalesce(flows.experienced_terminations, 0) as integer)                      as experienced_terminations,
    cast(coalesce(flows.rif_terminations, 0) as integer)                              as rif_terminations,
    cast(coalesce(flows.new_hire_terminations, 0) as integer)                         as new_hire_terminations,
    cast(coalesce(flows.terminations, 0) as integer)                                  as total_terminations,
    cast(headcount.end_headcount as integer)                                          as end_headcount,
    cast(headcount.end_headcount - headcount.start_headcount as integer)              as net_change,
    {{ pct('headcount.end_headcount - headcount.start_headcount', 'headcount.start_headcount') }} as growth_pct,
    {{ pct('coalesce(flows.terminations, 0)', 'headcount.start_headcount') }} as turnover_pct,
    {{ pct('coalesce(flows.experienced_terminations, 0) + coalesce(flows.rif_terminations, 0)', 'headcount.start_headcount') }} as experienced_turnover_pct,
    {{ pct('coalesce(flows.new_hire_terminations, 0)', 'coalesce(flows.hires, 0)') }} as new_hire_turnover_pct
from headcount
left join flows using (simulation_year)
order by headcount.simulation_year
