-- §4.12 accounts, vesting and forfeitures. Each account grows by the return on its opening
-- balance and the year's money: round_cents(previous * (1 + ret) + contribution), for the
-- employee account, the match part (mbal) and the core part (cbal). Each employer part vests by
-- its own schedule, schedule[min(years_between(hire_date, X), len - 1)] with X the termination
-- date or Dec 31; a leaver forfeits the unvested part of each, fm and fc, rounded separately.
CREATE OR REPLACE TABLE vest AS
WITH b AS (
    SELECT t.employee_id, t.term_date IS NOT NULL AS terminated,
        round_cents(t.employee_balance * (1 + cfg('accounts.annual_return'))
                    + c.employee_deferral) AS employee_balance,
        round_cents(t.match_balance * (1 + cfg('accounts.annual_return'))
                    + c.employer_match) AS mbal,
        round_cents(t.core_balance * (1 + cfg('accounts.annual_return'))
                    + c.employer_core) AS cbal,
        greatest(years_between(t.hire_date, coalesce(t.term_date, y.dec31)), 0) AS years
    FROM tl t
    JOIN contrib c USING (employee_id)
    CROSS JOIN yr y
), v AS (
    SELECT b.*, m.fraction AS vf_m, c.fraction AS vf_c
    FROM b
    JOIN vesting_schedule m ON m.source = 'match' AND m.i = least(b.years, m.last_i)
    JOIN vesting_schedule c ON c.source = 'core' AND c.i = least(b.years, c.last_i)
), f AS (
    SELECT v.*,
        CASE WHEN v.terminated THEN round_cents(v.mbal * (1 - v.vf_m)) ELSE 0::DOUBLE END AS fm,
        CASE WHEN v.terminated THEN round_cents(v.cbal * (1 - v.vf_c)) ELSE 0::DOUBLE END AS fc
    FROM v
), parts AS (
    SELECT f.*,
        CASE WHEN f.terminated THEN round_cents(f.mbal - f.fm) ELSE f.mbal END AS match_balance,
        CASE WHEN f.terminated THEN round_cents(f.cbal - f.fc) ELSE f.cbal END AS core_balance,
        CASE WHEN f.terminated THEN round_cents(f.fm + f.fc) ELSE 0::DOUBLE END AS forfeiture
    FROM f
)
SELECT employee_id, vf_m AS vested_fraction, vf_c AS core_vested_fraction, forfeiture,
    round_cents(match_balance + core_balance) AS employer_balance,
    employee_balance, match_balance, core_balance
FROM parts;
