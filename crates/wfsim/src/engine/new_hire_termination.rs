//! §4.4 new-hire terminations: the lowest-ranked hires leave before year end.

use super::context::YearContext;
use super::employee::{Employee, Termination, TerminationKind};
use crate::error::{Error, Result};
use crate::event::Drawn;
use crate::rng::Stream;

pub fn select(ctx: &YearContext, hires: &mut [Employee], count: usize) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    let starting: Vec<usize> = (0..hires.len())
        .filter(|&i| hires[i].hire_date < ctx.dec31)
        .collect();
    let draws = ctx.draws(
        Stream::NhTermination,
        starting.iter().map(|&i| &*hires[i].id),
    );
    let mut candidates: Vec<(u32, usize)> = draws.iter().map(|d| d.0).zip(starting).collect();
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
    let chosen = &candidates[..count];
    let dates = ctx.draws(
        Stream::NhTerminationDate,
        chosen.iter().map(|&(_, i)| &*hires[i].id),
    );
    for (&(v, i), u) in chosen.iter().zip(dates) {
        let h = &mut hires[i];
        let span = h.hire_date.days_until(ctx.dec31);
        let date = h.hire_date.add_days(1 + u.day_offset(span));
        h.termination = Some(Termination {
            date,
            kind: TerminationKind::NewHire,
            decision: Drawn {
                probability: None,
                draw: crate::rng::Draw(v).u(),
            },
        });
    }
    Ok(())
}
