//! Loading a run's inputs into a new in-memory DuckDB: the macros (the random seed written
//! into `rng_v`), the `param` rows and the census rows, then `params.sql` (the one-row table
//! `p` and the plan-design tables) and `census.sql` (the starting workforce `emp`).

use crate::params::Param;
use crate::sql_error;
use duckdb::{params, Connection};
use wfsim::census::CensusRow;
use wfsim::config::Model;
use wfsim::Result;

const MACROS: &str = include_str!("../sql/macros.sql");
const PARAMS: &str = include_str!("../sql/params.sql");
const CENSUS: &str = include_str!("../sql/census.sql");

/// A connection holding the year-independent tables of a run.
pub(crate) fn open(
    model: &Model,
    census: &[CensusRow],
    param_rows: &[Param],
) -> Result<Connection> {
    let conn = Connection::open_in_memory().map_err(|e| sql_error("open", e))?;
    let seed = model.config.simulation.random_seed.to_string();
    conn.execute_batch(&MACROS.replace("{seed}", &seed))
        .map_err(|e| sql_error("macros.sql", e))?;
    conn.execute_batch(
        "CREATE TABLE param (name VARCHAR, i INTEGER, j INTEGER, v DOUBLE, t VARCHAR);
         CREATE TABLE census_raw (employee_id VARCHAR, birth_day INTEGER, hire_day INTEGER,
                                  level_id INTEGER, annual_salary DOUBLE,
                                  plan_ineligible BOOLEAN, deferral_rate DOUBLE,
                                  auto_escalation_opt_out BOOLEAN, employer_balance DOUBLE,
                                  employee_balance DOUBLE, core_balance DOUBLE,
                                  prior_year_compensation DOUBLE, ownership_pct DOUBLE,
                                  officer BOOLEAN);",
    )
    .map_err(|e| sql_error("setup", e))?;
    {
        let mut a = conn.appender("param").map_err(|e| sql_error("param", e))?;
        for p in param_rows {
            a.append_row(params![p.name, p.i, p.j, p.v, p.t])
                .map_err(|e| sql_error("param", e))?;
        }
        a.flush().map_err(|e| sql_error("param", e))?;
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
                c.employer_balance,
                c.employee_balance,
                c.core_balance,
                c.prior_year_compensation,
                c.ownership_pct,
                c.officer
            ])
            .map_err(|e| sql_error("census", e))?;
        }
        a.flush().map_err(|e| sql_error("census", e))?;
    }
    conn.execute_batch(PARAMS)
        .map_err(|e| sql_error("params.sql", e))?;
    conn.execute_batch(CENSUS)
        .map_err(|e| sql_error("census.sql", e))?;
    Ok(conn)
}
