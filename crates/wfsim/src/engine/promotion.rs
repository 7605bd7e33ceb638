//! §4.5 promotions: one level up on the promotion date, with a capped raise.

use super::context::YearContext;
use super::employee::{Employee, StartOfYear};
use crate::bands::{age_band, tenure_band};
use crate::numerics::round_cents;
use crate::rng::Stream;

/// A promotion decided at the start of the year, applied on the promotion date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    pub probability: f64,
    pub draw: f64,
    pub raise_draw: f64,
}

pub fn probability(ctx: &YearContext, start: &StartOfYear) -> f64 {
    let p = &ctx.model.config.promotion;
    let dampening = 1.0 - p.level_dampening.get() * f64::from(start.level - 1);
    (p.base_rate.get()
        * p.tenure_multipliers[tenure_band(start.tenure)].get()
        * p.age_multipliers[age_band(start.age)].get()
        * dampening)
        .min(1.0)
}

fn eligible(ctx: &YearContext, start: &StartOfYear) -> bool {
    let cfg = &ctx.model.config.promotion;
    start.level < ctx.model.max_level()
        && start.tenure >= cfg.min_tenure_years.get()
        && start.age < cfg.max_age.get()
}

/// Whether each employee of `emps` (at the start of the year as in `starts`) is promoted this
/// year (`None` for this year's hires, who are not promoted), with the draws made together;
/// being active on the promotion date is checked when the event is applied.
pub fn decide_each(
    ctx: &YearContext,
    emps: &[Employee],
    starts: &[StartOfYear],
) -> Vec<Option<Decision>> {
    let keys: Vec<(&str, f64)> = emps
        .iter()
        .zip(starts)
        .map(|(e, start)| {
            let p = if e.hire_date < ctx.jan1 && eligible(ctx, start) {
                probability(ctx, start)
            } else {
                0.0
            };
            (&*e.id, p)
        })
        .collect();
    let fired = ctx.fires_each(Stream::Promotion, &keys);
    let raises = ctx.draws(
        Stream::PromotionRaise,
        keys.iter()
            .zip(&fired)
            .filter(|(_, u)| u.is_some())
            .map(|(&(id, _), _)| id),
    );
    let mut raises = raises.into_iter();
    keys.iter()
        .zip(fired)
        .map(|(&(_, probability), u)| {
            u.map(|u| Decision {
                probability,
                draw: u.u(),
                raise_draw: raises.next().expect("a raise per promotion").u(),
            })
        })
        .collect()
}

/// `round_cents(min(S * (1 + cap_pct), S + cap_amount, S * (1 + r)))`.
pub fn new_salary(ctx: &YearContext, salary: f64, raise_draw: f64) -> f64 {
    let p = &ctx.model.config.promotion;
    let r = p.base_increase_pct.get() + (2.0 * raise_draw - 1.0) * p.distribution_range.get();
    round_cents(
        (salary * (1.0 + p.max_cap_pct.get()))
            .min(salary + p.max_cap_amount.get())
            .min(salary * (1.0 + r)),
    )
}
