-- The event log is the source of truth: the year-end workforce replayed from the census and the
-- events must equal the engine's snapshot in every row and every column, floats compared
-- exactly. Returns one row per differing employee-year with the columns that differ.
{%- set columns = [
    'scenario_id', 'plan_design_id', 'birth_date', 'hire_date', 'termination_date',
    'employment_status', 'detailed_status_code', 'level_id', 'annual_salary',
    'prorated_compensation', 'age', 'tenure_years', 'age_band', 'tenure_band', 'plan_eligible',
    'eligibility_date', 'is_enrolled', 'enrollment_date', 'enrollment_method', 'ever_opted_out',
    'deferral_rate', 'auto_escalation_opt_out', 'escalations_received'] %}

with replayed as (
    select * from {{ ref('int_workforce_replayed') }}
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
            {%- for c in columns %}
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
