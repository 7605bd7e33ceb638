-- §4.8 enrollment decisions, with start-of-year attributes.

-- Step 5's full-match rate M of each employee of the year: the largest `to` among the paying
-- tiers of their tier set (tenure or points at Jan 1, this year's hires tenure 0), 0 when none
-- pays.
CREATE OR REPLACE TABLE full_match AS
SELECT r.employee_id,
    coalesce(list_max(list_transform(list_filter(arg_max(ms.tiers, ms.threshold),
                                                 lambda t: t.rate > 0),
                                     lambda t: t.hi)), 0::DOUBLE) AS m
FROM r
CROSS JOIN p
JOIN match_set ms
  ON ms.threshold <= CASE WHEN p.match_by_points THEN r.points0 ELSE r.plan_tenure0 END
     OR ms.threshold = 0
GROUP BY r.employee_id;

-- 1. Voluntary enrollment of the newly eligible (E in year N).
CREATE OR REPLACE TABLE vol AS
WITH d AS (
    SELECT
        r.employee_id, r.rule_date,
        enrollment_age_group(r.age0) AS ag,
        income_band(r.salary) AS ib,
        least(1, p.vol_base[enrollment_age_group(r.age0) + 1]
                 * p.vol_income[income_band(r.salary) + 1]
                 * p.vol_level[r.level]
                 * p.voluntary_enrollment_rate) AS prob,
        u(r.employee_id, y.year, 'voluntary_enrollment') AS draw
    FROM r
    JOIN elig USING (employee_id)
    CROSS JOIN p
    CROSS JOIN yr y
)
SELECT
    d.employee_id,
    least(d.rule_date + day_offset(u(d.employee_id, y.year, 'enrollment_timing'), p.ae_window_days),
          y.dec31) AS enr_date,
    match_response(d.employee_id, y.year,
                   round_bp(greatest(cfg('enrollment.voluntary.min_rate'), least(cfg('enrollment.voluntary.max_rate'), p.vol_rate[d.ag * 4 + d.ib + 1]))),
                   fm.m, p.match_response_probability) AS enr_rate,
    d.prob AS enr_prob,
    d.draw AS enr_draw
FROM d
JOIN full_match fm USING (employee_id)
CROSS JOIN p
CROSS JOIN yr y
WHERE d.draw < d.prob;

-- 2. Auto-enrollment date max(E, Jan1(start_year)) + window_days, when it falls in year N.
CREATE OR REPLACE TABLE ae AS
SELECT
    r.employee_id,
    greatest(r.rule_date, make_date(p.start_year, 1, 1)) + p.ae_window_days AS ae_date,
    -- scheduled only for those not enrolled and never opted out at the start of the year
    r.enrollment_date IS NULL AND NOT r.ever_opted_out AS scheduled
FROM r, p, yr y
WHERE p.ae_enabled
  AND (p.ae_all_eligible OR r.hire_date >= p.hire_date_cutoff)
  AND NOT r.plan_ineligible
  AND greatest(r.rule_date, make_date(p.start_year, 1, 1)) + p.ae_window_days BETWEEN y.jan1 AND y.dec31;

-- 3. The opt-out that follows every scheduled auto-enrollment, if drawn.
CREATE OR REPLACE TABLE opt_out AS
WITH d AS (
    SELECT
        r.employee_id, ae.ae_date,
        -- step 3: min(1, max(0, p_opt * (1 + sens * ((default - ref) * 100))))
        least(1, max0(p.opt_out_rate[opt_out_age_group(r.age0) * 4 + income_band(r.salary) + 1]
                      * (1 + p.opt_out_sensitivity
                             * ((p.ae_default_deferral_rate - p.opt_out_reference_rate) * 100)))) AS prob,
        u(r.employee_id, y.year, 'opt_out') AS draw
    FROM r
    JOIN ae USING (employee_id)
    CROSS JOIN p
    CROSS JOIN yr y
    WHERE ae.scheduled
)
SELECT
    d.employee_id,
    least(d.ae_date + day_offset(u(d.employee_id, y.year, 'opt_out_timing'), p.opt_out_grace_period_days),
          y.dec31) AS oo_date,
    d.prob AS oo_prob,
    d.draw AS oo_draw
FROM d, p, yr y
WHERE d.draw < d.prob;

-- 4. Year-over-year conversion of eligible non-participants (E before Jan 1, never opted
-- out, no auto-enrollment date in year N).
CREATE OR REPLACE TABLE conv AS
WITH d AS (
    SELECT
        r.employee_id,
        enrollment_age_group(r.age0) AS ag,
        p.conv_base[enrollment_age_group(r.age0) + 1]
            * p.conv_income[income_band(r.salary) + 1]
            * p.conv_tenure[conversion_tenure_group(r.tenure0) + 1] AS prob,
        u(r.employee_id, y.year, 'conversion') AS draw
    FROM r, p, yr y
    WHERE r.eligibility_date IS NOT NULL
      AND r.enrollment_date IS NULL
      AND NOT r.ever_opted_out
      AND r.rule_date < y.jan1
      AND r.employee_id NOT IN (SELECT employee_id FROM ae)
)
SELECT
    d.employee_id,
    y.jan1 + day_offset(u(d.employee_id, y.year, 'enrollment_timing'), y.days) AS enr_date,
    match_response(d.employee_id, y.year, round_bp(p.conv_rate[d.ag + 1]), fm.m,
                   p.match_response_probability) AS enr_rate,
    d.prob AS enr_prob,
    d.draw AS enr_draw
FROM d
JOIN full_match fm USING (employee_id)
CROSS JOIN p
CROSS JOIN yr y
WHERE d.draw < d.prob;
