//! §4.11 contributions: the year's deferrals and employer money of one employee, from the
//! periods of the timeline the snapshot fold walks (no second pass over the events).

use super::context::YearContext;
use super::employee::{Employee, StartOfYear};
use crate::config::{Limits, Tiers};
use crate::date::{years_between_ymd, Date};
use crate::event::Contributions;
use crate::numerics::round_cents;

/// The plan state a period carries: the state after all events of its first day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeriodState {
    salary: f64,
    /// The enrolled deferral rate; 0 when not enrolled.
    rate: f64,
    eligible: bool,
}

impl PeriodState {
    pub fn of(emp: &Employee) -> PeriodState {
        PeriodState {
            salary: emp.salary,
            rate: if emp.enrollment.is_some() {
                emp.deferral_rate
            } else {
                0.0
            },
            eligible: emp.is_eligible(),
        }
    }
}

/// The period folds `ex_def`, `ex_match`, `ex_elig`, each `acc = acc + term` in date order
/// from 0.0.
#[derive(Clone, Copy, Debug)]
pub struct Periods<'a> {
    tiers: &'a Tiers,
    days_in_year: f64,
    start: Date,
    ex_def: f64,
    ex_match: f64,
    ex_elig: f64,
}

impl<'a> Periods<'a> {
    pub fn new(ctx: &YearContext, tiers: &'a Tiers, first_day: Date) -> Periods<'a> {
        Periods {
            tiers,
            days_in_year: f64::from(ctx.days),
            start: first_day,
            ex_def: 0.0,
            ex_match: 0.0,
            ex_elig: 0.0,
        }
    }

    /// An event other than hire and termination on `date`, with `before` the state just
    /// before it: a date after the current period's first day starts a new period.
    pub fn event(&mut self, date: Date, before: PeriodState) {
        if date > self.start {
            self.close(date, before);
            self.start = date;
        }
    }

    fn close(&mut self, end_exclusive: Date, s: PeriodState) {
        let days = f64::from(self.start.days_until(end_exclusive));
        let pay = (s.salary * days) / self.days_in_year;
        if s.rate != 0.0 {
            self.ex_def += pay * s.rate;
            self.ex_match += pay * self.tiers.share(s.rate);
        }
        if s.eligible {
            self.ex_elig += pay;
        }
    }

    /// Closes the last period through `last_day` (the termination day is employed).
    pub fn finish(mut self, last_day: Date, state: PeriodState) -> Accrued<'a> {
        self.close(last_day.add_days(1), state);
        Accrued {
            tiers: self.tiers,
            ex_def: self.ex_def,
            ex_match: self.ex_match,
            ex_elig: self.ex_elig,
        }
    }
}

/// The unrounded period sums of a year.
#[derive(Clone, Copy, Debug)]
pub struct Accrued<'a> {
    tiers: &'a Tiers,
    ex_def: f64,
    ex_match: f64,
    ex_elig: f64,
}

/// Tenure and points (age + tenure) at Jan 1 as the plan-design tables read them: this year's
/// hires count as tenure 0.
pub fn service_and_points(start: &StartOfYear, hired: bool) -> (i32, i32) {
    let tenure = if hired { 0 } else { start.tenure };
    (tenure, start.age + tenure)
}

/// The tier set of the year: by tenure or points at Jan 1.
pub fn tiers<'a>(ctx: &YearContext<'a>, start: &StartOfYear, hired: bool) -> &'a Tiers {
    let (tenure, points) = service_and_points(start, hired);
    ctx.model.config.employer_match.tiers_for(tenure, points)
}

/// Deferrals, limits and employer money of the year (every column but the vesting ones).
pub fn year_end(
    ctx: &YearContext,
    emp: &Employee,
    start: &StartOfYear,
    hired: bool,
    prorated_compensation: f64,
    a: Accrued,
) -> Contributions {
    let c = &ctx.model.config;
    let l: &Limits = &ctx.limits;
    let terminated = emp.termination.is_some();

    let age_ye = years_between_ymd(emp.birth_ymd, ctx.dec31_ymd);
    let elected_deferral = round_cents(a.ex_def);
    let catch_up_limit = if (60..=63).contains(&age_ye) && c.irs_limits.catch_up_60_63 {
        l.catch_up_60_63
    } else if age_ye >= 50 {
        l.catch_up
    } else {
        0.0
    };
    let employee_deferral = elected_deferral.min(l.elective_deferral + catch_up_limit);
    let catch_up_deferral = round_cents((employee_deferral - l.elective_deferral).max(0.0));

    let factor = if prorated_compensation <= l.compensation {
        1.0
    } else {
        l.compensation / prorated_compensation
    };
    let ratio = if elected_deferral > 0.0 {
        employee_deferral / elected_deferral
    } else {
        0.0
    };
    let match_pp = round_cents(a.ex_match * factor * ratio);
    let p = round_cents(a.ex_elig * factor);
    let mut match_before_415 = if c.employer_match.true_up {
        let annual = if p == 0.0 {
            0.0
        } else {
            round_cents(p * a.tiers.share((employee_deferral / p).min(1.0)))
        };
        match_pp.max(annual)
    } else {
        match_pp
    };
    let (tenure, points) = service_and_points(start, hired);
    let core_rate = c.employer_core.rate_for(tenure, start.age, points);
    let mut core_before_415 = match &c.employer_core.integration {
        None => round_cents(a.ex_elig * factor * core_rate),
        Some(i) => {
            let level = i.level_for(l.ss_wage_base);
            round_cents(a.ex_elig * factor * core_rate + (p - level).max(0.0) * i.excess_rate.get())
        }
    };
    if terminated && c.employer_match.last_day_rule {
        match_before_415 = 0.0;
    }
    if terminated && c.employer_core.last_day_rule {
        core_before_415 = 0.0;
    }
    let d415 = round_cents(employee_deferral - catch_up_deferral);
    let employer_match = match_before_415.min(round_cents(l.annual_additions - d415).max(0.0));
    let employer_core =
        core_before_415.min(round_cents(l.annual_additions - d415 - employer_match).max(0.0));

    Contributions {
        eligible_compensation: round_cents(a.ex_elig),
        elected_deferral,
        employee_deferral,
        catch_up_deferral,
        employer_match,
        employer_core,
        vested_fraction: 0.0,
        forfeiture: 0.0,
        employer_balance: 0.0,
        employee_balance: 0.0,
        core_balance: 0.0,
        core_vested_fraction: 0.0,
        testing_pay: p,
    }
}
