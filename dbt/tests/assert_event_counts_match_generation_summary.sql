-- The event files hold exactly the events generation_summary.json counts, year by year.
with counted as (
    select
        simulation_year,
        count(*) filter (where event_category = 'experienced_termination') as experienced_terminations,
        count(*) filter (where event_category = 'reduction_in_force')      as rif_terminations,
        count(*) filter (where event_type = 'hire')                        as hires,
        count(*) filter (where event_category = 'new_hire_termination')    as new_hire_terminations,
        count(*) filter (where event_type = 'promotion')                   as promotions,
        count(*) filter (where event_type = 'raise')                       as raises,
        count(*) filter (where event_type = 'eligibility')                 as eligibilities,
        count(*) filter (where event_category = 'voluntary_enrollment')    as voluntary_enrollments,
        count(*) filter (where event_category = 'auto_enrollment')         as auto_enrollments,
        count(*) filter (where event_type = 'opt_out')                     as opt_outs,
        count(*) filter (where event_type = 'deferral_escalation')         as escalations,
        count(*)                                                           as events
    from {{ ref('stg_wfsim__events') }}
    group by simulation_year
),

summary as (
    select * exclude (n_start, target, n_end, payroll, employee_deferrals, employer_match, employer_core, forfeitures, employer_cost)
    from {{ ref('stg_wfsim__run_years') }}
)

select coalesce(c.simulation_year, s.simulation_year) as simulation_year, c, s
from counted as c
full outer join summary as s using (simulation_year)
where c is distinct from s
   or c.experienced_terminations is distinct from s.experienced_terminations
   or c.rif_terminations is distinct from s.rif_terminations
   or c.hires is distinct from s.hires
   or c.new_hire_terminations is distinct from s.new_hire_terminations
   or c.promotions is distinct from s.promotions
   or c.raises is distinct from s.raises
   or c.eligibilities is distinct from s.eligibilities
   or c.voluntary_enrollments is distinct from s.voluntary_enrollments
   or c.auto_enrollments is distinct from s.auto_enrollments
   or c.opt_outs is distinct from s.opt_outs
   or c.escalations is distinct from s.escalations
   or c.events is distinct from s.events
