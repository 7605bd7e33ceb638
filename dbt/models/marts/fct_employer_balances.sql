-- The employer-contribution account per employee-year (spec 4.12), without investment
-- returns: vested fraction, forfeiture and year-end balance, from the census balance and the
-- employer money of fct_employee_contributions (computed from the events, not the snapshot).
--   bal              = round_cents(previous employer_balance + employer_match + employer_core)
--                      the previous balance of an employee's first year is the census column
--                      employer_balance as read (0 for a hire): this first rounding rounds it
--   vested_fraction  = schedule[min(years_between(hire_date, X), len(schedule) - 1)], X the
--                      termination date for a leaver of the year, else Dec 31
--   leaver:            forfeiture = round_cents(bal * (1 - vested_fraction)),
--                      employer_balance = round_cents(bal - forfeiture)
--   otherwise:         forfeiture = 0, employer_balance = bal
-- The carry is sequential (each year rounds), so the years are walked by a recursive CTE. A
-- leaver's termination year is their last row, so only balances without a forfeiture are
-- carried.
with recursive

run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
),

census as (
    select employee_id, employer_balance from {{ ref('stg_wfsim__census') }}
),

years as (
    select
        contributions.employee_year_id,
        contributions.employee_id,
        contributions.simulation_year,
        contributions.employer_match,
        contributions.employer_core,
        workforce.hire_date,
        workforce.termination_date,
        row_number() over (partition by contributions.employee_id
                           order by contributions.simulation_year)        as year_number
    from {{ ref('fct_employee_contributions') }} as contributions
    inner join {{ ref('int_workforce_replayed') }} as workforce using (employee_year_id)
),

carried as (
    select
        years.employee_id,
        years.year_number,
        coalesce(census.employer_balance, 0.0::double)                   as opening_balance,
        {{ round_cents('coalesce(census.employer_balance, 0.0::double) + years.employer_match + years.employer_core') }} as bal
    from years
    left join census using (employee_id)
    where years.year_number = 1

    union all

    select
        years.employee_id,
        years.year_number,
        carried.bal                                                      as opening_balance,
        {{ round_cents('carried.bal + years.employer_match + years.employer_core') }} as bal
    from carried
    inner join years
        on years.employee_id = carried.employee_id
       and years.year_number = carried.year_number + 1
),

vesting as (
    select
        years.employee_year_id,
        years.employee_id,
        years.simulation_year,
        years.termination_date is not null                                as terminated_in_year,
        {{ years_between('years.hire_date', 'coalesce(years.termination_date, ' ~ dec31('years.simulation_year') ~ ')') }}
                                                                          as vesting_years,
        run_config.vesting_schedule[
            least(greatest({{ years_between('years.hire_date', 'coalesce(years.termination_date, ' ~ dec31('years.simulation_year') ~ ')') }}, 0),
                  len(run_config.vesting_schedule) - 1) + 1]             as vested_fraction,
        years.employer_match,
        years.employer_core,
        carried.opening_balance,
        carried.bal
    from years
    inner join carried using (employee_id, year_number)
    cross join run_config
),

forfeitures as (
    select
        *,
        case when terminated_in_year then {{ round_cents('bal * (1.0::double - vested_fraction)') }}
             else 0.0::double end                                         as forfeiture
    from vesting
)

select
    employee_year_id,
    employee_id,
    simulation_year,
    terminated_in_year,
    vesting_years,
    opening_balance,
    employer_match,
    employer_core,
    vested_fraction,
    forfeiture,
    case when terminated_in_year then {{ round_cents('bal - forfeiture') }} else bal end as employer_balance
from forfeitures
