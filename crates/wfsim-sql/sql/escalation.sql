-- §4.9 deferral auto-escalation on the escalation date, with the enrollment as it stands on
-- that date: enrollments, opt-outs and step 6's Jan 1 deferral changes dated on or before it
-- come first (same-date order).
CREATE OR REPLACE TABLE esc AS
WITH st AS (
    SELECT t.employee_id, t.hire_date, t.term_date, t.auto_escalation_opt_out,
        CASE WHEN t.oo_applies AND t.oo_date <= y.escalation_date THEN 'none'
             WHEN t.enr_applies AND t.enr_date <= y.escalation_date THEN 'voluntary'
             WHEN t.ae_applies AND t.ae_date <= y.escalation_date THEN 'auto'
             ELSE 'start'
        END AS source,
        t.enr_date, t.enr_rate, t.ae_date, t.enrollment_date, t.enrollment_method,
        coalesce(dc.dc_rate, t.deferral_rate) AS deferral_rate
    FROM tl t
    CROSS JOIN yr y
    LEFT JOIN dchg dc USING (employee_id)
), e AS (
    SELECT st.employee_id, st.hire_date, st.term_date, st.auto_escalation_opt_out,
        CASE source WHEN 'voluntary' THEN st.enr_date WHEN 'auto' THEN st.ae_date
                    WHEN 'start' THEN st.enrollment_date END AS enrolled_on,
        CASE source WHEN 'voluntary' THEN 'voluntary' WHEN 'auto' THEN 'auto'
                    WHEN 'start' THEN st.enrollment_method END AS method,
        CASE source WHEN 'voluntary' THEN st.enr_rate WHEN 'auto' THEN p.ae_default_deferral_rate
                    WHEN 'start' THEN st.deferral_rate ELSE 0::DOUBLE END AS rate
    FROM st, p
)
SELECT
    e.employee_id,
    y.escalation_date AS esc_date,
    least(p.esc_maximum_rate, round_bp(e.rate + p.esc_increment)) AS esc_rate
FROM e, p, yr y
WHERE p.esc_enabled
  AND active_on(e.hire_date, e.term_date, y.escalation_date)
  AND e.enrolled_on IS NOT NULL
  AND NOT e.auto_escalation_opt_out
  AND e.rate > 0
  AND e.rate < p.esc_maximum_rate
  AND year(e.enrolled_on) <= y.year - p.esc_delay_years
  AND (NOT p.esc_auto_enrolled_only OR e.method = 'auto');
