//! Who is an HCE and who is a key employee (spec §9), on hand-built employees run through a
//! year of the native engine. Limits: hce_compensation 155,000 (2024) and 160,000 (2025,
//! 2026); key_officer_compensation 230,000 (2025) and 235,000 (2026).

mod common;

use common::{census_row, model};
use wfsim::census::CensusRow;
use wfsim::config::Model;
use wfsim::engine::context::YearContext;
use wfsim::engine::employee::Employee;
use wfsim::engine::timeline;
use wfsim::event::SnapshotRow;
use wfsim::rng::Rng;

/// Nothing random fires and pay does not change, so prorated pay is the salary.
const QUIET: &str = "
simulation: {start_year: 2025}
workforce: {total_termination_rate: 0.0}
promotion: {base_rate: 0.0}
compensation: {cola_rate: 0.0, merit_rate_by_level: [0, 0, 0, 0, 0]}
enrollment:
  voluntary: {voluntary_enrollment_rate: 0.0}
  conversion: {base_by_age: [0, 0, 0, 0]}
  auto_enrollment: {enabled: false}
deferral_auto_escalation: {enabled: false}
";

fn year(m: &Model, year: i32, e: &mut Employee) -> SnapshotRow {
    let rng = Rng::new(m.config.simulation.random_seed);
    let ctx = YearContext::new(m, &rng, year);
    timeline::run(&ctx, e, 0, &mut Vec::new())
}

fn row(m: &Model, salary: f64, edit: impl FnOnce(&mut CensusRow)) -> CensusRow {
    let mut r = census_row(m, "E1", "1975-06-01", "2010-01-01", 4, salary);
    edit(&mut r);
    r
}

/// `(is_hce, is_key_employee)` of the first simulated year (2025).
fn flags_2025(m: &Model, r: &CensusRow) -> (bool, bool) {
    let s = year(m, 2025, &mut Employee::from_census(m, r));
    (s.is_hce, s.is_key_employee)
}

#[test]
fn the_first_look_back_is_the_census_prior_year_pay_against_last_years_amount() {
    let m = model(QUIET);
    // no prior-year pay: the salary, 158,000 > 155,000 (the 2024 amount, not 2025's 160,000)
    assert_eq!(flags_2025(&m, &row(&m, 158_000.0, |_| {})), (true, false));
    // prior-year pay given: 150,000 is not above 155,000, whatever this year's salary
    let r = row(&m, 400_000.0, |r| {
        r.prior_year_compensation = Some(150_000.0)
    });
    assert_eq!(flags_2025(&m, &r), (false, false));
    // exactly the amount is not above it
    let r = row(&m, 90_000.0, |r| {
        r.prior_year_compensation = Some(155_000.0)
    });
    assert_eq!(flags_2025(&m, &r), (false, false));
    let r = row(&m, 90_000.0, |r| {
        r.prior_year_compensation = Some(155_000.01)
    });
    assert_eq!(flags_2025(&m, &r), (true, false));
}

#[test]
fn an_owner_below_the_pay_threshold_is_an_hce_and_a_key_employee() {
    let m = model(QUIET);
    let r = row(&m, 50_000.0, |r| r.ownership_pct = 0.06);
    assert_eq!(flags_2025(&m, &r), (true, true));
    // 5 % exactly is not more than 5 %
    let r = row(&m, 50_000.0, |r| r.ownership_pct = 0.05);
    assert_eq!(flags_2025(&m, &r), (false, false));
    // more than 1 % and paid more than 150,000: key (and an HCE by pay, 151,000 > 155,000? no)
    let r = row(&m, 151_000.0, |r| r.ownership_pct = 0.02);
    assert_eq!(flags_2025(&m, &r), (false, true));
    let r = row(&m, 150_000.0, |r| r.ownership_pct = 0.02);
    assert_eq!(flags_2025(&m, &r), (false, false));
}

#[test]
fn an_officer_is_key_above_the_years_416i_amount() {
    let m = model(QUIET);
    // 2025: 230,000
    let r = row(&m, 231_000.0, |r| {
        r.officer = true;
        r.prior_year_compensation = Some(100_000.0);
    });
    assert_eq!(flags_2025(&m, &r), (false, true));
    let r = row(&m, 230_000.0, |r| r.officer = true);
    assert_eq!(flags_2025(&m, &r), (true, false));
    // 2026: 235,000, so the same 231,000 officer is no longer key
    let r = row(&m, 231_000.0, |r| r.officer = true);
    let mut e = Employee::from_census(&m, &r);
    year(&m, 2025, &mut e);
    let s = year(&m, 2026, &mut e);
    assert_eq!((s.is_hce, s.is_key_employee), (true, false));
}

#[test]
fn a_high_paid_hire_is_an_hce_from_the_year_after_hire() {
    let m = model(QUIET);
    // hired Mar 1 2025 at 400,000: look-back 0 in 2025 (not an HCE on this year's pay); in
    // 2026 the look-back is 2025's prorated pay, 306 / 365 × 400,000 = 335,342.47
    let r = row(&m, 400_000.0, |r| r.hire_date = common::d("2025-03-01"));
    let mut e = Employee::from_census(&m, &r);
    e.lookback_pay = 0.0; // what a hire of the year starts with
    let s = year(&m, 2025, &mut e);
    assert_eq!(s.prorated_compensation, 335_342.47);
    assert_eq!((s.is_hce, s.is_key_employee), (false, false));
    assert_eq!(e.lookback_pay, 335_342.47);
    let s = year(&m, 2026, &mut e);
    assert_eq!((s.is_hce, s.is_key_employee), (true, false));
}
