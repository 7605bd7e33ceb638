//! §4.7 plan eligibility: age and service requirements, census baseline, plan-ineligible staff.

use crate::config::Model;
use crate::date::{anniversary, Date};

/// `E = max(hire_date + waiting_period_days, first date at minimum_age)`.
pub fn rule_date(model: &Model, birth_date: Date, hire_date: Date) -> Date {
    let e = &model.config.eligibility;
    hire_date
        .add_days(e.waiting_period_days.get())
        .max(anniversary(birth_date, e.minimum_age.get()))
}

/// Eligibility at the start of the simulation for a census employee: `Some(date shown)` when
/// eligible with no event. Participants are eligible whatever their E; their date is E, or the
/// census date when E is later (they were already in the plan then).
pub fn census_baseline(
    model: &Model,
    rule_date: Date,
    participant: bool,
    plan_ineligible: bool,
    start_year: i32,
) -> Option<Date> {
    if participant {
        Some(rule_date.min(model.census_date))
    } else if !plan_ineligible && rule_date < Date::jan1(start_year) {
        Some(rule_date)
    } else {
        None
    }
}

/// Whether an eligibility event falls in this year: E is in it and the employee can become
/// eligible (active on E is checked when the event is applied).
pub fn event_due(
    emp_rule_date: Date,
    eligible: bool,
    plan_ineligible: bool,
    jan1: Date,
    dec31: Date,
) -> bool {
    !eligible && !plan_ineligible && jan1 <= emp_rule_date && emp_rule_date <= dec31
}
