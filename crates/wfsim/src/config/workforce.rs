//! `workforce`: experienced and new-hire termination rates.

use super::values::{lit, ByAgeBand, ByTenureBand, Multiplier, Probability, ProbabilityBelowOne};
use super::Checker;
use crate::error::Result;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Workforce {
    pub total_termination_rate: Probability,
    pub new_hire_termination_rate: ProbabilityBelowOne,
    pub termination_age_multipliers: ByAgeBand<Multiplier>,
    pub termination_tenure_multipliers: ByTenureBand<Multiplier>,
    /// By level, ascending.
    pub termination_level_multipliers: Vec<Multiplier>,
}

impl Default for Workforce {
    fn default() -> Self {
        Workforce {
            total_termination_rate: lit(0.12),
            new_hire_termination_rate: lit(0.25),
            termination_age_multipliers: [1.4, 1.2, 1.0, 0.8, 0.9, 1.6].map(lit),
            termination_tenure_multipliers: [1.5, 1.1, 0.8, 0.6, 0.5].map(lit),
            termination_level_multipliers: [1.0, 0.95, 0.9, 0.85, 0.8].map(lit).to_vec(),
        }
    }
}

impl Workforce {
    pub(super) fn check(&self, c: &Checker, levels: usize) -> Result<()> {
        c.per_level(
            "workforce.termination_level_multipliers",
            &self.termination_level_multipliers,
            levels,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    #[test]
    fn rates_and_multipliers_are_checked_with_key_paths() {
        let e = invalid("workforce:\n  total_termination_rate: 1.5\n");
        assert!(
            e.contains("key `workforce.total_termination_rate`") && e.contains("value 1.5"),
            "{e}"
        );
        assert!(invalid("workforce:\n  new_hire_termination_rate: 1.0\n")
            .contains("workforce.new_hire_termination_rate"));
        let e = invalid("workforce:\n  termination_age_multipliers: [1, 1, 1, 1, 1, -0.5]\n");
        assert!(
            e.contains("workforce.termination_age_multipliers[5]") && e.contains("-0.5"),
            "{e}"
        );
        let e = invalid("workforce:\n  termination_level_multipliers: [1, 1]\n");
        assert!(e.contains("expected 5 values"), "{e}");
    }
}
