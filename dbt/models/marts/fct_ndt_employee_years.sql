-- The people and amounts of the nondiscrimination tests (spec v1.4 section 9), one row per
-- employee-year of the engine's snapshots (every row of the year, leavers included), recomputed
-- in SQL: fct_ndt_by_year aggregates them.
--
-- - Look-back pay lb: for N > start_year the employee's prorated_compensation in snapshot N-1
--   (0 when there is no such row: hired in N); for N = start_year the census
--   prior_year_compensation when the cell is non-empty, else the census annual_salary (the
--   year's hires: 0).
-- - is_hce: ownership_pct > 0.05, or lb > hce_compensation(N-1) (the 414(q) amount of the
--   look-back year, int_irs_limits_by_year.hce_compensation_lookback_limit).
-- - is_key_employee (as of Dec 31): ownership_pct > 0.05; or ownership_pct > 0.01 and
--   prorated_compensation > 150,000; or officer and prorated_compensation >
--   key_officer_compensation(N). ownership_pct and officer are the census's (0 and false for
--   hires and where the census has none).
--   assert_hce_and_key_employees_equal_snapshot checks both against the snapshot's columns.
-- - Testing pay tc = P = round_cents(ex_elig * factor) of spec 4.11 (eligible pay within
--   401(a)(17)), fct_employee_contributions.testing_compensation; not a snapshot column.
-- - The ADP/ACP population: eligibility_date not null and <= Dec 31 and tc > 0. Its ratios in
--   hundredths of a percent: adr = round_half_away(((employee_deferral - catch_up_deferral) *
--   10000) / tc), acr = round_half_away((employer_match * 10000) / tc); null outside it.
-- - Coverage: non-excludable = age >= 21 and tenure_years >= 1 (the snapshot's, at Dec 31 or
--   the termination date); benefiting = non-excludable and in the ADP/ACP population.
-- - Top-heavy: the row's balance in integer cents, cents(employee_balance) +
--   cents(employer_balance).
-- The amounts (deferrals, match, balances, age, tenure, eligibility, pay) are the engine
-- snapshot's own, so a snapshot edited after the run moves these tests away from the run's
-- generation_summary.json (assert_ndt_equals_generation_summary).
with snapshots as (
    select * from {{ ref('stg_wfsim__snapshots') }}
),

run as (
    select * from {{ ref('stg_wfsim__run') }}
),

census as (
    select * from {{ ref('stg_wfsim__census') }}
    where not is_leaver
),

limits as (
    select * from {{ ref('int_irs_limits_by_year') }}
),

people as (
    select
        snapshots.employee_year_id,
        snapshots.employee_id,
        snapshots.simulation_year,
        census.employee_id is not null                                   as is_census_employee,
        case
            when snapshots.simulation_year > run.start_year
                then coalesce(previous.prorated_compensation, 0.0::double)
            when census.employee_id is not null
                then coalesce(census.prior_year_compensation, census.annual_salary)
            else 0.0::double
        end                                                               as lookback_compensation,
        case
            when snapshots.simulation_year > run.start_year then 'prorated_compensation of year N-1'
            when census.employee_id is null then 'hire of the first year'
            when census.prior_year_compensation is not null then 'census prior_year_compensation'
            else 'census annual_salary'
        end                                                               as lookback_source,
        limits.hce_compensation_lookback_limit,
        limits.key_officer_compensation_limit,
        coalesce(census.ownership_pct, 0.0::double)                       as ownership_pct,
        coalesce(census.officer, false)                                   as officer,
        snapshots.prorated_compensation,
        snapshots.eligibility_date,
        snapshots.age,
        snapshots.tenure_years,
        snapshots.employee_deferral,
        snapshots.catch_up_deferral,
        snapshots.employer_match,
        snapshots.employee_balance,
        snapshots.employer_balance,
        contributions.testing_compensation
    from snapshots
    cross join run
    inner join limits on limits.simulation_year = snapshots.simulation_year
    left join snapshots as previous
        on previous.employee_id = snapshots.employee_id
       and previous.simulation_year = snapshots.simulation_year - 1
    left join census on census.employee_id = snapshots.employee_id
    left join {{ ref('fct_employee_contributions') }} as contributions
        on contributions.employee_year_id = snapshots.employee_year_id
),

classified as (
    select
        *,
        ownership_pct > {{ wfsim_double(0.05) }}
            or lookback_compensation > hce_compensation_lookback_limit    as is_hce,
        ownership_pct > {{ wfsim_double(0.05) }}
            or (ownership_pct > {{ wfsim_double(0.01) }} and prorated_compensation > {{ wfsim_double(150000) }})
            or (officer and prorated_compensation > key_officer_compensation_limit)
                                                                          as is_key_employee,
        coalesce(eligibility_date is not null
                 and eligibility_date <= {{ dec31('simulation_year') }}
                 and testing_compensation > 0, false)                     as in_test_population,
        age >= 21 and tenure_years >= 1                                   as is_non_excludable,
        employee_deferral - catch_up_deferral                             as adp_amount,
        employer_match                                                    as acp_amount,
        cast(round(employee_balance * 100) as bigint)
            + cast(round(employer_balance * 100) as bigint)               as balance_cents
    from people
)

select
    employee_year_id,
    employee_id,
    simulation_year,
    is_census_employee,
    lookback_compensation,
    lookback_source,
    hce_compensation_lookback_limit,
    key_officer_compensation_limit,
    ownership_pct,
    officer,
    prorated_compensation,
    is_hce,
    is_key_employee,
    testing_compensation,
    in_test_population,
    is_non_excludable,
    is_non_excludable and in_test_population                              as is_benefiting,
    adp_amount,
    acp_amount,
    case when in_test_population then {{ ndt_ratio('adp_amount', 'testing_compensation') }} end as adp_ratio,
    case when in_test_population then {{ ndt_ratio('acp_amount', 'testing_compensation') }} end as acp_ratio,
    balance_cents
from classified
