//! Everything the rules of one year read: the model, the random function and that year's dates.

use crate::config::Model;
use crate::date::{days_in_year, Date};
use crate::rng::{Draw, Rng, Stream};

pub struct YearContext<'a> {
    pub model: &'a Model,
    pub rng: &'a Rng,
    pub year: i32,
    pub jan1: Date,
    pub dec31: Date,
    pub days: i32,
}

impl<'a> YearContext<'a> {
    pub fn new(model: &'a Model, rng: &'a Rng, year: i32) -> Self {
        YearContext {
            model,
            rng,
            year,
            jan1: Date::jan1(year),
            dec31: Date::dec31(year),
            days: days_in_year(year),
        }
    }

    pub fn draw(&self, id: &str, stream: Stream) -> Draw {
        self.rng.draw(id, self.year, stream)
    }

    /// `Jan1(N) + day_offset(u, D(N))`: a day of this year.
    pub fn day_of_year(&self, draw: Draw) -> Date {
        self.jan1.add_days(draw.day_offset(self.days))
    }

    pub fn contains(&self, d: Date) -> bool {
        self.jan1 <= d && d <= self.dec31
    }
}
