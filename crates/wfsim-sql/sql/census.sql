-- The starting workforce from the census (spec §4.7 baseline eligibility, §4.8 census
-- participants). `census_raw` holds dates as days since 1970-01-01.
CREATE OR REPLACE TABLE emp AS
WITH c AS (
    SELECT
        employee_id,
        DATE '1970-01-01' + birth_day AS birth_date,
        DATE '1970-01-01' + hire_day AS hire_date,
        level_id AS level,
        annual_salary AS salary,
        plan_ineligible,
        deferral_rate,
        auto_escalation_opt_out,
        employer_balance,
        employee_balance,
        core_balance,
        ownership_pct,
        officer,
        -- §9 the first year's look-back pay: the prior-year pay when given, else the salary
        coalesce(prior_year_compensation, annual_salary) AS lookback_pay
    FROM census_raw
), e AS (
    SELECT c.*,
        greatest(c.hire_date + p.waiting_period_days,
                 anniversary(c.birth_date, p.minimum_age)) AS rule_date,
        c.deferral_rate > 0 AS participant
    FROM c, p
)
SELECT
    e.employee_id, e.birth_date, e.hire_date, e.level, e.salary, e.plan_ineligible, e.rule_date,
    CASE WHEN e.participant THEN least(e.rule_date, p.census_date)
         WHEN NOT e.plan_ineligible AND e.rule_date < make_date(p.start_year, 1, 1) THEN e.rule_date
    END AS eligibility_date,
    CASE WHEN e.participant THEN p.census_date END AS enrollment_date,
    CASE WHEN e.participant THEN 'census' END AS enrollment_method,
    e.deferral_rate,
    false AS ever_opted_out,
    e.auto_escalation_opt_out,
    0 AS escalations_received,
    -- §4.12: the census values as read (their first rounding is the first year's balance);
    -- the match part is what of the employer account is not core money
    e.employee_balance,
    e.employer_balance - e.core_balance AS match_balance,
    e.core_balance,
    -- §9: what makes an HCE or a key employee besides this year's pay
    e.ownership_pct,
    e.officer,
    e.lookback_pay
FROM e, p;
