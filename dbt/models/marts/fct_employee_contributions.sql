-- Employee deferrals and employer contributions per employee-year (every employee of the
-- year, terminated ones included), computed from the census and the events alone, exactly as
-- spec 4.11 says, with the plan design of the run's resolved config (stg_wfsim__run_config)
-- and the year's IRS limits (int_irs_limits_by_year). The vesting columns are in
-- fct_employer_balances. assert_contributions_equal_snapshot checks every column against the
-- engine's snapshot, floats compared exactly.
--
-- Periods (int_compensation_periods): the employed days split at every event date other than
-- hire and termination. Folded in date order from 0.0 (acc = acc + term, ordered_fsum), with
-- pay = (salary * days) / D(N):
--   ex_def   += pay * r                (0 when not enrolled; r the enrolled deferral rate)
--   ex_match += pay * mshare(r)        (0 when not enrolled)
--   ex_elig  += pay                    (0 when not eligible)
-- mshare uses the year's tier set: employer_match.tiers, or the by_service entry for the tenure
-- at Jan 1, or the by_points entry for the points at Jan 1 (points = age at Jan 1 + tenure at
-- Jan 1, integers; this year's hires count tenure 0 in both tables). Then, left to right:
--   elected_deferral  = round_cents(ex_def)
--   catch_up_limit    = Lcu60 if 60 <= age at Dec 31 <= 63 and irs_limits.catch_up_60_63
--                       else Lcu50 if age at Dec 31 >= 50 else 0
--   employee_deferral = min(elected_deferral, L402g + catch_up_limit)
--   catch_up_deferral = round_cents(max(employee_deferral - L402g, 0))
--   factor            = 1 if prorated_compensation <= L401a17 else L401a17 / prorated_compensation
--   ratio             = employee_deferral / elected_deferral (0 when nothing was elected)
--   match_pp          = round_cents(ex_match * factor * ratio)
--   match_before_415  = match_pp, or with true_up max(match_pp, round_cents(P * mshare(min(employee_deferral / P, 1))))
--                       with P = round_cents(ex_elig * factor) (0 when P = 0); 0 under last_day_rule for a leaver
--   core_before_415   = round_cents(ex_elig * factor * core_rate); 0 under last_day_rule for a leaver
--                       (core_rate: employer_core.rate, or by_service at the Jan 1 tenure, by_age at
--                       the Jan 1 age or by_points at the Jan 1 points)
--                       with employer_core.integration {excess_rate, level} (spec v1.4, 401(l)):
--                       round_cents(ex_elig * factor * core_rate + max(P - IL, 0) * excess_rate),
--                       P = round_cents(ex_elig * factor), IL = the year's ss_wage_base (level
--                       wage_base), round_cents(ss_wage_base * f) ({fraction: f}) or a ({amount: a})
--   d415              = round_cents(employee_deferral - catch_up_deferral)
--   employer_match    = min(match_before_415, max(round_cents(L415 - d415), 0))
--   employer_core     = min(core_before_415, max(round_cents(L415 - d415 - employer_match), 0))
-- testing_compensation is P = round_cents(ex_elig * factor), the testing pay of the ADP and ACP
-- tests (spec section 9; fct_ndt_employee_years).
with run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
),

workforce as (
    select * from {{ ref('int_workforce_replayed') }}
),

limits as (
    select * from {{ ref('int_irs_limits_by_year') }}
),

start_of_year as (
    -- Tenure at Jan 1 for the by_service tables (this year's hires count as 0), age at Jan 1
    -- for by_age, and their sum, the points of the by_points tables.
    select
        employee_year_id,
        employee_id,
        simulation_year,
        case when hired_this_year then 0
             else {{ years_between('hire_date', jan1('simulation_year')) }} end as tenure_at_jan1,
        {{ years_between('birth_date', jan1('simulation_year')) }}              as age_at_jan1
    from workforce
),

start_points as (
    select *, age_at_jan1 + tenure_at_jan1 as points_at_jan1
    from start_of_year
),

plan as (
    -- The plan design that applies to each employee-year: the match tier set and the core rate.
    select
        start_points.*,
        -- The engine's order: by_service, else by_points, else tiers (validation allows one).
        case
            when run_config.match_by_service is not null
                then struct_extract({{ step_at('run_config.match_by_service', 'min_years', 'start_points.tenure_at_jan1') }}, 'tiers')
            when run_config.match_by_points is not null
                then struct_extract({{ step_at('run_config.match_by_points', 'min_points', 'start_points.points_at_jan1') }}, 'tiers')
            else run_config.match_tiers
        end                                                             as match_tiers,
        -- The engine's order: by_service, by_age, by_points, else the flat rate.
        case
            when run_config.core_by_service is not null
                then struct_extract({{ step_at('run_config.core_by_service', 'min_years', 'start_points.tenure_at_jan1') }}, 'rate')
            when run_config.core_by_age is not null
                then struct_extract({{ step_at('run_config.core_by_age', 'min_age', 'start_points.age_at_jan1') }}, 'rate')
            when run_config.core_by_points is not null
                then struct_extract({{ step_at('run_config.core_by_points', 'min_points', 'start_points.points_at_jan1') }}, 'rate')
            else run_config.core_rate
        end                                                             as core_rate
    from start_points
    cross join run_config
),

period_totals as (
    select
        periods.employee_id,
        periods.simulation_year,
        {{ ordered_fsum('case when periods.is_enrolled then periods.period_compensation * periods.deferral_rate else 0.0 end',
                        'periods.period_start') }}                      as ex_def,
        {{ ordered_fsum('case when periods.is_enrolled then periods.period_compensation * '
                        ~ match_share('periods.deferral_rate', 'plan.match_tiers') ~ ' else 0.0 end',
                        'periods.period_start') }}                      as ex_match,
        {{ ordered_fsum('case when periods.is_eligible then periods.period_compensation else 0.0 end',
                        'periods.period_start') }}                      as ex_elig,
        bool_or(periods.is_enrolled and periods.deferral_rate > 0)      as deferred_in_year,
        max(case when periods.is_enrolled then periods.deferral_rate end) as max_deferral_rate
    from {{ ref('int_compensation_periods') }} as periods
    inner join plan
        on plan.employee_id = periods.employee_id and plan.simulation_year = periods.simulation_year
    group by periods.employee_id, periods.simulation_year
),

base as (
    select
        workforce.employee_year_id,
        workforce.employee_id,
        workforce.simulation_year,
        workforce.employment_status,
        workforce.termination_date is not null                           as terminated_in_year,
        workforce.plan_eligible,
        workforce.is_enrolled,
        plan.tenure_at_jan1,
        plan.age_at_jan1,
        plan.points_at_jan1,
        {{ years_between('workforce.birth_date', dec31('workforce.simulation_year')) }} as age_at_year_end,
        workforce.prorated_compensation                                  as gross_compensation,
        plan.match_tiers,
        plan.core_rate,
        limits.elective_deferral_limit,
        limits.catch_up_limit                                            as catch_up_50_limit,
        limits.catch_up_60_63_limit,
        limits.compensation_limit,
        limits.annual_additions_limit,
        limits.ss_wage_base,
        coalesce(period_totals.deferred_in_year, false)                 as deferred_in_year,
        period_totals.max_deferral_rate,
        coalesce(period_totals.ex_def, 0.0::double)                     as ex_def,
        coalesce(period_totals.ex_match, 0.0::double)                   as ex_match,
        coalesce(period_totals.ex_elig, 0.0::double)                    as ex_elig
    from workforce
    inner join plan on plan.employee_year_id = workforce.employee_year_id
    inner join limits on limits.simulation_year = workforce.simulation_year
    left join period_totals
        on period_totals.employee_id = workforce.employee_id
       and period_totals.simulation_year = workforce.simulation_year
),

deferrals as (
    select
        base.*,
        {{ round_cents('ex_elig') }}                                     as eligible_compensation,
        {{ round_cents('ex_def') }}                                      as elected_deferral,
        case
            when run_config.irs_catch_up_60_63 and age_at_year_end between 60 and 63 then catch_up_60_63_limit
            when age_at_year_end >= 50 then catch_up_50_limit
            else 0.0::double
        end                                                              as catch_up_limit,
        -- 401(a)(17), applied pro rata to every period.
        case when gross_compensation <= compensation_limit then 1.0::double
             else compensation_limit / gross_compensation end            as pay_limit_factor,
        run_config.match_true_up,
        run_config.match_last_day_rule,
        run_config.core_last_day_rule,
        run_config.core_integration_excess_rate,
        -- The integration level IL of the year (null without integration).
        case run_config.core_integration_level_form
            when 'wage_base' then base.ss_wage_base
            when 'fraction' then {{ round_cents('base.ss_wage_base * run_config.core_integration_fraction') }}
            when 'amount' then run_config.core_integration_amount
        end                                                              as core_integration_level
    from base
    cross join run_config
),

employee_money as (
    select
        *,
        elective_deferral_limit + catch_up_limit                         as deferral_limit,
        least(elected_deferral, elective_deferral_limit + catch_up_limit) as employee_deferral,
        -- The integrated core's excess pay max(P - IL, 0), P = round_cents(ex_elig * factor),
        -- as a CASE (never -0.0); null without integration.
        case
            when core_integration_level is null then null
            when {{ round_cents('ex_elig * pay_limit_factor') }} - core_integration_level > 0
                then {{ round_cents('ex_elig * pay_limit_factor') }} - core_integration_level
            else 0.0::double
        end                                                              as core_excess_compensation
    from deferrals
),

employer_pre_415 as (
    select
        *,
        {{ round_cents('greatest(employee_deferral - elective_deferral_limit, 0.0::double)') }} as catch_up_deferral,
        {{ round_cents('ex_match * pay_limit_factor'
                       ~ ' * case when elected_deferral > 0 then employee_deferral / elected_deferral else 0.0::double end') }}
                                                                         as match_per_period,
        {{ round_cents('ex_elig * pay_limit_factor') }}                 as true_up_compensation,
        case
            when core_excess_compensation is null
                then {{ round_cents('ex_elig * pay_limit_factor * core_rate') }}
            else {{ round_cents('ex_elig * pay_limit_factor * core_rate'
                                ~ ' + core_excess_compensation * core_integration_excess_rate') }}
        end                                                              as core_formula
    from employee_money
),

true_up as (
    select
        *,
        case when true_up_compensation = 0 then 0.0::double
             else {{ round_cents('true_up_compensation * '
                                 ~ match_share('least(employee_deferral / true_up_compensation, 1.0::double)', 'match_tiers')) }}
        end                                                              as match_annual
    from employer_pre_415
),

before_415 as (
    select
        *,
        case
            when match_last_day_rule and terminated_in_year then 0.0::double
            when match_true_up then greatest(match_per_period, match_annual)
            else match_per_period
        end                                                              as match_before_415,
        case when core_last_day_rule and terminated_in_year then 0.0::double
             else core_formula end                                       as core_before_415,
        {{ round_cents('employee_deferral - catch_up_deferral') }}       as deferral_counted_for_415
    from true_up
),

match_415 as (
    select
        *,
        least(match_before_415,
              greatest({{ round_cents('annual_additions_limit - deferral_counted_for_415') }}, 0.0::double))
            as employer_match
    from before_415
),

core_415 as (
    select
        *,
        least(core_before_415,
              greatest({{ round_cents('annual_additions_limit - deferral_counted_for_415 - employer_match') }}, 0.0::double))
            as employer_core
    from match_415
)

select
    employee_year_id,
    employee_id,
    simulation_year,
    employment_status,
    terminated_in_year,
    plan_eligible,
    is_enrolled,
    deferred_in_year,
    tenure_at_jan1,
    age_at_jan1,
    points_at_jan1,
    age_at_year_end,
    gross_compensation,
    {{ round_cents('least(gross_compensation, compensation_limit)') }} as plan_compensation,
    eligible_compensation,
    true_up_compensation                                                  as testing_compensation,
    max_deferral_rate,
    elected_deferral,
    deferral_limit,
    employee_deferral,
    catch_up_deferral,
    elected_deferral > deferral_limit                                      as is_deferral_limited,
    match_tiers,
    {{ match_share('1.0::double', 'match_tiers') }}                        as max_match_share,
    core_rate,
    core_integration_level,
    core_integration_excess_rate,
    core_excess_compensation,
    match_per_period,
    match_annual,
    match_before_415,
    core_before_415,
    employer_match,
    employer_core,
    {{ round_cents('employer_match + employer_core') }}                   as employer_total,
    {{ round_cents('deferral_counted_for_415 + employer_match + employer_core') }} as annual_additions,
    compensation_limit,
    elective_deferral_limit,
    catch_up_limit,
    annual_additions_limit,
    ss_wage_base
from core_415
