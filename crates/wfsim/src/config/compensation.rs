//! `compensation`: the yearly merit and cost-of-living raise.

use super::values::{lit, IntIn, MonthDay, RaiseRate};
use super::Checker;
use crate::error::Result;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Compensation {
    pub cola_rate: RaiseRate,
    /// By level, ascending.
    pub merit_rate_by_level: Vec<RaiseRate>,
    pub merit_date: MonthDay,
    pub merit_min_tenure_years: IntIn<0, 100>,
}

impl Default for Compensation {
    fn default() -> Self {
        Compensation {
            cola_rate: lit(0.02),
            merit_rate_by_level: [0.025, 0.030, 0.035, 0.040, 0.045].map(lit).to_vec(),
            merit_date: MonthDay::new(7, 15).expect("a valid month-day"),
            merit_min_tenure_years: lit(1),
        }
    }
}

impl Compensation {
    pub(super) fn check(&self, c: &Checker, levels: usize) -> Result<()> {
        c.per_level(
            "compensation.merit_rate_by_level",
            &self.merit_rate_by_level,
            levels,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    #[test]
    fn merit_date_and_rates_are_checked_with_key_paths() {
        let e = invalid("compensation:\n  merit_date: \"02-29\"\n");
        assert!(
            e.contains("compensation.merit_date") && e.contains("\"02-29\""),
            "{e}"
        );
        assert!(
            invalid("compensation:\n  merit_rate_by_level: [0.02, 0.03, 0.04]\n")
                .contains("expected 5 values")
        );
        assert!(
            invalid("compensation:\n  merit_rate_by_level: [0, 0, 2, 0, 0]\n")
                .contains("compensation.merit_rate_by_level[2]")
        );
    }
}
