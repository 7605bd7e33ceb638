//! The employee census: the starting workforce (spec §6).

mod read;
pub mod synthetic;

pub use read::{level_from_salary, load, Census};

use crate::date::Date;

/// One validated census employee.
#[derive(Clone, Debug, PartialEq)]
pub struct CensusRow {
    pub employee_id: String,
    pub birth_date: Date,
    pub hire_date: Date,
    pub termination_date: Option<Date>,
    pub annual_salary: f64,
    /// `None` when the census has no level; the loader then derives it from salary.
    pub level_id: Option<u8>,
    /// Fraction in basis points; 0 = not participating.
    pub deferral_rate: f64,
    pub auto_escalation_opt_out: bool,
    /// `Some(false)` marks a plan-ineligible employee.
    pub eligibility_override: Option<bool>,
}

/// Canonical column names and their upstream PlanAlign aliases.
pub const COLUMNS: [(&str, Option<&str>, bool); 9] = [
    ("employee_id", None, true),
    ("birth_date", Some("employee_birth_date"), true),
    ("hire_date", Some("employee_hire_date"), true),
    ("annual_salary", Some("employee_gross_compensation"), true),
    ("termination_date", Some("employee_termination_date"), false),
    ("level_id", None, false),
    ("deferral_rate", Some("employee_deferral_rate"), false),
    ("auto_escalation_opt_out", None, false),
    ("eligibility_override", None, false),
];
