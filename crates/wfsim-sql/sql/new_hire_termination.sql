-- §4.4 new-hire terminations: among this year's hires starting before Dec 31, the nh_terms
-- with the smallest (u(nh, N, 'nh_termination'), employee_id) leave after their hire date.
CREATE OR REPLACE TABLE nh_term AS
WITH candidates AS (
    SELECT h.employee_id, h.hire_date, rng_v(h.employee_id, y.year, 'nh_termination') AS v
    FROM hires h, yr y
    WHERE h.hire_date < y.dec31
), ranked AS (
    SELECT candidates.*, row_number() OVER (ORDER BY v, employee_id) AS rank FROM candidates
)
SELECT
    r.employee_id,
    'new_hire_termination' AS category,
    NULL::DOUBLE AS prob,
    v_to_u(r.v) AS draw,
    r.hire_date + 1
        + day_offset(u(r.employee_id, y.year, 'nh_termination_date'), (y.dec31 - r.hire_date)::INTEGER)
        AS term_date
FROM ranked r, yr y, plan
WHERE r.rank <= plan.nh_terms;
