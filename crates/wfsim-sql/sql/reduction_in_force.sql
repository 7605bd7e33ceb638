-- §4.2 reduction in force: the `rif` survivors with the smallest (u(id, N, 'rif'), employee_id)
-- leave on a day drawn like §4.1. `term` = every termination of A(N) this year.
CREATE OR REPLACE TABLE term AS
WITH survivors AS (
    SELECT s.employee_id, rng_v(s.employee_id, y.year, 'rif') AS v
    FROM s, yr y
    WHERE s.employee_id NOT IN (SELECT employee_id FROM term_exp)
), ranked AS (
    SELECT survivors.*, row_number() OVER (ORDER BY v, employee_id) AS rank
    FROM survivors
)
SELECT employee_id, category, prob, draw, term_date FROM term_exp
UNION ALL
SELECT
    r.employee_id,
    'reduction_in_force',
    NULL::DOUBLE,
    v_to_u(r.v),
    y.jan1 + day_offset(u(r.employee_id, y.year, 'termination_date'), y.days)
FROM ranked r, yr y, plan
WHERE r.rank <= plan.rif;
