//! `new_hire`: the salary, age and level of hires.

use super::values::{lit, Fraction, IntIn, Probability};
use super::Checker;
use crate::error::Result;
use crate::numerics::Cumulative;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgeWeight {
    pub age: IntIn<14, 100>,
    pub weight: Probability,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NewHire {
    pub salary_spread: Fraction,
    pub age_distribution: Vec<AgeWeight>,
    /// Fixed share of hires per level (ascending, summing to 1); absent = adaptive.
    pub level_shares: Option<Vec<Probability>>,
}

impl Default for NewHire {
    fn default() -> Self {
        NewHire {
            salary_spread: lit(0.09),
            age_distribution: [
                (22, 0.05),
                (25, 0.15),
                (28, 0.20),
                (32, 0.25),
                (35, 0.15),
                (40, 0.10),
                (45, 0.08),
                (50, 0.02),
            ]
            .into_iter()
            .map(|(age, weight)| AgeWeight {
                age: lit(age),
                weight: lit(weight),
            })
            .collect(),
            level_shares: None,
        }
    }
}

impl NewHire {
    /// Returns the age distribution as the integer weights the draws use.
    pub(super) fn check(&self, c: &Checker, levels: usize) -> Result<Cumulative> {
        if self.age_distribution.is_empty() {
            return Err(c.fail(
                "new_hire.age_distribution",
                "expected at least one age".into(),
            ));
        }
        let hire_ages =
            Cumulative::from_weights(self.age_distribution.iter().map(|a| a.weight.get()));
        if hire_ages.total() == 0 {
            return Err(c.fail(
                "new_hire.age_distribution",
                "the weights sum to zero".into(),
            ));
        }
        if let Some(shares) = &self.level_shares {
            c.per_level("new_hire.level_shares", shares, levels)?;
            let sum: f64 = shares.iter().map(|s| s.get()).sum();
            if (sum - 1.0).abs() > 1e-6 {
                return Err(c.fail(
                    "new_hire.level_shares",
                    format!("shares sum to {sum}, not 1"),
                ));
            }
        }
        Ok(hire_ages)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    #[test]
    fn level_shares_have_one_share_per_level_summing_to_one() {
        let e = invalid("new_hire:\n  level_shares: [0.5, 0.5, 0.1, 0, 0]\n");
        assert!(
            e.contains("new_hire.level_shares") && e.contains("sum to 1.1"),
            "{e}"
        );
        let e = invalid("new_hire:\n  level_shares: [0.5, 0.5]\n");
        assert!(
            e.contains("new_hire.level_shares") && e.contains("expected 5 values"),
            "{e}"
        );
    }

    #[test]
    fn age_distribution_needs_a_positive_weight_and_working_ages() {
        assert!(invalid("new_hire:\n  age_distribution: []\n").contains("at least one age"));
        assert!(
            invalid("new_hire:\n  age_distribution:\n    - {age: 25, weight: 0}\n")
                .contains("sum to zero")
        );
        assert!(
            invalid("new_hire:\n  age_distribution:\n    - {age: 12, weight: 1}\n")
                .contains("new_hire.age_distribution[0].age")
        );
    }
}
