//! Builders shared by the integration tests: models from YAML snippets and hand-built employees.
#![allow(dead_code)]

use std::path::Path;
use wfsim::census::{CensusRow, Level};
use wfsim::config::{self, Model};
use wfsim::date::Date;
use wfsim::engine::employee::{Employee, Enrolled};
use wfsim::event::EnrollmentMethod;

pub fn model(yaml: &str) -> Model {
    config::validate(
        config::parse(yaml, Path::new("test.yaml")).unwrap(),
        "test.yaml",
    )
    .unwrap()
}

pub fn d(s: &str) -> Date {
    Date::parse_iso(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

/// A census employee who is active, eligible by the census baseline rules, and not enrolled.
pub fn employee(
    model: &Model,
    id: &str,
    birth: &str,
    hire: &str,
    level: u8,
    salary: f64,
) -> Employee {
    Employee::from_census(model, &census_row(model, id, birth, hire, level, salary))
}

/// The census row behind [`employee`], for tests that set more columns.
pub fn census_row(
    model: &Model,
    id: &str,
    birth: &str,
    hire: &str,
    level: u8,
    salary: f64,
) -> CensusRow {
    CensusRow {
        employee_id: id.into(),
        birth_date: d(birth),
        hire_date: d(hire),
        termination_date: None,
        annual_salary: salary,
        level_id: Level::new(model, level).expect("a level of the test's model"),
        deferral_rate: 0.0,
        auto_escalation_opt_out: false,
        eligibility_override: None,
        employer_balance: 0.0,
        employee_balance: 0.0,
        core_balance: 0.0,
        prior_year_compensation: None,
        ownership_pct: 0.0,
        officer: false,
    }
}

pub fn enrolled(mut e: Employee, date: &str, method: EnrollmentMethod, rate: f64) -> Employee {
    e.enrollment = Some(Enrolled {
        date: d(date),
        method,
    });
    e.deferral_rate = rate;
    e
}
