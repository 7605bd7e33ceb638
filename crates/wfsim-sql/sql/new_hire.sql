-- §4.3 new hires NH_{N}_{k:06}, k = 1..hires.

-- Running level counts C_l and their total T: start-of-year headcount by level, or the fixed
-- shares in parts per million.
CREATE OR REPLACE TABLE level_split AS
WITH counts AS (
    SELECT l.level,
        CASE WHEN p.fixed_level_shares THEN round(l.share * 1000000::DOUBLE)::BIGINT
             ELSE (SELECT count(*) FROM s WHERE s.level = l.level) END AS c
    FROM levels l, p
)
SELECT level,
    sum(c) OVER (ORDER BY level)::HUGEINT AS running,
    sum(c) OVER ()::HUGEINT AS total
FROM counts;

-- Age distribution as cumulative integer weights (§3 categorical rule).
CREATE OR REPLACE TABLE hire_age_cum AS
WITH w AS (
    SELECT j, age, round(weight * 1000000::DOUBLE)::BIGINT AS ppm FROM hire_ages
)
SELECT j, age,
    sum(ppm) OVER (ORDER BY j)::HUGEINT AS running,
    sum(ppm) OVER ()::HUGEINT AS total
FROM w;

CREATE OR REPLACE TABLE hires AS
WITH k AS (
    SELECT unnest(range(1, plan.hires + 1)) AS k, plan.hires FROM plan
), ids AS (
    SELECT k.k, k.hires, 'NH_' || y.year::VARCHAR || '_' || printf('%06d', k.k) AS employee_id
    FROM k, yr y
), lv AS (
    -- the smallest level l with (2k - 1) * T <= 2 * hires * C_l
    SELECT ids.employee_id, ids.k,
        coalesce(min(ls.level) FILTER (WHERE
            (2 * ids.k - 1)::HUGEINT * ls.total <= (2 * ids.hires)::HUGEINT * ls.running
        ), max(ls.level)) AS level
    FROM ids, level_split ls
    GROUP BY ids.employee_id, ids.k
), dated AS (
    SELECT lv.*,
        y.jan1 + day_offset(u(lv.employee_id, y.year, 'hire_date'), y.days) AS hire_date,
        rng_v(lv.employee_id, y.year, 'hire_age')::HUGEINT AS age_v
    FROM lv, yr y
), aged AS (
    -- the smallest j with V * C_total < C_j * 2^32
    SELECT dated.employee_id, dated.k, dated.level, dated.hire_date,
        arg_min(a.age, a.j) FILTER (WHERE dated.age_v * a.total < a.running * 4294967296::HUGEINT) AS age
    FROM dated, hire_age_cum a
    GROUP BY ALL
), born AS (
    SELECT aged.*, make_date(year(aged.hire_date) - aged.age, 7, 1) AS birth_date FROM aged
)
SELECT
    b.employee_id,
    b.k,
    b.birth_date,
    b.hire_date,
    b.level,
    round_cents((l.min_salary + (l.max_salary - l.min_salary) * l.hire_percentile)
        * (1 - p.salary_spread + 2 * p.salary_spread * u(b.employee_id, y.year, 'hire_salary'))) AS salary,
    u(b.employee_id, y.year, 'hire_ineligible') < p.new_hire_ineligible_pct AS plan_ineligible,
    greatest(b.hire_date + p.waiting_period_days, anniversary(b.birth_date, p.minimum_age)) AS rule_date
FROM born b
JOIN levels l ON l.level = b.level
CROSS JOIN p
CROSS JOIN yr y;
