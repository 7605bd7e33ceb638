-- Contributions never exceed the IRS limits or the plan's formula: deferrals within 402(g)
-- plus the catch-up the employee's age allows; catch-up only at 50+; pay counted within
-- 401(a)(17); match within the formula's maximum share of that pay; core within its rate;
-- annual additions within 415(c); nothing negative; no deferral without enrollment.
-- The match and core bounds allow one cent: the contribution is rounded once from its periods,
-- the bound once from the year's pay.
select *
from {{ ref('fct_employee_contributions') }}
where employee_deferral > elective_deferral_limit + catch_up_limit
   or (age_at_year_end < 50 and employee_deferral > elective_deferral_limit)
   or catch_up_deferral > catch_up_limit
   or plan_compensation > compensation_limit
   or employer_match > {{ round_cents('plan_compensation * ' ~ max_matched_share_of_pay()) }} + 0.01
   or employer_core > {{ round_cents('plan_compensation * ' ~ wfsim_double(var('employer_core_rate'))) }} + 0.01
   or annual_additions > annual_additions_limit
   or least(employee_deferral, employer_match, employer_core, catch_up_deferral) < 0
   or (employee_deferral > 0 and not deferred_in_year)
