//! Invariants of the yearly algorithm over many seeds and config variants (spec §4).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use wfsim::census::synthetic;
use wfsim::config::Model;
use wfsim::date::Date;
use wfsim::engine::Engine;
use wfsim::event::{Category, EventType, SnapshotRow};

fn census(seed: u64) -> Vec<wfsim::census::CensusRow> {
    census_of(2_000, seed)
}

/// The active rows of a synthetic census of `employees` rows.
fn census_of(employees: usize, seed: u64) -> Vec<wfsim::census::CensusRow> {
    synthetic::generate(
        &common::model(""),
        &synthetic::Spec {
            employees,
            seed,
            census_date: Date::dec31(2024),
        },
    )
    .into_iter()
    .filter(|r| r.termination_date.is_none())
    .collect()
}

/// Runs every year and checks each invariant; returns the total event count.
fn check_run(model: Model, census_seed: u64) -> usize {
    let rows = census(census_seed);
    let (start, end) = (
        model.config.simulation.start_year,
        model.config.simulation.end_year,
    );
    let growth = model.config.simulation.target_growth_rate.get();
    let nhtr = model.config.workforce.new_hire_termination_rate.get();
    let max_rate = model.config.deferral_auto_escalation.maximum_rate.get();
    let limits = model.config.irs_limits.clone();
    let growth_factor = 1.0 + model.config.accounts.annual_return.get();
    let mut balances: BTreeMap<String, [f64; 3]> = rows
        .iter()
        .map(|r| {
            (
                r.employee_id.clone(),
                [
                    r.employee_balance,
                    r.employer_balance - r.core_balance,
                    r.core_balance,
                ],
            )
        })
        .collect();
    // Spec §9 look-back pay and ownership, tracked here independently of the engine.
    let mut lookback: BTreeMap<String, f64> = rows
        .iter()
        .map(|r| {
            (
                r.employee_id.clone(),
                r.prior_year_compensation.unwrap_or(r.annual_salary),
            )
        })
        .collect();
    let owners: BTreeMap<String, f64> = rows
        .iter()
        .map(|r| (r.employee_id.clone(), r.ownership_pct))
        .collect();
    let rules = model.config.ndt.clone();
    let mut prior = None;
    // The metrics-only path of a batch runs alongside and must count exactly what the rows do.
    let mut counting = Engine::new(model.clone(), &rows);
    let mut engine = Engine::new(model, &rows);
    let mut active: BTreeSet<String> = rows.iter().map(|r| r.employee_id.clone()).collect();
    let mut total = 0;
    for year in start..=end {
        let out = engine.step(year).unwrap();
        let c = &out.counts;
        assert_eq!(&counting.step_counts(year).unwrap(), c, "{year}");
        total += out.events.len();

        // Growth identity, and hires / new-hire terminations exactly as §4.2 computes them.
        let n_start = active.len() as i64;
        assert_eq!(c.n_start, n_start);
        assert_eq!(c.target, (n_start as f64 * (1.0 + growth)).round() as i64);
        assert_eq!(
            n_start - c.of(Category::ExperiencedTermination) - c.of(Category::ReductionInForce)
                + c.of(Category::NewHire)
                - c.of(Category::NewHireTermination),
            c.target,
            "{year}"
        );
        assert_eq!(c.n_end, c.target, "{year}");
        let net = c.target - (n_start - c.of(Category::ExperiencedTermination));
        if net > 0 {
            assert_eq!(
                c.of(Category::NewHire),
                (net as f64 / (1.0 - nhtr)).ceil() as i64
            );
            assert_eq!(
                c.of(Category::NewHireTermination),
                c.of(Category::NewHire) - net
            );
            assert_eq!(c.of(Category::ReductionInForce), 0);
        } else {
            assert_eq!(
                (
                    c.of(Category::NewHire),
                    c.of(Category::NewHireTermination),
                    c.of(Category::ReductionInForce)
                ),
                (0, 0, -net)
            );
        }

        // Snapshot continuity: exactly the start-of-year workforce plus this year's hires, sorted.
        let ids: Vec<&str> = out.snapshots.iter().map(|s| &*s.employee_id).collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "snapshot sorted by id, no duplicates"
        );
        let hires: BTreeSet<String> = out
            .events
            .iter()
            .filter(|e| e.event_type == EventType::Hire)
            .map(|e| out.snapshots[e.row as usize].employee_id.to_string())
            .collect();
        let expected: BTreeSet<String> = active.union(&hires).cloned().collect();
        assert_eq!(
            ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
            expected,
            "{year}"
        );
        assert_eq!(hires.len() as i64, c.of(Category::NewHire));

        // Events: sorted by (employee, sequence); sequences 1..k in (date, type) order.
        let mut per_emp: BTreeMap<u32, Vec<&wfsim::event::Event>> = BTreeMap::new();
        for w in out.events.windows(2) {
            assert!((w[0].row, w[0].sequence) < (w[1].row, w[1].sequence));
        }
        for e in &out.events {
            per_emp.entry(e.row).or_default().push(e);
            assert!(
                Date::jan1(year) <= e.date && e.date <= Date::dec31(year),
                "event in its year"
            );
        }
        for (row, evs) in &per_emp {
            let snap = &out.snapshots[*row as usize];
            for (i, e) in evs.iter().enumerate() {
                assert_eq!(e.sequence, i as i32 + 1);
            }
            assert!(
                evs.windows(2)
                    .all(|w| (w[0].date, w[0].event_type) < (w[1].date, w[1].event_type)),
                "{}",
                snap.employee_id
            );
            // Nothing on or after the termination date except the termination, which is last.
            if let Some(t) = snap.termination_date {
                let last = evs.last().unwrap();
                assert_eq!(
                    (last.event_type, last.date),
                    (EventType::Termination, t),
                    "{}",
                    snap.employee_id
                );
                assert!(
                    evs[..evs.len() - 1].iter().all(|e| e.date < t),
                    "{}",
                    snap.employee_id
                );
            } else {
                assert!(evs.iter().all(|e| e.event_type != EventType::Termination));
            }
            for e in evs {
                if e.event_type == EventType::DeferralEscalation {
                    assert!(
                        e.deferral_rate <= max_rate
                            && e.deferral_rate > e.previous_deferral_rate().unwrap()
                    );
                }
                if let (Some(p), Some(u)) = (e.probability(), e.draw()) {
                    assert!(u < p, "a logged decision fired only with u < p");
                }
            }
        }
        for s in &out.snapshots {
            assert!(
                !s.is_enrolled || s.plan_eligible,
                "enrolled implies eligible: {}",
                s.employee_id
            );
            assert!(s.deferral_rate <= 1.0);
            assert_eq!(s.is_enrolled, s.enrollment_date.is_some());
            assert_eq!(s.plan_eligible, s.eligibility_date.is_some());
            if s.is_enrolled && s.enrollment_method != Some(wfsim::event::EnrollmentMethod::Census)
            {
                assert!(s.deferral_rate <= max_rate.max(0.15));
            }
        }
        check_money(
            &out.snapshots,
            &limits.for_year(year),
            growth_factor,
            &mut balances,
        );
        check_ndt(
            year,
            &out,
            &rules,
            &mut prior,
            &limits,
            &owners,
            &mut lookback,
        );
        let terminated: BTreeSet<String> = out
            .snapshots
            .iter()
            .filter(|s| s.termination_date.is_some())
            .map(|s| s.employee_id.to_string())
            .collect();
        active = expected.difference(&terminated).cloned().collect();
        assert_eq!(active.len() as i64, c.n_end);
    }
    total
}

/// Spec §9: HCEs by look-back pay (tracked here from the census and each year's snapshot) or
/// ownership, and the year's results consistent with their own figures.
fn check_ndt(
    year: i32,
    out: &wfsim::year::YearOutput,
    rules: &wfsim::config::Ndt,
    prior: &mut Option<wfsim::ndt::NhceAverages>,
    limits: &wfsim::config::IrsLimits,
    owners: &BTreeMap<String, f64>,
    lookback: &mut BTreeMap<String, f64>,
) {
    let threshold = limits.for_year(year - 1).hce_compensation;
    for s in &out.snapshots {
        let lb = lookback.get(&*s.employee_id).copied().unwrap_or(0.0);
        let own = owners.get(&*s.employee_id).copied().unwrap_or(0.0);
        assert_eq!(
            s.is_hce,
            own > 0.05 || lb > threshold,
            "{year} {}",
            s.employee_id
        );
        if own > 0.05 {
            assert!(s.is_key_employee);
        }
    }
    *lookback = out
        .snapshots
        .iter()
        .map(|s| (s.employee_id.to_string(), s.prorated_compensation))
        .collect();
    let mut c = out.counts.clone();
    c.finish_ndt(rules, prior);
    let r = c.ndt;
    let count = |f: fn(&SnapshotRow) -> bool| out.snapshots.iter().filter(|s| f(s)).count() as i64;
    assert_eq!(r.hce_count, count(|s| s.is_hce));
    assert_eq!(r.key_count, count(|s| s.is_key_employee));
    for t in [r.adp, r.acp] {
        assert_eq!(
            t.n_hce + t.n_nhce,
            count(|s| s.plan_eligible && s.money.testing_pay > 0.0)
        );
        assert!(t.n_hce <= r.hce_count);
        if t.excess > 0.0 {
            assert_eq!(
                t.pass,
                Some(false),
                "{year}: only a failed test has an excess"
            );
        }
        if let (Some(h), Some(l), false) = (t.hce, t.limit, t.safe_harbor) {
            assert_eq!(t.pass, Some(h <= l + 1e-12), "{year}: {h} vs {l}");
        }
    }
    let cov = r.coverage;
    assert!(cov.benefiting_hce <= cov.n_hce && cov.benefiting_nhce <= cov.n_nhce);
    assert!(r.top_heavy.ratio.is_none_or(|x| (0.0..=1.0).contains(&x)));
}

/// Plan money (spec §4.11–4.12): limits hold, and the three accounts carry from year to year
/// exactly, never negative (`balances` holds each employee's employee, match and core account
/// at the end of the last year; `growth` is 1 + the annual return).
fn check_money(
    snapshots: &[wfsim::event::SnapshotRow],
    l: &wfsim::config::Limits,
    growth: f64,
    balances: &mut BTreeMap<String, [f64; 3]>,
) {
    use wfsim::numerics::round_cents;
    for s in snapshots {
        let m = &s.money;
        let who = &*s.employee_id;
        for v in [
            m.eligible_compensation,
            m.elected_deferral,
            m.employee_deferral,
            m.catch_up_deferral,
            m.employer_match,
            m.employer_core,
            m.forfeiture,
            m.employer_balance,
            m.employee_balance,
            m.core_balance,
        ] {
            assert!(v.is_finite() && v >= 0.0, "{who}: {m:?}");
        }
        assert!((0.0..=1.0).contains(&m.vested_fraction), "{who}: {s:?}");
        assert!(
            (0.0..=1.0).contains(&m.core_vested_fraction),
            "{who}: {s:?}"
        );
        assert!(m.core_balance <= m.employer_balance, "{who}: {m:?}");
        assert!(
            m.eligible_compensation <= s.prorated_compensation + 0.015,
            "{who}: {s:?}"
        );
        assert!(
            m.elected_deferral <= s.prorated_compensation + 0.015,
            "{who}"
        );
        assert!(m.employee_deferral <= m.elected_deferral, "{who}");
        assert!(
            m.employee_deferral <= l.elective_deferral + l.catch_up.max(l.catch_up_60_63),
            "{who}: 402(g)"
        );
        assert!(m.catch_up_deferral <= m.employee_deferral, "{who}");
        if m.catch_up_deferral > 0.0 {
            assert!(m.employee_deferral > l.elective_deferral, "{who}");
        }
        let d415 = round_cents(m.employee_deferral - m.catch_up_deferral);
        assert!(
            d415 + m.employer_match + m.employer_core <= l.annual_additions + 0.015,
            "{who}: 415(c) {m:?}"
        );
        if m.eligible_compensation == 0.0 {
            assert_eq!(m.employer_core, 0.0, "{who}");
        }
        let [employee, matched, core] = balances.remove(who).unwrap_or([0.0; 3]);
        assert_eq!(
            m.employee_balance,
            round_cents(employee * growth + m.employee_deferral),
            "{who}"
        );
        let mbal = round_cents(matched * growth + m.employer_match);
        let cbal = round_cents(core * growth + m.employer_core);
        if s.termination_date.is_none() {
            assert_eq!(m.forfeiture, 0.0, "{who}");
            assert_eq!(m.core_balance, cbal, "{who}");
            assert_eq!(m.employer_balance, round_cents(mbal + cbal), "{who}");
            balances.insert(
                who.to_string(),
                [
                    m.employee_balance,
                    round_cents(m.employer_balance - m.core_balance),
                    m.core_balance,
                ],
            );
        } else {
            assert_eq!(
                round_cents(m.employer_balance + m.forfeiture),
                round_cents(mbal + cbal),
                "{who}"
            );
            assert!(m.core_balance <= cbal, "{who}");
        }
    }
}

#[test]
fn invariants_hold_over_twenty_seeds() {
    for seed in 1..=20u64 {
        let m = common::model(&format!("simulation: {{random_seed: {seed}}}"));
        assert!(check_run(m, seed) > 0);
    }
}

#[test]
fn invariants_hold_on_every_branch() {
    let variants = [
        "enrollment: {auto_enrollment: {enabled: false}}",
        "enrollment: {auto_enrollment: {scope: all_eligible}}",
        "deferral_auto_escalation: {enabled: false}",
        "deferral_auto_escalation: {applies_to: auto_enrolled}",
        "simulation: {target_growth_rate: -0.08}",
        "simulation: {target_growth_rate: 0.25}",
        "new_hire: {level_shares: [0.6, 0.25, 0.1, 0.05, 0.0]}",
        "eligibility: {new_hire_ineligible_pct: 0.2, waiting_period_days: 90}",
        "simulation: {start_year: 2025, end_year: 2034}",
        "workforce: {new_hire_termination_rate: 0.0}",
        "employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}], true_up: true, last_day_rule: true}",
        "employer_match: {by_service: [{min_years: 0, tiers: [{from: 0, to: 0.04, rate: 0.5}]}, {min_years: 5, tiers: [{from: 0, to: 0.06, rate: 1.0}]}]}",
        "{employer_core: {rate: 0.3}, irs_limits: {catch_up_60_63: false}}",
        "{employer_core: {by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.05}], last_day_rule: true}, vesting: {schedule: [0, 0, 0.2, 0.4, 0.6, 0.8, 1]}}",
        "{employer_core: {by_service: [{min_years: 0, rate: 0.01}, {min_years: 3, rate: 0.03}]}, vesting: {schedule: [0, 0, 0, 1]}, simulation: {start_year: 2025, end_year: 2032}}",
        "{employer_match: {by_points: [{min_points: 0, tiers: [{from: 0, to: 0.03, rate: 0.5}]}, {min_points: 60, tiers: [{from: 0, to: 0.06, rate: 1.0}]}]}, employer_core: {by_points: [{min_points: 0, rate: 0.02}, {min_points: 50, rate: 0.04}, {min_points: 70, rate: 0.06}]}, accounts: {annual_return: 0.04}}",
        "{employer_core: {rate: 0.03, integration: {excess_rate: 0.03, level: wage_base}}, vesting: {match_schedule: [1.0], core_schedule: [0, 0, 0, 1]}, accounts: {annual_return: -0.2}}",
        "{employer_core: {rate: 0.06, integration: {excess_rate: 0.054, level: {fraction: 0.9}}}, vesting: {match_schedule: [0, 0.5, 1], core_schedule: [0, 0, 0.2, 0.4, 0.6, 0.8, 1]}, accounts: {annual_return: 0.5}}",
    ];
    for (i, v) in variants.iter().enumerate() {
        let m = common::model(v);
        check_run(m, 100 + i as u64);
    }
}

#[test]
fn negative_growth_cuts_by_reduction_in_force() {
    let m = common::model("simulation: {target_growth_rate: -0.2}");
    let rows = census(5);
    let mut engine = Engine::new(m, &rows);
    let out = engine.step(2025).unwrap();
    assert!(out.counts.of(Category::ReductionInForce) > 0);
    assert_eq!(out.counts.of(Category::NewHire), 0);
    let rif: Vec<_> = out
        .events
        .iter()
        .filter(|e| e.category == Category::ReductionInForce)
        .collect();
    assert_eq!(rif.len() as i64, out.counts.of(Category::ReductionInForce));
    assert!(rif
        .iter()
        .all(|e| e.probability().is_none() && e.draw().is_some()));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let rows = census(9);
    let run = |threads: usize| {
        let pool = wfsim::settings::worker_pool(threads).unwrap();
        pool.install(|| {
            let mut engine = Engine::new(common::model("simulation: {random_seed: 9}"), &rows);
            (2025..=2029)
                .map(|y| engine.step(y).unwrap())
                .map(|o| (o.events, o.snapshots))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(run(1), run(3));
}

/// The timeline phase runs in groups of 65,536 employees: events must still point at their own
/// employee's snapshot row in every group.
#[test]
fn events_stay_with_their_employees_across_timeline_groups() {
    let rows = census_of(140_000, 3);
    let mut engine = Engine::new(common::model(""), &rows);
    let out = engine.step(2025).unwrap();
    assert!(out.snapshots.len() > 2 * 65_536);
    let key = |e: &wfsim::event::Event| (&*out.snapshots[e.row as usize].employee_id, e.sequence);
    assert!(out.events.windows(2).all(|w| key(&w[0]) < key(&w[1])));
    for e in &out.events {
        let s = &out.snapshots[e.row as usize];
        match e.event_type {
            EventType::Hire => assert_eq!(s.hire_date, e.date, "{}", s.employee_id),
            EventType::Termination => {
                assert_eq!(s.termination_date, Some(e.date), "{}", s.employee_id)
            }
            _ => assert!(e.date >= s.hire_date, "{}", s.employee_id),
        }
    }
}
