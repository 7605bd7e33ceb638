-- The year's events (spec §4.10, §5): every action that took effect, numbered per employee in
-- (date, same-date order). Level, salary and deferral rate after each event are carried
-- forward from the last event that set them (or the start-of-year value); previous_* are the
-- values before the event (null on a hire).
CREATE OR REPLACE TABLE ev AS
WITH raw AS (
    SELECT employee_id, hire_date AS d, 0 AS ord, 'hire' AS event_type, 'new_hire' AS category,
        NULL::INTEGER AS level_set, NULL::DOUBLE AS salary_set, NULL::DOUBLE AS rate_set,
        NULL::DOUBLE AS prob, NULL::DOUBLE AS draw
    FROM tl WHERE hired
    UNION ALL
    SELECT employee_id, rule_date, 1, 'eligibility', 'plan_eligibility',
        NULL, NULL, NULL, NULL, NULL
    FROM tl WHERE elig_applies
    UNION ALL
    SELECT employee_id, enr_date, 2, 'enrollment', 'voluntary_enrollment',
        NULL, NULL, enr_rate, enr_prob, enr_draw
    FROM tl WHERE enr_applies
    UNION ALL
    SELECT employee_id, ae_date, 2, 'enrollment', 'auto_enrollment',
        NULL, NULL, p.ae_default_deferral_rate, NULL, NULL
    FROM tl, p WHERE ae_applies
    UNION ALL
    SELECT employee_id, oo_date, 3, 'opt_out', 'opt_out',
        NULL, NULL, 0::DOUBLE, oo_prob, oo_draw
    FROM tl WHERE oo_applies
    UNION ALL
    SELECT employee_id, dc_date, 4, 'deferral_change', 'match_response',
        NULL, NULL, dc_rate, dc_prob, dc_draw
    FROM dchg
    UNION ALL
    SELECT employee_id, esc_date, 5, 'deferral_escalation', 'auto_escalation',
        NULL, NULL, esc_rate, NULL, NULL
    FROM esc
    UNION ALL
    SELECT employee_id, y.promotion_date, 6, 'promotion', 'promotion',
        level + 1, CASE WHEN promotion_first THEN salary1 ELSE salary2 END, NULL,
        promo_prob, promo_draw
    FROM tl, yr y WHERE promo_applies
    UNION ALL
    SELECT employee_id, y.merit_date, 7, 'raise', 'merit_cola',
        NULL, CASE WHEN promotion_first THEN salary2 ELSE salary1 END, NULL, NULL, NULL
    FROM tl, yr y WHERE merit_applies
    UNION ALL
    SELECT employee_id, term_date, 8, 'termination', term_category,
        NULL, NULL, NULL, term_prob, term_draw
    FROM tl WHERE term_date IS NOT NULL
), seq AS (
    SELECT raw.*,
        row_number() OVER (PARTITION BY employee_id ORDER BY d, ord)::INTEGER AS event_sequence
    FROM raw
), carried AS (
    SELECT seq.*,
        last_value(level_set IGNORE NULLS) OVER upto AS level_now,
        last_value(level_set IGNORE NULLS) OVER before AS level_before,
        last_value(salary_set IGNORE NULLS) OVER upto AS salary_now,
        last_value(salary_set IGNORE NULLS) OVER before AS salary_before,
        last_value(rate_set IGNORE NULLS) OVER upto AS rate_now,
        last_value(rate_set IGNORE NULLS) OVER before AS rate_before
    FROM seq
    WINDOW
        upto AS (PARTITION BY employee_id ORDER BY event_sequence
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
        before AS (PARTITION BY employee_id ORDER BY event_sequence
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT
    c.employee_id,
    c.event_type,
    c.category,
    c.d AS event_date,
    c.ord,
    c.event_sequence,
    coalesce(c.level_now, t.level) AS level_id,
    CASE WHEN c.event_type = 'hire' THEN NULL ELSE coalesce(c.level_before, t.level) END
        AS previous_level_id,
    coalesce(c.salary_now, t.salary) AS compensation_amount,
    CASE WHEN c.event_type = 'hire' THEN NULL ELSE coalesce(c.salary_before, t.salary) END
        AS previous_compensation,
    coalesce(c.rate_now, t.deferral_rate) AS employee_deferral_rate,
    CASE WHEN c.event_type = 'hire' THEN NULL ELSE coalesce(c.rate_before, t.deferral_rate) END
        AS prev_employee_deferral_rate,
    years_between(t.birth_date, c.d)::INTEGER AS employee_age,
    years_between(t.hire_date, c.d)::INTEGER AS employee_tenure,
    c.prob AS event_probability,
    c.draw AS random_draw
FROM carried c
JOIN tl t USING (employee_id);
