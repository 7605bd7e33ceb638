-- §4.2 exact growth: integer counts only.
CREATE OR REPLACE TABLE plan AS
WITH c AS (
    SELECT (SELECT count(*) FROM s) AS n_start, (SELECT count(*) FROM term_exp) AS exp_terms
), t AS (
    SELECT c.*, round(c.n_start::DOUBLE * (1 + p.target_growth_rate))::BIGINT AS target,
        p.new_hire_termination_rate AS nh_rate
    FROM c, p
), n AS (
    SELECT t.*, t.target - (t.n_start - t.exp_terms) AS net FROM t
)
SELECT
    n_start, exp_terms, target,
    CASE WHEN net > 0 THEN ceil(net::DOUBLE / (1 - nh_rate))::BIGINT ELSE 0 END AS hires,
    CASE WHEN net > 0 THEN ceil(net::DOUBLE / (1 - nh_rate))::BIGINT - net ELSE 0 END AS nh_terms,
    CASE WHEN net > 0 THEN 0 ELSE -net END AS rif
FROM n;
