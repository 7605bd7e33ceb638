//! The rules of spec §4 one by one, on hand-built employees, including the boundary cases.

mod common;

use common::{d, employee, enrolled, model};
use wfsim::engine::context::YearContext;
use wfsim::engine::employee::{Termination, TerminationKind};
use wfsim::engine::{hiring, new_hire, new_hire_termination, termination, timeline};
use wfsim::event::EnrollmentMethod;
use wfsim::event::{Category, Drawn, Event, EventType};
use wfsim::numerics::{round_bp, round_cents};
use wfsim::rng::{Rng, Stream};

/// A config where nothing random fires unless a test turns it on.
const QUIET: &str = "
workforce: {total_termination_rate: 0.0}
promotion: {base_rate: 0.0}
enrollment:
  voluntary: {voluntary_enrollment_rate: 0.0}
  conversion: {base_by_age: [0, 0, 0, 0]}
  auto_enrollment: {enabled: false}
deferral_auto_escalation: {enabled: false}
";

fn run_year(
    m: &wfsim::config::Model,
    year: i32,
    e: &mut wfsim::engine::employee::Employee,
) -> (Vec<Event>, wfsim::event::SnapshotRow) {
    let rng = Rng::new(m.config.simulation.random_seed);
    let ctx = YearContext::new(m, &rng, year);
    let mut events = Vec::new();
    let row = timeline::run(&ctx, e, 0, &mut events);
    (events, row)
}

fn types(events: &[Event]) -> Vec<EventType> {
    events.iter().map(|e| e.event_type).collect()
}

#[test]
fn experienced_termination_probability_and_draw() {
    let m = model("");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    // Age 30 at Jan 1 2025 (band 25-34: 1.2), tenure 3 (band 2-4: 1.1), level 2 (0.95).
    let e = employee(&m, "EMP_000001", "1994-06-01", "2021-03-01", 2, 90_000.0);
    let p = termination::probability(&ctx, &e.start_of_year(&ctx));
    assert_eq!(p, 0.12 * 1.2 * 1.1 * 0.95);
    let u = rng.draw("EMP_000001", 2025, Stream::Termination);
    assert_eq!(u.0, 0x32bd9c58); // printf '%s' 'EMP_000001|2025|termination|42' | md5sum
    let t = termination::experienced(&ctx, &e);
    assert_eq!(t.is_some(), u.u() < p);
    // u = 0.198 > p = 0.150, so this employee stays.
    assert!(t.is_none());
}

#[test]
fn termination_fires_below_p_and_is_dated_by_its_own_stream() {
    let m = model("workforce: {total_termination_rate: 1.0}");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    let e = employee(&m, "EMP_000001", "1994-06-01", "2021-03-01", 1, 60_000.0);
    let t = termination::experienced(&ctx, &e)
        .expect("p = min(1, 1.0 * 1.2 * 1.1 * 1.0) = 1 always fires");
    assert_eq!(t.decision.probability, Some(1.0));
    // 0xdd2448a0 / 2^32 * 365 = 315.2 -> Jan 1 + 315 days = Nov 12.
    assert_eq!(t.date, d("2025-11-12"));
    assert_eq!(t.kind, TerminationKind::Experienced);
}

#[test]
fn termination_on_the_promotion_date_blocks_the_promotion() {
    let m = model(&format!("{QUIET}\npromotion: {{base_rate: 1.0, level_dampening: 0.0, tenure_multipliers: [1,1,1,1,1], age_multipliers: [1,1,1,1,1,1]}}\n").replace("promotion: {base_rate: 0.0}\n", ""));
    let mut e = employee(&m, "E1", "1980-01-01", "2015-01-01", 2, 100_000.0);
    e.termination = Some(Termination {
        date: d("2025-02-01"),
        kind: TerminationKind::Experienced,
        decision: Drawn {
            probability: Some(0.5),
            draw: 0.1,
        },
    });
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(types(&events), vec![EventType::Termination]);
    assert_eq!(row.level, 2);
    assert_eq!(row.annual_salary, 100_000.0);

    // One day later, the promotion happens first.
    let mut e = employee(&m, "E1", "1980-01-01", "2015-01-01", 2, 100_000.0);
    e.termination = Some(Termination {
        date: d("2025-02-02"),
        kind: TerminationKind::Experienced,
        decision: Drawn {
            probability: Some(0.5),
            draw: 0.1,
        },
    });
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![EventType::Promotion, EventType::Termination]
    );
    assert_eq!(row.level, 3);
}

#[test]
fn promotion_raise_is_capped_and_merit_uses_the_new_level() {
    let m = model(&format!("{QUIET}\npromotion: {{base_rate: 1.0, level_dampening: 0.0, tenure_multipliers: [1,1,1,1,1], age_multipliers: [1,1,1,1,1,1], max_cap_amount: 1000}}\n").replace("promotion: {base_rate: 0.0}\n", ""));
    let mut e = employee(&m, "E1", "1980-01-01", "2015-01-01", 2, 100_000.0);
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(types(&events), vec![EventType::Promotion, EventType::Raise]);
    let promo = &events[0];
    assert_eq!((promo.previous_level(), promo.level), (Some(2), 3));
    // S + max_cap_amount is the smallest of the three candidates.
    assert_eq!(promo.compensation, 101_000.0);
    assert_eq!(promo.date, d("2025-02-01"));
    let raise = &events[1];
    assert_eq!(raise.previous_compensation(), Some(101_000.0));
    assert_eq!(
        raise.compensation,
        round_cents(101_000.0 * (1.0 + (0.035 + 0.02)))
    );
    assert_eq!(raise.date, d("2025-07-15"));
    assert_eq!(row.annual_salary, raise.compensation);
    // Jan 1..Jan 31 at 100k, Feb 1..Jul 14 at 101k, Jul 15..Dec 31 at the merit salary.
    let acc = 0.0 + (100_000.0 * 31.0) / 365.0;
    let acc = acc + (101_000.0 * 164.0) / 365.0;
    let acc = acc + (raise.compensation * 170.0) / 365.0;
    assert_eq!(row.prorated_compensation, round_cents(acc));
}

#[test]
fn promotion_eligibility_limits() {
    let m = model(&format!("{QUIET}\npromotion: {{base_rate: 1.0, level_dampening: 0.0, tenure_multipliers: [1,1,1,1,1], age_multipliers: [1,1,1,1,1,1]}}\n").replace("promotion: {base_rate: 0.0}\n", ""));
    for (birth, hire, level) in [
        ("1980-01-01", "2015-01-01", 5),
        ("1980-01-01", "2024-06-01", 2),
        ("1959-06-01", "2015-01-01", 2),
    ] {
        let mut e = employee(&m, "E1", birth, hire, level, 100_000.0);
        let (events, _) = run_year(&m, 2025, &mut e);
        assert!(
            !types(&events).contains(&EventType::Promotion),
            "{birth} {hire} level {level}"
        );
    }
}

#[test]
fn merit_needs_a_year_of_tenure_and_activity_on_the_date() {
    let m = model(QUIET);
    let mut short = employee(&m, "E1", "1980-01-01", "2024-01-02", 1, 60_000.0);
    assert!(run_year(&m, 2025, &mut short).0.is_empty());
    let mut left = employee(&m, "E2", "1980-01-01", "2020-01-01", 1, 60_000.0);
    left.termination = Some(Termination {
        date: d("2025-07-15"),
        kind: TerminationKind::ReductionInForce,
        decision: Drawn {
            probability: None,
            draw: 0.3,
        },
    });
    let (events, row) = run_year(&m, 2025, &mut left);
    assert_eq!(types(&events), vec![EventType::Termination]);
    assert_eq!(events[0].category, Category::ReductionInForce);
    assert_eq!(events[0].probability(), None);
    // Employed Jan 1..Jul 15 inclusive: 196 days.
    assert_eq!(
        row.prorated_compensation,
        round_cents((60_000.0 * 196.0) / 365.0)
    );
}

#[test]
fn feb29_birthday_reaches_eligibility_on_mar1() {
    let m = model(QUIET);
    // Born Feb 29 2004: 21 on Mar 1 2025 (a common year).
    let mut e = employee(&m, "E1", "2004-02-29", "2022-06-01", 1, 60_000.0);
    assert_eq!(e.eligibility_rule_date, d("2025-03-01"));
    assert!(!e.is_eligible());
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![EventType::Eligibility, EventType::Raise]
    );
    assert_eq!(events[0].date, d("2025-03-01"));
    assert_eq!(events[0].age, 21);
    assert_eq!(row.eligibility_date, Some(d("2025-03-01")));
    assert_eq!(row.age, 21);
}

#[test]
fn plan_ineligible_employees_never_become_eligible() {
    let m = model(QUIET);
    let mut e = employee(&m, "E1", "2004-02-29", "2022-06-01", 1, 60_000.0);
    e.plan_ineligible = true;
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(types(&events), vec![EventType::Raise]);
    assert!(!row.plan_eligible && row.eligibility_date.is_none());
}

#[test]
fn auto_enrollment_date_falls_into_next_year() {
    let m = model(&format!("{QUIET}\nenrollment:\n  voluntary: {{voluntary_enrollment_rate: 0.0}}\n  conversion: {{base_by_age: [0, 0, 0, 0]}}\n  auto_enrollment: {{opt_out_rates: [[0,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]]}}\n").replace("enrollment:\n  voluntary: {voluntary_enrollment_rate: 0.0}\n  conversion: {base_by_age: [0, 0, 0, 0]}\n  auto_enrollment: {enabled: false}\n", ""));
    // A hire of 2025 who turns 21 on Dec 20 2025: AE date Dec 20 + 45 = Feb 3 2026.
    let mut e = employee(
        &m,
        "NH_2025_000001",
        "2004-12-20",
        "2025-03-01",
        1,
        60_000.0,
    );
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![EventType::Hire, EventType::Eligibility]
    );
    assert!(row.plan_eligible && !row.is_enrolled);
    let (events, row) = run_year(&m, 2026, &mut e);
    assert_eq!(
        types(&events),
        vec![EventType::Enrollment],
        "no merit: tenure 0 at Jan 1 2026"
    );
    assert_eq!(events[0].date, d("2026-02-03"));
    assert_eq!(events[0].category, Category::AutoEnrollment);
    assert_eq!(
        (events[0].previous_deferral_rate(), events[0].deferral_rate),
        (Some(0.0), 0.06)
    );
    assert_eq!(row.enrollment_method, Some(EnrollmentMethod::Auto));
    assert_eq!(row.enrollment_date, Some(d("2026-02-03")));
}

#[test]
fn opt_out_follows_auto_enrollment_within_grace_period() {
    let base = QUIET.replace(
        "  auto_enrollment: {enabled: false}\n",
        "  auto_enrollment: {opt_out_rates: [[1,1,1,1],[1,1,1,1],[1,1,1,1],[1,1,1,1]]}\n",
    );
    let m = model(&base);
    let mut e = employee(
        &m,
        "NH_2025_000007",
        "1990-01-01",
        "2025-03-01",
        1,
        60_000.0,
    );
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![
            EventType::Hire,
            EventType::Eligibility,
            EventType::Enrollment,
            EventType::OptOut
        ]
    );
    let (ae, out) = (&events[2], &events[3]);
    assert_eq!(ae.date, d("2025-04-15"));
    assert!(out.date >= ae.date && out.date < ae.date.add_days(30));
    assert_eq!(
        (
            out.probability(),
            out.deferral_rate,
            out.previous_deferral_rate()
        ),
        (Some(1.0), 0.0, Some(0.06))
    );
    assert!(
        !row.is_enrolled
            && row.ever_opted_out
            && row.enrollment_date.is_none()
            && row.enrollment_method.is_none()
    );
    assert_eq!(row.deferral_rate, 0.0);
    // Never auto-enrolled again, and conversion skips those who opted out.
    let m2 = model(&base.replace("conversion: {base_by_age: [0, 0, 0, 0]}", "conversion: {base_by_age: [1, 1, 1, 1], income_multipliers: [1,1,1,1], tenure_multipliers: [1,1,1]}"));
    let (events, _) = run_year(&m2, 2026, &mut e);
    assert!(!types(&events).contains(&EventType::Enrollment));
}

#[test]
fn voluntary_enrollment_of_the_newly_eligible_beats_auto_enrollment() {
    let m = model(
        &QUIET
            .replace(
                "voluntary_enrollment_rate: 0.0",
                "voluntary_enrollment_rate: 100.0",
            )
            .replace("  auto_enrollment: {enabled: false}\n", ""),
    );
    let mut e = employee(
        &m,
        "NH_2025_000002",
        "1970-01-01",
        "2025-05-10",
        1,
        60_000.0,
    );
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![
            EventType::Hire,
            EventType::Eligibility,
            EventType::Enrollment
        ]
    );
    let v = &events[2];
    assert_eq!(v.category, Category::VoluntaryEnrollment);
    assert_eq!(v.probability(), Some(1.0));
    assert!(v.date >= d("2025-05-10") && v.date < d("2025-06-24"));
    // Age group 46-55 at Jan 1 (54), moderate income: 0.08 clamped to [0.01, 0.10].
    assert_eq!(v.deferral_rate, 0.08);
    assert_eq!(row.enrollment_method, Some(EnrollmentMethod::Voluntary));
}

#[test]
fn conversion_enrolls_eligible_non_participants_but_not_in_their_auto_enrollment_year() {
    let conv = QUIET.replace("conversion: {base_by_age: [0, 0, 0, 0]}", "conversion: {base_by_age: [1, 1, 1, 1], income_multipliers: [1,1,1,1], tenure_multipliers: [1,1,1]}");
    let m = model(&conv);
    let mut e = employee(&m, "E1", "1980-01-01", "2010-01-01", 1, 60_000.0);
    assert!(e.is_eligible());
    let (events, row) = run_year(&m, 2025, &mut e);
    let enr: Vec<_> = events
        .iter()
        .filter(|e| e.event_type == EventType::Enrollment)
        .collect();
    assert_eq!(enr.len(), 1);
    assert_eq!(
        (enr[0].category, enr[0].deferral_rate),
        (Category::VoluntaryEnrollment, 0.04)
    );
    assert!(row.is_enrolled);

    // With auto-enrollment of all eligible, 2025 holds this employee's AE date (Feb 15): no conversion draw.
    let m = model(&conv.replace("auto_enrollment: {enabled: false}", "auto_enrollment: {scope: all_eligible, opt_out_rates: [[0,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]]}"));
    let mut e = employee(&m, "E1", "1980-01-01", "2010-01-01", 1, 60_000.0);
    let (events, _) = run_year(&m, 2025, &mut e);
    let enr: Vec<_> = events
        .iter()
        .filter(|e| e.event_type == EventType::Enrollment)
        .collect();
    assert_eq!(enr.len(), 1);
    assert_eq!(
        (enr[0].category, enr[0].date),
        (Category::AutoEnrollment, d("2025-02-15"))
    );
}

#[test]
fn escalation_stops_at_the_cap() {
    let m = model(&QUIET.replace(
        "deferral_auto_escalation: {enabled: false}",
        "deferral_auto_escalation: {enabled: true}",
    ));
    let mut e = enrolled(
        employee(&m, "E1", "1980-01-01", "2010-01-01", 1, 60_000.0),
        "2024-12-31",
        EnrollmentMethod::Census,
        0.095,
    );
    let (events, row) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![EventType::DeferralEscalation, EventType::Raise]
    );
    assert_eq!(
        (events[0].previous_deferral_rate(), events[0].deferral_rate),
        (Some(0.095), 0.10)
    );
    assert_eq!(events[0].date, d("2025-01-01"));
    assert_eq!(row.escalations_received, 1);
    let (events, row) = run_year(&m, 2026, &mut e);
    assert_eq!(types(&events), vec![EventType::Raise]);
    assert_eq!((row.deferral_rate, row.escalations_received), (0.10, 1));
}

/// Spec v1.4 §4.8 step 6 by hand, with a 25 %-of-12 % stretch match (M = 12 %): a census
/// participant at 3 % moves to 12 % on Jan 1 of the first year (p = q_e and u logged), before
/// that day's escalation, which then finds 12 % at or above its 10 % cap; a participant at 15 %
/// and a non-participant stay; the year after nothing happens; with q_e = 0.5 the move follows
/// u(id, 2025, "match_response") < 0.5.
#[test]
fn existing_participants_move_to_the_full_match_rate_on_the_first_jan_1() {
    let yaml = |q: f64| {
        QUIET.replace(
            "deferral_auto_escalation: {enabled: false}",
            "deferral_auto_escalation: {enabled: true}\n\
             employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}\n\
             simulation: {start_year: 2025, end_year: 2026}",
        )
        .replace(
            "  auto_enrollment: {enabled: false}",
            &format!("  auto_enrollment: {{enabled: false}}\n  match_response: {{existing_participants: {q}}}"),
        )
    };
    let m = model(&yaml(1.0));
    let saver = |id: &str, rate: f64| {
        enrolled(
            employee(&m, id, "1980-01-01", "2010-01-01", 1, 60_000.0),
            "2020-06-01",
            EnrollmentMethod::Census,
            rate,
        )
    };
    let mut low = saver("E1", 0.03);
    let (events, row) = run_year(&m, 2025, &mut low);
    assert_eq!(
        types(&events),
        vec![EventType::DeferralChange, EventType::Raise]
    );
    let change = &events[0];
    assert_eq!(change.category, Category::MatchResponse);
    assert_eq!(change.date, d("2025-01-01"));
    assert_eq!(
        (change.previous_deferral_rate(), change.deferral_rate),
        (Some(0.03), 0.12)
    );
    let u = Rng::new(m.config.simulation.random_seed).draw("E1", 2025, Stream::MatchResponse);
    assert_eq!(
        change.decision,
        Some(Drawn {
            probability: Some(1.0),
            draw: u.u()
        })
    );
    assert_eq!((row.deferral_rate, row.escalations_received), (0.12, 0));
    let (events, _) = run_year(&m, 2026, &mut low);
    assert_eq!(
        types(&events),
        vec![EventType::Raise],
        "only in the first year"
    );
    let mut high = saver("E2", 0.15);
    assert_eq!(
        types(&run_year(&m, 2025, &mut high).0),
        vec![EventType::Raise]
    );
    let mut none = employee(&m, "E3", "1980-01-01", "2010-01-01", 1, 60_000.0);
    assert_eq!(
        types(&run_year(&m, 2025, &mut none).0),
        vec![EventType::Raise]
    );

    // q_e = 0.5: exactly the savers whose draw falls below it move
    let m = model(&yaml(0.5));
    let rng = Rng::new(m.config.simulation.random_seed);
    let (mut moved, mut stayed) = (0, 0);
    for i in 0..200 {
        let id = format!("E{i:04}");
        let mut e = enrolled(
            employee(&m, &id, "1980-01-01", "2010-01-01", 1, 60_000.0),
            "2020-06-01",
            EnrollmentMethod::Census,
            0.04,
        );
        let (events, _) = run_year(&m, 2025, &mut e);
        let changed = types(&events).contains(&EventType::DeferralChange);
        assert_eq!(
            changed,
            rng.draw(&id, 2025, Stream::MatchResponse).u() < 0.5,
            "{id}"
        );
        // who stayed below the full-match rate stays there: step 6 is the first year's only
        let (events, _) = run_year(&m, 2026, &mut e);
        assert!(
            !types(&events).contains(&EventType::DeferralChange),
            "{id} in 2026"
        );
        if changed {
            moved += 1
        } else {
            stayed += 1
        }
    }
    assert!(moved > 60 && stayed > 60, "{moved} moved, {stayed} stayed");
}

#[test]
fn escalation_waits_for_the_delay_and_respects_scope_and_opt_out() {
    let m = model(&QUIET.replace(
        "deferral_auto_escalation: {enabled: false}",
        "deferral_auto_escalation: {enabled: true, applies_to: auto_enrolled}",
    ));
    let mut census = enrolled(
        employee(&m, "E1", "1980-01-01", "2010-01-01", 1, 60_000.0),
        "2024-12-31",
        EnrollmentMethod::Census,
        0.06,
    );
    assert!(!types(&run_year(&m, 2025, &mut census).0).contains(&EventType::DeferralEscalation));
    let mut auto = enrolled(
        employee(&m, "E2", "1980-01-01", "2010-01-01", 1, 60_000.0),
        "2025-03-01",
        EnrollmentMethod::Auto,
        0.06,
    );
    assert!(
        !types(&run_year(&m, 2025, &mut auto).0).contains(&EventType::DeferralEscalation),
        "enrolled this year"
    );
    let (events, _) = run_year(&m, 2026, &mut auto);
    let esc = events
        .iter()
        .find(|e| e.event_type == EventType::DeferralEscalation)
        .expect("escalates a year later");
    assert_eq!(esc.deferral_rate, round_bp(0.06 + 0.01));
    assert_eq!(esc.deferral_rate, 0.07);
    let mut opted = enrolled(
        employee(&m, "E3", "1980-01-01", "2010-01-01", 1, 60_000.0),
        "2023-03-01",
        EnrollmentMethod::Auto,
        0.06,
    );
    opted.auto_escalation_opt_out = true;
    assert!(!types(&run_year(&m, 2025, &mut opted).0).contains(&EventType::DeferralEscalation));
}

#[test]
fn same_date_events_follow_the_spec_order() {
    // Escalation and auto-enrollment both on Jan 1, with no delay: enrollment comes first.
    let m = model(&QUIET.replace("deferral_auto_escalation: {enabled: false}", "deferral_auto_escalation: {enabled: true, first_escalation_delay_years: 0}").replace("  auto_enrollment: {enabled: false}\n", "  auto_enrollment: {window_days: 0, opt_out_rates: [[0,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]]}\n"));
    let mut e = employee(
        &m,
        "NH_2025_000003",
        "1990-01-01",
        "2025-01-01",
        1,
        60_000.0,
    );
    let (events, _) = run_year(&m, 2025, &mut e);
    assert_eq!(
        types(&events),
        vec![
            EventType::Hire,
            EventType::Eligibility,
            EventType::Enrollment,
            EventType::DeferralEscalation
        ]
    );
    assert!(events.iter().all(|e| e.date == d("2025-01-01")));
    assert_eq!(
        events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(events[3].deferral_rate, 0.07);
}

#[test]
fn dec31_hires_cannot_be_new_hire_terminations() {
    let m = model("");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    let mut hires = vec![
        common::employee(
            &m,
            "NH_2025_000001",
            "1990-01-01",
            "2025-12-31",
            1,
            60_000.0,
        ),
        common::employee(
            &m,
            "NH_2025_000002",
            "1990-01-01",
            "2025-12-30",
            1,
            60_000.0,
        ),
    ];
    new_hire_termination::select(&ctx, &mut hires, 1).unwrap();
    assert!(hires[0].termination.is_none());
    let t = hires[1].termination.expect("the only candidate");
    // hire_date + 1 + day_offset(u, Dec31 - hire_date = 1) = Dec 31.
    assert_eq!(
        (t.date, t.kind),
        (d("2025-12-31"), TerminationKind::NewHire)
    );
    let err = new_hire_termination::select(&ctx, &mut hires, 2).unwrap_err();
    assert!(err.to_string().contains("only 1 hires"), "{err}");
}

#[test]
fn new_hire_terminations_take_the_smallest_draws() {
    let m = model("");
    let rng = Rng::new(7);
    let ctx = YearContext::new(&m, &rng, 2026);
    let mut hires: Vec<_> = (1..=50)
        .map(|k| {
            common::employee(
                &m,
                &new_hire::hire_id(2026, k),
                "1990-01-01",
                "2026-03-01",
                1,
                60_000.0,
            )
        })
        .collect();
    new_hire_termination::select(&ctx, &mut hires, 10).unwrap();
    let mut draws: Vec<(u32, String)> = hires
        .iter()
        .map(|h| {
            (
                rng.draw(&h.id, 2026, Stream::NhTermination).0,
                h.id.to_string(),
            )
        })
        .collect();
    draws.sort();
    let chosen: Vec<String> = draws[..10].iter().map(|x| x.1.clone()).collect();
    for h in &hires {
        assert_eq!(
            h.termination.is_some(),
            chosen.contains(&h.id.to_string()),
            "{}",
            h.id
        );
        if let Some(t) = h.termination {
            assert!(t.date > h.hire_date && t.date <= d("2026-12-31"));
        }
    }
}

#[test]
fn reduction_in_force_takes_the_smallest_rif_draws_among_survivors() {
    let m = model("simulation: {target_growth_rate: -0.2}");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    let mut wf: Vec<_> = (0..40)
        .map(|i| {
            common::employee(
                &m,
                &format!("E{i:03}"),
                "1980-01-01",
                "2010-01-01",
                1,
                60_000.0,
            )
        })
        .collect();
    wf[0].termination = Some(Termination {
        date: d("2025-05-05"),
        kind: TerminationKind::Experienced,
        decision: Drawn {
            probability: Some(0.1),
            draw: 0.05,
        },
    });
    let plan = hiring::plan(2025, 40, 1, -0.2, 0.25).unwrap();
    assert_eq!(
        (plan.target, plan.reduction_in_force, plan.hires),
        (32, 7, 0)
    );
    termination::reduction_in_force(&ctx, &mut wf, 7);
    let mut draws: Vec<(u32, String)> = wf[1..]
        .iter()
        .map(|e| (rng.draw(&e.id, 2025, Stream::Rif).0, e.id.to_string()))
        .collect();
    draws.sort();
    for e in &wf[1..] {
        let chosen = draws[..7].iter().any(|x| x.1 == *e.id);
        assert_eq!(
            e.termination.map(|t| t.kind) == Some(TerminationKind::ReductionInForce),
            chosen,
            "{}",
            e.id
        );
    }
    assert_eq!(
        wf[0].termination.unwrap().kind,
        TerminationKind::Experienced
    );
}

#[test]
fn hire_levels_follow_start_of_year_headcount() {
    let m = model("");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    // Headcount 5/3/2/0/0: 10 hires split 5/3/2.
    let split = new_hire::LevelSplit::new(&ctx, [1, 1, 1, 1, 1, 2, 2, 2, 3, 3].into_iter());
    let levels: Vec<u8> = (1..=10).map(|k| split.level_of(k, 10)).collect();
    assert_eq!(levels, vec![1, 1, 1, 1, 1, 2, 2, 2, 3, 3]);
    // 4 hires: (2k-1)*10 <= 8*C_l -> k=1: 10<=40 l1; k=2: 30<=40 l1; k=3: 50<=64 l2; k=4: 70<=80 l3.
    let levels: Vec<u8> = (1..=4).map(|k| split.level_of(k, 4)).collect();
    assert_eq!(levels, vec![1, 1, 2, 3]);
}

#[test]
fn fixed_level_shares_split_hires() {
    let m = model("new_hire: {level_shares: [0.5, 0.5, 0, 0, 0]}");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    let split = new_hire::LevelSplit::new(&ctx, std::iter::empty());
    assert_eq!(
        (1..=4).map(|k| split.level_of(k, 4)).collect::<Vec<_>>(),
        vec![1, 1, 2, 2]
    );
}

#[test]
fn new_hire_attributes_follow_their_streams() {
    let m = model("eligibility: {new_hire_ineligible_pct: 0.5}");
    let rng = Rng::new(42);
    let ctx = YearContext::new(&m, &rng, 2025);
    let h = new_hire::hire(&ctx, 17, 2);
    assert_eq!(&*h.id, "NH_2025_000017");
    let u = |s: Stream| rng.draw("NH_2025_000017", 2025, s);
    assert_eq!(
        h.hire_date,
        d("2025-01-01").add_days(u(Stream::HireDate).day_offset(365))
    );
    let age = m.config.new_hire.age_distribution[m.hire_ages.pick(u(Stream::HireAge))]
        .age
        .get();
    assert_eq!(
        h.birth_date,
        wfsim::date::Date::from_ymd(2025 - age, 7, 1).unwrap()
    );
    let expected = round_cents(
        (81_000.0 + (120_000.0 - 81_000.0) * 0.30)
            * (1.0 - 0.09 + 2.0 * 0.09 * u(Stream::HireSalary).u()),
    );
    assert_eq!(h.salary, expected);
    assert_eq!(h.plan_ineligible, u(Stream::HireIneligible).u() < 0.5);
    assert_eq!(h.level, 2);
}

/// Spec §4.8 step 3: the opt-out probability moves with the default rate when the sensitivity
/// is not 0: p = min(1, max(0, p_opt * (1 + sens * ((default - ref) * 100)))).
#[test]
fn opt_out_probability_follows_the_default_rate_with_a_sensitivity() {
    let p = |default: f64, sens: f64| {
        let m = model(&QUIET.replace(
            "  auto_enrollment: {enabled: false}\n",
            &format!("  auto_enrollment: {{default_deferral_rate: {default}, opt_out_default_sensitivity: {sens}, opt_out_rates: [[0.4,0.4,0.4,0.4],[0.4,0.4,0.4,0.4],[0.4,0.4,0.4,0.4],[0.4,0.4,0.4,0.4]]}}\n"),
        ));
        let e = employee(
            &m,
            "NH_2025_000007",
            "1990-01-01",
            "2025-03-01",
            1,
            60_000.0,
        );
        let rng = Rng::new(42);
        let ctx = YearContext::new(&m, &rng, 2025);
        wfsim::engine::enrollment::opt_out_probability(&ctx, &e.start_of_year(&ctx))
    };
    // sensitivity 0: the table's 0.4 whatever the default
    for default in [0.02, 0.06, 0.10] {
        assert_eq!(p(default, 0.0), 0.4, "{default}");
    }
    // 0.5 per point: 8 % is 2 points above 6 % (x 2, p = 0.8); 10 % is capped at 1; 4 % gives
    // 0 (4.4e-17 in floating point: only a draw of exactly 0 is below it) and 2 % would be
    // negative, so 0.
    assert_eq!(p(0.08, 0.5), 0.4 * (1.0 + 0.5 * ((0.08 - 0.06) * 100.0)));
    assert_eq!(p(0.10, 0.5), 1.0);
    assert!(p(0.04, 0.5) < 1e-16);
    assert_eq!(p(0.02, 0.5), 0.0);
}

/// Spec §4.8 step 5: with the match response, voluntary enrollees below the full-match rate
/// defer it instead (even above max_rate); auto-enrollments keep the default.
#[test]
fn match_response_moves_voluntary_enrollees_to_the_full_match_rate() {
    let run = |tiers: &str, q: f64| {
        let yaml = QUIET
            .replace(
                "voluntary_enrollment_rate: 0.0",
                "voluntary_enrollment_rate: 100.0",
            )
            .replace(
                "enrollment:\n",
                &format!("enrollment:\n  match_response: {{probability: {q}}}\n"),
            );
        let m = model(&format!("{yaml}employer_match: {{tiers: {tiers}}}\n"));
        let mut e = employee(
            &m,
            "NH_2025_000002",
            "1970-01-01",
            "2025-05-10",
            1,
            60_000.0,
        );
        let (events, _) = run_year(&m, 2025, &mut e);
        events
            .iter()
            .find(|e| e.event_type == EventType::Enrollment)
            .map(|e| (e.deferral_rate, e.probability()))
            .unwrap()
    };
    let default = "[{from: 0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]";
    let stretch = "[{from: 0, to: 0.12, rate: 0.25}]";
    // The table's 8 % is above the default match's 5 % cap: nothing to move.
    assert_eq!(run(default, 1.0).0, 0.08);
    // A stretch match to 12 %: q = 1 moves the enrollee to 12 %, above max_rate 10 %; the
    // logged probability stays the enrollment decision's.
    assert_eq!(run(stretch, 1.0), (0.12, Some(1.0)));
    // q = 0, or q not above the draw, leaves the rate.
    assert_eq!(run(stretch, 0.0).0, 0.08);
    let u = Rng::new(42)
        .draw("NH_2025_000002", 2025, Stream::MatchResponse)
        .u();
    assert_eq!(run(stretch, u).0, 0.08);
    assert_eq!(run(stretch, (u + 1e-9).min(1.0)).0, 0.12);
    // A tier that pays nothing does not count: the full-match rate is the largest paying `to`.
    let zero_top = "[{from: 0, to: 0.04, rate: 1.0}, {from: 0.04, to: 0.2, rate: 0.0}]";
    assert_eq!(run(zero_top, 1.0).0, 0.08);
}
