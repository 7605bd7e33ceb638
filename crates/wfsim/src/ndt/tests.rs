//! Spec §9 case by case, with the figures worked by hand in the comments.

use super::*;
use crate::config::{Ndt as Rules, SafeHarbor};
use crate::event::{Contributions, DetailedStatus};

const YEAR: i32 = 2026;

/// An eligible employee of 2026, aged 40 with 5 years of service, with testing pay `tc`,
/// deferrals `d` (no catch-up) and match `m`.
fn person(hce: bool, tc: f64, d: f64, m: f64) -> SnapshotRow {
    SnapshotRow {
        employee_id: "E".into(),
        birth_date: Date::from_ymd(1986, 3, 1).unwrap(),
        hire_date: Date::from_ymd(2021, 3, 1).unwrap(),
        termination_date: None,
        status: DetailedStatus::ContinuousActive,
        level: 1,
        annual_salary: tc,
        prorated_compensation: tc,
        age: 40,
        tenure: 5,
        plan_eligible: true,
        eligibility_date: Some(Date::from_ymd(2021, 3, 1).unwrap()),
        is_enrolled: d > 0.0,
        enrollment_date: None,
        enrollment_method: None,
        ever_opted_out: false,
        deferral_rate: 0.0,
        auto_escalation_opt_out: false,
        escalations_received: 0,
        money: Contributions {
            eligible_compensation: tc,
            elected_deferral: d,
            employee_deferral: d,
            employer_match: m,
            testing_pay: tc,
            ..Contributions::default()
        },
        is_hce: hce,
        is_key_employee: false,
    }
}

fn results(rows: &[SnapshotRow], rules: &Rules, prior: Option<NhceAverages>) -> Results {
    let mut t = Tally::default();
    t.add_rows(YEAR, rows);
    t.finish(rules, prior)
}

/// The worked example of a public pension-testing forum (BenefitsLink, 1998): four HCEs with
/// deferral ratios 3 %, 5 %, 3 %, 7 % and an ADP limit of 3.7 %: B and D are levelled to
/// 4.40 %, refunding 840 and 2,340 (3,180). Two NHCEs at 1.00 % and 2.70 % average 1.85 %,
/// whose limit is max(1.25 × 1.85, min(2 × 1.85, 1.85 + 2)) = 3.70 %.
fn forum_example() -> Vec<SnapshotRow> {
    vec![
        person(true, 150_000.0, 4_500.0, 0.0),
        person(true, 140_000.0, 7_000.0, 0.0),
        person(true, 100_000.0, 3_000.0, 0.0),
        person(true, 90_000.0, 6_300.0, 0.0),
        person(false, 100_000.0, 1_000.0, 0.0),
        person(false, 100_000.0, 2_700.0, 0.0),
    ]
}

#[test]
fn a_failing_adp_refunds_the_levelled_excess() {
    let r = results(&forum_example(), &Rules::default(), None);
    let adp = r.adp;
    // ratios 300, 500, 300, 700: h = 1800 / 4 = 450; b = 370 / 2 = 185
    assert_eq!((adp.n_hce, adp.n_nhce), (4, 2));
    assert_eq!((adp.hce, adp.nhce), (Some(0.045), Some(0.0185)));
    assert_eq!(adp.limit, Some(0.037));
    assert_eq!(adp.pass, Some(false));
    // L = 440: (300 + 440 + 300 + 440) / 4 = 370 passes; L = 441 averages 370.5 → 371, fails.
    // B: 7,000 - 4.40 % of 140,000 = 840; D: 6,300 - 4.40 % of 90,000 = 2,340.
    assert_eq!(adp.excess, 3_180.0);
    assert!(!adp.safe_harbor);
    // no match: both averages 0, and 0 <= 0 passes
    assert_eq!(
        (r.acp.hce, r.acp.pass, r.acp.excess),
        (Some(0.0), Some(true), 0.0)
    );
}

#[test]
fn catch_ups_are_left_out_of_the_deferral_ratio() {
    let mut rows = forum_example();
    // D is 55 and defers 6,300 + a 7,500 catch-up: the ratio is still 7 %
    rows[3].money.employee_deferral = 13_800.0;
    rows[3].money.catch_up_deferral = 7_500.0;
    let r = results(&rows, &Rules::default(), None);
    assert_eq!(r.adp.hce, Some(0.045));
    assert_eq!(r.adp.excess, 3_180.0);
}

#[test]
fn the_acp_tests_the_match_against_testing_pay() {
    // HCE match 6 % and 2 %: h = 400; NHCEs 3 % and 2 %: b = 250, limit 450: passes.
    let rows = [
        person(true, 100_000.0, 0.0, 6_000.0),
        person(true, 100_000.0, 0.0, 2_000.0),
        person(false, 50_000.0, 0.0, 1_500.0),
        person(false, 50_000.0, 0.0, 1_000.0),
    ];
    let r = results(&rows, &Rules::default(), None);
    assert_eq!(
        (r.acp.hce, r.acp.nhce, r.acp.limit),
        (Some(0.04), Some(0.025), Some(0.045))
    );
    assert_eq!((r.acp.pass, r.acp.excess), (Some(true), 0.0));
    // with NHCEs at 1 % and 2 % (b = 150, limit max(1.875 %, min(3 %, 3.5 %)) = 3 %) it fails.
    // Capped at L >= 200 the HCE average is (L + 200) / 2: L = 400 gives 300 and passes, 401
    // gives 300.5 → 301. The excess is 6,000 - 4 % of 100,000 = 2,000 (the 2 % HCE is below).
    let mut rows = rows;
    rows[2].money.employer_match = 500.0;
    let r = results(&rows, &Rules::default(), None);
    assert_eq!((r.acp.nhce, r.acp.limit), (Some(0.015), Some(0.03)));
    assert_eq!((r.acp.pass, r.acp.excess), (Some(false), 2_000.0));
}

#[test]
fn the_prior_year_method_tests_against_last_years_nhces() {
    let rules = Rules {
        testing_method: TestingMethod::Prior,
        ..Rules::default()
    };
    // first simulated year: b = 3 % (limit max(3.75, min(6, 5)) = 5 %); h = 4.5 % passes
    let first = results(&forum_example(), &rules, None);
    assert_eq!(first.adp.nhce, Some(0.03));
    assert_eq!(first.adp.limit, Some(0.05));
    assert_eq!((first.adp.pass, first.adp.excess), (Some(true), 0.0));
    // the next year tests against this year's own NHCE average, 1.85 %, not the 3 % it used
    let prior = first.nhce_averages();
    assert_eq!(prior, NhceAverages([Some(185), Some(0)]));
    let second = results(&forum_example(), &rules, Some(prior));
    assert_eq!(second.adp.nhce, Some(0.0185));
    assert_eq!((second.adp.pass, second.adp.excess), (Some(false), 3_180.0));
    // a first-year rate of 0 makes b = 0 and the limit 0
    let zero = Rules {
        first_year_nhce_adp: crate::config::values::Fraction::try_from(0.0).unwrap(),
        ..rules.clone()
    };
    let r = results(&forum_example(), &zero, None);
    assert_eq!((r.adp.limit, r.adp.pass), (Some(0.0), Some(false)));
    // no NHCE last year: b is null, the test is n/a
    let r = results(&forum_example(), &rules, Some(NhceAverages([None, None])));
    assert_eq!(
        (r.adp.nhce, r.adp.limit, r.adp.pass, r.adp.excess),
        (None, None, None, 0.0)
    );
}

#[test]
fn safe_harbor_passes_whatever_the_figures() {
    let adp_only = Rules {
        safe_harbor: SafeHarbor::Adp,
        ..Rules::default()
    };
    let mut rows = forum_example();
    rows[1].money.employer_match = 14_000.0; // an ACP that fails
    let r = results(&rows, &adp_only, None);
    assert_eq!(
        (r.adp.pass, r.adp.excess, r.adp.safe_harbor),
        (Some(true), 0.0, true)
    );
    assert_eq!(r.adp.hce, Some(0.045), "the figures are still written");
    assert_eq!((r.acp.pass, r.acp.safe_harbor), (Some(false), false));
    assert!(r.acp.excess > 0.0);
    let both = Rules {
        safe_harbor: SafeHarbor::AdpAcp,
        ..Rules::default()
    };
    let r = results(&rows, &both, None);
    assert_eq!((r.acp.pass, r.acp.excess), (Some(true), 0.0));
    // n/a becomes a pass too
    let r = results(&rows[4..], &both, None);
    assert_eq!((r.adp.hce, r.adp.pass), (None, Some(true)));
}

#[test]
fn without_hces_or_nhces_the_tests_do_not_apply() {
    let rows = forum_example();
    let r = results(&rows[4..], &Rules::default(), None);
    assert_eq!(
        (r.adp.n_hce, r.adp.hce, r.adp.nhce),
        (0, None, Some(0.0185))
    );
    assert_eq!((r.adp.pass, r.adp.excess), (None, 0.0));
    let r = results(&rows[..4], &Rules::default(), None);
    assert_eq!((r.adp.nhce, r.adp.limit, r.adp.pass), (None, None, None));
    assert_eq!(r.hce_count, 4);
}

#[test]
fn the_population_is_the_eligible_with_testing_pay() {
    let mut rows = forum_example();
    // an eligible NHCE who does not defer counts with a ratio of 0: b = 370 / 3 → 123
    rows.push(person(false, 40_000.0, 0.0, 0.0));
    // not eligible, or no testing pay: left out
    let mut out = person(false, 40_000.0, 0.0, 0.0);
    out.eligibility_date = None;
    rows.push(out);
    let mut no_pay = person(false, 0.0, 0.0, 0.0);
    no_pay.money.testing_pay = 0.0;
    rows.push(no_pay);
    let r = results(&rows, &Rules::default(), None);
    assert_eq!((r.adp.n_nhce, r.adp.nhce), (3, Some(0.0123)));
}

#[test]
fn coverage_leaves_out_the_under_21s_and_the_first_year_of_service() {
    let mut rows = forum_example();
    // one non-excludable NHCE not eligible: 2 of 3 NHCEs benefit, 4 of 4 HCEs
    let mut not_eligible = person(false, 40_000.0, 0.0, 0.0);
    not_eligible.eligibility_date = None;
    rows.push(not_eligible.clone());
    // excludable: under 21, or under a year of service, eligible or not
    let mut young = not_eligible.clone();
    young.age = 20;
    rows.push(young);
    let mut new = not_eligible;
    new.tenure = 0;
    rows.push(new);
    let r = results(&rows, &Rules::default(), None);
    let c = r.coverage;
    assert_eq!(
        (c.n_hce, c.n_nhce, c.benefiting_hce, c.benefiting_nhce),
        (4, 3, 4, 2)
    );
    // (2 / 3) / (4 / 4) = 0.667 >= 0.70? no: 100 * 2 * 4 = 800 < 70 * 3 * 4 = 840
    assert_eq!(c.ratio, Some(2.0 / 3.0));
    assert!(!c.pass);
    // no HCE: the ratio is null and the test passes
    let r = results(&rows[4..], &Rules::default(), None);
    assert_eq!((r.coverage.ratio, r.coverage.pass), (None, true));
}

#[test]
fn top_heavy_is_the_key_employees_share_of_all_balances() {
    let mut rows = forum_example();
    for (r, (own, employer)) in rows.iter_mut().zip([
        (300_000.0, 100_000.0),
        (50_000.0, 20_000.0),
        (0.0, 0.0),
        (10_000.0, 0.0),
        (120_000.0, 30_000.0),
        (70_000.0, 0.0),
    ]) {
        r.money.employee_balance = own;
        r.money.employer_balance = employer;
    }
    rows[0].is_key_employee = true;
    rows[4].is_key_employee = true; // a key employee need not be an HCE
                                    // (400,000 + 150,000) / 700,000
    let r = results(&rows, &Rules::default(), None);
    assert_eq!(r.key_count, 2);
    assert_eq!(r.top_heavy.ratio, Some(550_000.0 / 700_000.0));
    assert!(r.top_heavy.top_heavy);
    // exactly 60 % is not top-heavy: 600,000 of 1,000,000
    for r in rows.iter_mut() {
        r.money.employee_balance = 0.0;
        r.money.employer_balance = 0.0;
    }
    rows[0].money.employee_balance = 500_000.0;
    rows[0].money.employer_balance = 100_000.0;
    rows[4].is_key_employee = false;
    rows[4].money.employee_balance = 300_000.0;
    rows[4].money.employer_balance = 100_000.0;
    let r = results(&rows, &Rules::default(), None);
    assert_eq!(
        (r.top_heavy.ratio, r.top_heavy.top_heavy),
        (Some(0.6), false)
    );
    // no balances at all: null, not top-heavy
    let r = results(&forum_example(), &Rules::default(), None);
    assert_eq!((r.top_heavy.ratio, r.top_heavy.top_heavy), (None, false));
}

#[test]
fn parts_merge_to_the_whole_in_any_order() {
    let rows = forum_example();
    let mut whole = Tally::default();
    whole.add_rows(YEAR, &rows);
    let mut parts = Tally::default();
    for chunk in rows.rchunks(2) {
        let mut t = Tally::default();
        t.add_rows(YEAR, chunk);
        parts.merge(t);
    }
    let rules = Rules::default();
    assert_eq!(parts.finish(&rules, None), whole.finish(&rules, None));
}

#[test]
fn the_limit_is_the_larger_of_the_two_rules() {
    // b = 2 %: 2.5 % or min(4 %, 4 %) → 4 %; b = 10 %: 12.5 % or min(20 %, 12 %) → 12.5 %
    assert_eq!(limit(200), 0.04);
    assert_eq!(limit(1000), 0.125);
    // 1.25 × 8 % = 10 % exactly, and 10.01 % fails
    assert!(pass(1000, 800) && !pass(1001, 800));
    // b = 1 %: 2 × 1 % = 2 % passes, 2.01 % fails
    assert!(pass(200, 100) && !pass(201, 100));
}
