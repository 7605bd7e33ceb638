-- The inputs of the nondiscrimination tests (spec v1.4 section 9) for every snapshot row of
-- every kept run of a batch, one row per (scenario_id, random_seed, simulation_year,
-- employee_id); batch_ndt_by_run_year aggregates them like fct_ndt_by_year does for one run.
--
-- A batch keeps no census, so the HCEs and key employees are the snapshot's is_hce and
-- is_key_employee (the single-run project recomputes them from the census and checks them,
-- assert_hce_and_key_employees_equal_snapshot). Everything else is recomputed:
--
-- Testing pay tc = P = round_cents(ex_elig * factor) (spec 4.11) is not a snapshot column, so
-- ex_elig is folded again from the kept events and the snapshot, as spec 4.11 defines it: the
-- employed days of N (first = max(hire_date, Jan 1), last = min(termination_date, Dec 31)) are
-- split at the date of every event of the employee in N other than hire and termination that
-- is after the first day; each period carries the state after all events of its first day:
-- the salary is the compensation_amount of the employee's last event of N on or before that
-- day (by date, then event_sequence), else the previous_compensation of the first event of N
-- (the salary at Jan 1), else the snapshot's annual_salary (no event in N); the period is
-- eligible when the snapshot's eligibility_date is on or before its first day. Then, in date
-- order from 0.0, ex_elig = ex_elig + (salary * days) / D(N) for the eligible periods;
-- factor = 1 if prorated_compensation <= 401(a)(17) of the run's year (irs_limits_projection
-- over the run's resolved irs_limits), else 401(a)(17) / prorated_compensation. The model's
-- test holds round_cents(ex_elig) to the snapshot's eligible_compensation in every row.
--
-- The ADP/ACP population, ratios, coverage and balances as in fct_ndt_employee_years.
with snapshots as (
    select * from {{ ref('stg_wfsim_batch__snapshots') }}
),

events as (
    select * from {{ ref('stg_wfsim_batch__events') }}
),

runs as (
    select * from {{ ref('stg_wfsim_batch__runs') }}
),

limits as (
    {{ irs_limits_projection('runs', ['scenario_id', 'random_seed']) }}
),

employed as (
    select
        scenario_id,
        random_seed,
        simulation_year,
        employee_id,
        greatest(hire_date, {{ jan1('simulation_year') }})                               as first_day,
        least(coalesce(termination_date, {{ dec31('simulation_year') }}), {{ dec31('simulation_year') }}) as last_day,
        {{ days_in_year('simulation_year') }}                                             as days_in_year,
        eligibility_date,
        annual_salary
    from snapshots
),

first_events as (
    -- The salary at Jan 1 of an employee with events in N: before the first of them.
    select scenario_id, random_seed, simulation_year, employee_id,
           arg_min(previous_compensation, event_date_days * 1000 + event_sequence) as salary_at_jan1
    from (select *, cast(event_date - date '1970-01-01' as bigint) as event_date_days from events) as e
    group by scenario_id, random_seed, simulation_year, employee_id
),

boundaries as (
    select scenario_id, random_seed, simulation_year, employee_id, first_day as period_start
    from employed
    union
    select events.scenario_id, events.random_seed, events.simulation_year, events.employee_id, events.event_date
    from events
    inner join employed
        on  employed.scenario_id = events.scenario_id
        and employed.random_seed = events.random_seed
        and employed.simulation_year = events.simulation_year
        and employed.employee_id = events.employee_id
    where events.event_type not in ('hire', 'termination')
      and events.event_date > employed.first_day
      and events.event_date <= employed.last_day
),

periods as (
    select
        boundaries.*,
        coalesce(lead(boundaries.period_start) over (
                     partition by boundaries.scenario_id, boundaries.random_seed,
                                  boundaries.simulation_year, boundaries.employee_id
                     order by boundaries.period_start) - 1,
                 employed.last_day)                                                      as period_end,
        employed.days_in_year,
        employed.eligibility_date is not null
            and employed.eligibility_date <= boundaries.period_start                     as is_eligible,
        employed.annual_salary                                                           as year_end_salary
    from boundaries
    inner join employed
        on  employed.scenario_id = boundaries.scenario_id
        and employed.random_seed = boundaries.random_seed
        and employed.simulation_year = boundaries.simulation_year
        and employed.employee_id = boundaries.employee_id
),

event_salaries as (
    select
        scenario_id, random_seed, simulation_year, employee_id, event_date,
        -- the salary after the day's last event
        arg_max(compensation_amount, event_sequence) as salary_after
    from events
    group by scenario_id, random_seed, simulation_year, employee_id, event_date
),

period_pay as (
    select
        periods.*,
        coalesce(event_salaries.salary_after, first_events.salary_at_jan1, periods.year_end_salary) as salary
    from periods
    asof left join event_salaries
        on  event_salaries.scenario_id = periods.scenario_id
        and event_salaries.random_seed = periods.random_seed
        and event_salaries.simulation_year = periods.simulation_year
        and event_salaries.employee_id = periods.employee_id
        and event_salaries.event_date <= periods.period_start
    left join first_events
        on  first_events.scenario_id = periods.scenario_id
        and first_events.random_seed = periods.random_seed
        and first_events.simulation_year = periods.simulation_year
        and first_events.employee_id = periods.employee_id
),

eligible_pay as (
    select
        scenario_id, random_seed, simulation_year, employee_id,
        {{ ordered_fsum('case when is_eligible then (salary * cast(period_end - period_start + 1 as double))'
                        ~ ' / cast(days_in_year as double) else 0.0 end', 'period_start') }} as ex_elig
    from period_pay
    group by scenario_id, random_seed, simulation_year, employee_id
),

rows as (
    select
        snapshots.*,
        eligible_pay.ex_elig,
        limits.compensation_limit,
        case when snapshots.prorated_compensation <= limits.compensation_limit then 1.0::double
             else limits.compensation_limit / snapshots.prorated_compensation end        as pay_limit_factor
    from snapshots
    inner join eligible_pay
        on  eligible_pay.scenario_id = snapshots.scenario_id
        and eligible_pay.random_seed = snapshots.random_seed
        and eligible_pay.simulation_year = snapshots.simulation_year
        and eligible_pay.employee_id = snapshots.employee_id
    inner join limits
        on  limits.scenario_id = snapshots.scenario_id
        and limits.random_seed = snapshots.random_seed
        and limits.simulation_year = snapshots.simulation_year
),

tested as (
    select
        *,
        {{ round_cents('ex_elig') }}                                                      as eligible_compensation_replayed,
        {{ round_cents('ex_elig * pay_limit_factor') }}                                   as testing_compensation
    from rows
),

classified as (
    select
        *,
        coalesce(eligibility_date is not null
                 and eligibility_date <= {{ dec31('simulation_year') }}
                 and testing_compensation > 0, false)                                    as in_test_population,
        age >= 21 and tenure_years >= 1                                                  as is_non_excludable,
        employee_deferral - catch_up_deferral                                            as adp_amount,
        employer_match                                                                   as acp_amount,
        cast(round(employee_balance * 100) as bigint)
            + cast(round(employer_balance * 100) as bigint)                              as balance_cents
    from tested
)

select
    scenario_id,
    random_seed,
    simulation_year,
    employee_id,
    is_hce,
    is_key_employee,
    prorated_compensation,
    compensation_limit,
    pay_limit_factor,
    ex_elig,
    eligible_compensation,
    eligible_compensation_replayed,
    testing_compensation,
    in_test_population,
    is_non_excludable,
    is_non_excludable and in_test_population                                              as is_benefiting,
    adp_amount,
    acp_amount,
    case when in_test_population then {{ ndt_ratio('adp_amount', 'testing_compensation') }} end as adp_ratio,
    case when in_test_population then {{ ndt_ratio('acp_amount', 'testing_compensation') }} end as acp_ratio,
    balance_cents
from classified
