-- generation_summary.json's per-year counts and money totals (the engine's integer-cent sums of
-- the snapshot columns, spec 8), one row per simulated year.
with summary as (
    select unnest(years) as y from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(y.year as integer)                     as simulation_year,
    cast(y.n_start as integer)                  as n_start,
    cast(y.target as integer)                   as target,
    cast(y.experienced_terminations as integer) as experienced_terminations,
    cast(y.rif_terminations as integer)         as rif_terminations,
    cast(y.hires as integer)                    as hires,
    cast(y.new_hire_terminations as integer)    as new_hire_terminations,
    cast(y.promotions as integer)               as promotions,
    cast(y.raises as integer)                   as raises,
    cast(y.eligibilities as integer)            as eligibilities,
    cast(y.voluntary_enrollments as integer)    as voluntary_enrollments,
    cast(y.auto_enrollments as integer)         as auto_enrollments,
    cast(y.opt_outs as integer)                 as opt_outs,
    cast(y.escalations as integer)              as escalations,
    cast(y.n_end as integer)                    as n_end,
    cast(y.events as integer)                   as events,
    cast(y.payroll as double)                   as payroll,
    cast(y.employee_deferrals as double)        as employee_deferrals,
    cast(y.employer_match as double)            as employer_match,
    cast(y.employer_core as double)             as employer_core,
    cast(y.forfeitures as double)               as forfeitures,
    cast(y.employer_cost as double)             as employer_cost
from summary
