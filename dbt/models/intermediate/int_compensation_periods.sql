-- Salary and deferral-rate periods per employee-year. The employed days of the year
-- (employed_from .. employed_through, the termination day included) are split at every date on
-- which an event changes pay or plan state: promotion, raise, eligibility, enrollment, opt-out,
-- escalation. Each period carries the state in force from its first day (after all events of
-- that day). salary_segment numbers the pay periods of the spec's proration, which split only at
-- hire, promotion and raise dates.
with years as (
    select * from {{ ref('int_employee_years') }}
),

employees as (
    select * from {{ ref('int_employees') }}
),

day_states as (
    select * from {{ ref('int_employee_event_state') }}
    where last_row_of_date
),

change_dates as (
    select distinct
        e.employee_id,
        e.simulation_year,
        e.event_date                                                   as period_start,
        bool_or(e.event_type in ('promotion', 'raise'))
            over (partition by e.employee_id, e.event_date)           as is_salary_change
    from {{ ref('stg_wfsim__events') }} as e
    inner join years
        on years.employee_id = e.employee_id and years.simulation_year = e.simulation_year
    where e.event_type in ('promotion', 'raise', 'eligibility', 'enrollment', 'opt_out', 'deferral_change', 'deferral_escalation')
      and e.event_date > years.employed_from
      and e.event_date <= years.employed_through
),

boundaries as (
    select employee_id, simulation_year, employed_from as period_start, false as is_salary_change
    from years
    union all
    select employee_id, simulation_year, period_start, is_salary_change
    from change_dates
),

periods as (
    select
        boundaries.employee_id,
        boundaries.simulation_year,
        row_number() over w                                            as period_number,
        boundaries.period_start,
        coalesce(lead(boundaries.period_start) over w - 1, years.employed_through) as period_end,
        boundaries.is_salary_change,
        sum(case when boundaries.is_salary_change then 1 else 0 end) over w as salary_segment,
        years.days_in_year
    from boundaries
    inner join years using (employee_id, simulation_year)
    window w as (partition by boundaries.employee_id, boundaries.simulation_year order by boundaries.period_start)
)

select
    periods.employee_id || '|' || cast(periods.simulation_year as varchar)
        || '|' || cast(periods.period_number as varchar)              as period_id,
    periods.employee_id,
    periods.simulation_year,
    cast(periods.period_number as integer)                           as period_number,
    periods.period_start,
    periods.period_end,
    cast(periods.period_end - periods.period_start + 1 as integer)    as days,
    cast(periods.days_in_year as integer)                            as days_in_year,
    cast(periods.salary_segment as integer)                          as salary_segment,
    coalesce(s.annual_salary, employees.initial_salary)               as annual_salary,
    coalesce(s.level_id, employees.initial_level_id)                  as level_id,
    coalesce(s.deferral_rate, employees.initial_deferral_rate)        as deferral_rate,
    coalesce(s.is_enrolled, employees.is_census_participant)          as is_enrolled,
    coalesce(s.eligibility_date, employees.baseline_eligibility_date) is not null as is_eligible,
    -- Pay earned over the period and the deferral on it (rate x pay).
    (coalesce(s.annual_salary, employees.initial_salary) * cast(periods.period_end - periods.period_start + 1 as double))
        / cast(periods.days_in_year as double)                        as period_compensation,
    ((coalesce(s.annual_salary, employees.initial_salary) * cast(periods.period_end - periods.period_start + 1 as double))
        / cast(periods.days_in_year as double))
        * coalesce(s.deferral_rate, employees.initial_deferral_rate) as period_deferral
from periods
inner join employees using (employee_id)
asof left join day_states as s
    on s.employee_id = periods.employee_id and s.event_date <= periods.period_start
