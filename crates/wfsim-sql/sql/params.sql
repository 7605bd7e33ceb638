-- The configuration as the one-row table `p` and the plan-design tables, built from the
-- `param` rows by key path (`src/params.rs` flattens the resolved config into them): a number
-- or boolean (1/0) is the bound DOUBLE `v` (never a decimal literal), a string (enum, date,
-- MM-DD) the text `t`; list elements have their 1-based index in `i`, and in `j` for a list
-- inside a list (2-D tables are read row by row, `ORDER BY i, j`); a table keyed by year has
-- the year in `i`. An optional section that is null has no rows. `model.` names are values the
-- model derives. A test in `src/params.rs` checks that the key paths read here are exactly the
-- ones the config produces: quote a key path only where it is read.
--
-- A rule file may read a scalar number directly by key path with `cfg('section.key')` (below),
-- so a new numeric key needs no column here; the same test reads every SQL file for them.
CREATE OR REPLACE MACRO cfg(k) AS (SELECT max(v) FROM param WHERE name = k AND i = 0);

CREATE OR REPLACE TABLE p AS
SELECT
    max(v) FILTER (WHERE name = 'simulation.start_year')::INTEGER                       AS start_year,
    (max(t) FILTER (WHERE name = 'simulation.census_date'))::DATE                       AS census_date,
    (max(t) FILTER (WHERE name = 'enrollment.auto_enrollment.hire_date_cutoff'))::DATE  AS hire_date_cutoff,
    max(v) FILTER (WHERE name = 'simulation.target_growth_rate')                        AS target_growth_rate,
    max(v) FILTER (WHERE name = 'workforce.total_termination_rate')                     AS total_termination_rate,
    max(v) FILTER (WHERE name = 'workforce.new_hire_termination_rate')                  AS new_hire_termination_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'workforce.termination_age_multipliers')    AS m_age,
    list(v ORDER BY i) FILTER (WHERE name = 'workforce.termination_tenure_multipliers') AS m_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'workforce.termination_level_multipliers')  AS m_level,
    max(v) FILTER (WHERE name = 'model.max_level')::INTEGER                             AS max_level,
    count(*) FILTER (WHERE name = 'new_hire.level_shares') > 0                          AS fixed_level_shares,
    max(v) FILTER (WHERE name = 'new_hire.salary_spread')                               AS salary_spread,
    max(v) FILTER (WHERE name = 'compensation.cola_rate')                               AS cola_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'compensation.merit_rate_by_level')         AS merit_rate,
    max(v) FILTER (WHERE name = 'compensation.merit_min_tenure_years')::INTEGER         AS merit_min_tenure,
    split_part(max(t) FILTER (WHERE name = 'compensation.merit_date'), '-', 1)::INTEGER AS merit_month,
    split_part(max(t) FILTER (WHERE name = 'compensation.merit_date'), '-', 2)::INTEGER AS merit_day,
    max(v) FILTER (WHERE name = 'promotion.base_rate')                                  AS promotion_base_rate,
    max(v) FILTER (WHERE name = 'promotion.level_dampening')                            AS promotion_level_dampening,
    max(v) FILTER (WHERE name = 'promotion.min_tenure_years')::INTEGER                  AS promotion_min_tenure,
    max(v) FILTER (WHERE name = 'promotion.max_age')::INTEGER                           AS promotion_max_age,
    list(v ORDER BY i) FILTER (WHERE name = 'promotion.tenure_multipliers')             AS pm_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'promotion.age_multipliers')                AS pm_age,
    max(v) FILTER (WHERE name = 'promotion.base_increase_pct')                          AS promotion_base_increase_pct,
    max(v) FILTER (WHERE name = 'promotion.distribution_range')                         AS promotion_distribution_range,
    max(v) FILTER (WHERE name = 'promotion.max_cap_pct')                                AS promotion_max_cap_pct,
    max(v) FILTER (WHERE name = 'promotion.max_cap_amount')                             AS promotion_max_cap_amount,
    split_part(max(t) FILTER (WHERE name = 'promotion.promotion_date'), '-', 1)::INTEGER AS promotion_month,
    split_part(max(t) FILTER (WHERE name = 'promotion.promotion_date'), '-', 2)::INTEGER AS promotion_day,
    max(v) FILTER (WHERE name = 'eligibility.minimum_age')::INTEGER                     AS minimum_age,
    max(v) FILTER (WHERE name = 'eligibility.waiting_period_days')::INTEGER             AS waiting_period_days,
    max(v) FILTER (WHERE name = 'eligibility.new_hire_ineligible_pct')                  AS new_hire_ineligible_pct,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.enabled') = 1               AS ae_enabled,
    max(t) FILTER (WHERE name = 'enrollment.auto_enrollment.scope') = 'all_eligible'    AS ae_all_eligible,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.window_days')::INTEGER      AS ae_window_days,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.default_deferral_rate')     AS ae_default_deferral_rate,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.opt_out_grace_period_days')::INTEGER AS opt_out_grace_period_days,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.opt_out_default_sensitivity') AS opt_out_sensitivity,
    max(v) FILTER (WHERE name = 'enrollment.auto_enrollment.opt_out_reference_rate')    AS opt_out_reference_rate,
    max(v) FILTER (WHERE name = 'enrollment.match_response.probability')                AS match_response_probability,
    list(v ORDER BY i, j) FILTER (WHERE name = 'enrollment.auto_enrollment.opt_out_rates') AS opt_out_rate,
    max(v) FILTER (WHERE name = 'enrollment.voluntary.voluntary_enrollment_rate')       AS voluntary_enrollment_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.voluntary.base_by_age')         AS vol_base,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.voluntary.income_multipliers')  AS vol_income,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.voluntary.level_multipliers')   AS vol_level,
    list(v ORDER BY i, j) FILTER (WHERE name = 'enrollment.voluntary.deferral_rates')   AS vol_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.conversion.base_by_age')        AS conv_base,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.conversion.income_multipliers') AS conv_income,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.conversion.tenure_multipliers') AS conv_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'enrollment.conversion.deferral_rate_by_age') AS conv_rate,
    max(v) FILTER (WHERE name = 'deferral_auto_escalation.enabled') = 1                 AS esc_enabled,
    max(v) FILTER (WHERE name = 'deferral_auto_escalation.increment_amount')            AS esc_increment,
    max(v) FILTER (WHERE name = 'deferral_auto_escalation.maximum_rate')                AS esc_maximum_rate,
    max(v) FILTER (WHERE name = 'deferral_auto_escalation.first_escalation_delay_years')::INTEGER AS esc_delay_years,
    max(t) FILTER (WHERE name = 'deferral_auto_escalation.applies_to') = 'auto_enrolled' AS esc_auto_enrolled_only,
    split_part(max(t) FILTER (WHERE name = 'deferral_auto_escalation.escalation_date'), '-', 1)::INTEGER AS esc_month,
    split_part(max(t) FILTER (WHERE name = 'deferral_auto_escalation.escalation_date'), '-', 2)::INTEGER AS esc_day,
    max(v) FILTER (WHERE name = 'employer_match.true_up') = 1                           AS match_true_up,
    max(v) FILTER (WHERE name = 'employer_match.last_day_rule') = 1                     AS match_last_day_rule,
    -- the match tier sets are indexed by points (age + tenure) rather than tenure
    count(*) FILTER (WHERE name = 'employer_match.by_points.min_points') > 0            AS match_by_points,
    -- what indexes the core steps below: 'service', 'age' or 'points' (a flat rate is the one
    -- step 0, which any index reaches)
    CASE WHEN count(*) FILTER (WHERE name = 'employer_core.by_age.rate') > 0 THEN 'age'
         WHEN count(*) FILTER (WHERE name = 'employer_core.by_points.rate') > 0 THEN 'points'
         ELSE 'service' END                                                            AS core_by,
    -- an integrated core (§4.11): the excess rate, and the level as 'wage_base', a fraction
    -- of the wage base or an amount (null without integration)
    max(v) FILTER (WHERE name = 'employer_core.integration.excess_rate')                AS core_excess_rate,
    max(t) FILTER (WHERE name = 'employer_core.integration.level') = 'wage_base'        AS core_il_wage_base,
    max(v) FILTER (WHERE name = 'employer_core.integration.level.fraction')             AS core_il_fraction,
    max(v) FILTER (WHERE name = 'employer_core.integration.level.amount')               AS core_il_amount,
    max(v) FILTER (WHERE name = 'employer_core.last_day_rule') = 1                      AS core_last_day_rule,
    max(v) FILTER (WHERE name = 'irs_limits.growth_rate')                               AS irs_growth_rate,
    max(v) FILTER (WHERE name = 'irs_limits.catch_up_60_63') = 1                        AS irs_catch_up_60_63
FROM param;

-- The job levels by level, with the fixed new-hire share of each (0 when `level_shares` is
-- null: hires then follow the start-of-year headcount).
CREATE OR REPLACE TABLE levels AS
SELECT
    max(v) FILTER (WHERE name = 'job_levels.level')::INTEGER                AS level,
    max(v) FILTER (WHERE name = 'job_levels.min_salary')                    AS min_salary,
    max(v) FILTER (WHERE name = 'job_levels.max_salary')                    AS max_salary,
    max(v) FILTER (WHERE name = 'job_levels.hire_percentile')               AS hire_percentile,
    coalesce(max(v) FILTER (WHERE name = 'new_hire.level_shares'), 0::DOUBLE) AS share
FROM param
GROUP BY i
HAVING count(*) FILTER (WHERE name = 'job_levels.level') > 0
ORDER BY i;

-- The new-hire age weights in listed order, j = 1..n.
CREATE OR REPLACE TABLE hire_ages AS
SELECT i AS j,
    max(v) FILTER (WHERE name = 'new_hire.age_distribution.age')::INTEGER   AS age,
    max(v) FILTER (WHERE name = 'new_hire.age_distribution.weight')         AS weight
FROM param
GROUP BY i
HAVING count(*) FILTER (WHERE name = 'new_hire.age_distribution.weight') > 0
ORDER BY i;

-- The match tier sets (spec §7): the `by_service` or `by_points` steps (set_index 0-based;
-- `p.match_by_points` says which index they take), or when both are null `tiers` as the one
-- set with threshold 0; a set's tiers by tier_index in listed order.
CREATE OR REPLACE TABLE match_sets AS
SELECT i - 1 AS set_index, v::INTEGER AS threshold
FROM param
WHERE name IN ('employer_match.by_service.min_years', 'employer_match.by_points.min_points')
UNION ALL
SELECT 0, 0
WHERE NOT EXISTS (SELECT 1 FROM param
                  WHERE name IN ('employer_match.by_service.min_years',
                                 'employer_match.by_points.min_points'));

CREATE OR REPLACE TABLE match_tiers AS
SELECT i - 1 AS set_index, j AS tier_index,
    max(v) FILTER (WHERE name IN ('employer_match.by_service.tiers.from',
                                  'employer_match.by_points.tiers.from'))   AS tier_from,
    max(v) FILTER (WHERE name IN ('employer_match.by_service.tiers.to',
                                  'employer_match.by_points.tiers.to'))     AS tier_to,
    max(v) FILTER (WHERE name IN ('employer_match.by_service.tiers.rate',
                                  'employer_match.by_points.tiers.rate'))   AS rate
FROM param
GROUP BY i, j
HAVING count(*) FILTER (WHERE name IN ('employer_match.by_service.tiers.rate',
                                       'employer_match.by_points.tiers.rate')) > 0
UNION ALL
SELECT 0, i,
    max(v) FILTER (WHERE name = 'employer_match.tiers.from'),
    max(v) FILTER (WHERE name = 'employer_match.tiers.to'),
    max(v) FILTER (WHERE name = 'employer_match.tiers.rate')
FROM param
GROUP BY i
HAVING count(*) FILTER (WHERE name = 'employer_match.tiers.rate') > 0
   AND NOT EXISTS (SELECT 1 FROM param
                   WHERE name IN ('employer_match.by_service.min_years',
                                  'employer_match.by_points.min_points'));

-- The match tier sets (spec §4.11): each set's tiers in listed order as one list, an empty
-- list for a set without tiers; `threshold` is the set's service or points threshold (0 for
-- `tiers`).
CREATE OR REPLACE TABLE match_set AS
SELECT s.set_index, s.threshold,
    coalesce(list({'lo': t.tier_from, 'hi': t.tier_to, 'rate': t.rate} ORDER BY t.tier_index)
                 FILTER (WHERE t.tier_index IS NOT NULL),
             []) AS tiers
FROM match_sets s
LEFT JOIN match_tiers t USING (set_index)
GROUP BY s.set_index, s.threshold;

-- The core rate steps: `by_service`, `by_age` or `by_points` (`p.core_by` says which
-- start-of-year value indexes them), else the flat `rate` as the one step 0.
CREATE OR REPLACE TABLE core_steps AS
WITH service AS (
    SELECT max(v) FILTER (WHERE name = 'employer_core.by_service.min_years')::INTEGER AS threshold,
        max(v) FILTER (WHERE name = 'employer_core.by_service.rate') AS rate
    FROM param
    GROUP BY i
    HAVING count(*) FILTER (WHERE name = 'employer_core.by_service.rate') > 0
), age AS (
    SELECT max(v) FILTER (WHERE name = 'employer_core.by_age.min_age')::INTEGER AS threshold,
        max(v) FILTER (WHERE name = 'employer_core.by_age.rate') AS rate
    FROM param
    GROUP BY i
    HAVING count(*) FILTER (WHERE name = 'employer_core.by_age.rate') > 0
), points AS (
    SELECT max(v) FILTER (WHERE name = 'employer_core.by_points.min_points')::INTEGER AS threshold,
        max(v) FILTER (WHERE name = 'employer_core.by_points.rate') AS rate
    FROM param
    GROUP BY i
    HAVING count(*) FILTER (WHERE name = 'employer_core.by_points.rate') > 0
), flat AS (
    SELECT 0 AS threshold, v AS rate FROM param WHERE name = 'employer_core.rate'
)
SELECT * FROM service
UNION ALL
SELECT * FROM age
UNION ALL
SELECT * FROM points
UNION ALL
SELECT * FROM flat
WHERE NOT EXISTS (SELECT 1 FROM service) AND NOT EXISTS (SELECT 1 FROM age)
  AND NOT EXISTS (SELECT 1 FROM points);

-- The vesting schedules of the two employer sources ('match', 'core'), 0-based by completed
-- years of service, with each schedule's last index: `match_schedule` / `core_schedule`, or
-- `schedule` for a source without its own.
CREATE OR REPLACE TABLE vesting_schedule AS
WITH s AS (
    SELECT 'match' AS source, i - 1 AS i, v AS fraction FROM param
    WHERE name = 'vesting.match_schedule'
       OR (name = 'vesting.schedule'
           AND NOT EXISTS (SELECT 1 FROM param WHERE name = 'vesting.match_schedule'))
    UNION ALL
    SELECT 'core', i - 1, v FROM param
    WHERE name = 'vesting.core_schedule'
       OR (name = 'vesting.schedule'
           AND NOT EXISTS (SELECT 1 FROM param WHERE name = 'vesting.core_schedule'))
)
SELECT source, i, fraction, max(i) OVER (PARTITION BY source) AS last_i
FROM s
ORDER BY source, i;

-- The published IRS limits by plan year.
CREATE OR REPLACE TABLE irs_published AS
SELECT i AS year,
    max(v) FILTER (WHERE name = 'irs_limits.published.elective_deferral')   AS elective_deferral,
    max(v) FILTER (WHERE name = 'irs_limits.published.catch_up')            AS catch_up,
    max(v) FILTER (WHERE name = 'irs_limits.published.catch_up_60_63')      AS catch_up_60_63,
    max(v) FILTER (WHERE name = 'irs_limits.published.compensation')        AS compensation,
    max(v) FILTER (WHERE name = 'irs_limits.published.annual_additions')    AS annual_additions,
    max(v) FILTER (WHERE name = 'irs_limits.published.hce_compensation')    AS hce_compensation,
    max(v) FILTER (WHERE name = 'irs_limits.published.key_officer_compensation') AS key_officer_compensation,
    max(v) FILTER (WHERE name = 'irs_limits.published.ss_wage_base')        AS ss_wage_base
FROM param
GROUP BY i
HAVING count(*) FILTER (WHERE name = 'irs_limits.published.elective_deferral') > 0
ORDER BY i;
