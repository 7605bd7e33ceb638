-- generation_summary.json's per-year headcounts, event total and money totals (the engine's
-- integer-cent sums of the snapshot columns, spec 8, with spec v1.4's year-end account
-- balances employee_balances and employer_balances), one row per simulated year. The per-kind
-- event counters are stg_wfsim__run_year_events, read by the seed event_types' counter names.
with summary as (
    select unnest(years) as y from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(y.year as integer)                     as simulation_year,
    cast(y.n_start as integer)                  as n_start,
    cast(y.target as integer)                   as target,
    cast(y.n_end as integer)                    as n_end,
    cast(y.events as integer)                   as events,
    cast(y.payroll as double)                   as payroll,
    cast(y.employee_deferrals as double)        as employee_deferrals,
    cast(y.employer_match as double)            as employer_match,
    cast(y.employer_core as double)             as employer_core,
    cast(y.forfeitures as double)               as forfeitures,
    cast(y.employer_cost as double)             as employer_cost,
    cast(y.employee_balances as double)         as employee_balances,
    cast(y.employer_balances as double)         as employer_balances
from summary
