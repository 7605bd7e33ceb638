-- §4.5 promotions, decided with start-of-year attributes (applied on the promotion date in
-- timeline.sql if the employee is still active then).
CREATE OR REPLACE TABLE promo AS
WITH d AS (
    SELECT
        r.employee_id,
        least(1, p.promotion_base_rate
                 * p.pm_tenure[tenure_band(r.tenure0) + 1]
                 * p.pm_age[age_band(r.age0) + 1]
                 * (1 - p.promotion_level_dampening * (r.level - 1)::DOUBLE)) AS prob,
        u(r.employee_id, y.year, 'promotion') AS draw
    FROM r, p, yr y
    WHERE NOT r.hired
      AND r.level < p.max_level
      AND r.tenure0 >= p.promotion_min_tenure
      AND r.age0 < p.promotion_max_age
)
SELECT
    d.employee_id, d.prob, d.draw,
    -- r = base_increase_pct + (2 * u - 1) * distribution_range
    p.promotion_base_increase_pct
        + (2 * u(d.employee_id, y.year, 'promotion_raise') - 1) * p.promotion_distribution_range
        AS raise_pct
FROM d, p, yr y
WHERE d.draw < d.prob;
