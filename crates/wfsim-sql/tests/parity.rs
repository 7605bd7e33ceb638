//! Parity: the SQL reference engine writes exactly the native engine's files (compared with
//! `wfsim::output::diff`, floats bitwise), on synthetic censuses and on configs that switch
//! every branch of the model. A mutation test proves the comparison can fail.

use std::path::Path;
use wfsim::census::{synthetic, CensusRow, Level};
use wfsim::config::{self, Model};
use wfsim::date::{years_between, Date};
use wfsim::engine::Engine;
use wfsim::event::SnapshotRow;
use wfsim::output::diff::diff_dirs;
use wfsim::output::parquet::CENSUS_FILE;
use wfsim::year::YearCounts;
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
    compare_years(yaml, rows, sql).0
}

/// [`compare`], with the native run's per-year summary (the §9 results included), equal to the
/// SQL run's.
fn compare_years(
    yaml: &str,
    rows: &[CensusRow],
    sql: EngineChoice,
) -> (wfsim::output::diff::DiffReport, Vec<YearCounts>) {
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
    (diff_dirs(&a, &b).unwrap(), native.summary.years)
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
                if p.name == "workforce.total_termination_rate" {
                    p.v = p.v.map(|v| v + 0.01);
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

// ---- Plan design (spec §4.11-4.13): contributions, vesting, IRS limits ----

/// The native engine's snapshot rows of every year, with the simulated year, to prove that
/// a parity test's data reaches the case it is about.
fn native_rows(m: &Model, rows: &[CensusRow]) -> Vec<(i32, SnapshotRow)> {
    let mut census: Vec<CensusRow> = rows
        .iter()
        .filter(|r| !r.is_leaver(m.census_date))
        .cloned()
        .collect();
    census.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    let mut engine = Engine::new(m.clone(), &census);
    let sim = &m.config.simulation;
    (sim.start_year..=sim.end_year)
        .flat_map(|y| {
            let out = engine.step(y).unwrap();
            out.snapshots.into_iter().map(move |r| (y, r))
        })
        .collect()
}

/// Parity of `yaml` on `rows`, then the native rows for the test's own checks.
fn assert_parity_rows(yaml: &str, rows: &[CensusRow]) -> Vec<(i32, SnapshotRow)> {
    let report = compare(yaml, rows, wfsim_sql::engine_choice());
    assert!(
        report.identical,
        "config {yaml:?}, {} census rows:\n{}",
        rows.len(),
        report.report
    );
    native_rows(&model(yaml), rows)
}

/// Parity on a synthetic census; returns the native rows.
fn assert_plan_parity(yaml: &str, employees: usize, seed: u64) -> Vec<(i32, SnapshotRow)> {
    assert_parity_rows(yaml, &census(employees, seed))
}

fn count(rows: &[(i32, SnapshotRow)], f: impl Fn(i32, &SnapshotRow) -> bool) -> usize {
    rows.iter().filter(|(y, r)| f(*y, r)).count()
}

fn terminated(r: &SnapshotRow) -> bool {
    r.termination_date.is_some()
}

/// High earners aged about 48-66, old hires, census participants at high and moderate
/// deferral rates: 402(g), both catch-ups, 401(a)(17) and 415(c) all bind.
fn high_earners(n: usize) -> Vec<CensusRow> {
    let m = model("");
    let rates = [0.9, 0.5, 0.06, 0.75, 0.03, 0.6, 0.1, 0.8];
    (0..n)
        .map(|i| {
            let birth_year = 1959 + (i % 19) as i32; // 48..66 at the end of 2025
            let salary = 150_000.0 + 37_500.0 * (i % 15) as f64; // 150,000..675,000
            let level = match salary {
                s if s >= 300_000.0 => 5,
                s if s >= 161_000.0 => 4,
                _ => 3,
            };
            CensusRow {
                employee_id: format!("EMP_{i:06}"),
                birth_date: Date::from_ymd(birth_year, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
                    .unwrap(),
                hire_date: Date::from_ymd(2000 + (i % 24) as i32, 3, 1 + (i % 27) as u32).unwrap(),
                termination_date: None,
                annual_salary: salary,
                level_id: Level::new(&m, level).unwrap(),
                deferral_rate: rates[i % rates.len()],
                auto_escalation_opt_out: i % 5 == 0,
                eligibility_override: None,
                employer_balance: if i % 3 == 0 {
                    1_000.0 * i as f64 + 0.125
                } else {
                    0.0
                },
                // a core part of some employer accounts, and unrounded employee accounts
                employee_balance: 250.0 * i as f64 + 0.375,
                core_balance: if i % 6 == 0 {
                    100.0 * i as f64 + 0.0625
                } else {
                    0.0
                },
                prior_year_compensation: None,
                ownership_pct: 0.0,
                officer: false,
            }
        })
        .collect()
}

#[test]
fn plan_defaults_money() {
    let rows = assert_plan_parity("simulation: {random_seed: 11}", 500, 11);
    assert!(count(&rows, |_, r| r.money.employer_match > 0.0) > 100);
    assert!(count(&rows, |_, r| r.money.elected_deferral > 0.0) > 100);
    assert!(count(&rows, |_, r| r.money.employer_balance > 0.0) > 100);
    // defaults: no core, immediate vesting
    assert_eq!(count(&rows, |_, r| r.money.employer_core != 0.0), 0);
    assert_eq!(count(&rows, |_, r| r.money.forfeiture != 0.0), 0);
}

#[test]
fn stretch_match_with_waiting_period() {
    let rows = assert_plan_parity(
        "employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}\n\
         eligibility: {waiting_period_days: 90}",
        500,
        42,
    );
    assert!(count(&rows, |_, r| r.money.employer_match > 0.0) > 100);
    // eligibility mid-year: eligible pay is part of the prorated pay
    assert!(
        count(&rows, |_, r| {
            r.money.eligible_compensation > 0.0
                && r.money.eligible_compensation < r.prorated_compensation - 1.0
        }) > 10
    );
}

#[test]
fn safe_harbor_basic_match() {
    let rows = assert_plan_parity(
        "employer_match: {tiers: [{from: 0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]}",
        500,
        7,
    );
    assert!(count(&rows, |_, r| r.money.employer_match > 0.0) > 100);
}

#[test]
fn qaca_match() {
    let rows = assert_plan_parity(
        "employer_match: {tiers: [{from: 0, to: 0.01, rate: 1.0}, {from: 0.01, to: 0.06, rate: 0.5}]}",
        500,
        2024,
    );
    assert!(count(&rows, |_, r| r.money.employer_match > 0.0) > 100);
}

#[test]
fn service_graded_match() {
    let yaml = "employer_match:\n  by_service:\n    - {min_years: 0, tiers: [{from: 0.0, to: 0.04, rate: 0.5}]}\n    - {min_years: 3, tiers: []}\n    - {min_years: 5, tiers: [{from: 0.0, to: 0.06, rate: 1.0}]}\n";
    let rows = assert_plan_parity(yaml, 500, 42);
    let tenure0 = |y: i32, r: &SnapshotRow| years_between(r.hire_date, Date::jan1(y));
    // every step is reached, the empty tier set included
    for (lo, hi) in [(0, 3), (3, 5), (5, 100)] {
        assert!(
            count(&rows, |y, r| {
                let t = tenure0(y, r);
                (lo..hi).contains(&t) && r.money.elected_deferral > 0.0
            }) > 10,
            "tenure {lo}..{hi}"
        );
    }
    assert!(
        count(&rows, |y, r| (3..5).contains(&tenure0(y, r))
            && r.money.elected_deferral > 0.0
            && r.money.employer_match == 0.0)
            > 10
    );
}

/// true_up on: the annual match beats the per-period match of an employee cut by 402(g)
/// or whose rate changed during the year.
#[test]
fn true_up_match() {
    let yaml = "employer_match: {true_up: true}";
    let people = high_earners(60);
    let with = assert_parity_rows(yaml, &people);
    let without = native_rows(&model(""), &people);
    let raised = with
        .iter()
        .zip(&without)
        .filter(|((_, a), (_, b))| {
            assert_eq!(a.employee_id, b.employee_id);
            a.money.employer_match > b.money.employer_match
        })
        .count();
    assert!(raised > 10, "true-up raised {raised} matches");
    assert_plan_parity(yaml, 500, 7);
}

/// A leaver of the year gets no core with last_day_rule; actives do.
fn check_core(rows: &[(i32, SnapshotRow)]) {
    assert!(count(rows, |_, r| !terminated(r) && r.money.employer_core > 0.0) > 100);
    assert!(
        count(rows, |_, r| terminated(r)
            && r.money.eligible_compensation > 0.0)
            > 10
    );
    assert_eq!(
        count(rows, |_, r| terminated(r) && r.money.employer_core != 0.0),
        0
    );
}

#[test]
fn core_flat_last_day_rule() {
    check_core(&assert_plan_parity(
        "employer_core: {rate: 0.03, last_day_rule: true}",
        500,
        42,
    ));
}

#[test]
fn core_by_service_last_day_rule() {
    let rows = assert_plan_parity(
        "employer_core:\n  by_service: [{min_years: 0, rate: 0.01}, {min_years: 3, rate: 0.03}, {min_years: 10, rate: 0.05}]\n  last_day_rule: true\n",
        500,
        7,
    );
    check_core(&rows);
    // all three steps appear: core / eligible pay near 1 %, 3 % and 5 %
    for rate in [0.01, 0.03, 0.05] {
        assert!(
            count(&rows, |_, r| r.money.eligible_compensation > 10_000.0
                && r.prorated_compensation < 300_000.0
                && (r.money.employer_core / r.money.eligible_compensation
                    - rate)
                    .abs()
                    < 1e-4)
                > 5,
            "core rate {rate}"
        );
    }
}

#[test]
fn core_by_age_last_day_rule() {
    let rows = assert_plan_parity(
        "employer_core:\n  by_age: [{min_age: 0, rate: 0.02}, {min_age: 40, rate: 0.04}, {min_age: 55, rate: 0.06}]\n  last_day_rule: true\n",
        500,
        2024,
    );
    check_core(&rows);
    for rate in [0.02, 0.04, 0.06] {
        assert!(
            count(&rows, |_, r| r.money.eligible_compensation > 10_000.0
                && r.prorated_compensation < 300_000.0
                && (r.money.employer_core / r.money.eligible_compensation
                    - rate)
                    .abs()
                    < 1e-4)
                > 5,
            "core rate {rate}"
        );
    }
}

/// The match last-day rule, with a core and no last-day rule on the core.
#[test]
fn match_last_day_rule() {
    let rows = assert_plan_parity(
        "employer_match: {last_day_rule: true}\nemployer_core: {rate: 0.02}",
        500,
        42,
    );
    assert_eq!(
        count(&rows, |_, r| terminated(r) && r.money.employer_match != 0.0),
        0
    );
    assert!(count(&rows, |_, r| terminated(r) && r.money.employer_core > 0.0) > 10);
}

/// Leavers forfeit the unvested part of a balance that starts at the census value.
fn check_vesting(rows: &[(i32, SnapshotRow)], partial: bool) {
    assert!(count(rows, |_, r| r.money.forfeiture > 0.0) > 5);
    assert!(
        count(rows, |y, r| y == 2025
            && r.money.employer_balance > 10_000.0)
            > 20
    );
    if partial {
        assert!(
            count(rows, |_, r| r.money.forfeiture > 0.0
                && r.money.vested_fraction > 0.0
                && r.money.vested_fraction < 1.0)
                > 0
        );
    }
}

#[test]
fn vesting_three_year_cliff() {
    let rows = assert_plan_parity(
        "vesting: {schedule: [0, 0, 0, 1]}\nemployer_core: {rate: 0.02}",
        1000,
        42,
    );
    check_vesting(&rows, false);
}

#[test]
fn vesting_six_year_graded() {
    let rows = assert_plan_parity(
        "vesting: {schedule: [0, 0, 0.2, 0.4, 0.6, 0.8, 1]}\nemployer_core: {rate: 0.02}",
        1000,
        7,
    );
    check_vesting(&rows, true);
}

/// 402(g), catch-up at 50+ and at 60-63, 401(a)(17), and 415(c) cutting the core, then the
/// match (a 10-times match of the first 2 % and a 20 % core).
#[test]
fn irs_limits_binding() {
    let yaml = "simulation: {end_year: 2027}\n\
                employer_match: {tiers: [{from: 0, to: 0.02, rate: 10}]}\n\
                employer_core: {rate: 0.2}\n\
                vesting: {schedule: [0, 0.5, 1]}";
    let m = model(yaml);
    let rows = assert_parity_rows(yaml, &high_earners(120));
    let age_ye = |y: i32, r: &SnapshotRow| years_between(r.birth_date, Date::dec31(y));
    let l = |y: i32| m.config.irs_limits.for_year(y);
    // 402(g)
    assert!(
        count(&rows, |_, r| r.money.employee_deferral
            < r.money.elected_deferral)
            > 20
    );
    // catch-up at 50-59 and the larger one at 60-63
    assert!(
        count(&rows, |y, r| (50..60).contains(&age_ye(y, r))
            && r.money.catch_up_deferral == l(y).catch_up)
            > 5
    );
    assert!(
        count(&rows, |y, r| (60..64).contains(&age_ye(y, r))
            && r.money.catch_up_deferral == l(y).catch_up_60_63)
            > 5
    );
    assert!(
        count(&rows, |y, r| age_ye(y, r) >= 64
            && r.money.catch_up_deferral == l(y).catch_up)
            > 2
    );
    // 401(a)(17): the employer money of the well paid is on the capped pay
    assert!(count(&rows, |y, r| r.prorated_compensation > l(y).compensation) > 20);
    // 415(c): the additions fill the limit exactly; the core is cut first (to 0 when the
    // match alone fills it), then the match
    let d415 = |r: &SnapshotRow| r.money.employee_deferral - r.money.catch_up_deferral;
    let full = |y: i32, r: &SnapshotRow| {
        (d415(r) + r.money.employer_match + r.money.employer_core - l(y).annual_additions).abs()
            < 0.02
    };
    assert!(count(&rows, |y, r| full(y, r) && r.money.employer_core > 0.0) > 5);
    assert!(
        count(&rows, |y, r| full(y, r)
            && r.money.employer_core == 0.0
            && r.money.eligible_compensation > 0.0)
            > 5
    );
    // census balances carried and leavers forfeiting
    assert!(count(&rows, |_, r| r.money.forfeiture > 0.0) > 0);
}

/// The catch-up 60-63 switch off: everyone 50+ gets the age-50 catch-up.
#[test]
fn catch_up_60_63_off() {
    let yaml = "simulation: {end_year: 2026}\nirs_limits: {catch_up_60_63: false}";
    let rows = assert_parity_rows(yaml, &high_earners(60));
    assert!(
        count(&rows, |y, r| (60..64)
            .contains(&years_between(r.birth_date, Date::dec31(y)))
            && r.money.catch_up_deferral > 0.0)
            > 3
    );
    assert_eq!(count(&rows, |_, r| r.money.catch_up_deferral > 8_000.0), 0);
}

/// Years after the last published row (2027-2031 from 2026, growth 3.7 %), and a year before
/// the first one (2024 uses 2025's row).
#[test]
fn projected_limits() {
    let yaml = "simulation: {start_year: 2024, end_year: 2031, census_date: '2023-12-31'}\n\
                irs_limits: {growth_rate: 0.037}";
    let m = model(yaml);
    let people: Vec<CensusRow> = high_earners(60)
        .into_iter()
        .map(|mut r| {
            r.hire_date = Date::from_ymd(r.hire_date.ymd().0 - 1, 3, 1).unwrap();
            r.birth_date = Date::from_ymd(r.birth_date.ymd().0 - 1, 6, 15).unwrap();
            r
        })
        .collect();
    let rows = assert_parity_rows(yaml, &people);
    for y in [2024, 2027, 2030, 2031] {
        let l = m.config.irs_limits.for_year(y);
        assert!(
            count(&rows, |yy, r| yy == y
                && r.money.employee_deferral - r.money.catch_up_deferral
                    == l.elective_deferral
                && r.money.employee_deferral < r.money.elected_deferral)
                > 5,
            "402(g) of {y}"
        );
    }
    assert_ne!(
        m.config.irs_limits.for_year(2031).elective_deferral,
        m.config.irs_limits.for_year(2026).elective_deferral
    );
}

/// Perturbing the limits' growth rate in the SQL engine only must break parity in a
/// projected year.
#[test]
fn mutation_of_plan_design_is_detected() {
    let rows = high_earners(40);
    let mutated = EngineChoice {
        name: "sql-mutated".into(),
        make: Box::new(|model, census| {
            let mut params = wfsim_sql::params(model);
            for p in params.iter_mut() {
                if p.name == "irs_limits.growth_rate" {
                    p.v = p.v.map(|v| v + 0.01);
                }
            }
            Ok(Box::new(SqlEngine::with_params(model, census, params)?))
        }),
    };
    let dir = tempfile::tempdir().unwrap();
    let m = model("simulation: {end_year: 2028}");
    let (a, b) = (dir.path().join("native"), dir.path().join("sql"));
    run(EngineChoice::native(), &m, &rows, &a);
    run(mutated, &m, &rows, &b);
    let report = diff_dirs(&a, &b).unwrap();
    assert!(!report.identical, "{}", report.report);
    assert!(
        report.report.contains("employee_deferral"),
        "{}",
        report.report
    );
}

/// Spec §4.8 step 3: with a sensitivity, a default above the reference rate raises opt-outs and
/// one below lowers them; both engines agree.
#[test]
fn opt_out_sensitivity_above_and_below_the_reference() {
    let opted = |default: f64, sens: f64| {
        let rows = assert_plan_parity(
            &format!(
                "enrollment: {{auto_enrollment: {{default_deferral_rate: {default}, \
                 opt_out_default_sensitivity: {sens}}}}}"
            ),
            600,
            5,
        );
        count(&rows, |_, r| r.ever_opted_out)
    };
    let insensitive = opted(0.08, 0.0);
    assert!(insensitive > 0);
    assert!(opted(0.08, 0.5) > insensitive, "8 % with sensitivity 0.5");
    assert!(opted(0.04, 0.5) < insensitive, "4 % with sensitivity 0.5");
}

/// Spec §4.8 step 5: the match magnet with a basic, a stretch and a service-graded match;
/// voluntary and conversion enrollees move to the full-match rate, auto-enrollees never do.
#[test]
fn match_response_basic_stretch_and_service_graded() {
    let designs = [
        ("[{from: 0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]", "null", vec![0.05]),
        ("[{from: 0, to: 0.12, rate: 0.25}]", "null", vec![0.12]),
        (
            // the default tiers beside a table are not a second formula (spec §7)
            "[{from: 0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]",
            "[{min_years: 0, tiers: [{from: 0, to: 0.04, rate: 0.5}]}, {min_years: 5, tiers: [{from: 0, to: 0.06, rate: 1.0}]}]",
            vec![0.04, 0.06],
        ),
    ];
    for (tiers, by_service, full) in designs {
        let at_full = |q: f64| {
            let rows = assert_plan_parity(
                &format!(
                    "employer_match: {{tiers: {tiers}, by_service: {by_service}}}\n\
                     enrollment: {{match_response: {{probability: {q}}}}}\n\
                     deferral_auto_escalation: {{enabled: false}}"
                ),
                600,
                9,
            );
            assert_eq!(
                count(&rows, |_, r| r.enrollment_method
                    == Some(wfsim::event::EnrollmentMethod::Auto)
                    && r.deferral_rate != 0.06),
                0,
                "auto-enrollees keep the default"
            );
            count(&rows, |_, r| {
                r.enrollment_method == Some(wfsim::event::EnrollmentMethod::Voluntary)
                    && full.contains(&r.deferral_rate)
            })
        };
        let (without, with) = (at_full(0.0), at_full(0.6));
        assert!(
            with > without + 10,
            "{tiers} {by_service}: {without} -> {with} voluntary enrollees at the full-match rate"
        );
    }
}

/// Spec v1.4 §4.8 step 6: the census's participants below the full-match rate move to it on
/// Jan 1 of the first year with probability q_e (0, 0.5, 1), for a stretch match and a
/// service-graded tier set; escalation on the same Jan 1 (the default date) comes after the
/// change; nothing happens in later years.
#[test]
fn existing_participants_answer_a_new_match() {
    let designs = [
        ("[{from: 0, to: 0.12, rate: 0.25}]", "null", vec![0.12]),
        (
            "[{from: 0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]",
            "[{min_years: 0, tiers: [{from: 0, to: 0.04, rate: 0.5}]}, {min_years: 5, tiers: [{from: 0, to: 0.06, rate: 1.0}]}]",
            // moved, then escalated by a point on the same Jan 1
            vec![0.04, 0.05, 0.06, 0.07],
        ),
    ];
    for (tiers, by_service, full) in designs {
        let at_full = |q: f64| {
            let rows = assert_plan_parity(
                &format!(
                    "employer_match: {{tiers: {tiers}, by_service: {by_service}}}\n\
                     enrollment: {{match_response: {{existing_participants: {q}}}}}\n\
                     deferral_auto_escalation: {{applies_to: all}}"
                ),
                600,
                13,
            );
            count(&rows, |y, r| y == 2025 && full.contains(&r.deferral_rate))
        };
        let (none, half, all) = (at_full(0.0), at_full(0.5), at_full(1.0));
        assert!(
            none < half && half < all,
            "{tiers} {by_service}: {none} -> {half} -> {all} at the full-match rate"
        );
    }
}

/// Spec v1.4 §4.11: a points-based match and core (age + tenure at Jan 1, hires tenure 0); the
/// census spans the band edges, so every step pays somewhere, on both sides of each edge.
#[test]
fn points_based_match_and_core() {
    let yaml = "employer_match:\n  by_points:\n    - {min_points: 0, tiers: [{from: 0, to: 0.03, rate: 0.5}]}\n    - {min_points: 60, tiers: [{from: 0, to: 0.06, rate: 1.0}]}\nemployer_core:\n  by_points: [{min_points: 0, rate: 0.02}, {min_points: 50, rate: 0.04}, {min_points: 70, rate: 0.06}]\n";
    let rows = assert_plan_parity(yaml, 800, 11);
    for rate in [0.02, 0.04, 0.06] {
        assert!(
            count(&rows, |_, r| r.money.eligible_compensation > 10_000.0
                && r.prorated_compensation < 300_000.0
                && (r.money.employer_core / r.money.eligible_compensation
                    - rate)
                    .abs()
                    < 1e-4)
                > 5,
            "core rate {rate}"
        );
    }
    // points at Jan 1 of the row's year: age and tenure at Dec 31 are at most one more each
    let points = |y: i32, r: &SnapshotRow| {
        let jan1 = Date::jan1(y);
        years_between(r.birth_date, jan1) + years_between(r.hire_date, jan1).max(0)
    };
    for (lo, hi) in [(48, 49), (50, 51), (68, 69), (70, 71)] {
        assert!(
            count(&rows, |y, r| (lo..=hi).contains(&points(y, r))
                && r.money.employer_core > 0.0)
                > 0,
            "points {lo}-{hi}"
        );
    }
}

/// Spec v1.4 §4.11: a core integrated with Social Security at the wage base, at a fraction of
/// it and at an amount, on high earners (pay above and below each level, 401(a)(17) binding).
#[test]
fn integrated_core_at_each_level() {
    for level in [
        "{excess_rate: 0.057, level: wage_base}",
        "{excess_rate: 0.043, level: {fraction: 0.8}}",
        "{excess_rate: 0.04, level: {amount: 100000}}",
    ] {
        let yaml = format!(
            "simulation: {{end_year: 2028}}\nemployer_core: {{rate: 0.06, integration: {level}}}"
        );
        let rows = assert_parity_rows(&yaml, &mixed(120, 300, 5));
        let m = model(&yaml);
        let il = |y: i32| {
            let twb = m.config.irs_limits.for_year(y).ss_wage_base;
            m.config.employer_core.integration.unwrap().level_for(twb)
        };
        // above the level the core exceeds 6 % of eligible pay, below it it is 6 %
        assert!(
            count(&rows, |y, r| r.money.eligible_compensation
                > il(y) + 1_000.0
                && r.money.employer_core
                    > 0.06
                        * r.money
                            .eligible_compensation
                            .min(m.config.irs_limits.for_year(y).compensation)
                        + 1.0)
                > 10,
            "{level}: above the level"
        );
        assert!(
            count(&rows, |y, r| r.money.eligible_compensation > 10_000.0
                && r.money.eligible_compensation < il(y)
                && (r.money.employer_core
                    - round(0.06 * r.money.eligible_compensation))
                .abs()
                    <= 0.011)
                > 3,
            "{level}: below the level"
        );
    }
}

fn round(x: f64) -> f64 {
    wfsim::numerics::round_cents(x)
}

/// High earners and a synthetic census (ids prefixed `S`), in id order as a loaded census is.
fn mixed(high: usize, synthetic: usize, seed: u64) -> Vec<CensusRow> {
    let mut people = high_earners(high);
    people.extend(census(synthetic, seed).into_iter().map(|mut p| {
        p.employee_id = format!("S{}", p.employee_id);
        p
    }));
    people.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    people
}

/// Spec v1.4 §4.12: accounts with a return of 4 % and of −20 %, a core on a 3-year cliff beside
/// an immediately vested match, census employee and core balances (unrounded, so the first
/// year's rounding rounds them).
#[test]
fn accounts_returns_and_vesting_by_source() {
    for ret in [0.04, -0.2] {
        let yaml = format!(
            "simulation: {{end_year: 2028}}\nemployer_core: {{rate: 0.03}}\n\
             vesting: {{match_schedule: [1.0], core_schedule: [0, 0, 0, 1]}}\n\
             accounts: {{annual_return: {ret}}}"
        );
        let mut people = mixed(60, 400, 3);
        for (i, p) in people.iter_mut().enumerate() {
            if i % 2 == 0 && p.core_balance == 0.0 {
                p.core_balance = (p.employer_balance * 0.3 * 1000.0).floor() / 1000.0;
            }
        }
        let rows = assert_parity_rows(&yaml, &people);
        assert!(count(&rows, |_, r| r.money.employee_balance > 0.0) > 100);
        assert!(count(&rows, |_, r| r.money.core_balance > 0.0) > 100);
        // leavers under 3 years forfeit core money only
        assert!(
            count(&rows, |_, r| terminated(r)
                && r.money.forfeiture > 0.0
                && r.money.vested_fraction == 1.0
                && r.money.core_vested_fraction == 0.0)
                > 0,
            "return {ret}"
        );
    }
}

// ---- Nondiscrimination tests (spec v1.4 §9): is_hce, is_key_employee, testing pay ----

/// `mixed` with what §9 reads from a census: owners of 10 % (many of them poorly paid), of
/// exactly 5 % (not more than 5 %), of 2 % and of exactly 1 % (key when paid over 150,000
/// and more than 1 %); officers at every pay, so above and below the 416(i) amount; the
/// prior-year pay given for half the rows (100,000 to 220,000 in steps of 2,500: the 414(q)
/// amounts of 2024 and 2025 exactly, and between them, once given as 0) and absent for the
/// rest (the look-back is then the salary).
fn ndt_people(high: usize, synthetic: usize, seed: u64) -> Vec<CensusRow> {
    let mut people = mixed(high, synthetic, seed);
    for (i, p) in people.iter_mut().enumerate() {
        p.ownership_pct = match i % 13 {
            0 => 0.10,
            1 => 0.05,
            2 | 4 => 0.02,
            3 => 0.01,
            _ => 0.0,
        };
        p.officer = i % 5 == 0;
        p.prior_year_compensation = match i % 4 {
            0 | 1 if i % 40 == 1 => Some(0.0),
            0 | 1 => Some(100_000.0 + 2_500.0 * (i % 49) as f64),
            _ => None,
        };
    }
    people
}

/// Parity of `yaml` on `rows`; returns the native snapshot rows and per-year summary.
fn assert_ndt_parity(yaml: &str, rows: &[CensusRow]) -> (Vec<(i32, SnapshotRow)>, Vec<YearCounts>) {
    let (report, years) = compare_years(yaml, rows, wfsim_sql::engine_choice());
    assert!(
        report.identical,
        "config {yaml:?}, {} census rows:\n{}",
        rows.len(),
        report.report
    );
    (native_rows(&model(yaml), rows), years)
}

/// Who is an HCE and who is key, each way of becoming one reached (and missed) in both
/// engines, the first year's look-back against the 414(q) amount of the year before (155,000
/// in 2024, 160,000 in 2025), hires never HCEs in their year; the current-year method.
#[test]
fn ndt_hce_and_key_employees() {
    let yaml = "simulation: {end_year: 2028}";
    let people = ndt_people(150, 500, 13);
    let (rows, years) = assert_ndt_parity(yaml, &people);
    let m = model(yaml);
    let census: std::collections::HashMap<&str, &CensusRow> =
        people.iter().map(|p| (p.employee_id.as_str(), p)).collect();
    let c = |r: &SnapshotRow| census.get(&*r.employee_id).copied();
    let own = |r: &SnapshotRow| c(r).map_or(0.0, |p| p.ownership_pct);
    let officer = |r: &SnapshotRow| c(r).is_some_and(|p| p.officer);
    let lb0 = |r: &SnapshotRow| c(r).map(|p| p.prior_year_compensation.unwrap_or(p.annual_salary));
    let lkey = |y: i32| m.config.irs_limits.for_year(y).key_officer_compensation;
    let checks: [(&str, usize); 12] = [
        (
            "poorly paid owners over 5 % are HCEs and key",
            count(&rows, |_, r| {
                own(r) > 0.05
                    && r.prorated_compensation < 100_000.0
                    && r.is_hce
                    && r.is_key_employee
            }),
        ),
        (
            "owners of exactly 5 %, poorly paid, are neither",
            count(&rows, |_, r| {
                own(r) == 0.05
                    && r.prorated_compensation < 100_000.0
                    && !r.is_hce
                    && !r.is_key_employee
            }),
        ),
        (
            "2 % owners over 150,000 are key",
            count(&rows, |_, r| {
                own(r) == 0.02 && r.prorated_compensation > 150_000.0 && r.is_key_employee
            }),
        ),
        (
            "2 % owners at most 150,000 are not key",
            count(&rows, |_, r| {
                own(r) == 0.02
                    && !officer(r)
                    && r.prorated_compensation <= 150_000.0
                    && r.prorated_compensation > 0.0
                    && !r.is_key_employee
            }),
        ),
        (
            "1 % owners over 150,000 are not key",
            count(&rows, |y, r| {
                own(r) == 0.01
                    && !officer(r)
                    && r.prorated_compensation > 150_000.0
                    && r.prorated_compensation <= lkey(y)
                    && !r.is_key_employee
            }),
        ),
        (
            "officers over the 416(i) amount are key",
            count(&rows, |y, r| {
                own(r) <= 0.01
                    && officer(r)
                    && r.prorated_compensation > lkey(y)
                    && r.is_key_employee
            }),
        ),
        (
            "officers at most the 416(i) amount are not",
            count(&rows, |y, r| {
                own(r) <= 0.01
                    && officer(r)
                    && r.prorated_compensation > 150_000.0
                    && r.prorated_compensation <= lkey(y)
                    && !r.is_key_employee
            }),
        ),
        (
            "2025: a look-back in (155,000, 160,000] makes an HCE",
            count(&rows, |y, r| {
                y == 2025
                    && own(r) <= 0.05
                    && lb0(r).is_some_and(|lb| lb > 155_000.0 && lb <= 160_000.0)
                    && r.is_hce
            }),
        ),
        (
            "2025: given prior-year pay at most 155,000 beats a salary above it",
            count(&rows, |y, r| {
                y == 2025
                    && own(r) <= 0.05
                    && c(r).is_some_and(|p| {
                        p.prior_year_compensation.is_some_and(|x| x <= 155_000.0)
                            && p.annual_salary > 160_000.0
                    })
                    && !r.is_hce
            }),
        ),
        (
            "2025: given prior-year pay above 155,000 beats a salary below it",
            count(&rows, |y, r| {
                y == 2025
                    && own(r) <= 0.05
                    && c(r).is_some_and(|p| {
                        p.prior_year_compensation.is_some_and(|x| x > 160_000.0)
                            && p.annual_salary < 155_000.0
                    })
                    && r.is_hce
            }),
        ),
        (
            "later years: last year's pay over the amount",
            count(&rows, |y, r| {
                y > 2025 && own(r) <= 0.05 && c(r).is_some() && r.is_hce
            }),
        ),
        (
            "leavers among the HCEs",
            count(&rows, |_, r| terminated(r) && r.is_hce),
        ),
    ];
    for (what, n) in checks {
        assert!(n > 0, "{what}: {n} rows");
    }
    // hires: never an HCE or key in their year; some well paid ones are HCEs the year after
    let hired = |r: &SnapshotRow| r.employee_id.starts_with("NH_");
    assert!(count(&rows, |y, r| hired(r) && r.hire_date.ymd().0 == y) > 100);
    assert_eq!(
        count(&rows, |y, r| hired(r)
            && r.hire_date.ymd().0 == y
            && (r.is_hce || r.is_key_employee)),
        0
    );
    assert!(
        count(&rows, |y, r| hired(r)
            && r.hire_date.ymd().0 < y
            && r.is_hce)
            > 0
    );
    for y in &years {
        let n = &y.ndt;
        assert!(n.hce_count > 20 && n.key_count > 10, "{}: {n:?}", y.year);
        assert!(
            n.adp.hce.is_some() && n.adp.nhce.is_some(),
            "{}: {n:?}",
            y.year
        );
        assert!(
            n.acp.pass.is_some() && n.top_heavy.ratio.is_some(),
            "{}: {n:?}",
            y.year
        );
    }
}

/// The prior-year method; limits published for 2025 only (growth 3 %), so the first year's
/// look-back amount (2024) is before the first row and uses it, 150,000, and from 2027 the
/// 414(q) amount is projected (155,000).
#[test]
fn ndt_prior_year_method_and_limits_before_the_first_row() {
    let yaml = "simulation: {end_year: 2027}\n\
                ndt: {testing_method: prior, first_year_nhce_adp: 0.02, first_year_nhce_acp: 0.015}\n\
                irs_limits:\n  growth_rate: 0.03\n  published:\n    2025: {elective_deferral: 23500, \
                catch_up: 7500, catch_up_60_63: 11250, compensation: 350000, annual_additions: 70000, \
                hce_compensation: 150000, key_officer_compensation: 200000, ss_wage_base: 176100}";
    let m = model(yaml);
    assert_eq!(
        m.config.irs_limits.for_year(2024).hce_compensation,
        150_000.0
    );
    assert_eq!(
        m.config.irs_limits.for_year(2027).hce_compensation,
        155_000.0
    );
    let people = ndt_people(150, 500, 17);
    let (rows, years) = assert_ndt_parity(yaml, &people);
    let lb0 = |r: &SnapshotRow| {
        people
            .iter()
            .find(|p| *p.employee_id == *r.employee_id)
            .map(|p| p.prior_year_compensation.unwrap_or(p.annual_salary))
    };
    // 2025: look-backs in (150,000, 155,000] are HCEs against the first row's amount
    assert!(
        count(&rows, |y, r| y == 2025
            && lb0(r).is_some_and(|lb| lb > 150_000.0 && lb <= 155_000.0)
            && r.is_hce)
            > 0
    );
    // the first year tests against the configured NHCE averages, later years against the
    // year before's
    assert_eq!(
        (years[0].ndt.adp.nhce, years[0].ndt.acp.nhce),
        (Some(0.02), Some(0.015))
    );
    for w in years.windows(2) {
        let [adp, acp] = w[0]
            .ndt
            .nhce_averages()
            .0
            .map(|b| b.map(|b| b as f64 / 10_000.0));
        assert_eq!(
            (w[1].ndt.adp.nhce, w[1].ndt.acp.nhce),
            (adp, acp),
            "{}",
            w[1].year
        );
        assert!(adp.is_some() && adp != w[0].ndt.adp.nhce, "{}", w[1].year);
    }
    assert!(years.iter().all(|y| y.ndt.adp.pass.is_some()));
}

/// A design whose ADP test fails: no auto-enrollment, few voluntary enrollments, no
/// escalation, and high earners deferring up to 90 % of pay.
const ADP_FAILS: &str = "simulation: {end_year: 2027}\n\
    enrollment: {auto_enrollment: {enabled: false}, voluntary: {voluntary_enrollment_rate: 0.05}, \
    conversion: {base_by_age: [0, 0, 0, 0]}}\n\
    deferral_auto_escalation: {enabled: false}";

fn adp_failing_people() -> Vec<CensusRow> {
    let mut people = ndt_people(60, 600, 21);
    // the synthetic census participants defer little
    for p in people.iter_mut().filter(|p| p.employee_id.starts_with('S')) {
        p.deferral_rate = p.deferral_rate.min(0.02);
    }
    people
}

/// The ADP test fails with an excess to correct in some year, in both engines alike.
#[test]
fn ndt_adp_fails_with_excess() {
    let (_, years) = assert_ndt_parity(ADP_FAILS, &adp_failing_people());
    let failed: Vec<(i32, f64)> = years
        .iter()
        .filter(|y| y.ndt.adp.pass == Some(false))
        .map(|y| (y.year, y.ndt.adp.excess))
        .collect();
    assert!(
        failed.iter().any(|&(_, excess)| excess > 0.0),
        "the ADP test must fail with an excess in some year: {:?}",
        years.iter().map(|y| &y.ndt.adp).collect::<Vec<_>>()
    );
}

/// The same failing design with an ADP safe harbor: deemed passed, no excess, the figures
/// still written.
#[test]
fn ndt_safe_harbor_adp() {
    let yaml = format!("{ADP_FAILS}\nndt: {{safe_harbor: adp}}");
    let (_, years) = assert_ndt_parity(&yaml, &adp_failing_people());
    for y in &years {
        let adp = &y.ndt.adp;
        assert_eq!(
            (adp.pass, adp.excess, adp.safe_harbor),
            (Some(true), 0.0, true),
            "{}",
            y.year
        );
        assert!(
            adp.hce.is_some() && adp.limit.is_some(),
            "{}: {adp:?}",
            y.year
        );
        assert!(!y.ndt.acp.safe_harbor, "{}", y.year);
    }
    // without the safe harbor the figures fail (the test above)
    let (_, plain) = assert_ndt_parity(ADP_FAILS, &adp_failing_people());
    assert!(plain.iter().any(|y| y.ndt.adp.pass == Some(false)));
}
