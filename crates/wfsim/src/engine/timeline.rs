//! One employee's year: every decided action is placed on the calendar and applied in date
//! order (same-date order of spec §4.10), so each rule sees the state as it stands on its date
//! and nothing happens on or after a termination except the termination itself.

use super::context::YearContext;
use super::contributions::{self, PeriodState};
use super::employee::{Employee, Enrolled, StartOfYear, TerminationKind};
use super::{deferral_change, enrollment, escalation, merit, promotion, snapshot, vesting};
use crate::date::Date;
use crate::event::{Category, Drawn, EnrollmentMethod, Event, EventType, Previous, SnapshotRow};

#[derive(Clone, Copy, Debug)]
enum Action {
    Hire,
    Eligibility,
    Enroll(enrollment::Decision),
    AutoEnroll,
    OptOut(enrollment::Decision),
    DeferralChange(deferral_change::Decision),
    Escalation,
    Promotion(promotion::Decision),
    Raise,
    Termination,
}

impl Action {
    fn event_type(&self) -> EventType {
        match self {
            Action::Hire => EventType::Hire,
            Action::Eligibility => EventType::Eligibility,
            Action::Enroll(_) | Action::AutoEnroll => EventType::Enrollment,
            Action::OptOut(_) => EventType::OptOut,
            Action::DeferralChange(_) => EventType::DeferralChange,
            Action::Escalation => EventType::DeferralEscalation,
            Action::Promotion(_) => EventType::Promotion,
            Action::Raise => EventType::Raise,
            Action::Termination => EventType::Termination,
        }
    }
}

/// At most one action of each kind per year.
const MAX_ACTIONS: usize = 10;

/// What an employee's year was decided to hold at its start (the draws of a chunk of employees
/// are made together), with the start-of-year attributes the decisions used.
#[derive(Clone, Copy, Debug)]
pub struct Decided {
    pub start: StartOfYear,
    pub promotion: Option<promotion::Decision>,
    pub plan: enrollment::PlanYear,
    pub deferral_change: Option<deferral_change::Decision>,
}

/// [`Decided`] of each employee of `emps`, in order.
pub fn decide_each(ctx: &YearContext, emps: &[Employee]) -> Vec<Decided> {
    let starts: Vec<StartOfYear> = emps.iter().map(|e| e.start_of_year(ctx)).collect();
    let promotions = promotion::decide_each(ctx, emps, &starts);
    let plans = enrollment::decide_each(ctx, emps, &starts);
    let changes = deferral_change::decide_each(ctx, emps, &starts);
    starts
        .into_iter()
        .zip(promotions)
        .zip(plans)
        .zip(changes)
        .map(|(((start, promotion), plan), deferral_change)| Decided {
            start,
            promotion,
            plan,
            deferral_change,
        })
        .collect()
}

/// Runs `emp` through year N, appending its events (with `row` as their snapshot row) and
/// returning its year-end snapshot row.
pub fn run(
    ctx: &YearContext,
    emp: &mut Employee,
    row: u32,
    events: &mut Vec<Event>,
) -> SnapshotRow {
    let decided = decide_each(ctx, std::slice::from_ref(emp))[0];
    run_decided(ctx, emp, decided, row, events)
}

/// [`run`] with the year's decisions made beforehand ([`decide_each`]).
pub fn run_decided(
    ctx: &YearContext,
    emp: &mut Employee,
    decided: Decided,
    row: u32,
    events: &mut Vec<Event>,
) -> SnapshotRow {
    // Census employees are all hired before the first year, so "hired this year" is a date test.
    let hired_this_year = emp.hire_date >= ctx.jan1;
    let start = decided.start;
    let mut actions: [(Date, Action); MAX_ACTIONS] = [(ctx.jan1, Action::Hire); MAX_ACTIONS];
    let mut n = 0;
    let mut push = |date: Date, action: Action| {
        actions[n] = (date, action);
        n += 1;
    };

    if hired_this_year {
        push(emp.hire_date, Action::Hire);
    } else {
        if let Some(d) = decided.promotion {
            push(
                ctx.model.config.promotion.promotion_date.in_year(ctx.year),
                Action::Promotion(d),
            );
        }
        if merit::eligible(ctx, &start) {
            push(
                ctx.model.config.compensation.merit_date.in_year(ctx.year),
                Action::Raise,
            );
        }
    }
    schedule_plan_actions(&decided.plan, &mut push);
    if let Some(d) = decided.deferral_change {
        push(ctx.jan1, Action::DeferralChange(d));
    }
    if ctx.model.config.deferral_auto_escalation.enabled {
        push(
            ctx.model
                .config
                .deferral_auto_escalation
                .escalation_date
                .in_year(ctx.year),
            Action::Escalation,
        );
    }
    if let Some(t) = emp.termination {
        push(t.date, Action::Termination);
    }

    let actions = &mut actions[..n];
    actions.sort_by_key(|(date, action)| (*date, action.event_type()));

    let first_event = events.len();
    let first_day = emp.hire_date.max(ctx.jan1);
    let mut pay = snapshot::Proration::new(ctx, first_day, emp.salary);
    let mut periods = contributions::Periods::new(
        ctx,
        contributions::tiers(ctx, &start, hired_this_year),
        first_day,
    );
    let mut auto_enrolled_this_year = false;
    for &(date, action) in actions.iter() {
        let is_termination = matches!(action, Action::Termination);
        if date < emp.hire_date || (!is_termination && !emp.active_on(date)) {
            continue;
        }
        let (age, tenure) = emp.age_and_tenure(date.ymd());
        let before = PeriodState::of(emp);
        let mut ev = Event {
            row,
            event_type: action.event_type(),
            category: Category::NewHire,
            date,
            sequence: 0,
            level: emp.level,
            compensation: emp.salary,
            deferral_rate: emp.deferral_rate,
            age,
            tenure,
            previous: Some(Previous {
                level: emp.level,
                compensation: emp.salary,
                deferral_rate: emp.deferral_rate,
            }),
            decision: None,
        };
        match action {
            Action::Hire => ev.previous = None,
            Action::Eligibility => {
                emp.eligibility_date = Some(date);
                ev.category = Category::PlanEligibility;
            }
            Action::Enroll(decision) => {
                if !emp.is_eligible() || emp.enrollment.is_some() {
                    continue;
                }
                enroll(emp, date, EnrollmentMethod::Voluntary, decision.rate);
                ev.category = Category::VoluntaryEnrollment;
                ev.deferral_rate = emp.deferral_rate;
                ev.decision = drawn(decision.probability, decision.draw);
            }
            Action::AutoEnroll => {
                if !emp.is_eligible() || emp.enrollment.is_some() || emp.ever_opted_out {
                    continue;
                }
                enroll(
                    emp,
                    date,
                    EnrollmentMethod::Auto,
                    ctx.model
                        .config
                        .enrollment
                        .auto_enrollment
                        .default_deferral_rate
                        .get(),
                );
                auto_enrolled_this_year = true;
                ev.category = Category::AutoEnrollment;
                ev.deferral_rate = emp.deferral_rate;
            }
            Action::OptOut(decision) => {
                if !auto_enrolled_this_year || emp.enrollment.is_none() {
                    continue;
                }
                emp.enrollment = None;
                emp.deferral_rate = 0.0;
                emp.ever_opted_out = true;
                ev.category = Category::OptOut;
                ev.deferral_rate = 0.0;
                ev.decision = drawn(decision.probability, decision.draw);
            }
            Action::DeferralChange(decision) => {
                emp.deferral_rate = decision.rate;
                ev.category = Category::MatchResponse;
                ev.deferral_rate = emp.deferral_rate;
                ev.decision = drawn(decision.probability, decision.draw);
            }
            Action::Escalation => {
                if !escalation::applies(ctx, emp) {
                    continue;
                }
                emp.deferral_rate = escalation::new_rate(ctx, emp.deferral_rate);
                emp.escalations_received += 1;
                ev.category = Category::AutoEscalation;
                ev.deferral_rate = emp.deferral_rate;
            }
            Action::Promotion(decision) => {
                pay.change(
                    date,
                    promotion::new_salary(ctx, emp.salary, decision.raise_draw),
                );
                emp.level += 1;
                emp.salary = pay.salary();
                ev.category = Category::Promotion;
                ev.level = emp.level;
                ev.compensation = emp.salary;
                ev.decision = drawn(decision.probability, decision.draw);
            }
            Action::Raise => {
                pay.change(date, merit::new_salary(ctx, emp.salary, emp.level));
                emp.salary = pay.salary();
                ev.category = Category::MeritCola;
                ev.compensation = emp.salary;
            }
            Action::Termination => {
                let t = emp.termination.expect("scheduled only when decided");
                ev.category = match t.kind {
                    TerminationKind::Experienced => Category::ExperiencedTermination,
                    TerminationKind::ReductionInForce => Category::ReductionInForce,
                    TerminationKind::NewHire => Category::NewHireTermination,
                };
                ev.decision = Some(t.decision);
            }
        }
        if !matches!(action, Action::Hire | Action::Termination) {
            periods.event(date, before);
        }
        ev.sequence = (events.len() - first_event) as i32 + 1;
        events.push(ev);
    }
    let last_day = emp.termination.map_or(ctx.dec31, |t| t.date);
    let prorated_compensation = pay.finish(last_day);
    let accrued = periods.finish(last_day, PeriodState::of(emp));
    let mut money = contributions::year_end(
        ctx,
        emp,
        &start,
        hired_this_year,
        prorated_compensation,
        accrued,
    );
    vesting::apply(ctx, emp, &mut money);
    let row = snapshot::row(ctx, emp, hired_this_year, prorated_compensation, money);
    emp.lookback_pay = prorated_compensation;
    row
}

/// The decision of an event that fired because its draw fell below its probability.
fn drawn(probability: f64, draw: f64) -> Option<Drawn> {
    Some(Drawn {
        probability: Some(probability),
        draw,
    })
}

fn enroll(emp: &mut Employee, date: Date, method: EnrollmentMethod, rate: f64) {
    emp.enrollment = Some(Enrolled { date, method });
    emp.deferral_rate = rate;
}

/// Eligibility and enrollment actions of the year (spec §4.7, §4.8).
fn schedule_plan_actions(plan: &enrollment::PlanYear, push: &mut impl FnMut(Date, Action)) {
    if let Some(e) = plan.eligibility {
        push(e, Action::Eligibility);
    }
    if let Some(d) = plan.enrollment {
        push(d.date, Action::Enroll(d));
    }
    if let Some(ae) = plan.auto_enrollment {
        push(ae, Action::AutoEnroll);
    }
    if let Some(d) = plan.opt_out {
        push(d.date, Action::OptOut(d));
    }
}
