//! §4.10 the year-end snapshot row and the prorated compensation behind it.

use super::context::YearContext;
use super::employee::{Employee, TerminationKind};
use crate::date::Date;
use crate::event::{Contributions, DetailedStatus, SnapshotRow};
use crate::numerics::round_cents;

/// Pay earned over the employed days of the year, one salary period at a time:
/// `acc = acc + (salary * days) / D(N)` in date order, rounded to cents at the end.
#[derive(Clone, Copy, Debug)]
pub struct Proration {
    days_in_year: f64,
    period_start: Date,
    salary: f64,
    acc: f64,
}

impl Proration {
    pub fn new(ctx: &YearContext, employed_from: Date, salary: f64) -> Proration {
        Proration {
            days_in_year: f64::from(ctx.days),
            period_start: employed_from,
            salary,
            acc: 0.0,
        }
    }

    /// A new salary applies from `date`.
    pub fn change(&mut self, date: Date, salary: f64) {
        self.close(date);
        self.salary = salary;
        self.period_start = date;
    }

    pub fn salary(&self) -> f64 {
        self.salary
    }

    fn close(&mut self, end_exclusive: Date) {
        let days = f64::from(self.period_start.days_until(end_exclusive));
        self.acc += (self.salary * days) / self.days_in_year;
    }

    /// Total through `last_day` (inclusive: the termination day is employed).
    pub fn finish(mut self, last_day: Date) -> f64 {
        self.close(last_day.add_days(1));
        round_cents(self.acc)
    }
}

pub fn row(
    ctx: &YearContext,
    emp: &Employee,
    hired_this_year: bool,
    prorated_compensation: f64,
    money: Contributions,
) -> SnapshotRow {
    let termination_date = emp.termination.map(|t| t.date);
    let as_of = termination_date.map_or(ctx.dec31_ymd, Date::ymd);
    let status = match (emp.termination.map(|t| t.kind), hired_this_year) {
        (None, false) => DetailedStatus::ContinuousActive,
        (None, true) => DetailedStatus::NewHireActive,
        (Some(TerminationKind::NewHire), _) => DetailedStatus::NewHireTermination,
        (Some(_), _) => DetailedStatus::ExperiencedTermination,
    };
    let (age, tenure) = emp.age_and_tenure(as_of);
    let (is_hce, is_key_employee) = hce_and_key(ctx, emp, prorated_compensation);
    SnapshotRow {
        employee_id: emp.id.clone(),
        birth_date: emp.birth_date,
        hire_date: emp.hire_date,
        termination_date,
        status,
        level: emp.level,
        annual_salary: emp.salary,
        prorated_compensation,
        age,
        tenure,
        plan_eligible: emp.is_eligible(),
        eligibility_date: emp.eligibility_date,
        is_enrolled: emp.enrollment.is_some(),
        enrollment_date: emp.enrollment.map(|e| e.date),
        enrollment_method: emp.enrollment.map(|e| e.method),
        ever_opted_out: emp.ever_opted_out,
        deferral_rate: emp.deferral_rate,
        auto_escalation_opt_out: emp.auto_escalation_opt_out,
        escalations_received: emp.escalations_received,
        money,
        is_hce,
        is_key_employee,
    }
}

/// Spec §9: an HCE owns more than 5 % or was paid more than the look-back year's 414(q)
/// amount; a key employee owns more than 5 %, or more than 1 % and is paid over 150,000, or is
/// an officer paid over the year's 416(i) amount.
pub fn hce_and_key(ctx: &YearContext, emp: &Employee, prorated_compensation: f64) -> (bool, bool) {
    let owner = emp.ownership_pct > 0.05;
    let hce = owner || emp.lookback_pay > ctx.hce_threshold;
    let key = owner
        || (emp.ownership_pct > 0.01 && prorated_compensation > 150_000.0)
        || (emp.officer && prorated_compensation > ctx.limits.key_officer_compensation);
    (hce, key)
}
