-- The run's assumptions that the replay needs, one row, read from generation_summary.json's
-- resolved_config (every config key as the run used it, derived defaults filled in), so a
-- replay can never disagree with its run.
--
-- The plan design (spec section 7: employer_match, employer_core, vesting, irs_limits) is read
-- the same way. Its lists are typed explicitly from their JSON (the types DuckDB would infer
-- for a null by_service, an empty tier list or the year-keyed published table depend on the
-- values); numbers are parsed as DOUBLE, never DECIMAL (spec section 3). irs_limits_published
-- stays JSON, an object keyed by year: int_irs_limits_by_year reads it.
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
    cast(config_json ->> '$.employer_match.true_up' as boolean)         as match_true_up,
    cast(config_json ->> '$.employer_match.last_day_rule' as boolean)   as match_last_day_rule,
    -- employer_core
    cast(config_json ->> '$.employer_core.rate' as double)              as core_rate,
    from_json(config_json -> '$.employer_core.by_service',
              '[{"min_years": "INTEGER", "rate": "DOUBLE"}]')           as core_by_service,
    from_json(config_json -> '$.employer_core.by_age',
              '[{"min_age": "INTEGER", "rate": "DOUBLE"}]')             as core_by_age,
    cast(config_json ->> '$.employer_core.last_day_rule' as boolean)    as core_last_day_rule,
    -- vesting
    from_json(config_json -> '$.vesting.schedule', '["DOUBLE"]')        as vesting_schedule,
    -- irs_limits
    config_json -> '$.irs_limits.published'                             as irs_limits_published,
    cast(config_json ->> '$.irs_limits.growth_rate' as double)          as irs_limit_growth_rate,
    cast(config_json ->> '$.irs_limits.catch_up_60_63' as boolean)      as irs_catch_up_60_63
from summary
