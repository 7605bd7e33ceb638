-- §4.7 plan eligibility: an event is due when E falls in year N for someone not yet
-- eligible and not plan-ineligible (active on E is checked in timeline.sql).
CREATE OR REPLACE TABLE elig AS
SELECT r.employee_id, r.rule_date AS elig_date
FROM r, yr y
WHERE r.eligibility_date IS NULL
  AND NOT r.plan_ineligible
  AND r.rule_date BETWEEN y.jan1 AND y.dec31;
