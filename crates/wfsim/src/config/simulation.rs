//! `simulation`: the years, the seed, the ids written on every row, and where the files are.

use super::values::{lit, lossy_path, GrowthRate};
use super::Checker;
use crate::date::Date;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    pub start_year: i32,
    pub end_year: i32,
    pub random_seed: u64,
    pub target_growth_rate: GrowthRate,
    /// Default Dec 31 of `start_year - 1` ([`super::Model::census_date`]).
    pub census_date: Option<Date>,
    pub scenario_id: String,
    pub plan_design_id: String,
    /// Census file (CSV or Parquet); relative paths are resolved against the config file.
    #[serde(serialize_with = "lossy_path")]
    pub census_path: Option<PathBuf>,
    /// Output directory; relative paths are resolved against the working directory.
    #[serde(serialize_with = "lossy_path")]
    pub output_dir: Option<PathBuf>,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            start_year: 2025,
            end_year: 2029,
            random_seed: 42,
            target_growth_rate: lit(0.03),
            census_date: None,
            scenario_id: "default".into(),
            plan_design_id: "default".into(),
            census_path: None,
            output_dir: None,
        }
    }
}

impl Simulation {
    /// The years and ids stay plain values because command-line flags set them after parsing;
    /// they are checked here. Returns the census date, its default resolved.
    pub(super) fn check(&self, c: &Checker) -> Result<Date> {
        for (key, year) in [
            ("simulation.start_year", self.start_year),
            ("simulation.end_year", self.end_year),
        ] {
            if !(1900..=2999).contains(&year) {
                return Err(c.fail(
                    key,
                    format!("value {year} is out of range: must be in 1900..=2999"),
                ));
            }
        }
        if self.end_year < self.start_year {
            return Err(c.fail(
                "simulation.end_year",
                format!(
                    "end_year {} is before start_year {}",
                    self.end_year, self.start_year
                ),
            ));
        }
        let horizon = self.end_year - self.start_year + 1;
        if horizon >= 100 {
            return Err(c.fail(
                "simulation.end_year",
                format!("a horizon of {horizon} years is too long (at most 99)"),
            ));
        }
        for (key, v) in [
            ("simulation.scenario_id", &self.scenario_id),
            ("simulation.plan_design_id", &self.plan_design_id),
        ] {
            if v.is_empty() || v.contains(['|', '/', '\\']) {
                return Err(c.fail(
                    key,
                    format!("value {v:?} must be non-empty and contain no '|', '/' or '\\'"),
                ));
            }
        }
        let census_date = self
            .census_date
            .unwrap_or_else(|| Date::dec31(self.start_year - 1));
        if census_date >= Date::jan1(self.start_year) {
            return Err(c.fail(
                "simulation.census_date",
                format!(
                    "census date {census_date} must be before Jan 1 of start_year {}",
                    self.start_year
                ),
            ));
        }
        Ok(census_date)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn years_growth_and_ids_are_checked_with_key_paths() {
        assert!(invalid("simulation:\n  target_growth_rate: -1.0\n")
            .contains("simulation.target_growth_rate"));
        assert!(
            invalid("simulation:\n  start_year: 2030\n  end_year: 2029\n")
                .contains("simulation.end_year")
        );
        assert!(invalid("simulation:\n  start_year: 2000\n  end_year: 2099\n").contains("horizon"));
        assert!(invalid("simulation:\n  scenario_id: a|b\n").contains("simulation.scenario_id"));
    }

    #[test]
    fn census_date_must_be_an_iso_date_before_the_first_year() {
        let e = invalid("simulation:\n  census_date: \"31/12/2024\"\n");
        assert!(
            e.contains("simulation.census_date") && e.contains("\"31/12/2024\""),
            "{e}"
        );
        assert!(invalid("simulation:\n  census_date: \"2025-01-01\"\n").contains("before Jan 1"));
        let c = parse_str("simulation:\n  census_date: \"2024-06-30\"\n").unwrap();
        assert_eq!(
            c.simulation.census_date,
            crate::date::Date::from_ymd(2024, 6, 30)
        );
    }
}
