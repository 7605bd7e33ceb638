//! §4.6 merit + COLA raise on the merit date; no draw.

use super::context::YearContext;
use super::employee::StartOfYear;
use crate::numerics::round_cents;

pub fn eligible(ctx: &YearContext, start: &StartOfYear) -> bool {
    start.tenure >= ctx.model.config.compensation.merit_min_tenure_years.get()
}

/// `round_cents(S * (1 + (merit_rate[level] + cola_rate)))` with the level in effect on the date.
pub fn new_salary(ctx: &YearContext, salary: f64, level: u8) -> f64 {
    let c = &ctx.model.config.compensation;
    round_cents(
        salary * (1.0 + (c.merit_rate_by_level[usize::from(level) - 1].get() + c.cola_rate.get())),
    )
}
