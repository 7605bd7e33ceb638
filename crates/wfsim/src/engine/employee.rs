//! The state the engine carries for one employee from year to year.

use super::context::YearContext;
use super::eligibility;
use crate::census::CensusRow;
use crate::config::Model;
use crate::date::{years_between_ymd, Date, Ymd};
use crate::event::{Drawn, EnrollmentMethod};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerminationKind {
    Experienced,
    ReductionInForce,
    NewHire,
}

/// A termination decided for the current year, with the draw that decided it (spec §4.9 log).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Termination {
    pub date: Date,
    pub kind: TerminationKind,
    pub decision: Drawn,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Enrolled {
    pub date: Date,
    pub method: EnrollmentMethod,
}

/// An employee's three accounts (spec §4.12).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Accounts {
    pub employee: f64,
    pub matched: f64,
    pub core: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Employee {
    pub id: Arc<str>,
    pub birth_date: Date,
    pub hire_date: Date,
    /// `birth_date.ymd()` and `hire_date.ymd()`, split once: ages and tenures are taken several
    /// times per employee and year, and splitting the dates was most of their cost.
    pub birth_ymd: Ymd,
    pub hire_ymd: Ymd,
    pub level: u8,
    pub salary: f64,
    /// Census `eligibility_override = false` or a new hire drawn ineligible.
    pub plan_ineligible: bool,
    /// `E` of spec §4.7: when the age and service requirements are met.
    pub eligibility_rule_date: Date,
    /// Set once the employee is eligible (shown in the snapshot).
    pub eligibility_date: Option<Date>,
    pub enrollment: Option<Enrolled>,
    pub deferral_rate: f64,
    pub ever_opted_out: bool,
    pub auto_escalation_opt_out: bool,
    pub escalations_received: i32,
    /// The accounts at the end of the last year (spec §4.12): the employee's own, and the
    /// employer's match and core sub-accounts (unrounded census values in the first year).
    pub accounts: Accounts,
    /// What makes an HCE or a key employee besides this year's pay (spec §9): census values,
    /// 0 and false for hires.
    pub ownership_pct: f64,
    pub officer: bool,
    /// Look-back pay for the HCE test of the year being generated: last year's prorated pay,
    /// the census prior-year pay (or salary) in the first year, 0 for a hire.
    pub lookback_pay: f64,
    /// Decided for the year being generated; `None` otherwise.
    pub termination: Option<Termination>,
}

/// Attributes at Jan 1 of the year: every decision of the year uses these (spec §4).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StartOfYear {
    pub age: i32,
    pub tenure: i32,
    pub level: u8,
    pub salary: f64,
}

impl Employee {
    /// A census employee as the run starts: a participant (deferral rate > 0) is enrolled at the
    /// census date, and eligibility follows the census baseline (spec §4.7).
    pub fn from_census(model: &Model, c: &CensusRow) -> Employee {
        let rule_date = eligibility::rule_date(model, c.birth_date, c.hire_date);
        let participant = c.deferral_rate > 0.0;
        let plan_ineligible = c.eligibility_override == Some(false);
        Employee {
            id: Arc::from(c.employee_id.as_str()),
            birth_date: c.birth_date,
            hire_date: c.hire_date,
            birth_ymd: c.birth_date.ymd(),
            hire_ymd: c.hire_date.ymd(),
            level: c.level_id.get(),
            salary: c.annual_salary,
            plan_ineligible,
            eligibility_rule_date: rule_date,
            eligibility_date: eligibility::census_baseline(
                model,
                rule_date,
                participant,
                plan_ineligible,
                model.config.simulation.start_year,
            ),
            enrollment: participant.then_some(Enrolled {
                date: model.census_date,
                method: EnrollmentMethod::Census,
            }),
            deferral_rate: c.deferral_rate,
            ever_opted_out: false,
            auto_escalation_opt_out: c.auto_escalation_opt_out,
            escalations_received: 0,
            accounts: Accounts {
                employee: c.employee_balance,
                matched: c.employer_balance - c.core_balance,
                core: c.core_balance,
            },
            ownership_pct: c.ownership_pct,
            officer: c.officer,
            lookback_pay: c.prior_year_compensation.unwrap_or(c.annual_salary),
            termination: None,
        }
    }

    /// Age and tenure at `date` (completed years, spec §1).
    pub fn age_and_tenure(&self, date: Ymd) -> (i32, i32) {
        (
            years_between_ymd(self.birth_ymd, date),
            years_between_ymd(self.hire_ymd, date),
        )
    }

    pub fn start_of_year(&self, ctx: &YearContext) -> StartOfYear {
        let (age, tenure) = self.age_and_tenure(ctx.jan1_ymd);
        StartOfYear {
            age,
            tenure,
            level: self.level,
            salary: self.salary,
        }
    }

    pub fn is_eligible(&self) -> bool {
        self.eligibility_date.is_some()
    }

    /// Hired on or before `d` and not terminated on or before `d`.
    pub fn active_on(&self, d: Date) -> bool {
        self.hire_date <= d && self.termination.is_none_or(|t| t.date > d)
    }
}
