-- §4.10 the year-end snapshot: the fold of the start-of-year state and the year's events,
-- with the prorated pay and the plan money of contributions.sql and vesting.sql.
CREATE OR REPLACE TABLE snap AS
WITH last_event AS (
    SELECT employee_id, level_id, compensation_amount, employee_deferral_rate
    FROM ev
    QUALIFY row_number() OVER (PARTITION BY employee_id ORDER BY event_sequence DESC) = 1
)
SELECT
    row_number() OVER (ORDER BY t.employee_id)::INTEGER - 1 AS row_index,
    t.employee_id,
    t.birth_date,
    t.hire_date,
    t.term_date AS termination_date,
    CASE WHEN t.term_category IS NULL AND NOT t.hired THEN 'continuous_active'
         WHEN t.term_category IS NULL THEN 'new_hire_active'
         WHEN t.term_category = 'new_hire_termination' THEN 'new_hire_termination'
         ELSE 'experienced_termination' END AS detailed_status_code,
    coalesce(le.level_id, t.level) AS level,
    coalesce(le.compensation_amount, t.salary) AS salary,
    pr.prorated_compensation,
    years_between(t.birth_date, coalesce(t.term_date, y.dec31))::INTEGER AS age,
    years_between(t.hire_date, coalesce(t.term_date, y.dec31))::INTEGER AS tenure_years,
    t.plan_ineligible,
    t.rule_date,
    coalesce(t.eligibility_date, CASE WHEN t.elig_applies THEN t.rule_date END) AS eligibility_date,
    CASE WHEN t.oo_applies THEN NULL
         WHEN t.enr_applies THEN t.enr_date
         WHEN t.ae_applies THEN t.ae_date
         ELSE t.enrollment_date END AS enrollment_date,
    CASE WHEN t.oo_applies THEN NULL
         WHEN t.enr_applies THEN 'voluntary'
         WHEN t.ae_applies THEN 'auto'
         ELSE t.enrollment_method END AS enrollment_method,
    t.ever_opted_out OR t.oo_applies AS ever_opted_out,
    coalesce(le.employee_deferral_rate, t.deferral_rate) AS deferral_rate,
    t.auto_escalation_opt_out,
    (t.escalations_received + CASE WHEN es.employee_id IS NULL THEN 0 ELSE 1 END)::INTEGER
        AS escalations_received,
    -- §4.11, §4.12 (contributions.sql, vesting.sql)
    c.eligible_compensation,
    c.elected_deferral,
    c.employee_deferral,
    c.catch_up_deferral,
    c.employer_match,
    c.employer_core,
    v.vested_fraction,
    v.forfeiture,
    v.employer_balance,
    v.employee_balance,
    v.core_balance,
    v.core_vested_fraction,
    v.match_balance,
    -- §9: an HCE owns more than 5 % or was paid more than the look-back year's 414(q) amount
    -- (hce_compensation of N - 1); a key employee owns more than 5 %, or more than 1 % and is
    -- paid over 150,000, or is an officer paid over the year's 416(i) amount
    t.ownership_pct > 0.05::DOUBLE OR t.lookback_pay > l.lhce_prev AS is_hce,
    t.ownership_pct > 0.05::DOUBLE
        OR (t.ownership_pct > 0.01::DOUBLE AND pr.prorated_compensation > 150000::DOUBLE)
        OR (t.officer AND pr.prorated_compensation > l.lkey) AS is_key_employee,
    c.testing_pay,
    t.ownership_pct,
    t.officer
FROM tl t
CROSS JOIN yr y
CROSS JOIN lim l
LEFT JOIN last_event le USING (employee_id)
LEFT JOIN prorated pr USING (employee_id)
LEFT JOIN esc es USING (employee_id)
JOIN contrib c USING (employee_id)
JOIN vest v USING (employee_id);

-- The active workforce carried into N + 1 (a leaver's balances are not carried); this year's
-- prorated pay is next year's look-back pay (§9).
CREATE OR REPLACE TABLE emp AS
SELECT employee_id, birth_date, hire_date, level, salary, plan_ineligible, rule_date,
    eligibility_date, enrollment_date, enrollment_method, deferral_rate, ever_opted_out,
    auto_escalation_opt_out, escalations_received, employee_balance, match_balance, core_balance,
    ownership_pct, officer, prorated_compensation AS lookback_pay
FROM snap
WHERE termination_date IS NULL;
