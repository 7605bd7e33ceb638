//! `promotion`: who is promoted, by how much, and when.

use super::values::{
    lit, Amount, ByAgeBand, ByTenureBand, IntIn, MonthDay, Multiplier, PayShare, Probability,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Promotion {
    pub base_rate: Probability,
    pub level_dampening: Probability,
    pub min_tenure_years: IntIn<0, 100>,
    pub max_age: IntIn<0, 150>,
    pub tenure_multipliers: ByTenureBand<Multiplier>,
    pub age_multipliers: ByAgeBand<Multiplier>,
    pub base_increase_pct: PayShare,
    pub distribution_range: PayShare,
    pub max_cap_pct: PayShare,
    pub max_cap_amount: Amount,
    pub promotion_date: MonthDay,
}

impl Default for Promotion {
    fn default() -> Self {
        Promotion {
            base_rate: lit(0.04),
            level_dampening: lit(0.15),
            min_tenure_years: lit(1),
            max_age: lit(65),
            tenure_multipliers: [0.5, 1.5, 1.8, 0.8, 0.2].map(lit),
            age_multipliers: [1.6, 1.4, 1.1, 0.7, 0.3, 0.1].map(lit),
            base_increase_pct: lit(0.20),
            distribution_range: lit(0.05),
            max_cap_pct: lit(0.30),
            max_cap_amount: lit(500_000.0),
            promotion_date: MonthDay::new(2, 1).expect("a valid month-day"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    #[test]
    fn band_lists_have_one_value_per_band() {
        let e = invalid("promotion:\n  age_multipliers: [1, 1]\n");
        assert!(
            e.contains("promotion.age_multipliers") && e.contains("length 6"),
            "{e}"
        );
        let e = invalid("promotion:\n  tenure_multipliers: [1, 1, 1, 1, 1, 1]\n");
        assert!(
            e.contains("promotion.tenure_multipliers") && e.contains("5"),
            "{e}"
        );
    }

    #[test]
    fn rates_are_checked_with_key_paths() {
        let e = invalid("promotion:\n  base_rate: 1.5\n");
        assert!(
            e.contains("promotion.base_rate") && e.contains("out of range"),
            "{e}"
        );
        assert!(invalid("promotion:\n  max_age: 200\n").contains("promotion.max_age"));
    }
}
