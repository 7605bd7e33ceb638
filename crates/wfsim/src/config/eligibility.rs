//! `eligibility`: when an employee may join the plan.

use super::values::{lit, IntIn, Probability};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Eligibility {
    pub minimum_age: IntIn<0, 100>,
    pub waiting_period_days: IntIn<0, 3660>,
    pub new_hire_ineligible_pct: Probability,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility {
            minimum_age: lit(21),
            waiting_period_days: lit(0),
            new_hire_ineligible_pct: lit(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    #[test]
    fn ranges_are_checked_with_key_paths() {
        let e = invalid("eligibility:\n  minimum_age: -3\n");
        assert!(
            e.contains("key `eligibility.minimum_age`") && e.contains("value -3 is out of range"),
            "{e}"
        );
        assert!(invalid("eligibility:\n  new_hire_ineligible_pct: 2\n")
            .contains("eligibility.new_hire_ineligible_pct"));
    }
}
