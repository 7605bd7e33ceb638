//! Reading a year's results back from DuckDB: the snapshot rows and the events as
//! [`wfsim::event`] values, labels parsed with the registry's `from_label`.

use crate::sql_error;
use duckdb::Connection;
use std::sync::Arc;
use wfsim::date::Date;
use wfsim::event::{
    Category, Contributions, DetailedStatus, Drawn, EnrollmentMethod, Event, EventType, Previous,
    SnapshotRow,
};
use wfsim::Result;

/// The year's snapshot rows (table `snap`) in row order.
pub(crate) fn snapshots(conn: &Connection) -> Result<Vec<SnapshotRow>> {
    let mut stmt = conn
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
                    forfeiture, employer_balance, employee_balance, core_balance,
                    core_vested_fraction, is_hce, is_key_employee, testing_pay
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
                    employee_balance: r.get(28)?,
                    core_balance: r.get(29)?,
                    core_vested_fraction: r.get(30)?,
                    testing_pay: r.get(33)?,
                },
                is_hce: r.get(31)?,
                is_key_employee: r.get(32)?,
            })
        })
        .map_err(|e| sql_error("read snapshot", e))?;
    rows.collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| sql_error("read snapshot", e))
}

/// The year's events (table `ev`) by snapshot row, then event sequence.
pub(crate) fn events(conn: &Connection) -> Result<Vec<Event>> {
    let mut stmt = conn
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
