-- §4.11 contributions (and the §4.10 prorated pay they are limited by), for every employee of
-- the year, from the year's events in `ev`. §4.13: the IRS limits of the year, projected here
-- from the published rows.

-- §4.10 prorated compensation: the employed days split into salary periods at hire, promotion
-- and raise dates (a new salary applies from its event date; the termination day is employed),
-- acc = acc + (salary * days) / D(N) in date order from 0.0, then round_cents(acc).
CREATE OR REPLACE TABLE prorated AS
WITH periods AS (
    SELECT employee_id, greatest(hire_date, y.jan1) AS d, -1 AS ord, salary FROM tl, yr y
    UNION ALL
    SELECT employee_id, event_date, ord, compensation_amount FROM ev
    WHERE event_type IN ('promotion', 'raise')
), spans AS (
    SELECT pe.employee_id, pe.d, pe.ord,
        (pe.salary
            * (coalesce(lead(pe.d) OVER (PARTITION BY pe.employee_id ORDER BY pe.d, pe.ord),
                        coalesce(t.term_date, y.dec31) + 1) - pe.d)::DOUBLE)
            / y.days::DOUBLE AS earned
    FROM periods pe
    JOIN tl t USING (employee_id)
    CROSS JOIN yr y
)
SELECT employee_id,
    round_cents(list_reduce(list_prepend(0::DOUBLE, list(earned ORDER BY d, ord)),
                            lambda acc, x: acc + x)) AS prorated_compensation
FROM spans
GROUP BY employee_id;

-- §4.13 the limits of year N: the row of N when published; else from B, the latest published
-- year before N (the first published year when there is none), x = amount_B multiplied by
-- (1 + growth_rate) one year at a time, N - B times, in DOUBLE (a fold, not pow()), then
-- floor(x / step) * step; a year before the first row uses the first row unchanged.
-- §9 also needs hce_compensation of the look-back year N - 1 (`lhce_prev`), projected the
-- same way (N - 1 before the first row uses the first row).
CREATE OR REPLACE TABLE lim AS
WITH years AS (
    SELECT year, false AS prev FROM yr
    UNION ALL
    SELECT year - 1, true FROM yr
), basis AS (
    SELECT coalesce(max(ip.year) FILTER (WHERE ip.year <= ys.year), min(ip.year)) AS b,
        ys.year, ys.prev
    FROM irs_published ip, years ys
    GROUP BY ys.year, ys.prev
), row_b AS (
    SELECT ip.*, basis.prev, greatest(basis.year - basis.b, 0) AS times,
        1 + p.irs_growth_rate AS factor
    FROM irs_published ip
    JOIN basis ON ip.year = basis.b
    CROSS JOIN p
), projected AS (
    SELECT
        prev,
        project_limit(elective_deferral, times, factor, 500) AS l402g,
        project_limit(catch_up, times, factor, 500) AS lcu50,
        project_limit(catch_up_60_63, times, factor, 500) AS lcu60,
        project_limit(compensation, times, factor, 5000) AS l401a17,
        project_limit(annual_additions, times, factor, 1000) AS l415,
        project_limit(hce_compensation, times, factor, 5000) AS lhce,
        project_limit(key_officer_compensation, times, factor, 5000) AS lkey,
        project_limit(ss_wage_base, times, factor, 300) AS twb
    FROM row_b
)
SELECT n.* EXCLUDE (prev), b.lhce AS lhce_prev
FROM projected n, projected b
WHERE NOT n.prev AND b.prev;

-- The periods of §4.11: the employed days from the first (max(hire, Jan 1)) through the last
-- (termination day or Dec 31), split at the date of every event other than hire and
-- termination that falls after the first day. Each period carries the state after all
-- events of its first day: salary, enrolled rate (0 when not enrolled), eligible.
CREATE OR REPLACE TABLE contrib AS
WITH ev_state AS (
    -- the state after each date's last event
    SELECT employee_id, event_date,
        compensation_amount AS salary,
        employee_deferral_rate AS rate,
        last_value(CASE event_type WHEN 'enrollment' THEN true WHEN 'opt_out' THEN false END
                   IGNORE NULLS) OVER upto AS enrolled,
        bool_or(event_type = 'eligibility') OVER upto AS made_eligible
    FROM ev
    WINDOW upto AS (PARTITION BY employee_id ORDER BY event_sequence
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    QUALIFY row_number() OVER (PARTITION BY employee_id, event_date
                               ORDER BY event_sequence DESC) = 1
), bounds AS (
    SELECT employee_id, greatest(hire_date, y.jan1) AS d FROM tl, yr y
    UNION
    SELECT e.employee_id, e.event_date
    FROM ev e JOIN tl t USING (employee_id), yr y
    WHERE e.event_type NOT IN ('hire', 'termination')
      AND e.event_date > greatest(t.hire_date, y.jan1)
), periods AS (
    SELECT b.employee_id, b.d,
        coalesce(s.salary, t.salary) AS salary,
        CASE WHEN coalesce(s.enrolled, t.enrollment_method IS NOT NULL)
             THEN coalesce(s.rate, t.deferral_rate) ELSE 0::DOUBLE END AS rate,
        t.eligibility_date IS NOT NULL OR coalesce(s.made_eligible, false) AS eligible,
        (coalesce(lead(b.d) OVER (PARTITION BY b.employee_id ORDER BY b.d),
                  coalesce(t.term_date, y.dec31) + 1) - b.d) AS days
    FROM bounds b
    JOIN tl t USING (employee_id)
    CROSS JOIN yr y
    ASOF LEFT JOIN ev_state s ON b.employee_id = s.employee_id AND b.d >= s.event_date
), tier_set AS (
    -- the year's tier set: the largest threshold <= tenure or points at Jan 1 (this year's
    -- hires tenure 0)
    SELECT t.employee_id, arg_max(ms.tiers, ms.threshold) AS tiers
    FROM tl t
    CROSS JOIN p
    JOIN match_set ms
      ON ms.threshold <= CASE WHEN p.match_by_points THEN t.points0 ELSE t.plan_tenure0 END
         OR ms.threshold = 0
    GROUP BY t.employee_id
), terms AS (
    SELECT pe.employee_id, pe.d, pe.rate, pe.eligible,
        (pe.salary * pe.days::DOUBLE) / y.days::DOUBLE AS pay
    FROM periods pe, yr y
), accrued AS (
    -- acc = acc + term in date order, from 0.0
    SELECT tm.employee_id, any_value(ts.tiers) AS tiers,
        list_reduce(list_prepend(0::DOUBLE, list(
            CASE WHEN tm.rate <> 0 THEN tm.pay * tm.rate ELSE 0::DOUBLE END ORDER BY tm.d)),
            lambda acc, x: acc + x) AS ex_def,
        list_reduce(list_prepend(0::DOUBLE, list(
            CASE WHEN tm.rate <> 0 THEN tm.pay * mshare(ts.tiers, tm.rate) ELSE 0::DOUBLE END
            ORDER BY tm.d)),
            lambda acc, x: acc + x) AS ex_match,
        list_reduce(list_prepend(0::DOUBLE, list(
            CASE WHEN tm.eligible THEN tm.pay ELSE 0::DOUBLE END ORDER BY tm.d)),
            lambda acc, x: acc + x) AS ex_elig
    FROM terms tm
    JOIN tier_set ts USING (employee_id)
    GROUP BY tm.employee_id
), core AS (
    -- core rate: the step with the largest threshold not above tenure (hires 0), age or points
    -- at Jan 1
    SELECT t.employee_id, arg_max(cs.rate, cs.threshold) AS core_rate
    FROM tl t
    CROSS JOIN p
    JOIN core_steps cs
      ON cs.threshold <= CASE p.core_by WHEN 'age' THEN t.age0
                                        WHEN 'points' THEN t.points0
                                        ELSE t.plan_tenure0 END
         OR cs.threshold = 0
    GROUP BY t.employee_id
), deferrals AS (
    SELECT a.*, t.term_date IS NOT NULL AS terminated, c.core_rate, pr.prorated_compensation,
        round_cents(a.ex_def) AS elected_deferral,
        CASE WHEN years_between(t.birth_date, y.dec31) BETWEEN 60 AND 63 AND p.irs_catch_up_60_63
                 THEN l.lcu60
             WHEN years_between(t.birth_date, y.dec31) >= 50 THEN l.lcu50
             ELSE 0::DOUBLE END AS catch_up_limit
    FROM accrued a
    JOIN tl t USING (employee_id)
    JOIN core c USING (employee_id)
    JOIN prorated pr USING (employee_id)
    CROSS JOIN yr y
    CROSS JOIN p
    CROSS JOIN lim l
), employee AS (
    SELECT d.*,
        least(d.elected_deferral, l.l402g + d.catch_up_limit) AS employee_deferral,
        CASE WHEN d.prorated_compensation <= l.l401a17 THEN 1::DOUBLE
             ELSE l.l401a17 / d.prorated_compensation END AS factor
    FROM deferrals d, lim l
), before_415 AS (
    SELECT e.*,
        round_cents(max0(e.employee_deferral - l.l402g)) AS catch_up_deferral,
        round_cents(e.ex_match * e.factor
            * CASE WHEN e.elected_deferral > 0 THEN e.employee_deferral / e.elected_deferral
                   ELSE 0::DOUBLE END) AS match_pp,
        -- P = round_cents(ex_elig * factor): true-up, integration and §9's testing pay
        round_cents(e.ex_elig * e.factor) AS true_up_pay,
        -- integrated (§4.11): + max(P - IL, 0) * excess_rate, P = round_cents(ex_elig * factor)
        CASE WHEN p.core_excess_rate IS NULL
             THEN round_cents(e.ex_elig * e.factor * e.core_rate)
             ELSE round_cents(e.ex_elig * e.factor * e.core_rate
                 + max0(round_cents(e.ex_elig * e.factor)
                        - CASE WHEN p.core_il_wage_base THEN l.twb
                               WHEN p.core_il_fraction IS NOT NULL
                                   THEN round_cents(l.twb * p.core_il_fraction)
                               ELSE p.core_il_amount END)
                   * p.core_excess_rate) END AS core_pp
    FROM employee e, lim l, p
), employer AS (
    SELECT b.*,
        CASE WHEN b.terminated AND p.match_last_day_rule THEN 0::DOUBLE
             WHEN p.match_true_up THEN
                 greatest(b.match_pp,
                          CASE WHEN b.true_up_pay = 0 THEN 0::DOUBLE
                               ELSE round_cents(b.true_up_pay * mshare(b.tiers,
                                   least(b.employee_deferral / b.true_up_pay, 1::DOUBLE))) END)
             ELSE b.match_pp END AS match_before_415,
        CASE WHEN b.terminated AND p.core_last_day_rule THEN 0::DOUBLE
             ELSE b.core_pp END AS core_before_415,
        round_cents(b.employee_deferral - b.catch_up_deferral) AS d415
    FROM before_415 b, p
), matched AS (
    SELECT e.*,
        least(e.match_before_415, max0(round_cents(l.l415 - e.d415)))
            AS employer_match
    FROM employer e, lim l
)
SELECT m.employee_id,
    round_cents(m.ex_elig) AS eligible_compensation,
    m.elected_deferral,
    m.employee_deferral,
    m.catch_up_deferral,
    m.employer_match,
    least(m.core_before_415,
          max0(round_cents(l.l415 - m.d415 - m.employer_match))) AS employer_core,
    -- §9 testing pay (not a snapshot column; the shared Rust code tests with it)
    m.true_up_pay AS testing_pay
FROM matched m, lim l;
