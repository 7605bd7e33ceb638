-- The population of each simulated year (spec 4.10: A(N) plus N's hires): every employee from
-- the year they enter (start_year for the census, the hire year for hires) through the year
-- they terminate, or the run's last year. Built from the census and the events only.
with run as (
    select * from {{ ref('stg_wfsim__run') }}
),

employees as (
    select * from {{ ref('int_employees') }}
),

terminations as (
    select employee_id, min(event_date) as termination_date, min(simulation_year) as termination_year
    from {{ ref('stg_wfsim__events') }}
    where event_type = 'termination'
    group by employee_id
),

spine as (
    select
        employees.employee_id,
        cast(unnest(range(employees.first_year,
                          least(coalesce(terminations.termination_year, run.end_year), run.end_year) + 1)) as integer)
            as simulation_year
    from employees
    cross join run
    left join terminations using (employee_id)
)

select
    spine.employee_id || '|' || cast(spine.simulation_year as varchar) as employee_year_id,
    spine.employee_id,
    spine.simulation_year,
    {{ jan1('spine.simulation_year') }}                                 as year_start,
    {{ dec31('spine.simulation_year') }}                                as year_end,
    {{ days_in_year('spine.simulation_year') }}                         as days_in_year,
    employees.origin,
    employees.hire_date,
    year(employees.hire_date) = spine.simulation_year                   as hired_this_year,
    case when terminations.termination_year = spine.simulation_year
         then terminations.termination_date end                         as termination_date,
    greatest(employees.hire_date, {{ jan1('spine.simulation_year') }})  as employed_from,
    case when terminations.termination_year = spine.simulation_year
         then terminations.termination_date
         else {{ dec31('spine.simulation_year') }} end                  as employed_through
from spine
inner join employees using (employee_id)
left join terminations using (employee_id)
