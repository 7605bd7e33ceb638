//! Contributions, limits and vesting (spec §4.11–4.13) on hand-built employees; the expected
//! figures are worked out by hand from the spec's formulas (see each test).

mod common;

use common::{d, employee, enrolled, model};
use wfsim::engine::context::YearContext;
use wfsim::engine::employee::{Employee, Termination, TerminationKind};
use wfsim::engine::timeline;
use wfsim::event::{Drawn, EnrollmentMethod, SnapshotRow};
use wfsim::numerics::round_cents;
use wfsim::rng::Rng;

/// Nothing random fires; merit raises happen (0 % unless a test sets rates), which splits the
/// year at Jul 15 for tenured employees.
const QUIET: &str = "
workforce: {total_termination_rate: 0.0}
promotion: {base_rate: 0.0}
enrollment:
  voluntary: {voluntary_enrollment_rate: 0.0}
  conversion: {base_by_age: [0, 0, 0, 0]}
  auto_enrollment: {enabled: false}
deferral_auto_escalation: {enabled: false}
";

const NO_RAISES: &str = "compensation: {cola_rate: 0.0, merit_rate_by_level: [0, 0, 0, 0, 0]}\n";

fn year(m: &wfsim::config::Model, year: i32, e: &mut Employee) -> SnapshotRow {
    let rng = Rng::new(m.config.simulation.random_seed);
    let ctx = YearContext::new(m, &rng, year);
    timeline::run(&ctx, e, 0, &mut Vec::new())
}

fn leaves_on(e: &mut Employee, date: &str) {
    e.termination = Some(Termination {
        date: d(date),
        kind: TerminationKind::Experienced,
        decision: Drawn {
            probability: Some(0.5),
            draw: 0.1,
        },
    });
}

/// The worked example of the closing note: $100,000 at level 2, deferring 6 % all year; the
/// merit raise (3 % + 2 % COLA) on Jul 15 makes two periods, Jan 1–Jul 14 (195 days) at
/// $100,000 and Jul 15–Dec 31 (170 days) at $105,000:
///   pay 53,424.66 + 48,904.11; deferral 6 % of each; match mshare(6 %) = 3 % + 0.5 × 2 % = 4 %.
#[test]
fn a_plain_year_defers_and_matches_period_by_period() {
    let m = model(QUIET);
    let e = employee(&m, "E1", "1980-01-01", "2015-01-01", 2, 100_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.06);
    let r = year(&m, 2025, &mut e);
    assert_eq!(r.annual_salary, 105_000.0);
    assert_eq!(r.prorated_compensation, 102_328.77);
    let c = r.money;
    assert_eq!(c.eligible_compensation, 102_328.77);
    assert_eq!(c.elected_deferral, 6_139.73);
    assert_eq!(c.employee_deferral, 6_139.73);
    assert_eq!(c.catch_up_deferral, 0.0);
    assert_eq!(c.employer_match, 4_093.15);
    assert_eq!(c.employer_core, 0.0);
    assert_eq!((c.vested_fraction, c.forfeiture), (1.0, 0.0));
    assert_eq!(c.employer_balance, 4_093.15);
    // The account carries into the next year.
    let next = year(&m, 2026, &mut e);
    assert_eq!(
        next.money.employer_balance,
        round_cents(4_093.15 + next.money.employer_match)
    );
}

/// $400,000, age 61 at Dec 31, deferring 50 %, 15 % core: elected 200,000 is cut to
/// 23,500 + 11,250 (60–63 catch-up); pay counts only up to 350,000 (factor 0.875); the match
/// of 4 % is scaled by 34,750 / 200,000 = 2,432.50; core 0.15 × 350,000 = 52,500 is cut by
/// 415(c) to 70,000 − 23,500 − 2,432.50 = 44,067.50.
#[test]
fn limits_bind_in_their_order() {
    let m = model(&format!(
        "{QUIET}{NO_RAISES}employer_core: {{rate: 0.15}}\n"
    ));
    let e = employee(&m, "E1", "1964-06-01", "2010-01-01", 5, 400_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.5);
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.elected_deferral, 200_000.0);
    assert_eq!(c.employee_deferral, 34_750.0);
    assert_eq!(c.catch_up_deferral, 11_250.0);
    assert_eq!(c.employer_match, 2_432.5);
    assert_eq!(c.employer_core, 44_067.5);

    // Without the SECURE 2.0 catch-up, the age-50 one: 23,500 + 7,500.
    let m = model(&format!(
        "{QUIET}{NO_RAISES}employer_core: {{rate: 0.15}}\nirs_limits: {{catch_up_60_63: false}}\n"
    ));
    let e = employee(&m, "E1", "1964-06-01", "2010-01-01", 5, 400_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.5);
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.employee_deferral, 31_000.0);
    assert_eq!(c.catch_up_deferral, 7_500.0);
    assert_eq!(c.employer_match, 2_170.0);
    assert_eq!(c.employer_core, 44_330.0);

    // Under 50 at Dec 31: no catch-up at all.
    let e = employee(&m, "E2", "1976-06-01", "2010-01-01", 5, 400_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.5);
    let c = year(&m, 2025, &mut e).money;
    assert_eq!((c.employee_deferral, c.catch_up_deferral), (23_500.0, 0.0));
}

/// $200,000 deferring 20 % stops at 402(g) (23,500 of 40,000): the per-period match is scaled to
/// 4,700; the true-up matches the year's 11.75 % of pay at the full 4 %, 8,000.
#[test]
fn true_up_restores_the_match_lost_to_402g() {
    let base = format!("{QUIET}{NO_RAISES}");
    for (true_up, expected) in [(false, 4_700.0), (true, 8_000.0)] {
        let m = model(&format!("{base}employer_match: {{true_up: {true_up}}}\n"));
        let e = employee(&m, "E1", "1980-01-01", "2010-01-01", 4, 200_000.0);
        let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.2);
        let c = year(&m, 2025, &mut e).money;
        assert_eq!(c.employee_deferral, 23_500.0);
        assert_eq!(c.employer_match, expected, "true_up {true_up}");
    }
}

/// The tier set follows tenure at Jan 1: 4 years gets 50 % of 4 %, 5 years 100 % of 6 %.
#[test]
fn service_graded_match_uses_tenure_at_jan1() {
    let m = model(&format!("{QUIET}{NO_RAISES}employer_match:\n  by_service:\n    - {{min_years: 0, tiers: [{{from: 0, to: 0.04, rate: 0.5}}]}}\n    - {{min_years: 5, tiers: [{{from: 0, to: 0.06, rate: 1.0}}]}}\n"));
    let p1 = (80_000.0 * 195.0) / 365.0;
    let p2 = (80_000.0 * 170.0) / 365.0;
    for (hire, share) in [("2020-06-01", 0.5 * 0.04), ("2019-06-01", 0.06)] {
        let e = employee(&m, "E1", "1980-01-01", hire, 1, 80_000.0);
        let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.08);
        let c = year(&m, 2025, &mut e).money;
        assert_eq!(
            c.employer_match,
            round_cents(0.0 + p1 * share + p2 * share),
            "{hire}"
        );
    }
}

/// Core by age at Jan 1 (50 → 4 %) on eligible pay, without any deferral; the last-day rule
/// takes it from a leaver.
#[test]
fn core_by_age_and_the_last_day_rule() {
    let m = model(&format!("{QUIET}{NO_RAISES}employer_core:\n  by_age: [{{min_age: 0, rate: 0.02}}, {{min_age: 50, rate: 0.04}}]\n  last_day_rule: true\n"));
    let mut e = employee(&m, "E1", "1975-01-01", "2010-01-01", 1, 70_000.0);
    let c = year(&m, 2025, &mut e).money;
    let pay = 0.0 + (70_000.0 * 195.0) / 365.0 + (70_000.0 * 170.0) / 365.0;
    assert_eq!(c.employer_core, round_cents(pay * 1.0 * 0.04));
    assert_eq!(c.employer_match, 0.0);

    let mut e = employee(&m, "E2", "1975-01-01", "2010-01-01", 1, 70_000.0);
    leaves_on(&mut e, "2025-09-30");
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.employer_core, 0.0);
    assert!(c.eligible_compensation > 0.0);
}

/// A leaver on Jun 30 after 2 years (hired 2023-03-01) under a 3-year cliff forfeits the whole
/// account: the census balance of 1,000 plus the year's match on 181 days of $60,000 at 5 %.
/// After 4 years under the 6-year graded schedule 60 % is kept.
#[test]
fn leavers_forfeit_the_unvested_account() {
    let pay = (60_000.0 * 181.0) / 365.0;
    let matched = round_cents(pay * 0.04);
    for (schedule, hire, vested) in [
        ("[0, 0, 0, 1]", "2023-03-01", 0.0),
        ("[0, 0, 0.2, 0.4, 0.6, 0.8, 1]", "2021-03-01", 0.6),
    ] {
        let m = model(&format!("{QUIET}vesting: {{schedule: {schedule}}}\n"));
        let e = employee(&m, "E1", "1980-01-01", hire, 1, 60_000.0);
        let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.05);
        e.accounts.matched = 1_000.0;
        leaves_on(&mut e, "2025-06-30");
        let c = year(&m, 2025, &mut e).money;
        assert_eq!(c.employer_match, matched);
        let bal = round_cents(1_000.0 + matched + 0.0);
        assert_eq!(c.vested_fraction, vested);
        assert_eq!(
            c.forfeiture,
            round_cents(bal * (1.0 - vested)),
            "{schedule}"
        );
        assert_eq!(c.employer_balance, round_cents(bal - c.forfeiture));
    }
    // An active employee keeps everything whatever the schedule says.
    let m = model(&format!("{QUIET}vesting: {{schedule: [0, 0, 0, 1]}}\n"));
    let mut e = employee(&m, "E2", "1980-01-01", "2024-03-01", 1, 60_000.0);
    e.accounts.matched = 1_000.0;
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(
        (c.vested_fraction, c.forfeiture, c.employer_balance),
        (0.0, 0.0, 1_000.0)
    );
}

/// A match-eligible period starts on the eligibility date: a hire eligible after a 90-day wait
/// earns eligible pay only from then, and a hire counts as tenure 0 in a service-graded match.
#[test]
fn hires_start_at_tenure_zero_and_eligible_pay_starts_at_eligibility() {
    let m = model(&format!("{QUIET}eligibility: {{waiting_period_days: 90}}\nemployer_core: {{by_service: [{{min_years: 0, rate: 0.01}}, {{min_years: 1, rate: 0.05}}]}}\n"));
    let mut e = employee(&m, "NH", "1990-01-01", "2025-03-01", 1, 73_000.0);
    let r = year(&m, 2025, &mut e);
    assert_eq!(r.eligibility_date, Some(d("2025-05-30")));
    // Mar 1 .. May 29 ineligible (90 days), May 30 .. Dec 31 eligible (216 days).
    let eligible = (73_000.0 * 216.0) / 365.0;
    assert_eq!(r.money.eligible_compensation, round_cents(eligible));
    assert_eq!(r.money.employer_core, round_cents(eligible * 1.0 * 0.01));
}

/// The worked employee of docs/MODEL.md (spec §4.11–4.12): $200,000 all year at 6 %, born
/// 1975-03-15 and hired 2010-06-01, so age 49 + tenure 14 = 63 points at Jan 1 2025.
/// - Match by points: 63 ≥ 60 gives 100 % of 6 %: 12,000.
/// - Core by points: 50 ≤ 63 < 70 gives 4 %, integrated at the 2025 wage base (176,100) with a
///   3 % excess rate: 0.04 × 200,000 + (200,000 − 176,100) × 0.03 = 8,000 + 717 = 8,717.
/// - Accounts with a 4 % return on the census balances (employee 50,000; employer 30,000 of
///   which core 10,000, so match 20,000): employee 50,000 × 1.04 + 12,000 = 64,000; match
///   20,000 × 1.04 + 12,000 = 32,800; core 10,000 × 1.04 + 8,717 = 19,117; employer 51,917.
#[test]
fn points_integration_and_a_return_by_hand() {
    let m = model(&format!(
        "{QUIET}{NO_RAISES}employer_match:
  by_points:
    - {{min_points: 0, tiers: [{{from: 0, to: 0.03, rate: 0.5}}]}}
    - {{min_points: 60, tiers: [{{from: 0, to: 0.06, rate: 1.0}}]}}
employer_core:
  by_points: [{{min_points: 0, rate: 0.03}}, {{min_points: 50, rate: 0.04}}, {{min_points: 70, rate: 0.06}}]
  integration: {{excess_rate: 0.03, level: wage_base}}
accounts: {{annual_return: 0.04}}
"
    ));
    let e = employee(&m, "E1", "1975-03-15", "2010-06-01", 4, 200_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.06);
    e.accounts.employee = 50_000.0;
    e.accounts.matched = 20_000.0;
    e.accounts.core = 10_000.0;
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.employee_deferral, 12_000.0);
    assert_eq!(c.employer_match, 12_000.0);
    assert_eq!(c.employer_core, 8_717.0);
    assert_eq!(c.employee_balance, 64_000.0);
    assert_eq!(c.core_balance, 19_117.0);
    assert_eq!(c.employer_balance, 51_917.0);
    assert_eq!((c.vested_fraction, c.core_vested_fraction), (1.0, 1.0));

    // Ten years younger: 53 points, under the match's 60 (50 % of 3 %: 3,000) but still on
    // the core's 4 % step.
    let e = employee(&m, "E2", "1985-03-15", "2010-06-01", 4, 200_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.06);
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.employer_match, 3_000.0);
    assert_eq!(c.employer_core, 8_717.0);
    // Pay below the integration level earns the base rate only: 4 % of 100,000.
    let e = employee(&m, "E3", "1975-03-15", "2010-06-01", 2, 100_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.06);
    assert_eq!(year(&m, 2025, &mut e).money.employer_core, 4_000.0);
}

/// A 3-year-cliff core beside an immediately vested match: a leaver after 2 years keeps all of
/// the match and forfeits all of the core; each part is rounded on its own. Before v1.4 one
/// schedule put the match on the cliff too.
#[test]
fn each_source_vests_on_its_own_schedule() {
    let m = model(&format!(
        "{QUIET}{NO_RAISES}employer_core: {{rate: 0.03}}\nvesting: {{match_schedule: [1.0], core_schedule: [0, 0, 0, 1]}}\n"
    ));
    let e = employee(&m, "E1", "1980-01-01", "2023-03-01", 1, 60_000.0);
    let mut e = enrolled(e, "2020-01-01", EnrollmentMethod::Census, 0.05);
    e.accounts.matched = 1_000.0;
    e.accounts.core = 500.0;
    leaves_on(&mut e, "2025-06-30");
    let c = year(&m, 2025, &mut e).money;
    // 181 days of $60,000: pay 29,753.42; match 4 % of it, core 3 %.
    let pay = (60_000.0 * 181.0) / 365.0;
    assert_eq!(c.employer_match, round_cents(pay * 0.04));
    assert_eq!(c.employer_core, round_cents(pay * 0.03));
    let mbal = round_cents(1_000.0 + c.employer_match);
    let cbal = round_cents(500.0 + c.employer_core);
    assert_eq!((c.vested_fraction, c.core_vested_fraction), (1.0, 0.0));
    assert_eq!(c.forfeiture, cbal);
    assert_eq!(c.core_balance, 0.0);
    assert_eq!(c.employer_balance, mbal);

    // A 20 % loss is taken on the opening balance before the year's money.
    let m = model(&format!(
        "{QUIET}{NO_RAISES}accounts: {{annual_return: -0.2}}\n"
    ));
    let mut e = employee(&m, "E2", "1980-01-01", "2015-01-01", 1, 60_000.0);
    e.accounts.employee = 10_000.0;
    e.accounts.matched = 2_500.0;
    let c = year(&m, 2025, &mut e).money;
    assert_eq!(c.employee_balance, 8_000.0);
    assert_eq!(c.employer_balance, 2_000.0);
}
