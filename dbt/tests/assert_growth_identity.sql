-- Exact growth (spec 4.2): every year start - terminations (every termination event:
-- experienced, RIF, new-hire) + hires = end headcount = the run's target
-- (generation_summary.json); each year starts where the previous one ended, and the first
-- starts with the census's active employees.
with workforce as (
    select * from {{ ref('workforce_by_year') }}
),

census_actives as (
    select count(*) as n from {{ ref('stg_wfsim__census') }} where not is_leaver
),

checked as (
    select
        workforce.*,
        run_years.target,
        lag(workforce.end_headcount) over (order by workforce.simulation_year) as previous_end,
        workforce.simulation_year = min(workforce.simulation_year) over ()     as is_first_year
    from workforce
    left join {{ ref('stg_wfsim__run_years') }} as run_years using (simulation_year)
)

select checked.*
from checked
cross join census_actives
where checked.start_headcount - checked.total_terminations + checked.hires <> checked.end_headcount
   or checked.end_headcount is distinct from checked.target
   or (not checked.is_first_year and checked.start_headcount <> checked.previous_end)
   or (checked.is_first_year and checked.start_headcount <> census_actives.n)
