-- §4.8 step 6: existing participants answer a new match design (taken to be new in the first
-- year). On Jan 1 of start_year each census participant active on that date whose rate r
-- satisfies 0 < r < M (M of step 5, `full_match`; compared in basis points) moves to
-- round_bp(M) when u(id, start_year, 'match_response') < q_e. Nothing in later years.
CREATE OR REPLACE TABLE dchg AS
SELECT
    r.employee_id,
    y.jan1 AS dc_date,
    round_bp(fm.m) AS dc_rate,
    cfg('enrollment.match_response.existing_participants') AS dc_prob,
    u(r.employee_id, y.year, 'match_response') AS dc_draw
FROM r
CROSS JOIN yr y
CROSS JOIN p
JOIN full_match fm USING (employee_id)
WHERE cfg('enrollment.match_response.existing_participants') > 0
  AND y.year = p.start_year
  AND NOT r.hired
  AND active_on(r.hire_date, r.term_date, y.jan1)
  AND round(r.deferral_rate * 10000) > 0
  AND round(r.deferral_rate * 10000) < round(fm.m * 10000)
  AND u(r.employee_id, y.year, 'match_response') < cfg('enrollment.match_response.existing_participants');
