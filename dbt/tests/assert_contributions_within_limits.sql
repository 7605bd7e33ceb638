-- Contributions never exceed the IRS limits or the plan's formula: deferrals within 402(g)
-- plus the catch-up the employee's age allows; catch-up only at 50+ and within its limit; pay
-- counted within 401(a)(17); match within the year's tier set's largest share of that pay (true-up
-- included); core within the employee's core rate of it, plus the excess rate on the pay above
-- the integration level when the core is integrated; nothing for a leaver under a
-- last_day_rule; annual additions within 415(c); nothing negative; no deferral without
-- enrollment; the accounts consistent with their year (both vested fractions in [0, 1], a
-- forfeiture only for a leaver and never more than the account, the core part within the
-- employer account, and each account adding up: closing = opening + return + money, less the
-- forfeiture).
-- Eligible pay may exceed the prorated pay by a cent: it is summed over finer periods (split at
-- every event, spec 4.11), which round differently.
-- The match and core bounds allow one cent (compared with half a cent of slack, since a sum of
-- two cent amounts is not exact in DOUBLE): the contribution is rounded once from its periods,
-- the bound once from the year's pay. The account identities allow a cent per rounding that
-- stands between them: the employee account two (the return, the balance), the employer
-- account four (the return and the balance of each part).
with contributions as (
    select * from {{ ref('fct_employee_contributions') }}
),

balances as (
    select * from {{ ref('fct_employer_balances') }}
),

run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
)

select
    contributions.*,
    balances.opening_balance,
    balances.employer_return,
    balances.vested_fraction,
    balances.core_vested_fraction,
    balances.forfeiture,
    balances.employer_balance,
    balances.core_balance,
    balances.employee_opening_balance,
    balances.employee_return,
    balances.employee_balance
from contributions
inner join balances using (employee_year_id)
cross join run_config
where contributions.employee_deferral > contributions.elective_deferral_limit + contributions.catch_up_limit
   or (contributions.age_at_year_end < 50 and contributions.employee_deferral > contributions.elective_deferral_limit)
   or contributions.catch_up_deferral > contributions.catch_up_limit
   or contributions.plan_compensation > contributions.compensation_limit
   or contributions.eligible_compensation > contributions.gross_compensation + 0.015
   or contributions.employer_match > {{ round_cents('contributions.plan_compensation * contributions.max_match_share') }} + 0.015
   or contributions.employer_core > {{ round_cents('contributions.plan_compensation * contributions.core_rate'
                                                   ~ ' + coalesce(greatest(contributions.plan_compensation - contributions.core_integration_level, 0.0::double)'
                                                   ~ ' * contributions.core_integration_excess_rate, 0.0::double)') }} + 0.015
   or (contributions.terminated_in_year and run_config.match_last_day_rule and contributions.employer_match <> 0)
   or (contributions.terminated_in_year and run_config.core_last_day_rule and contributions.employer_core <> 0)
   or contributions.annual_additions > contributions.annual_additions_limit
   or least(contributions.employee_deferral, contributions.employer_match, contributions.employer_core,
            contributions.catch_up_deferral) < 0
   or (contributions.employee_deferral > 0 and not contributions.deferred_in_year)
   or balances.vested_fraction not between 0 and 1
   or balances.core_vested_fraction not between 0 and 1
   or balances.forfeiture < 0
   or (balances.forfeiture > 0 and not balances.terminated_in_year)
   or balances.employer_balance < 0
   or balances.core_balance not between 0 and balances.employer_balance
   or balances.forfeiture > balances.match_balance_before_forfeiture + balances.core_balance_before_forfeiture + 0.005
   or abs(balances.employer_balance + balances.forfeiture
          - (balances.opening_balance + balances.employer_return + balances.employer_match + balances.employer_core)) > 0.045
   or abs(balances.employee_balance
          - (balances.employee_opening_balance + balances.employee_return + balances.employee_deferral)) > 0.025
