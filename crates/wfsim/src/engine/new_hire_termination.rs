//! §4.4 new-hire terminations: the lowest-ranked hires leave before year end.

use super::context::YearContext;
use super::employee::{Employee, Termination, TerminationKind};
use crate::error::{Error, Result};
use crate::rng::Stream;

pub fn select(ctx: &YearContext, hires: &mut [Employee], count: usize) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    let mut candidates: Vec<(u32, usize)> = hires
        .iter()
        .enumerate()
        .filter(|(_, h)| h.hire_date < ctx.dec31)
        .map(|(i, h)| (ctx.draw(&h.id, Stream::NhTermination).0, i))
        .collect();
    if candidates.len() < count {
        return Err(Error::Engine {
            year: ctx.year,
            message: format!("{count} new-hire terminations are needed but only {} hires start before Dec 31; lower workforce.new_hire_termination_rate", candidates.len()),
        });
    }
    let by_draw_then_id = |a: &(u32, usize), b: &(u32, usize)| {
        a.0.cmp(&b.0)
            .then_with(|| hires[a.1].id.cmp(&hires[b.1].id))
    };
    if count < candidates.len() {
        candidates.select_nth_unstable_by(count - 1, by_draw_then_id);
    }
    for &(v, i) in &candidates[..count] {
        let h = &mut hires[i];
        let span = h.hire_date.days_until(ctx.dec31);
        let date = h
            .hire_date
            .add_days(1 + ctx.draw(&h.id, Stream::NhTerminationDate).day_offset(span));
        h.termination = Some(Termination {
            date,
            kind: TerminationKind::NewHire,
            probability: None,
            draw: crate::rng::Draw(v).u(),
        });
    }
    Ok(())
}
