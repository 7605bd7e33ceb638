//! The SQL reference engine of wfsim: the yearly algorithm of the spec (§4) as plain SQL run by
//! an embedded DuckDB, one `.sql` file per rule under `sql/`, named like its Rust twin in
//! `wfsim::engine`. The year loop stays in Rust: per year it runs the rule files in order and
//! reads the events and snapshot rows back into a [`wfsim::event::YearOutput`], so the same
//! writer writes both engines' files and `wfsim diff` can compare them value for value.
//!
//! The workforce is kept in DuckDB across years (table `emp`). Configuration values reach SQL
//! only as bound `DOUBLE` parameters (table `param`, pivoted into the one-row table `p` by
//! `params.sql`); the random seed is written into the `rng_v` macro as a decimal integer.
//!
//! Where matching the native engine needed a reading of the spec:
//! - The per-employee timeline (§4.10) is not a generic fold: `timeline.sql` turns each state
//!   check of the sequential application into a closed-form "applies" flag (the rules interact
//!   in only a few ways, listed there), `events.sql` carries level, salary and deferral rate
//!   forward with `last_value(... IGNORE NULLS)` windows in (date, same-date order), and
//!   `snapshot.sql` folds the prorated pay with `list_reduce` over the salary periods in date
//!   order, starting from 0.0.
//! - Same date, same type: a voluntary enrollment precedes an auto-enrollment (possible only
//!   with `window_days = 0`), so the auto-enrollment does not happen.
//! - The auto-enrollment rate is `default_deferral_rate` as configured (not passed through
//!   `round_bp`), census participants' eligibility date is `min(E, census_date)`, and the
//!   escalation test uses the enrollment as it stands on the escalation date (enrollments and
//!   opt-outs dated on or before it count), all as the native engine does.
//! - The hiring plan (§4.2) is computed in SQL (`hiring.sql`); its two failure checks (too many
//!   hires, too few new-hire termination candidates) are made in Rust with the native messages.
//!   The year's counts are tallied from the events with `wfsim::event::YearCounts::tally`.
//! - Contributions (§4.11, `contributions.sql`): each period's state (salary, enrolled rate,
//!   eligible) is the state after the last event dated on or before its first day, found with
//!   an ASOF join on the events carried forward in `ev`; the three folds and the tier fold
//!   `mshare` are `list_reduce` from 0.0 in date / listed order. The §4.10 prorated-pay fold
//!   moved from `snapshot.sql` to `contributions.sql`, which needs it for 401(a)(17).
//! - `max(x, 0)` is the macro `max0`: +0.0 also when x is -0.0 (`round_cents` of a small
//!   negative 415(c) room), as the native `f64::max(x, 0.0)` returns it; DuckDB's `greatest`
//!   would keep the -0.0 and write it.
//! - The IRS limits of a year (§4.13) are projected in SQL from the published rows
//!   (`irs_published`): the growth factor `1 + growth_rate` is multiplied in one year at a
//!   time with a `list_reduce` (not `pow()`), as the native loop does.

pub use duckdb;
use duckdb::{params, Connection};
use std::collections::BTreeMap;
use std::sync::Arc;
use wfsim::census::CensusRow;
use wfsim::config::{AutoEnrollmentScope, EscalationScope, LimitRow, LimitYear, Model, Tiers};
use wfsim::date::Date;
use wfsim::event::{
    Category, Contributions, DetailedStatus, Drawn, EnrollmentMethod, Event, EventType, Previous,
    SnapshotRow, YearCounts, YearOutput,
};
use wfsim::{Error, Result, YearEngine};

/// The rule files, in the order a year runs them.
const YEAR_FILES: [(&str, &str); 16] = [
    ("termination.sql", include_str!("../sql/termination.sql")),
    ("hiring.sql", include_str!("../sql/hiring.sql")),
    // the hiring plan is checked here (see `step`)
    (
        "reduction_in_force.sql",
        include_str!("../sql/reduction_in_force.sql"),
    ),
    ("new_hire.sql", include_str!("../sql/new_hire.sql")),
    (
        "new_hire_termination.sql",
        include_str!("../sql/new_hire_termination.sql"),
    ),
    ("roster.sql", include_str!("../sql/roster.sql")),
    ("promotion.sql", include_str!("../sql/promotion.sql")),
    ("merit.sql", include_str!("../sql/merit.sql")),
    ("eligibility.sql", include_str!("../sql/eligibility.sql")),
    ("enrollment.sql", include_str!("../sql/enrollment.sql")),
    ("timeline.sql", include_str!("../sql/timeline.sql")),
    ("escalation.sql", include_str!("../sql/escalation.sql")),
    ("events.sql", include_str!("../sql/events.sql")),
    (
        "contributions.sql",
        include_str!("../sql/contributions.sql"),
    ),
    ("vesting.sql", include_str!("../sql/vesting.sql")),
    ("snapshot.sql", include_str!("../sql/snapshot.sql")),
];
const MACROS: &str = include_str!("../sql/macros.sql");
const PARAMS: &str = include_str!("../sql/params.sql");
const CENSUS: &str = include_str!("../sql/census.sql");
const YEAR: &str = include_str!("../sql/year.sql");

/// One configuration value: `(name, index, value)`; scalars have index 0, lists 1..n.
pub type Param = (String, i32, f64);

pub struct SqlEngine {
    conn: Connection,
    headcount: usize,
}

fn sql_error(what: &str, e: duckdb::Error) -> Error {
    Error::Write {
        path: format!("SQL engine ({what})"),
        message: e.to_string(),
        source: None,
    }
}

/// The configuration as `param` rows (everything the rule files read from `p`).
pub fn params(model: &Model) -> Vec<Param> {
    let c = &model.config;
    let mut out: Vec<Param> = Vec::new();
    let mut scalar = |name: &str, v: f64| out.push((name.to_string(), 0, v));
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let day = |d: Date| f64::from(d.0);
    scalar("start_year", f64::from(c.simulation.start_year));
    scalar("census_date", day(model.census_date));
    scalar("hire_date_cutoff", day(model.hire_date_cutoff));
    scalar("target_growth_rate", c.simulation.target_growth_rate.get());
    scalar(
        "total_termination_rate",
        c.workforce.total_termination_rate.get(),
    );
    scalar(
        "new_hire_termination_rate",
        c.workforce.new_hire_termination_rate.get(),
    );
    scalar("max_level", f64::from(model.max_level()));
    scalar(
        "fixed_level_shares",
        flag(c.new_hire.level_shares.is_some()),
    );
    scalar("salary_spread", c.new_hire.salary_spread.get());
    scalar("cola_rate", c.compensation.cola_rate.get());
    scalar(
        "merit_min_tenure",
        f64::from(c.compensation.merit_min_tenure_years.get()),
    );
    scalar("merit_month", f64::from(c.compensation.merit_date.month()));
    scalar("merit_day", f64::from(c.compensation.merit_date.day()));
    let pr = &c.promotion;
    scalar("promotion_base_rate", pr.base_rate.get());
    scalar("promotion_level_dampening", pr.level_dampening.get());
    scalar("promotion_min_tenure", f64::from(pr.min_tenure_years.get()));
    scalar("promotion_max_age", f64::from(pr.max_age.get()));
    scalar("promotion_base_increase_pct", pr.base_increase_pct.get());
    scalar("promotion_distribution_range", pr.distribution_range.get());
    scalar("promotion_max_cap_pct", pr.max_cap_pct.get());
    scalar("promotion_max_cap_amount", pr.max_cap_amount.get());
    scalar("promotion_month", f64::from(pr.promotion_date.month()));
    scalar("promotion_day", f64::from(pr.promotion_date.day()));
    let el = &c.eligibility;
    scalar("minimum_age", f64::from(el.minimum_age.get()));
    scalar(
        "waiting_period_days",
        f64::from(el.waiting_period_days.get()),
    );
    scalar("new_hire_ineligible_pct", el.new_hire_ineligible_pct.get());
    let ae = &c.enrollment.auto_enrollment;
    scalar("ae_enabled", flag(ae.enabled));
    scalar(
        "ae_all_eligible",
        flag(ae.scope == AutoEnrollmentScope::AllEligible),
    );
    scalar("ae_window_days", f64::from(ae.window_days.get()));
    scalar("ae_default_deferral_rate", ae.default_deferral_rate.get());
    scalar("opt_out_sensitivity", ae.opt_out_default_sensitivity.get());
    scalar("opt_out_reference_rate", ae.opt_out_reference_rate.get());
    scalar(
        "match_response_probability",
        c.enrollment.match_response.probability.get(),
    );
    scalar(
        "opt_out_grace_period_days",
        f64::from(ae.opt_out_grace_period_days.get()),
    );
    let v = &c.enrollment.voluntary;
    scalar(
        "voluntary_enrollment_rate",
        v.voluntary_enrollment_rate.get(),
    );
    scalar("vol_min_rate", v.min_rate.get());
    scalar("vol_max_rate", v.max_rate.get());
    let e = &c.deferral_auto_escalation;
    scalar("esc_enabled", flag(e.enabled));
    scalar("esc_increment", e.increment_amount.get());
    scalar("esc_maximum_rate", e.maximum_rate.get());
    scalar(
        "esc_delay_years",
        f64::from(e.first_escalation_delay_years.get()),
    );
    scalar(
        "esc_auto_enrolled_only",
        flag(e.applies_to == EscalationScope::AutoEnrolled),
    );
    scalar("esc_month", f64::from(e.escalation_date.month()));
    scalar("esc_day", f64::from(e.escalation_date.day()));
    let m = &c.employer_match;
    scalar("match_true_up", flag(m.true_up));
    scalar("match_last_day_rule", flag(m.last_day_rule));
    let core = &c.employer_core;
    scalar(
        "core_by_age",
        flag(core.by_service.is_none() && core.by_age.is_some()),
    );
    scalar("core_last_day_rule", flag(core.last_day_rule));
    let irs = &c.irs_limits;
    scalar("irs_growth_rate", irs.growth_rate.get());
    scalar("irs_catch_up_60_63", flag(irs.catch_up_60_63));

    fn list<T: Copy + Into<f64>>(out: &mut Vec<Param>, name: &str, values: &[T]) {
        for (i, &x) in values.iter().enumerate() {
            out.push((name.to_string(), i as i32 + 1, x.into()));
        }
    }
    let w = &c.workforce;
    list(&mut out, "m_age", &w.termination_age_multipliers);
    list(&mut out, "m_tenure", &w.termination_tenure_multipliers);
    list(&mut out, "m_level", &w.termination_level_multipliers);
    list(&mut out, "merit_rate", &c.compensation.merit_rate_by_level);
    list(&mut out, "pm_tenure", &pr.tenure_multipliers);
    list(&mut out, "pm_age", &pr.age_multipliers);
    list(&mut out, "opt_out_rate", &ae.opt_out_rates.concat());
    list(&mut out, "vol_base", &v.base_by_age);
    list(&mut out, "vol_income", &v.income_multipliers);
    list(&mut out, "vol_level", &v.level_multipliers);
    list(&mut out, "vol_rate", &v.deferral_rates.concat());
    let cv = &c.enrollment.conversion;
    list(&mut out, "conv_base", &cv.base_by_age);
    list(&mut out, "conv_income", &cv.income_multipliers);
    list(&mut out, "conv_tenure", &cv.tenure_multipliers);
    list(&mut out, "conv_rate", &cv.deferral_rate_by_age);
    out
}

/// The plan-design lists of the configuration (spec §7) as tables: the match tier sets
/// (`tiers` as the one set with threshold 0, or the `by_service` entries), the core rate steps
/// (a flat `rate` as the one step 0; `core_by_age` says which start-of-year value indexes
/// them), the vesting schedule (0-based by completed years) and the published IRS limits.
fn plan_design(conn: &Connection, model: &Model) -> Result<()> {
    let c = &model.config;
    let m = &c.employer_match;
    let sets: Vec<(i32, &Tiers)> = match &m.by_service {
        Some(steps) => steps
            .entries()
            .iter()
            .map(|s| (s.min_years, &s.tiers))
            .collect(),
        None => vec![(0, &m.tiers)],
    };
    let mut a = conn
        .appender("match_sets")
        .map_err(|e| sql_error("match_sets", e))?;
    for (k, (min_years, _)) in sets.iter().enumerate() {
        a.append_row(params![k as i32, min_years])
            .map_err(|e| sql_error("match_sets", e))?;
    }
    a.flush().map_err(|e| sql_error("match_sets", e))?;
    let mut a = conn
        .appender("match_tiers")
        .map_err(|e| sql_error("match_tiers", e))?;
    for (k, (_, tiers)) in sets.iter().enumerate() {
        for (j, t) in tiers.tiers().iter().enumerate() {
            a.append_row(params![k as i32, j as i32 + 1, t.from(), t.to(), t.rate()])
                .map_err(|e| sql_error("match_tiers", e))?;
        }
    }
    a.flush().map_err(|e| sql_error("match_tiers", e))?;

    let core = &c.employer_core;
    let steps: Vec<(i32, f64)> = match (&core.by_service, &core.by_age) {
        (Some(s), _) => s.entries().iter().map(|e| (e.min_years, e.rate)).collect(),
        (None, Some(a)) => a.entries().iter().map(|e| (e.min_age, e.rate)).collect(),
        (None, None) => vec![(0, core.rate.get())],
    };
    let mut a = conn
        .appender("core_steps")
        .map_err(|e| sql_error("core_steps", e))?;
    for (threshold, rate) in steps {
        a.append_row(params![threshold, rate])
            .map_err(|e| sql_error("core_steps", e))?;
    }
    a.flush().map_err(|e| sql_error("core_steps", e))?;

    let mut a = conn
        .appender("vesting_schedule")
        .map_err(|e| sql_error("vesting_schedule", e))?;
    for (i, f) in Vec::<f64>::from(c.vesting.schedule.clone())
        .into_iter()
        .enumerate()
    {
        a.append_row(params![i as i32, f])
            .map_err(|e| sql_error("vesting_schedule", e))?;
    }
    a.flush().map_err(|e| sql_error("vesting_schedule", e))?;

    let mut a = conn
        .appender("irs_published")
        .map_err(|e| sql_error("irs_published", e))?;
    for (year, row) in BTreeMap::<LimitYear, LimitRow>::from(c.irs_limits.published.clone()) {
        a.append_row(params![
            year.0,
            row.elective_deferral.get(),
            row.catch_up.get(),
            row.catch_up_60_63.get(),
            row.compensation.get(),
            row.annual_additions.get()
        ])
        .map_err(|e| sql_error("irs_published", e))?;
    }
    a.flush().map_err(|e| sql_error("irs_published", e))
}

impl SqlEngine {
    pub fn new(model: &Model, census: &[CensusRow]) -> Result<SqlEngine> {
        SqlEngine::with_params(model, census, params(model))
    }

    /// Like [`SqlEngine::new`] with the `param` rows given (tests perturb one to prove that
    /// parity can fail).
    pub fn with_params(
        model: &Model,
        census: &[CensusRow],
        param_rows: Vec<Param>,
    ) -> Result<SqlEngine> {
        let conn = Connection::open_in_memory().map_err(|e| sql_error("open", e))?;
        let seed = model.config.simulation.random_seed.to_string();
        conn.execute_batch(&MACROS.replace("{seed}", &seed))
            .map_err(|e| sql_error("macros.sql", e))?;
        conn.execute_batch(
            "CREATE TABLE param (name VARCHAR, i INTEGER, v DOUBLE);
             CREATE TABLE levels (level INTEGER, min_salary DOUBLE, max_salary DOUBLE,
                                  hire_percentile DOUBLE, share DOUBLE);
             CREATE TABLE hire_ages (j INTEGER, age INTEGER, weight DOUBLE);
             CREATE TABLE match_sets (set_index INTEGER, min_years INTEGER);
             CREATE TABLE match_tiers (set_index INTEGER, tier_index INTEGER, tier_from DOUBLE,
                                       tier_to DOUBLE, rate DOUBLE);
             CREATE TABLE core_steps (threshold INTEGER, rate DOUBLE);
             CREATE TABLE vesting_schedule (i INTEGER, fraction DOUBLE);
             CREATE TABLE irs_published (year INTEGER, elective_deferral DOUBLE,
                                         catch_up DOUBLE, catch_up_60_63 DOUBLE,
                                         compensation DOUBLE, annual_additions DOUBLE);
             CREATE TABLE census_raw (employee_id VARCHAR, birth_day INTEGER, hire_day INTEGER,
                                      level_id INTEGER, annual_salary DOUBLE,
                                      plan_ineligible BOOLEAN, deferral_rate DOUBLE,
                                      auto_escalation_opt_out BOOLEAN, employer_balance DOUBLE);",
        )
        .map_err(|e| sql_error("setup", e))?;
        {
            let mut a = conn.appender("param").map_err(|e| sql_error("param", e))?;
            for (name, i, v) in &param_rows {
                a.append_row(params![name, i, v])
                    .map_err(|e| sql_error("param", e))?;
            }
            a.flush().map_err(|e| sql_error("param", e))?;
            let mut a = conn
                .appender("levels")
                .map_err(|e| sql_error("levels", e))?;
            let shares = model.config.new_hire.level_shares.as_deref();
            for (i, l) in model.config.job_levels.iter().enumerate() {
                let share = shares.map_or(0.0, |s| s[i].get());
                a.append_row(params![
                    i32::from(l.level),
                    l.min_salary,
                    l.max_salary,
                    l.hire_percentile,
                    share
                ])
                .map_err(|e| sql_error("levels", e))?;
            }
            a.flush().map_err(|e| sql_error("levels", e))?;
            let mut a = conn
                .appender("hire_ages")
                .map_err(|e| sql_error("hire_ages", e))?;
            for (j, w) in model.config.new_hire.age_distribution.iter().enumerate() {
                a.append_row(params![j as i32 + 1, w.age.get(), w.weight.get()])
                    .map_err(|e| sql_error("hire_ages", e))?;
            }
            a.flush().map_err(|e| sql_error("hire_ages", e))?;
            plan_design(&conn, model)?;
            let mut a = conn
                .appender("census_raw")
                .map_err(|e| sql_error("census", e))?;
            for c in census {
                a.append_row(params![
                    c.employee_id,
                    c.birth_date.0,
                    c.hire_date.0,
                    i32::from(c.level_id.get()),
                    c.annual_salary,
                    c.eligibility_override == Some(false),
                    c.deferral_rate,
                    c.auto_escalation_opt_out,
                    c.employer_balance
                ])
                .map_err(|e| sql_error("census", e))?;
            }
            a.flush().map_err(|e| sql_error("census", e))?;
        }
        conn.execute_batch(PARAMS)
            .map_err(|e| sql_error("params.sql", e))?;
        conn.execute_batch(CENSUS)
            .map_err(|e| sql_error("census.sql", e))?;
        Ok(SqlEngine {
            conn,
            headcount: census.len(),
        })
    }

    /// The DuckDB connection (tests query the macros and tables directly).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs one SQL statement that returns a single integer.
    fn count(&self, sql: &str) -> Result<i64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(|e| sql_error(sql, e))
    }

    fn read_snapshots(&self) -> Result<Vec<SnapshotRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT employee_id,
                        (birth_date - DATE '1970-01-01')::INTEGER,
                        (hire_date - DATE '1970-01-01')::INTEGER,
                        (termination_date - DATE '1970-01-01')::INTEGER,
                        detailed_status_code, level, salary, prorated_compensation, age,
                        tenure_years, eligibility_date IS NOT NULL,
                        (eligibility_date - DATE '1970-01-01')::INTEGER,
                        enrollment_date IS NOT NULL,
                        (enrollment_date - DATE '1970-01-01')::INTEGER,
                        enrollment_method, ever_opted_out, deferral_rate,
                        auto_escalation_opt_out, escalations_received,
                        eligible_compensation, elected_deferral, employee_deferral,
                        catch_up_deferral, employer_match, employer_core, vested_fraction,
                        forfeiture, employer_balance
                 FROM snap ORDER BY row_index",
            )
            .map_err(|e| sql_error("read snapshot", e))?;
        let rows = stmt
            .query_map([], |r| {
                let status: String = r.get(4)?;
                let method: Option<String> = r.get(14)?;
                Ok(SnapshotRow {
                    employee_id: Arc::from(r.get::<_, String>(0)?.as_str()),
                    birth_date: Date(r.get(1)?),
                    hire_date: Date(r.get(2)?),
                    termination_date: r.get::<_, Option<i32>>(3)?.map(Date),
                    status: label(4, &status, DetailedStatus::from_label)?,
                    level: r.get::<_, i32>(5)? as u8,
                    annual_salary: r.get(6)?,
                    prorated_compensation: r.get(7)?,
                    age: r.get(8)?,
                    tenure: r.get(9)?,
                    plan_eligible: r.get(10)?,
                    eligibility_date: r.get::<_, Option<i32>>(11)?.map(Date),
                    is_enrolled: r.get(12)?,
                    enrollment_date: r.get::<_, Option<i32>>(13)?.map(Date),
                    enrollment_method: method
                        .map(|m| label(14, &m, EnrollmentMethod::from_label))
                        .transpose()?,
                    ever_opted_out: r.get(15)?,
                    deferral_rate: r.get(16)?,
                    auto_escalation_opt_out: r.get(17)?,
                    escalations_received: r.get(18)?,
                    money: Contributions {
                        eligible_compensation: r.get(19)?,
                        elected_deferral: r.get(20)?,
                        employee_deferral: r.get(21)?,
                        catch_up_deferral: r.get(22)?,
                        employer_match: r.get(23)?,
                        employer_core: r.get(24)?,
                        vested_fraction: r.get(25)?,
                        forfeiture: r.get(26)?,
                        employer_balance: r.get(27)?,
                    },
                })
            })
            .map_err(|e| sql_error("read snapshot", e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| sql_error("read snapshot", e))
    }

    fn read_events(&self) -> Result<Vec<Event>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.row_index, e.event_type, e.category,
                        (e.event_date - DATE '1970-01-01')::INTEGER, e.event_sequence,
                        e.level_id, e.previous_level_id, e.compensation_amount,
                        e.previous_compensation, e.employee_deferral_rate,
                        e.prev_employee_deferral_rate, e.employee_age, e.employee_tenure,
                        e.event_probability, e.random_draw
                 FROM ev e JOIN snap s USING (employee_id)
                 ORDER BY s.row_index, e.event_sequence",
            )
            .map_err(|e| sql_error("read events", e))?;
        let rows = stmt
            .query_map([], |r| {
                let t: String = r.get(1)?;
                let c: String = r.get(2)?;
                let previous = match (r.get::<_, Option<i32>>(6)?, r.get(8)?, r.get(10)?) {
                    (Some(level), Some(compensation), Some(deferral_rate)) => Some(Previous {
                        level: level as u8,
                        compensation,
                        deferral_rate,
                    }),
                    (None, None, None) => None,
                    _ => return Err(partly_null(6, "previous values")),
                };
                let decision = match (r.get(13)?, r.get(14)?) {
                    (probability, Some(draw)) => Some(Drawn { probability, draw }),
                    (None, None) => None,
                    (Some(_), None) => return Err(partly_null(13, "probability without a draw")),
                };
                Ok(Event {
                    row: r.get::<_, i32>(0)? as u32,
                    event_type: label(1, &t, EventType::from_label)?,
                    category: label(2, &c, Category::from_label)?,
                    date: Date(r.get(3)?),
                    sequence: r.get(4)?,
                    level: r.get::<_, i32>(5)? as u8,
                    compensation: r.get(7)?,
                    deferral_rate: r.get(9)?,
                    age: r.get(11)?,
                    tenure: r.get(12)?,
                    previous,
                    decision,
                })
            })
            .map_err(|e| sql_error("read events", e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| sql_error("read events", e))
    }
}

/// Columns that are null together in every event the spec defines; anything else is a bug in
/// the SQL rule files.
fn partly_null(column: usize, what: &str) -> duckdb::Error {
    duckdb::Error::FromSqlConversionFailure(
        column,
        duckdb::types::Type::Double,
        format!("{what}: partly null").into(),
    )
}

/// A label the SQL wrote, as its Rust value; an unknown one is a bug in the SQL rule files.
fn label<T>(column: usize, text: &str, parse: fn(&str) -> Option<T>) -> duckdb::Result<T> {
    parse(text).ok_or_else(|| {
        duckdb::Error::FromSqlConversionFailure(
            column,
            duckdb::types::Type::Text,
            format!("unknown label {text:?}").into(),
        )
    })
}

impl YearEngine for SqlEngine {
    fn headcount(&self) -> usize {
        self.headcount
    }

    fn step(&mut self, year: i32) -> Result<YearOutput> {
        self.conn
            .execute(YEAR, params![year])
            .map_err(|e| sql_error("year.sql", e))?;
        for (name, sql) in YEAR_FILES {
            self.conn
                .execute_batch(sql)
                .map_err(|e| sql_error(name, e))?;
            if name == "hiring.sql" {
                let hires = self.count("SELECT hires FROM plan")?;
                if hires > 99_999_999 {
                    return Err(Error::Engine {
                        year,
                        message: format!(
                            "{hires} hires needed; check target_growth_rate and new_hire_termination_rate"
                        ),
                    });
                }
            }
            if name == "new_hire.sql" {
                let needed = self.count("SELECT nh_terms FROM plan")?;
                let candidates =
                    self.count("SELECT count(*) FROM hires, yr WHERE hire_date < dec31")?;
                if candidates < needed {
                    return Err(Error::Engine {
                        year,
                        message: format!("{needed} new-hire terminations are needed but only {candidates} hires start before Dec 31; lower workforce.new_hire_termination_rate"),
                    });
                }
            }
        }
        let n_start = self.count("SELECT n_start FROM plan")?;
        let target = self.count("SELECT target FROM plan")?;
        let snapshots = self.read_snapshots()?;
        let events = self.read_events()?;
        let n_end = self.count("SELECT count(*) FROM emp")?;
        self.headcount = n_end as usize;
        let counts = YearCounts::tally(year, n_start, target, &events, &snapshots, n_end);
        Ok(YearOutput {
            year,
            events,
            snapshots,
            counts,
        })
    }
}

/// The SQL engine as a run's engine choice.
pub fn engine_choice<'a>() -> wfsim::EngineChoice<'a> {
    wfsim::EngineChoice {
        name: "sql".into(),
        make: Box::new(|model, census| Ok(Box::new(SqlEngine::new(model, census)?))),
    }
}
