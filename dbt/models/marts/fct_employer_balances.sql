-- The accounts per employee-year (spec 4.12): the employee account and the two employer
-- sub-accounts, match and core, with the year's investment return, vesting by source,
-- forfeitures and year-end balances, from the census balances and the money of
-- fct_employee_contributions (computed from the events, not the snapshot). With
-- ret = accounts.annual_return, in this order:
--   employee_balance = round_cents(previous employee * (1 + ret) + employee_deferral)
--   mbal             = round_cents(previous match part * (1 + ret) + employer_match)
--   cbal             = round_cents(previous core part * (1 + ret) + employer_core)
--                      (1 + ret) is evaluated first; with ret = 0 the product is the balance
--                      itself. An employee's first previous values are the census columns as
--                      read: employee_balance; employer_balance - core_balance (the match part,
--                      one DOUBLE subtraction, unrounded); core_balance. Hires start at 0. The
--                      first rounding rounds the census values.
--   vested_fraction      = vesting_match_schedule[min(years_between(hire_date, X), len - 1)]
--   core_vested_fraction = vesting_core_schedule[likewise]
--                      X the termination date for a leaver of the year, else Dec 31; each
--                      schedule is vesting.match_schedule / core_schedule, else vesting.schedule
--   leaver:            fm = round_cents(mbal * (1 - vested_fraction)),
--                      fc = round_cents(cbal * (1 - core_vested_fraction)),
--                      forfeiture = round_cents(fm + fc),
--                      match part = round_cents(mbal - fm), core part = round_cents(cbal - fc)
--   otherwise:         forfeiture = 0, the parts are mbal and cbal
--   employer_balance = round_cents(match part + core part); core_balance = the core part
-- The carry is sequential (each year rounds), so the years are walked by a recursive CTE that
-- carries the three unforfeited balances. A leaver's termination year is their last row, so
-- the forfeiture, which only a leaver has, is taken after the walk and never carried.
--
-- The investment return of the year in dollars, per account, is an analytical column only (the
-- balances above never use it): `*_return = round_cents(opening * (1 + ret) - opening)`,
-- rounded to cents. So closing = opening + return + contribution holds to a cent, not exactly.
with recursive

run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
),

census as (
    select
        employee_id,
        coalesce(employee_balance, 0.0::double)                            as employee_balance,
        coalesce(employer_balance, 0.0::double)                            as employer_balance,
        -- The census match part, as the engine reads it: employer_balance - core_balance.
        coalesce(employer_balance, 0.0::double) - coalesce(core_balance, 0.0::double)
                                                                          as match_balance,
        coalesce(core_balance, 0.0::double)                                as core_balance
    from {{ ref('stg_wfsim__census') }}
),

years as (
    select
        contributions.employee_year_id,
        contributions.employee_id,
        contributions.simulation_year,
        contributions.employee_deferral,
        contributions.employer_match,
        contributions.employer_core,
        workforce.hire_date,
        workforce.termination_date,
        row_number() over (partition by contributions.employee_id
                           order by contributions.simulation_year)        as year_number
    from {{ ref('fct_employee_contributions') }} as contributions
    inner join {{ ref('int_workforce_replayed') }} as workforce using (employee_year_id)
),

growth as (
    select 1.0::double + accounts_annual_return as growth from run_config
),

carried as (
    select
        years.employee_id,
        years.year_number,
        coalesce(census.employee_balance, 0.0::double)                   as employee_opening_balance,
        coalesce(census.match_balance, 0.0::double)                      as match_opening_balance,
        coalesce(census.core_balance, 0.0::double)                       as core_opening_balance,
        {{ round_cents('coalesce(census.employee_balance, 0.0::double) * growth.growth + years.employee_deferral') }}
                                                                          as employee_balance,
        {{ round_cents('coalesce(census.match_balance, 0.0::double) * growth.growth + years.employer_match') }}
                                                                          as mbal,
        {{ round_cents('coalesce(census.core_balance, 0.0::double) * growth.growth + years.employer_core') }}
                                                                          as cbal
    from years
    left join census using (employee_id)
    cross join growth
    where years.year_number = 1

    union all

    select
        years.employee_id,
        years.year_number,
        carried.employee_balance                                         as employee_opening_balance,
        carried.mbal                                                     as match_opening_balance,
        carried.cbal                                                     as core_opening_balance,
        {{ round_cents('carried.employee_balance * growth.growth + years.employee_deferral') }}
                                                                          as employee_balance,
        {{ round_cents('carried.mbal * growth.growth + years.employer_match') }}
                                                                          as mbal,
        {{ round_cents('carried.cbal * growth.growth + years.employer_core') }}
                                                                          as cbal
    from carried
    inner join years
        on years.employee_id = carried.employee_id
       and years.year_number = carried.year_number + 1
    cross join growth
),

vesting as (
    select
        years.employee_year_id,
        years.employee_id,
        years.simulation_year,
        years.year_number,
        years.termination_date is not null                                as terminated_in_year,
        greatest({{ years_between('years.hire_date', 'coalesce(years.termination_date, ' ~ dec31('years.simulation_year') ~ ')') }}, 0)
                                                                          as vesting_years,
        run_config.accounts_annual_return                                 as annual_return,
        growth.growth,
        run_config.vesting_match_schedule,
        run_config.vesting_core_schedule,
        years.employee_deferral,
        years.employer_match,
        years.employer_core,
        carried.employee_opening_balance,
        carried.match_opening_balance,
        carried.core_opening_balance,
        carried.employee_balance,
        carried.mbal,
        carried.cbal
    from years
    inner join carried using (employee_id, year_number)
    cross join run_config
    cross join growth
),

vested as (
    select
        *,
        vesting_match_schedule[least(vesting_years, len(vesting_match_schedule) - 1) + 1] as vested_fraction,
        vesting_core_schedule[least(vesting_years, len(vesting_core_schedule) - 1) + 1]   as core_vested_fraction
    from vesting
),

forfeitures as (
    select
        *,
        case when terminated_in_year then {{ round_cents('mbal * (1.0::double - vested_fraction)') }}
             else 0.0::double end                                         as match_forfeiture,
        case when terminated_in_year then {{ round_cents('cbal * (1.0::double - core_vested_fraction)') }}
             else 0.0::double end                                         as core_forfeiture
    from vested
),

parts as (
    select
        *,
        case when terminated_in_year then {{ round_cents('match_forfeiture + core_forfeiture') }}
             else 0.0::double end                                         as forfeiture,
        case when terminated_in_year then {{ round_cents('mbal - match_forfeiture') }}
             else mbal end                                                as match_balance,
        case when terminated_in_year then {{ round_cents('cbal - core_forfeiture') }}
             else cbal end                                                as core_balance
    from forfeitures
),

balances as (
    select
        *,
        {{ round_cents('match_balance + core_balance') }}                 as employer_balance,
        {{ round_cents('employee_opening_balance * growth - employee_opening_balance') }} as employee_return,
        {{ round_cents('match_opening_balance * growth - match_opening_balance') }}       as match_return,
        {{ round_cents('core_opening_balance * growth - core_opening_balance') }}         as core_return
    from parts
)

select
    balances.employee_year_id,
    balances.employee_id,
    balances.simulation_year,
    balances.terminated_in_year,
    balances.vesting_years,
    balances.annual_return,
    -- the employee account (always fully vested)
    balances.employee_opening_balance,
    balances.employee_return,
    balances.employee_deferral,
    balances.employee_balance,
    -- the match sub-account
    balances.match_opening_balance,
    balances.match_return,
    balances.employer_match,
    balances.mbal                                                         as match_balance_before_forfeiture,
    balances.vested_fraction,
    balances.match_forfeiture,
    balances.match_balance,
    -- the core sub-account
    balances.core_opening_balance,
    balances.core_return,
    balances.employer_core,
    balances.cbal                                                         as core_balance_before_forfeiture,
    balances.core_vested_fraction,
    balances.core_forfeiture,
    balances.core_balance,
    -- the employer account (match + core)
    case when balances.year_number = 1 then coalesce(census.employer_balance, 0.0::double)
         else lag(balances.employer_balance) over (partition by balances.employee_id
                                                   order by balances.simulation_year) end
                                                                          as opening_balance,
    {{ round_cents('balances.match_return + balances.core_return') }}      as employer_return,
    balances.forfeiture,
    balances.employer_balance
from balances
left join census using (employee_id)
