-- §4.1 experienced terminations. A(N) = `emp`, with start-of-year age and tenure in `s`.
CREATE OR REPLACE TABLE s AS
SELECT e.*,
    years_between(e.birth_date, y.jan1) AS age0,
    years_between(e.hire_date, y.jan1) AS tenure0
FROM emp e, yr y;

CREATE OR REPLACE TABLE term_exp AS
WITH d AS (
    SELECT
        s.employee_id,
        least(1, p.total_termination_rate
                 * p.m_age[age_band(s.age0) + 1]
                 * p.m_tenure[tenure_band(s.tenure0) + 1]
                 * p.m_level[s.level]) AS prob,
        u(s.employee_id, y.year, 'termination') AS draw
    FROM s, p, yr y
)
SELECT
    d.employee_id,
    'experienced_termination' AS category,
    d.prob,
    d.draw,
    y.jan1 + day_offset(u(d.employee_id, y.year, 'termination_date'), y.days) AS term_date
FROM d, yr y
WHERE d.draw < d.prob;
