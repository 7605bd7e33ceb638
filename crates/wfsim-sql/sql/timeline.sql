-- One employee's year (spec §4, §4.10): each decided action takes effect on its date if the
-- employee is active then (hired on or before it, not terminated on or before it), in date
-- order with the same-date order hire, eligibility, enrollment, opt_out, deferral_change,
-- deferral_escalation, promotion, raise, termination (deferral_change is deferral_change.sql's).
-- Per employee the actions interact only as follows, so each "applies" flag below is the state
-- check of the sequential application:
-- * eligibility on E: active on E;
-- * voluntary enrollment (newly eligible, on or after E) or conversion (eligible since before
--   Jan 1): active on its date; the employee is then eligible and not enrolled;
-- * auto-enrollment: active on its date, eligible by then (at the start, or on E <= AE date),
--   and no voluntary enrollment this year (which always comes earlier: it is drawn within the
--   window that ends at the AE date);
-- * opt-out: the auto-enrollment took effect and the employee is active on the opt-out date;
-- * promotion / raise: active on the date; the later one of the two sees the salary (and the
--   level) the earlier one left.
CREATE OR REPLACE TABLE tl AS
WITH a AS (
    SELECT
        r.*,
        pr.employee_id IS NOT NULL AND active_on(r.hire_date, r.term_date, y.promotion_date)
            AS promo_applies,
        pr.prob AS promo_prob, pr.draw AS promo_draw, pr.raise_pct,
        m.employee_id IS NOT NULL AND active_on(r.hire_date, r.term_date, y.merit_date)
            AS merit_applies,
        el.employee_id IS NOT NULL AND active_on(r.hire_date, r.term_date, r.rule_date)
            AS elig_applies,
        coalesce(v.enr_date, cv.enr_date) AS enr_date,
        coalesce(v.enr_rate, cv.enr_rate) AS enr_rate,
        coalesce(v.enr_prob, cv.enr_prob) AS enr_prob,
        coalesce(v.enr_draw, cv.enr_draw) AS enr_draw,
        ae.ae_date,
        o.oo_date, o.oo_prob, o.oo_draw,
        y.promotion_date <= y.merit_date AS promotion_first
    FROM r
    CROSS JOIN yr y
    LEFT JOIN promo pr USING (employee_id)
    LEFT JOIN merit m USING (employee_id)
    LEFT JOIN elig el USING (employee_id)
    LEFT JOIN vol v USING (employee_id)
    LEFT JOIN conv cv USING (employee_id)
    LEFT JOIN (SELECT * FROM ae WHERE scheduled) ae USING (employee_id)
    LEFT JOIN opt_out o USING (employee_id)
), b AS (
    SELECT a.*,
        a.enr_date IS NOT NULL AND active_on(a.hire_date, a.term_date, a.enr_date) AS enr_applies
    FROM a
), c AS (
    SELECT b.*,
        b.ae_date IS NOT NULL
            AND active_on(b.hire_date, b.term_date, b.ae_date)
            AND (b.eligibility_date IS NOT NULL OR b.elig_applies)
            AND NOT b.enr_applies
            AS ae_applies
    FROM b
), d AS (
    SELECT c.*,
        c.oo_date IS NOT NULL AND c.ae_applies AND active_on(c.hire_date, c.term_date, c.oo_date)
            AS oo_applies,
        -- salary after the first of promotion / raise in date order
        CASE WHEN c.promotion_first THEN
                 CASE WHEN c.promo_applies
                      THEN promotion_salary(c.salary, c.raise_pct, p.promotion_max_cap_pct, p.promotion_max_cap_amount)
                      ELSE c.salary END
             ELSE
                 CASE WHEN c.merit_applies
                      THEN merit_salary(c.salary, p.merit_rate[c.level], p.cola_rate)
                      ELSE c.salary END
        END AS salary1,
        c.level + CASE WHEN c.promotion_first AND c.promo_applies THEN 1 ELSE 0 END AS level1
    FROM c, p
)
SELECT d.*,
    -- salary after the second
    CASE WHEN d.promotion_first THEN
             CASE WHEN d.merit_applies
                  THEN merit_salary(d.salary1, p.merit_rate[d.level1], p.cola_rate)
                  ELSE d.salary1 END
         ELSE
             CASE WHEN d.promo_applies
                  THEN promotion_salary(d.salary1, d.raise_pct, p.promotion_max_cap_pct, p.promotion_max_cap_amount)
                  ELSE d.salary1 END
    END AS salary2
FROM d, p;
