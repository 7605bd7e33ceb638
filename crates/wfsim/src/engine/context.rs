//! Everything the rules of one year read: the model, the random function and that year's dates.

use crate::config::{Limits, Model};
use crate::date::{days_in_year, Date, Ymd};
use crate::rng::{Draw, Rng, Stream};

pub struct YearContext<'a> {
    pub model: &'a Model,
    pub rng: &'a Rng,
    pub year: i32,
    pub jan1: Date,
    pub dec31: Date,
    /// `jan1` and `dec31` split, for ages and tenures.
    pub jan1_ymd: Ymd,
    pub dec31_ymd: Ymd,
    pub days: i32,
    /// The IRS limits of the year (spec §4.13).
    pub limits: Limits,
    /// `hce_compensation` of year N − 1, the look-back year of the HCE test (spec §9).
    pub hce_threshold: f64,
}

impl<'a> YearContext<'a> {
    pub fn new(model: &'a Model, rng: &'a Rng, year: i32) -> Self {
        YearContext {
            model,
            rng,
            year,
            jan1: Date::jan1(year),
            dec31: Date::dec31(year),
            jan1_ymd: (year, 1, 1),
            dec31_ymd: (year, 12, 31),
            days: days_in_year(year),
            limits: model.config.irs_limits.for_year(year),
            hce_threshold: model.config.irs_limits.for_year(year - 1).hce_compensation,
        }
    }

    pub fn draw(&self, id: &str, stream: Stream) -> Draw {
        self.rng.draw(id, self.year, stream)
    }

    /// The draw behind an event of probability `p` when the event fires (`u < p`), else `None`.
    /// When `p <= 0` nothing can fire, so no draw is made: only draws that can matter are paid.
    pub fn fires(&self, id: &str, stream: Stream, p: f64) -> Option<Draw> {
        if p > 0.0 {
            Some(self.draw(id, stream)).filter(|u| u.below(p))
        } else {
            None
        }
    }

    /// The draws of `ids` on `stream`, in order, made several per md5 call.
    pub fn draws<'k>(&self, stream: Stream, ids: impl IntoIterator<Item = &'k str>) -> Vec<Draw> {
        let mut out = Vec::new();
        self.rng
            .draws_into(self.year, ids.into_iter().map(|id| (id, stream)), &mut out);
        out
    }

    /// [`YearContext::fires`] on each `(id, p)` of `keys`, in order, with the draws made
    /// together (and, as there, only where `p > 0`).
    pub fn fires_each(&self, stream: Stream, keys: &[(&str, f64)]) -> Vec<Option<Draw>> {
        let drawn = self.draws(
            stream,
            keys.iter().filter(|(_, p)| *p > 0.0).map(|&(id, _)| id),
        );
        let mut drawn = drawn.into_iter();
        keys.iter()
            .map(|&(_, p)| {
                if p > 0.0 {
                    drawn.next().filter(|u| u.below(p))
                } else {
                    None
                }
            })
            .collect()
    }

    /// `Jan1(N) + day_offset(u, D(N))`: a day of this year.
    pub fn day_of_year(&self, draw: Draw) -> Date {
        self.jan1.add_days(draw.day_offset(self.days))
    }

    pub fn contains(&self, d: Date) -> bool {
        self.jan1 <= d && d <= self.dec31
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate, Config};

    #[test]
    fn fires_is_the_strict_draw_comparison_and_skips_impossible_events() {
        let model = validate(Config::default(), "defaults").unwrap();
        let rng = Rng::new(42);
        let ctx = YearContext::new(&model, &rng, 2025);
        for i in 0..2000 {
            let id = format!("EMP_{i:06}");
            let u = ctx.draw(&id, Stream::Termination);
            for p in [0.0, -1.0, 0.1, 0.5, 1.0] {
                let expected = (p > 0.0 && u.below(p)).then_some(u);
                assert_eq!(
                    ctx.fires(&id, Stream::Termination, p),
                    expected,
                    "{id} p={p}"
                );
            }
            assert_eq!(ctx.fires(&id, Stream::Termination, 1.0), Some(u));
        }
    }

    #[test]
    fn fires_each_is_fires_on_each_key() {
        let model = validate(Config::default(), "defaults").unwrap();
        let rng = Rng::new(7);
        let ctx = YearContext::new(&model, &rng, 2026);
        let ids: Vec<String> = (0..500).map(|i| format!("EMP_{i:06}")).collect();
        let ps = [0.0, -1.0, 0.1, 0.5, 1.0, 0.9];
        let keys: Vec<(&str, f64)> = ids
            .iter()
            .map(|i| i.as_str())
            .zip(ps.iter().copied().cycle())
            .collect();
        let want: Vec<Option<Draw>> = keys
            .iter()
            .map(|&(id, p)| ctx.fires(id, Stream::Promotion, p))
            .collect();
        assert_eq!(ctx.fires_each(Stream::Promotion, &keys), want);
    }
}
