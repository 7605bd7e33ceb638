//! The SQL reference engine of wfsim: the yearly algorithm of the spec (§4) as plain SQL run by
//! an embedded DuckDB, one `.sql` file per rule under `sql/`, named like its Rust twin in
//! `wfsim::engine`. The year loop stays in Rust: per year it runs the rule files in order and
//! reads the events and snapshot rows back into a [`wfsim::year::YearOutput`], so the same
//! writer writes both engines' files and `wfsim diff` can compare them value for value.
//!
//! The workforce is kept in DuckDB across years (table `emp`). The configuration reaches SQL
//! as rows named by key path ([`params`]: the resolved config flattened generically, numbers
//! as bound `DOUBLE`s, strings as text), which `params.sql` turns into the one-row table `p`
//! and the plan-design tables; a test proves that every config key is read there or listed in
//! [`params::NOT_IN_SQL`]. The random seed is written into the `rng_v` macro as a decimal
//! integer.
//!
//! Modules: [`params`] (the config as rows), `load` (a new connection with the macros, the
//! rows and the census), `read` (a year's snapshot rows and events back as
//! [`wfsim::event`] values); the engine, [`SqlEngine`], is here.
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
//!   The year's counts are tallied from the events with `wfsim::year::YearCounts::tally`.
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
//! - §9: `snapshot.sql` flags `is_hce` (against `hce_compensation` of year N − 1,
//!   `lim.lhce_prev`, projected like the other limits) and `is_key_employee`, and passes the
//!   testing pay `P` of `contributions.sql` on; the look-back pay is carried in `emp` (the census
//!   prior-year pay or salary, then each year's prorated pay; hires 0). The tests themselves
//!   are the shared Rust code's (`wfsim::ndt`), run on the snapshot rows read back.

pub use duckdb;
mod load;
pub mod params;
mod read;

pub use params::{params, Param};

use duckdb::Connection;
use wfsim::census::CensusRow;
use wfsim::config::Model;
use wfsim::year::{YearCounts, YearOutput};
use wfsim::{Error, Result, YearEngine};

/// The rule files, in the order a year runs them.
pub(crate) const YEAR_FILES: [(&str, &str); 17] = [
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
    (
        "deferral_change.sql",
        include_str!("../sql/deferral_change.sql"),
    ),
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
const YEAR: &str = include_str!("../sql/year.sql");

/// The SQL engine of one run: a DuckDB connection holding the workforce across years.
pub struct SqlEngine {
    conn: Connection,
    headcount: usize,
}

pub(crate) fn sql_error(what: &str, e: duckdb::Error) -> Error {
    Error::Write {
        path: format!("SQL engine ({what})"),
        message: e.to_string(),
        source: None,
    }
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
        Ok(SqlEngine {
            conn: load::open(model, census, &param_rows)?,
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
}

impl YearEngine for SqlEngine {
    fn headcount(&self) -> usize {
        self.headcount
    }

    fn step(&mut self, year: i32) -> Result<YearOutput> {
        self.conn
            .execute(YEAR, duckdb::params![year])
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
        let snapshots = read::snapshots(&self.conn)?;
        let events = read::events(&self.conn)?;
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
