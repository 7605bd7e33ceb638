//! Parity: the SQL reference engine writes exactly the native engine's files (compared with
//! `wfsim::output::diff`, floats bitwise), on synthetic censuses and on configs that switch
//! every branch of the model. A mutation test proves the comparison can fail.

use std::path::Path;
use wfsim::census::{synthetic, CensusRow};
use wfsim::config::{self, Model};
use wfsim::date::Date;
use wfsim::output::diff::diff_dirs;
use wfsim::output::parquet::CENSUS_FILE;
use wfsim::{run_with_engine, EngineChoice, RunInputs};
use wfsim_sql::SqlEngine;

fn model(yaml: &str) -> Model {
    config::validate(
        config::parse(yaml, Path::new("test.yaml")).unwrap(),
        "test.yaml",
    )
    .unwrap()
}

/// A synthetic census, leavers included (the run sets them aside).
fn census(employees: usize, seed: u64) -> Vec<CensusRow> {
    synthetic::generate(
        &model(""),
        &synthetic::Spec {
            employees,
            seed,
            census_date: Date::dec31(2024),
        },
    )
}

fn run(engine: EngineChoice, model: &Model, rows: &[CensusRow], out: &Path) -> wfsim::RunReport {
    let inputs = RunInputs {
        model: model.clone(),
        census: rows.to_vec(),
        census_label: "test".into(),
        census_path: None,
        census_sha256: String::new(),
        census_deferral_rate_unit: None,
        census_rejects: Vec::new(),
        config_label: None,
        config_sha256: String::new(),
        out: out.to_path_buf(),
        threads: 2,
        created_at_micros: 0,
    };
    run_with_engine(inputs, engine, &()).unwrap()
}

/// Runs both engines and returns the diff report.
fn compare(yaml: &str, rows: &[CensusRow], sql: EngineChoice) -> wfsim::output::diff::DiffReport {
    let dir = tempfile::tempdir().unwrap();
    let m = model(yaml);
    let (a, b) = (dir.path().join("native"), dir.path().join("sql"));
    let native = run(EngineChoice::native(), &m, rows, &a);
    let sql = run(sql, &m, rows, &b);
    assert_eq!(native.summary.engine, "native");
    assert_eq!(
        native.summary.years, sql.summary.years,
        "per-year counts differ"
    );
    assert_eq!(
        std::fs::read(a.join(CENSUS_FILE)).unwrap(),
        std::fs::read(b.join(CENSUS_FILE)).unwrap(),
        "census.parquet differs"
    );
    diff_dirs(&a, &b).unwrap()
}

fn assert_parity(yaml: &str, employees: usize, seed: u64) {
    let rows = census(employees, seed);
    let report = compare(yaml, &rows, wfsim_sql::engine_choice());
    assert!(
        report.identical,
        "config {yaml:?}, {employees} employees, seed {seed}:\n{}",
        report.report
    );
}

#[test]
fn default_config_seed_42() {
    assert_parity("simulation: {random_seed: 42}", 1000, 42);
}

#[test]
fn default_config_seed_7() {
    assert_parity("simulation: {random_seed: 7}", 1000, 7);
}

#[test]
fn default_config_seed_2024() {
    assert_parity("simulation: {random_seed: 2024}", 1000, 2024);
}

#[test]
fn ten_thousand_employees_seed_42() {
    assert_parity("simulation: {random_seed: 42}", 10_000, 42);
}

#[test]
fn ten_thousand_employees_seed_7() {
    assert_parity("simulation: {random_seed: 7}", 10_000, 7);
}

#[test]
fn ten_thousand_employees_seed_2024() {
    assert_parity("simulation: {random_seed: 2024}", 10_000, 2024);
}

#[test]
fn auto_enrollment_off() {
    assert_parity("enrollment: {auto_enrollment: {enabled: false}}", 1000, 42);
}

#[test]
fn scope_all_eligible() {
    assert_parity(
        "enrollment: {auto_enrollment: {scope: all_eligible}}",
        1000,
        7,
    );
}

#[test]
fn escalation_off() {
    assert_parity("deferral_auto_escalation: {enabled: false}", 1000, 42);
}

#[test]
fn escalation_auto_enrolled_only() {
    assert_parity(
        "enrollment: {auto_enrollment: {scope: all_eligible}}\ndeferral_auto_escalation: {applies_to: auto_enrolled}",
        1000,
        2024,
    );
}

#[test]
fn negative_growth_reduction_in_force() {
    assert_parity("simulation: {target_growth_rate: -0.08}", 1000, 42);
}

#[test]
fn fixed_level_shares() {
    assert_parity(
        "new_hire: {level_shares: [0.5, 0.2, 0.15, 0.1, 0.05]}",
        1000,
        7,
    );
}

#[test]
fn new_hire_ineligible() {
    assert_parity("eligibility: {new_hire_ineligible_pct: 0.2}", 1000, 42);
}

#[test]
fn waiting_period_90_days() {
    assert_parity("eligibility: {waiting_period_days: 90}", 1000, 2024);
}

#[test]
fn ten_years() {
    assert_parity(
        "simulation: {start_year: 2025, end_year: 2034, random_seed: 7}",
        1000,
        7,
    );
}

/// Dates moved so that merit comes before promotion, escalation falls mid-year after
/// enrollments, and escalation starts the year of enrollment.
#[test]
fn reordered_dates_and_no_escalation_delay() {
    assert_parity(
        "compensation: {merit_date: '01-15'}\npromotion: {promotion_date: '03-01'}\n\
         deferral_auto_escalation: {escalation_date: '06-30', first_escalation_delay_years: 0}\n\
         enrollment: {auto_enrollment: {scope: all_eligible, window_days: 0}}",
        1000,
        42,
    );
}

/// Perturbing one parameter of the SQL engine only must make the diff fail.
#[test]
fn mutation_is_detected() {
    let rows = census(1000, 42);
    let mutated = EngineChoice {
        name: "sql-mutated".into(),
        make: Box::new(|model, census| {
            let mut params = wfsim_sql::params(model);
            for p in params.iter_mut() {
                if p.0 == "total_termination_rate" {
                    p.2 += 0.01;
                }
            }
            Ok(Box::new(SqlEngine::with_params(model, census, params)?))
        }),
    };
    let dir = tempfile::tempdir().unwrap();
    let m = model("simulation: {random_seed: 42}");
    let (a, b) = (dir.path().join("native"), dir.path().join("sql"));
    run(EngineChoice::native(), &m, &rows, &a);
    run(mutated, &m, &rows, &b);
    let report = diff_dirs(&a, &b).unwrap();
    assert!(!report.identical, "{}", report.report);
    assert!(
        report.report.contains("* event_probability"),
        "{}",
        report.report
    );
}
