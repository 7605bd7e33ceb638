-- The census, parsed with wfsim's rules (spec section 6): upstream PlanAlign aliases,
-- dates with an optional time part, lenient booleans, a deferral rate above 1 read as a percent
-- and rounded to basis points, the level derived from salary when absent. Leavers (a
-- termination date on or before the census date) are kept and flagged: they are not simulated.
{%- set present = census_columns_present(source('wfsim', 'census')) %}

with raw as (
    select
        {{ census_text(present, 'employee_id') }}                                  as employee_id,
        {{ census_text(present, 'birth_date', 'employee_birth_date') }}            as birth_date_text,
        {{ census_text(present, 'hire_date', 'employee_hire_date') }}              as hire_date_text,
        {{ census_text(present, 'termination_date', 'employee_termination_date') }} as termination_date_text,
        {{ census_text(present, 'annual_salary', 'employee_gross_compensation') }} as annual_salary_text,
        {{ census_text(present, 'level_id') }}                                     as level_id_text,
        {{ census_text(present, 'deferral_rate', 'employee_deferral_rate') }}      as deferral_rate_text,
        {{ census_text(present, 'auto_escalation_opt_out') }}                      as auto_escalation_opt_out_text,
        {{ census_text(present, 'eligibility_override') }}                         as eligibility_override_text
    from {{ source('wfsim', 'census') }}
),

typed as (
    select
        employee_id,
        {{ census_date('birth_date_text') }}                 as birth_date,
        {{ census_date('hire_date_text') }}                  as hire_date,
        {{ census_date('termination_date_text') }}           as termination_date,
        cast(annual_salary_text as double)                   as annual_salary,
        cast(level_id_text as integer)                       as level_id_given,
        coalesce(cast(deferral_rate_text as double), 0.0)    as deferral_rate_given,
        coalesce({{ census_bool('auto_escalation_opt_out_text') }}, false) as auto_escalation_opt_out,
        {{ census_bool('eligibility_override_text') }}       as eligibility_override
    from raw
)

select
    employee_id,
    birth_date,
    hire_date,
    termination_date,
    termination_date is not null                                    as is_leaver,
    annual_salary,
    coalesce(
        level_id_given,
        {%- set thresholds = var('census_level_thresholds') %}
        case
        {%- for t in thresholds | reverse %}
            when annual_salary >= {{ wfsim_double(t) }} then {{ thresholds | length - loop.index0 }}
        {%- endfor %}
            else 1
        end
    )                                                               as level_id,
    {{ round_bp('case when deferral_rate_given > 1 then deferral_rate_given / 100 else deferral_rate_given end') }} as deferral_rate,
    auto_escalation_opt_out,
    eligibility_override,
    eligibility_override is not distinct from false                 as is_plan_ineligible
from typed
