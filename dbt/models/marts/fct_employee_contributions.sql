-- Employee deferrals and employer contributions per employee-year (every employee of the
-- year, terminated ones included), computed from the pay periods of int_compensation_periods:
--   elected deferral  = sum over enrolled periods of deferral rate x pay of the period
--   employee deferral = elected, capped at 402(g) + catch-up (50+ by Dec 31; 60-63 SECURE 2.0)
--   employer match    = per period, pay x matched share of the period's deferral rate (tiers of
--                       var employer_match_tiers), with pay limited to 401(a)(17) pro rata over
--                       the year; scaled down in proportion when 402(g) stopped deferrals
--   employer core     = var employer_core_rate x eligible pay (limited to 401(a)(17))
--   415(c)            = deferrals without catch-up + match + core; core, then match, are cut to fit
-- Period amounts are folded in date order (ordered_fsum) and rounded to cents once per year.
with workforce as (
    select * from {{ ref('int_workforce_replayed') }}
),

periods as (
    select * from {{ ref('int_compensation_periods') }}
),

limits as (
    select * from {{ ref('int_irs_limits_by_year') }}
),

period_totals as (
    select
        employee_id,
        simulation_year,
        {{ ordered_fsum('case when is_enrolled then period_deferral else 0.0 end', 'period_start') }}
            as elected_deferral_exact,
        {{ ordered_fsum('case when is_enrolled then period_compensation * ' ~ matched_share_of_pay('deferral_rate') ~ ' else 0.0 end', 'period_start') }}
            as match_before_limits_exact,
        {{ ordered_fsum('case when is_eligible then period_compensation else 0.0 end', 'period_start') }}
            as eligible_compensation_exact,
        bool_or(is_enrolled and deferral_rate > 0)                     as deferred_in_year,
        max(case when is_enrolled then deferral_rate end)              as max_deferral_rate
    from periods
    group by employee_id, simulation_year
),

base as (
    select
        workforce.employee_year_id,
        workforce.employee_id,
        workforce.simulation_year,
        workforce.employment_status,
        workforce.plan_eligible,
        workforce.is_enrolled,
        {{ years_between('workforce.birth_date', dec31('workforce.simulation_year')) }} as age_at_year_end,
        workforce.prorated_compensation                                  as gross_compensation,
        limits.compensation_limit,
        limits.elective_deferral_limit,
        limits.annual_additions_limit,
        -- 401(a)(17) applied pro rata: every period's pay is scaled by the same factor.
        least(1.0::double, limits.compensation_limit / workforce.prorated_compensation) as pay_limit_factor,
        case
            {%- if var('catch_up_60_63') %}
            when {{ years_between('workforce.birth_date', dec31('workforce.simulation_year')) }} between 60 and 63
                then limits.catch_up_60_63_limit
            {%- endif %}
            when {{ years_between('workforce.birth_date', dec31('workforce.simulation_year')) }} >= 50
                then limits.catch_up_limit
            else 0.0::double
        end                                                              as catch_up_limit,
        coalesce(period_totals.deferred_in_year, false)                 as deferred_in_year,
        period_totals.max_deferral_rate,
        {{ round_cents('period_totals.elected_deferral_exact') }}        as elected_deferral,
        period_totals.match_before_limits_exact,
        period_totals.eligible_compensation_exact
    from workforce
    inner join limits using (simulation_year)
    left join period_totals using (employee_id, simulation_year)
),

deferrals as (
    select
        *,
        {{ round_cents('least(gross_compensation, compensation_limit)') }} as plan_compensation,
        elective_deferral_limit + catch_up_limit                          as deferral_limit,
        least(elected_deferral, elective_deferral_limit + catch_up_limit) as employee_deferral
    from base
),

employer as (
    select
        *,
        greatest(employee_deferral - elective_deferral_limit, 0.0::double) as catch_up_deferral,
        {{ round_cents(
            'match_before_limits_exact * pay_limit_factor'
            ~ ' * case when elected_deferral > 0 then employee_deferral / elected_deferral else 0.0 end') }}
            as match_before_415,
        {{ round_cents('eligible_compensation_exact * pay_limit_factor * ' ~ wfsim_double(var('employer_core_rate'))) }}
            as core_before_415
    from deferrals
),

with_415 as (
    select
        *,
        {{ round_cents('employee_deferral - catch_up_deferral') }} as deferral_counted_for_415
    from employer
),

match_415 as (
    select
        *,
        least(match_before_415, greatest({{ round_cents('annual_additions_limit - deferral_counted_for_415') }}, 0.0::double))
            as employer_match
    from with_415
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
    plan_eligible,
    is_enrolled,
    deferred_in_year,
    age_at_year_end,
    gross_compensation,
    plan_compensation,
    {{ round_cents('eligible_compensation_exact') }}                      as eligible_compensation,
    max_deferral_rate,
    elected_deferral,
    deferral_limit,
    employee_deferral,
    catch_up_deferral,
    elected_deferral > deferral_limit                                      as is_deferral_limited,
    employer_match,
    employer_core,
    {{ round_cents('employer_match + employer_core') }}                   as employer_total,
    {{ round_cents('deferral_counted_for_415 + employer_match + employer_core') }} as annual_additions,
    compensation_limit,
    elective_deferral_limit,
    catch_up_limit,
    annual_additions_limit
from core_415
