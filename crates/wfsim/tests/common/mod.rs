//! Builders shared by the integration tests: models from YAML snippets and hand-built employees.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use wfsim::config::{self, Model};
use wfsim::date::Date;
use wfsim::engine::eligibility;
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
    let (birth_date, hire_date) = (d(birth), d(hire));
    let rule_date = eligibility::rule_date(model, birth_date, hire_date);
    Employee {
        id: Arc::from(id),
        birth_date,
        hire_date,
        level,
        salary,
        plan_ineligible: false,
        eligibility_rule_date: rule_date,
        eligibility_date: eligibility::census_baseline(
            model,
            rule_date,
            false,
            false,
            model.config.simulation.start_year,
        ),
        enrollment: None,
        deferral_rate: 0.0,
        ever_opted_out: false,
        auto_escalation_opt_out: false,
        escalations_received: 0,
        termination: None,
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
