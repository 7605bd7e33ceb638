//! §4.9 deferral auto-escalation on the escalation date.

use super::context::YearContext;
use super::employee::Employee;
use crate::config::EscalationScope;
use crate::event::EnrollmentMethod;
use crate::numerics::round_bp;

/// Whether the employee's enrollment, as it stands on the escalation date, qualifies.
pub fn applies(ctx: &YearContext, emp: &Employee) -> bool {
    let e = &ctx.model.config.deferral_auto_escalation;
    let Some(enrolled) = emp.enrollment else {
        return false;
    };
    e.enabled
        && !emp.auto_escalation_opt_out
        && emp.deferral_rate > 0.0
        && emp.deferral_rate < e.maximum_rate.get()
        && enrolled.date.year() <= ctx.year - e.first_escalation_delay_years.get()
        && (e.applies_to == EscalationScope::All || enrolled.method == EnrollmentMethod::Auto)
}

/// `min(maximum_rate, round_bp(rate + increment))`.
pub fn new_rate(ctx: &YearContext, rate: f64) -> f64 {
    let e = &ctx.model.config.deferral_auto_escalation;
    e.maximum_rate
        .get()
        .min(round_bp(rate + e.increment_amount.get()))
}
