-- The engine's contributions, accounts and vesting (spec 4.11-4.12) recomputed from the
-- census, the events and the run's plan design must equal the engine's snapshot columns
-- exactly, floats compared exactly (`is distinct from`): fct_employee_contributions for the six
-- contribution columns, fct_employer_balances for the six account and vesting columns
-- (vested_fraction, forfeiture, employer_balance, and spec v1.4's employee_balance,
-- core_balance, core_vested_fraction). Returns one row per differing employee-year with the
-- columns that differ (both values, printed to the last bit).
{%- set contribution_columns = [
    'eligible_compensation', 'elected_deferral', 'employee_deferral', 'catch_up_deferral',
    'employer_match', 'employer_core'] %}
{%- set balance_columns = [
    'vested_fraction', 'forfeiture', 'employer_balance',
    'employee_balance', 'core_balance', 'core_vested_fraction'] %}

with replayed as (
    select
        contributions.employee_id,
        contributions.simulation_year,
        {%- for c in contribution_columns %}
        contributions.{{ c }},
        {%- endfor %}
        {%- for c in balance_columns %}
        balances.{{ c }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('fct_employee_contributions') }} as contributions
    left join {{ ref('fct_employer_balances') }} as balances using (employee_year_id)
),

engine as (
    select * from {{ ref('stg_wfsim__snapshots') }}
),

compared as (
    select
        coalesce(replayed.employee_id, engine.employee_id)           as employee_id,
        coalesce(replayed.simulation_year, engine.simulation_year)   as simulation_year,
        case
            when replayed.employee_id is null then 'only in the engine snapshot'
            when engine.employee_id is null then 'only in the replay'
        end                                                          as missing,
        list_filter([
            {%- for c in contribution_columns + balance_columns %}
            case when replayed.{{ c }} is distinct from engine.{{ c }}
                 then '{{ c }}: replayed ' || coalesce(cast(replayed.{{ c }} as varchar), 'null')
                      || ' vs engine ' || coalesce(cast(engine.{{ c }} as varchar), 'null') end
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ], lambda x: x is not null)                                  as differences
    from replayed
    full outer join engine
        on replayed.employee_id = engine.employee_id
       and replayed.simulation_year = engine.simulation_year
)

select *
from compared
where missing is not null or len(differences) > 0
