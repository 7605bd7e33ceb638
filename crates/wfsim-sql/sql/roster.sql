-- Everyone in the year: A(N) and this year's hires, with the termination decided for them.
-- Every decision of the year uses the start-of-year attributes age0, tenure0, level, salary
-- (hires: their hire attributes, age and tenure at Jan 1).
CREATE OR REPLACE TABLE r AS
WITH base AS (
    SELECT employee_id, birth_date, hire_date, level, salary, plan_ineligible, rule_date,
        eligibility_date, enrollment_date, enrollment_method, deferral_rate, ever_opted_out,
        auto_escalation_opt_out, escalations_received, employee_balance, match_balance,
        core_balance, ownership_pct, officer, lookback_pay, false AS hired
    FROM emp
    UNION ALL
    -- hires (§9): no ownership, no officer, no look-back pay
    SELECT employee_id, birth_date, hire_date, level, salary, plan_ineligible, rule_date,
        NULL::DATE, NULL::DATE, NULL::VARCHAR, 0::DOUBLE, false,
        false, 0, 0::DOUBLE, 0::DOUBLE, 0::DOUBLE, 0::DOUBLE, false, 0::DOUBLE, true
    FROM hires
), t AS (
    SELECT employee_id, category, prob, draw, term_date FROM term
    UNION ALL
    SELECT employee_id, category, prob, draw, term_date FROM nh_term
)
SELECT
    b.*,
    years_between(b.birth_date, y.jan1) AS age0,
    years_between(b.hire_date, y.jan1) AS tenure0,
    -- what the plan-design tables read (§4.11): tenure at Jan 1 with this year's hires at 0,
    -- and points = age + that tenure
    CASE WHEN b.hired THEN 0 ELSE years_between(b.hire_date, y.jan1) END AS plan_tenure0,
    years_between(b.birth_date, y.jan1)
        + CASE WHEN b.hired THEN 0 ELSE years_between(b.hire_date, y.jan1) END AS points0,
    t.term_date,
    t.category AS term_category,
    t.prob AS term_prob,
    t.draw AS term_draw
FROM base b
CROSS JOIN yr y
LEFT JOIN t USING (employee_id);
