//! `employer_core`: the non-elective contribution (spec §4.11): a flat rate of eligible pay,
//! or a rate graded by service or by age.

use super::values::{checked, lit, Fraction, Step, Steps};
use super::Checker;
use crate::error::Result;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceRate {
    pub min_years: i32,
    #[serde(deserialize_with = "checked::<Fraction, _>")]
    pub rate: f64,
}

impl Step for ServiceRate {
    const KEY: &'static str = "min_years";

    fn threshold(&self) -> i32 {
        self.min_years
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgeRate {
    pub min_age: i32,
    #[serde(deserialize_with = "checked::<Fraction, _>")]
    pub rate: f64,
}

impl Step for AgeRate {
    const KEY: &'static str = "min_age";

    fn threshold(&self) -> i32 {
        self.min_age
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EmployerCore {
    pub rate: Fraction,
    /// By tenure at Jan 1 (this year's hires: 0).
    pub by_service: Option<Steps<ServiceRate>>,
    /// By age at Jan 1.
    pub by_age: Option<Steps<AgeRate>>,
    /// No core contribution for an employee terminated in the year.
    pub last_day_rule: bool,
}

impl Default for EmployerCore {
    fn default() -> Self {
        EmployerCore {
            rate: lit(0.0),
            by_service: None,
            by_age: None,
            last_day_rule: false,
        }
    }
}

impl EmployerCore {
    /// The core rate for tenure and age at Jan 1.
    pub fn rate_for(&self, tenure: i32, age: i32) -> f64 {
        match (&self.by_service, &self.by_age) {
            (Some(s), _) => s.at(tenure).rate,
            (None, Some(a)) => a.at(age).rate,
            (None, None) => self.rate.get(),
        }
    }

    pub(super) fn check(&self, c: &Checker) -> Result<()> {
        let ways = [
            self.rate.get() != 0.0,
            self.by_service.is_some(),
            self.by_age.is_some(),
        ];
        if ways.iter().filter(|&&w| w).count() > 1 {
            return Err(c.fail(
                "employer_core",
                "set at most one of rate (other than 0), by_service and by_age".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn graded_rates_pick_their_step() {
        let c = parse_str(
            "employer_core:\n  by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.04}]\n",
        )
        .unwrap()
        .employer_core;
        assert_eq!(c.rate_for(10, 49), 0.02);
        assert_eq!(c.rate_for(0, 50), 0.04);
        let c = parse_str("employer_core:\n  by_service: [{min_years: 0, rate: 0.01}, {min_years: 3, rate: 0.03}]\n")
            .unwrap()
            .employer_core;
        assert_eq!(c.rate_for(2, 60), 0.01);
        assert_eq!(c.rate_for(3, 20), 0.03);
        assert_eq!(parse_str("").unwrap().employer_core.rate_for(5, 40), 0.0);
    }

    #[test]
    fn one_way_at_a_time_and_rates_in_range() {
        let e = invalid("employer_core:\n  rate: 0.03\n  by_age: [{min_age: 0, rate: 0.02}]\n");
        assert!(
            e.contains("key `employer_core`") && e.contains("at most one"),
            "{e}"
        );
        let e = invalid("employer_core:\n  rate: -0.01\n");
        assert!(
            e.contains("employer_core.rate") && e.contains("-0.01"),
            "{e}"
        );
        let e = invalid("employer_core:\n  by_service: [{min_years: 0, rate: 1.5}]\n");
        assert!(e.contains("employer_core.by_service"), "{e}");
        let e = invalid("employer_core:\n  by_age: [{min_age: 21, rate: 0.02}]\n");
        assert!(e.contains("min_age thresholds must start at 0"), "{e}");
    }
}
