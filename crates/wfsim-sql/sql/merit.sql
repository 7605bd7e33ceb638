-- §4.6 merit + COLA: no draw; everyone in A(N) with enough tenure at Jan 1. The new salary
-- depends on the salary and level in effect on the merit date, so timeline.sql computes it
-- with merit_salary() after any earlier promotion.
CREATE OR REPLACE TABLE merit AS
SELECT r.employee_id
FROM r, p
WHERE NOT r.hired AND r.tenure0 >= p.merit_min_tenure;
