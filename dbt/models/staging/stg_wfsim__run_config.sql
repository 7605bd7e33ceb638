-- The run's assumptions that the replay needs, one row, read from generation_summary.json's
-- resolved_config (every config key as the run used it, derived defaults filled in), so a
-- replay can never disagree with its run.
--
-- The plan design (spec section 7: employer_match, employer_core, vesting, irs_limits) is read
-- the same way. Its lists are typed explicitly from their JSON (the types DuckDB would infer
-- for a null by_service, an empty tier list or the year-keyed published table depend on the
-- values); numbers are parsed as DOUBLE, never DECIMAL (spec section 3). irs_limits_published
-- stays JSON, an object keyed by year: int_irs_limits_by_year reads it.
--
-- employer_core.integration (null, or {excess_rate, level}) is flattened: level is the JSON
-- string "wage_base" or an object {"fraction": f} or {"amount": a}; core_integration_level_form
-- says which ('wage_base', 'fraction', 'amount'; null without integration), and the value of
-- the other two forms is in core_integration_fraction / core_integration_amount.
-- vesting.match_schedule and vesting.core_schedule are null in the config when vesting.schedule
-- applies to that source: vesting_match_schedule and vesting_core_schedule are the schedules
-- in force (the override, else vesting.schedule), as the engine resolves them.
-- ndt (spec v1.4 section 9): the testing method (current or prior), the safe harbor (none,
-- adp or adp_acp) and the NHCE averages assumed for the year before the first simulated year
-- under the prior-year method.
{%- set tier = '{"from": "DOUBLE", "to": "DOUBLE", "rate": "DOUBLE"}' %}

with summary as (
    select
        resolved_config             as config,
        to_json(resolved_config)    as config_json
    from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(config.simulation.census_date as date)                      as census_date,
    cast(config.eligibility.minimum_age as integer)                  as eligibility_minimum_age,
    cast(config.eligibility.waiting_period_days as integer)          as eligibility_waiting_period_days,
    cast(config.deferral_auto_escalation.maximum_rate as double)     as deferral_cap,
    -- employer_match
    from_json(config_json -> '$.employer_match.tiers', '[{{ tier }}]')  as match_tiers,
    from_json(config_json -> '$.employer_match.by_service',
              '[{"min_years": "INTEGER", "tiers": [{{ tier }}]}]')      as match_by_service,
    from_json(config_json -> '$.employer_match.by_points',
              '[{"min_points": "INTEGER", "tiers": [{{ tier }}]}]')     as match_by_points,
    cast(config_json ->> '$.employer_match.true_up' as boolean)         as match_true_up,
    cast(config_json ->> '$.employer_match.last_day_rule' as boolean)   as match_last_day_rule,
    -- employer_core
    cast(config_json ->> '$.employer_core.rate' as double)              as core_rate,
    from_json(config_json -> '$.employer_core.by_service',
              '[{"min_years": "INTEGER", "rate": "DOUBLE"}]')           as core_by_service,
    from_json(config_json -> '$.employer_core.by_age',
              '[{"min_age": "INTEGER", "rate": "DOUBLE"}]')             as core_by_age,
    from_json(config_json -> '$.employer_core.by_points',
              '[{"min_points": "INTEGER", "rate": "DOUBLE"}]')          as core_by_points,
    cast(config_json ->> '$.employer_core.integration.excess_rate' as double)
                                                                        as core_integration_excess_rate,
    case
        when (config_json ->> '$.employer_core.integration.level') = 'wage_base' then 'wage_base'
        when (config_json -> '$.employer_core.integration.level.fraction') is not null then 'fraction'
        when (config_json -> '$.employer_core.integration.level.amount') is not null then 'amount'
    end                                                                 as core_integration_level_form,
    cast(config_json ->> '$.employer_core.integration.level.fraction' as double)
                                                                        as core_integration_fraction,
    cast(config_json ->> '$.employer_core.integration.level.amount' as double)
                                                                        as core_integration_amount,
    cast(config_json ->> '$.employer_core.last_day_rule' as boolean)    as core_last_day_rule,
    -- vesting
    from_json(config_json -> '$.vesting.schedule', '["DOUBLE"]')        as vesting_schedule,
    coalesce(from_json(config_json -> '$.vesting.match_schedule', '["DOUBLE"]'),
             from_json(config_json -> '$.vesting.schedule', '["DOUBLE"]')) as vesting_match_schedule,
    coalesce(from_json(config_json -> '$.vesting.core_schedule', '["DOUBLE"]'),
             from_json(config_json -> '$.vesting.schedule', '["DOUBLE"]')) as vesting_core_schedule,
    -- accounts
    cast(config_json ->> '$.accounts.annual_return' as double)          as accounts_annual_return,
    -- irs_limits
    config_json -> '$.irs_limits.published'                             as irs_limits_published,
    cast(config_json ->> '$.irs_limits.growth_rate' as double)          as irs_limit_growth_rate,
    cast(config_json ->> '$.irs_limits.catch_up_60_63' as boolean)      as irs_catch_up_60_63,
    -- ndt (spec v1.4 section 9)
    config_json ->> '$.ndt.testing_method'                              as ndt_testing_method,
    config_json ->> '$.ndt.safe_harbor'                                 as ndt_safe_harbor,
    cast(config_json ->> '$.ndt.first_year_nhce_adp' as double)         as ndt_first_year_nhce_adp,
    cast(config_json ->> '$.ndt.first_year_nhce_acp' as double)         as ndt_first_year_nhce_acp
from summary
