-- §4.12 vesting and forfeitures: the employer account without investment returns,
-- bal = round_cents(previous employer_balance + employer_match + employer_core), the vested
-- fraction schedule[min(years_between(hire_date, X), len - 1)] with X the termination date or
-- Dec 31, and for a leaver the unvested part forfeited.
CREATE OR REPLACE TABLE vest AS
WITH s AS (
    SELECT max(i) AS last_i FROM vesting_schedule
), b AS (
    SELECT t.employee_id, t.term_date IS NOT NULL AS terminated,
        round_cents(t.employer_balance + c.employer_match + c.employer_core) AS bal,
        vs.fraction AS vested_fraction
    FROM tl t
    JOIN contrib c USING (employee_id)
    CROSS JOIN yr y
    CROSS JOIN s
    JOIN vesting_schedule vs
      ON vs.i = least(greatest(years_between(t.hire_date, coalesce(t.term_date, y.dec31)), 0),
                      s.last_i)
), f AS (
    SELECT b.*,
        CASE WHEN b.terminated THEN round_cents(b.bal * (1 - b.vested_fraction))
             ELSE 0::DOUBLE END AS forfeiture
    FROM b
)
SELECT employee_id, vested_fraction, forfeiture,
    CASE WHEN terminated THEN round_cents(bal - forfeiture) ELSE bal END AS employer_balance
FROM f;
