//! §4.1 experienced terminations and the reduction-in-force selection of §4.2.

use super::context::YearContext;
use super::employee::{Employee, StartOfYear, Termination, TerminationKind};
use crate::bands::{age_band, tenure_band};
use crate::event::Drawn;
use crate::rng::Stream;

/// `min(1, rate * m_age * m_tenure * m_level)`, evaluated left to right.
pub fn probability(ctx: &YearContext, start: &StartOfYear) -> f64 {
    let w = &ctx.model.config.workforce;
    let p = w.total_termination_rate.get()
        * w.termination_age_multipliers[age_band(start.age)].get()
        * w.termination_tenure_multipliers[tenure_band(start.tenure)].get()
        * w.termination_level_multipliers[usize::from(start.level) - 1].get();
    p.min(1.0)
}

/// Experienced termination of one start-of-year employee, if it fires.
pub fn experienced(ctx: &YearContext, emp: &Employee) -> Option<Termination> {
    let p = probability(ctx, &emp.start_of_year(ctx));
    ctx.fires(&emp.id, Stream::Termination, p)
        .map(|u| Termination {
            date: ctx.day_of_year(ctx.draw(&emp.id, Stream::TerminationDate)),
            kind: TerminationKind::Experienced,
            decision: Drawn {
                probability: Some(p),
                draw: u.u(),
            },
        })
}

/// [`experienced`] for every employee of `chunk`, with the chunk's draws made together.
pub fn experienced_each(ctx: &YearContext, chunk: &mut [Employee]) {
    let keys: Vec<(&str, f64)> = chunk
        .iter()
        .map(|e| (&*e.id, probability(ctx, &e.start_of_year(ctx))))
        .collect();
    let fired = ctx.fires_each(Stream::Termination, &keys);
    let dates = ctx.draws(
        Stream::TerminationDate,
        keys.iter()
            .zip(&fired)
            .filter(|(_, u)| u.is_some())
            .map(|(&(id, _), _)| id),
    );
    let mut dates = dates.into_iter();
    let decided: Vec<Option<Termination>> = keys
        .iter()
        .zip(fired)
        .map(|(&(_, p), u)| {
            u.map(|u| Termination {
                date: ctx.day_of_year(dates.next().expect("a date per leaver")),
                kind: TerminationKind::Experienced,
                decision: Drawn {
                    probability: Some(p),
                    draw: u.u(),
                },
            })
        })
        .collect();
    for (e, t) in chunk.iter_mut().zip(decided) {
        e.termination = t;
    }
}

/// Terminates the `count` survivors with the smallest `(u(id, N, "rif"), employee_id)`.
pub fn reduction_in_force(ctx: &YearContext, workforce: &mut [Employee], count: usize) {
    if count == 0 {
        return;
    }
    let survivors: Vec<usize> = (0..workforce.len())
        .filter(|&i| workforce[i].termination.is_none())
        .collect();
    let draws = ctx.draws(Stream::Rif, survivors.iter().map(|&i| &*workforce[i].id));
    let mut order: Vec<(u32, usize)> = draws.iter().map(|d| d.0).zip(survivors).collect();
    let by_draw_then_id = |a: &(u32, usize), b: &(u32, usize)| {
        a.0.cmp(&b.0)
            .then_with(|| workforce[a.1].id.cmp(&workforce[b.1].id))
    };
    if count < order.len() {
        order.select_nth_unstable_by(count - 1, by_draw_then_id);
    }
    let order = &order[..count];
    let dates = ctx.draws(
        Stream::TerminationDate,
        order.iter().map(|&(_, i)| &*workforce[i].id),
    );
    for (&(v, i), u) in order.iter().zip(dates) {
        let date = ctx.day_of_year(u);
        workforce[i].termination = Some(Termination {
            date,
            kind: TerminationKind::ReductionInForce,
            decision: Drawn {
                probability: None,
                draw: crate::rng::Draw(v).u(),
            },
        });
    }
}
