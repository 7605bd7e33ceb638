//! §4.8 step 6: existing participants answer a new match design. The design in the config is
//! taken to be new in the first simulated year: on its Jan 1, each census participant whose
//! rate is below the full-match rate M of their tier set moves to M with probability
//! `enrollment.match_response.existing_participants`. Nothing happens in later years.

use super::context::YearContext;
use super::employee::{Employee, StartOfYear};
use super::enrollment;
use crate::numerics::{bp, round_bp};
use crate::rng::Stream;

/// A change that fires: the new rate, with the probability and draw that decided it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    pub rate: f64,
    pub probability: f64,
    pub draw: f64,
}

/// The full-match rate the employee would move to, when step 6 applies to them (the caller
/// checks the year): a census employee with `0 < r < M` in basis points.
fn target(ctx: &YearContext, emp: &Employee, start: &StartOfYear) -> Option<f64> {
    if emp.hire_date >= ctx.jan1 {
        return None;
    }
    let m = enrollment::full_match_rate(ctx, start);
    let r = bp(emp.deferral_rate);
    (r > 0 && r < bp(m)).then_some(m)
}

/// Whether each employee of `emps` (at the start of the year as in `starts`) moves to the
/// full-match rate on Jan 1, with the draws made together.
pub fn decide_each(
    ctx: &YearContext,
    emps: &[Employee],
    starts: &[StartOfYear],
) -> Vec<Option<Decision>> {
    let q = ctx
        .model
        .config
        .enrollment
        .match_response
        .existing_participants
        .get();
    if q <= 0.0 || ctx.year != ctx.model.config.simulation.start_year {
        return vec![None; emps.len()];
    }
    let targets: Vec<Option<f64>> = emps
        .iter()
        .zip(starts)
        .map(|(e, s)| target(ctx, e, s))
        .collect();
    let keys: Vec<(&str, f64)> = emps
        .iter()
        .zip(&targets)
        .map(|(e, m)| (&*e.id, if m.is_some() { q } else { 0.0 }))
        .collect();
    let fired = ctx.fires_each(Stream::MatchResponse, &keys);
    targets
        .into_iter()
        .zip(fired)
        .map(|(m, u)| {
            Some(Decision {
                rate: round_bp(m?),
                probability: q,
                draw: u?.u(),
            })
        })
        .collect()
}
