-- The run's assumptions that the replay needs, one row, read from generation_summary.json's
-- resolved_config (every config key as the run used it, derived defaults filled in), so a
-- replay can never disagree with its run.
with summary as (
    select resolved_config as config from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(config.simulation.census_date as date)                      as census_date,
    cast(config.eligibility.minimum_age as integer)                  as eligibility_minimum_age,
    cast(config.eligibility.waiting_period_days as integer)          as eligibility_waiting_period_days,
    cast(config.deferral_auto_escalation.maximum_rate as double)     as deferral_cap
from summary
