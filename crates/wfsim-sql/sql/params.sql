-- The configuration as one row `p`: every value arrives in `param` as a bound DOUBLE
-- (never a decimal literal); lists are 1-based like DuckDB lists, 2-D tables are flattened
-- as row * 4 + column + 1.
CREATE OR REPLACE TABLE p AS
SELECT
    max(v) FILTER (WHERE name = 'start_year')::INTEGER                  AS start_year,
    DATE '1970-01-01' + (max(v) FILTER (WHERE name = 'census_date'))::INTEGER       AS census_date,
    DATE '1970-01-01' + (max(v) FILTER (WHERE name = 'hire_date_cutoff'))::INTEGER  AS hire_date_cutoff,
    max(v) FILTER (WHERE name = 'target_growth_rate')                   AS target_growth_rate,
    max(v) FILTER (WHERE name = 'total_termination_rate')               AS total_termination_rate,
    max(v) FILTER (WHERE name = 'new_hire_termination_rate')            AS new_hire_termination_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'm_age')                    AS m_age,
    list(v ORDER BY i) FILTER (WHERE name = 'm_tenure')                 AS m_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'm_level')                  AS m_level,
    max(v) FILTER (WHERE name = 'max_level')::INTEGER                   AS max_level,
    max(v) FILTER (WHERE name = 'fixed_level_shares') = 1               AS fixed_level_shares,
    max(v) FILTER (WHERE name = 'salary_spread')                        AS salary_spread,
    max(v) FILTER (WHERE name = 'cola_rate')                            AS cola_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'merit_rate')               AS merit_rate,
    max(v) FILTER (WHERE name = 'merit_min_tenure')::INTEGER            AS merit_min_tenure,
    max(v) FILTER (WHERE name = 'merit_month')::INTEGER                 AS merit_month,
    max(v) FILTER (WHERE name = 'merit_day')::INTEGER                   AS merit_day,
    max(v) FILTER (WHERE name = 'promotion_base_rate')                  AS promotion_base_rate,
    max(v) FILTER (WHERE name = 'promotion_level_dampening')            AS promotion_level_dampening,
    max(v) FILTER (WHERE name = 'promotion_min_tenure')::INTEGER        AS promotion_min_tenure,
    max(v) FILTER (WHERE name = 'promotion_max_age')::INTEGER           AS promotion_max_age,
    list(v ORDER BY i) FILTER (WHERE name = 'pm_tenure')                AS pm_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'pm_age')                   AS pm_age,
    max(v) FILTER (WHERE name = 'promotion_base_increase_pct')          AS promotion_base_increase_pct,
    max(v) FILTER (WHERE name = 'promotion_distribution_range')         AS promotion_distribution_range,
    max(v) FILTER (WHERE name = 'promotion_max_cap_pct')                AS promotion_max_cap_pct,
    max(v) FILTER (WHERE name = 'promotion_max_cap_amount')             AS promotion_max_cap_amount,
    max(v) FILTER (WHERE name = 'promotion_month')::INTEGER             AS promotion_month,
    max(v) FILTER (WHERE name = 'promotion_day')::INTEGER               AS promotion_day,
    max(v) FILTER (WHERE name = 'minimum_age')::INTEGER                 AS minimum_age,
    max(v) FILTER (WHERE name = 'waiting_period_days')::INTEGER         AS waiting_period_days,
    max(v) FILTER (WHERE name = 'new_hire_ineligible_pct')              AS new_hire_ineligible_pct,
    max(v) FILTER (WHERE name = 'ae_enabled') = 1                       AS ae_enabled,
    max(v) FILTER (WHERE name = 'ae_all_eligible') = 1                  AS ae_all_eligible,
    max(v) FILTER (WHERE name = 'ae_window_days')::INTEGER              AS ae_window_days,
    max(v) FILTER (WHERE name = 'ae_default_deferral_rate')             AS ae_default_deferral_rate,
    max(v) FILTER (WHERE name = 'opt_out_grace_period_days')::INTEGER   AS opt_out_grace_period_days,
    max(v) FILTER (WHERE name = 'opt_out_sensitivity')                  AS opt_out_sensitivity,
    max(v) FILTER (WHERE name = 'opt_out_reference_rate')               AS opt_out_reference_rate,
    max(v) FILTER (WHERE name = 'match_response_probability')           AS match_response_probability,
    list(v ORDER BY i) FILTER (WHERE name = 'opt_out_rate')             AS opt_out_rate,
    max(v) FILTER (WHERE name = 'voluntary_enrollment_rate')            AS voluntary_enrollment_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'vol_base')                 AS vol_base,
    list(v ORDER BY i) FILTER (WHERE name = 'vol_income')               AS vol_income,
    list(v ORDER BY i) FILTER (WHERE name = 'vol_level')                AS vol_level,
    list(v ORDER BY i) FILTER (WHERE name = 'vol_rate')                 AS vol_rate,
    max(v) FILTER (WHERE name = 'vol_min_rate')                         AS vol_min_rate,
    max(v) FILTER (WHERE name = 'vol_max_rate')                         AS vol_max_rate,
    list(v ORDER BY i) FILTER (WHERE name = 'conv_base')                AS conv_base,
    list(v ORDER BY i) FILTER (WHERE name = 'conv_income')              AS conv_income,
    list(v ORDER BY i) FILTER (WHERE name = 'conv_tenure')              AS conv_tenure,
    list(v ORDER BY i) FILTER (WHERE name = 'conv_rate')                AS conv_rate,
    max(v) FILTER (WHERE name = 'esc_enabled') = 1                      AS esc_enabled,
    max(v) FILTER (WHERE name = 'esc_increment')                        AS esc_increment,
    max(v) FILTER (WHERE name = 'esc_maximum_rate')                     AS esc_maximum_rate,
    max(v) FILTER (WHERE name = 'esc_delay_years')::INTEGER             AS esc_delay_years,
    max(v) FILTER (WHERE name = 'esc_auto_enrolled_only') = 1           AS esc_auto_enrolled_only,
    max(v) FILTER (WHERE name = 'esc_month')::INTEGER                   AS esc_month,
    max(v) FILTER (WHERE name = 'esc_day')::INTEGER                     AS esc_day,
    max(v) FILTER (WHERE name = 'match_true_up') = 1                    AS match_true_up,
    max(v) FILTER (WHERE name = 'match_last_day_rule') = 1              AS match_last_day_rule,
    max(v) FILTER (WHERE name = 'core_by_age') = 1                      AS core_by_age,
    max(v) FILTER (WHERE name = 'core_last_day_rule') = 1               AS core_last_day_rule,
    max(v) FILTER (WHERE name = 'irs_growth_rate')                      AS irs_growth_rate,
    max(v) FILTER (WHERE name = 'irs_catch_up_60_63') = 1               AS irs_catch_up_60_63
FROM param;

-- The match tier sets (spec §4.11): each set's tiers in listed order as one list, an empty
-- list for a set without tiers; `min_years` is the set's service threshold (0 for `tiers`).
CREATE OR REPLACE TABLE match_set AS
SELECT s.set_index, s.min_years,
    coalesce(list({'lo': t.tier_from, 'hi': t.tier_to, 'rate': t.rate} ORDER BY t.tier_index)
                 FILTER (WHERE t.tier_index IS NOT NULL),
             []) AS tiers
FROM match_sets s
LEFT JOIN match_tiers t USING (set_index)
GROUP BY s.set_index, s.min_years;
