-- The run's parameters, one row: years and seed from generation_summary.json, the census date
-- (var census_date, default Dec 31 of start_year - 1) and the eligibility rule (vars).
with summary as (
    select * from {{ source('wfsim', 'generation_summary') }}
)

select
    cast(start_year as integer)     as start_year,
    cast(end_year as integer)       as end_year,
    cast(random_seed as bigint)     as random_seed,
    scenario_id,
    plan_design_id,
    engine,
    tool_version,
    {% if var('census_date') is not none -%}
    cast('{{ var("census_date") }}' as date)
    {%- else -%}
    {{ dec31('cast(start_year as integer) - 1') }}
    {%- endif %}                    as census_date,
    cast({{ var('eligibility_minimum_age') }} as integer)         as eligibility_minimum_age,
    cast({{ var('eligibility_waiting_period_days') }} as integer) as eligibility_waiting_period_days
from summary
