-- The dates of year N ($1), and A(N) with its start-of-year attributes.
CREATE OR REPLACE TABLE yr AS
SELECT
    $1::INTEGER AS year,
    make_date($1::INTEGER, 1, 1) AS jan1,
    make_date($1::INTEGER, 12, 31) AS dec31,
    (make_date($1::INTEGER + 1, 1, 1) - make_date($1::INTEGER, 1, 1))::INTEGER AS days,
    make_date($1::INTEGER, p.promotion_month, p.promotion_day) AS promotion_date,
    make_date($1::INTEGER, p.merit_month, p.merit_day) AS merit_date,
    make_date($1::INTEGER, p.esc_month, p.esc_day) AS escalation_date
FROM p;
