//! `job_levels`: the salary band of each level, ascending. The count of levels sizes every
//! per-level list, so those lengths are checked once this section is read.

use super::values::{checked, Amount, Probability, Salary};
use super::Checker;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::ops::Deref;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JobLevel {
    pub level: u8,
    #[serde(deserialize_with = "checked::<Salary, _>")]
    pub min_salary: f64,
    /// At least `min_salary`.
    #[serde(deserialize_with = "checked::<Salary, _>")]
    pub max_salary: f64,
    #[serde(deserialize_with = "checked::<Probability, _>")]
    pub hire_percentile: f64,
    /// Census rows without a level get the highest level whose threshold their salary reaches.
    #[serde(deserialize_with = "checked::<Amount, _>")]
    pub census_salary_threshold: f64,
}

/// The levels, listed 1, 2, 3, … ascending.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(transparent)]
pub struct JobLevels(pub Vec<JobLevel>);

impl Deref for JobLevels {
    type Target = Vec<JobLevel>;

    fn deref(&self) -> &Vec<JobLevel> {
        &self.0
    }
}

impl Default for JobLevels {
    fn default() -> Self {
        let levels = [
            (56_000.0, 80_000.0, 0.25, 0.0),
            (81_000.0, 120_000.0, 0.30, 81_000.0),
            (121_000.0, 160_000.0, 0.35, 121_000.0),
            (161_000.0, 300_000.0, 0.40, 161_000.0),
            (275_000.0, 500_000.0, 0.45, 300_000.0),
        ];
        JobLevels(
            levels
                .into_iter()
                .zip(1u8..)
                .map(
                    |(
                        (min_salary, max_salary, hire_percentile, census_salary_threshold),
                        level,
                    )| {
                        JobLevel {
                            level,
                            min_salary,
                            max_salary,
                            hire_percentile,
                            census_salary_threshold,
                        }
                    },
                )
                .collect(),
        )
    }
}

impl JobLevels {
    /// Returns the number of levels, which sizes the per-level lists of the other sections.
    pub(super) fn check(&self, c: &Checker) -> Result<usize> {
        let levels = self.len();
        if levels == 0 || levels > 20 {
            return Err(c.fail(
                "job_levels",
                format!("expected 1 to 20 levels, found {levels}"),
            ));
        }
        for (i, l) in self.iter().enumerate() {
            if usize::from(l.level) != i + 1 {
                return Err(c.fail(
                    &format!("job_levels[{i}].level"),
                    format!(
                        "value {} is out of order: levels must be listed 1, 2, 3, … ascending",
                        l.level
                    ),
                ));
            }
            if l.max_salary < l.min_salary {
                return Err(c.fail(
                    &format!("job_levels[{i}].max_salary"),
                    format!(
                        "value {} is out of range: max_salary must be >= min_salary {}",
                        l.max_salary, l.min_salary
                    ),
                ));
            }
        }
        Ok(levels)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::invalid;

    const LEVEL: &str = "level: 1, min_salary: 100, max_salary: 200, hire_percentile: 0.5, census_salary_threshold: 0";

    #[test]
    fn levels_are_listed_in_order_with_ordered_salaries() {
        let e = invalid(&format!(
            "job_levels:\n  - {{{}}}\n",
            LEVEL.replace("level: 1", "level: 2")
        ));
        assert!(
            e.contains("job_levels[0].level") && e.contains("out of order"),
            "{e}"
        );
        let e = invalid(&format!(
            "job_levels:\n  - {{{}}}\n",
            LEVEL.replace("200", "50")
        ));
        assert!(e.contains("job_levels[0].max_salary"), "{e}");
        assert!(invalid("job_levels: []\n").contains("expected 1 to 20 levels"));
    }

    #[test]
    fn level_values_are_checked_while_parsing() {
        let e = invalid(&format!(
            "job_levels:\n  - {{{}}}\n",
            LEVEL.replace("0.5", "1.5")
        ));
        assert!(
            e.contains("job_levels[0].hire_percentile") && e.contains("value 1.5 is out of range"),
            "{e}"
        );
        let e = invalid(&format!(
            "job_levels:\n  - {{{}}}\n",
            LEVEL.replace("100", "0")
        ));
        assert!(e.contains("job_levels[0].min_salary"), "{e}");
    }
}
