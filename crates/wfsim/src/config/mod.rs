//! The assumptions YAML (spec §6, §7), one file per section. Every key has a default; unknown
//! keys are errors that name the key path. Values parse into types that cannot hold a bad
//! value ([`values`]); what [`validate`] adds are the checks that span several keys, each
//! beside its section.

mod accounts;
pub(crate) mod census;
mod compensation;
mod deferral_auto_escalation;
mod document;
mod eligibility;
mod employer_core;
mod employer_match;
mod enrollment;
mod irs_limits;
mod job_levels;
mod ndt;
mod new_hire;
mod plan;
mod promotion;
mod simulation;
pub mod values;
mod vesting;
pub mod warnings;
mod workforce;

pub use accounts::Accounts;
pub use census::{
    CensusInput, CensusMap, Column, ColumnMap, DateFormat, DeferralRateUnit, HeaderRow,
};
pub use compensation::Compensation;
pub use deferral_auto_escalation::{Escalation, EscalationScope};
pub use document::{key_text, Document, KeyPath, Set, Step};
pub use eligibility::Eligibility;
pub use employer_core::{
    AgeRate, EmployerCore, Integration, IntegrationLevel, PointsRate, ServiceRate,
};
pub use employer_match::{EmployerMatch, PointsTiers, ServiceTiers, Tier, Tiers};
pub use enrollment::{AutoEnrollment, AutoEnrollmentScope, Conversion, Enrollment, Voluntary};
pub use irs_limits::{IrsLimits, LimitRow, LimitYear, Limits, Published};
pub use job_levels::{JobLevel, JobLevels};
pub use ndt::{Ndt, SafeHarbor, TestingMethod};
pub use new_hire::{AgeWeight, NewHire};
pub use plan::pct;
pub use promotion::Promotion;
pub use simulation::Simulation;
pub use values::MonthDay;
pub use vesting::{Schedule, Vesting};
pub use workforce::Workforce;

use crate::date::Date;
use crate::error::{Error, Result};
use crate::numerics::Cumulative;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The config as written (defaults filled in), before the checks that span several keys.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub simulation: Simulation,
    pub census: CensusInput,
    pub workforce: Workforce,
    pub compensation: Compensation,
    pub promotion: Promotion,
    pub eligibility: Eligibility,
    pub enrollment: Enrollment,
    pub deferral_auto_escalation: Escalation,
    pub job_levels: JobLevels,
    pub new_hire: NewHire,
    pub employer_match: EmployerMatch,
    pub employer_core: EmployerCore,
    pub vesting: Vesting,
    pub irs_limits: IrsLimits,
    pub accounts: Accounts,
    pub ndt: Ndt,
}

/// A validated configuration with the derived values the engines need.
#[derive(Clone, Debug)]
pub struct Model {
    pub config: Config,
    /// `simulation.census_date`, or its derived default.
    pub census_date: Date,
    /// `enrollment.auto_enrollment.hire_date_cutoff`, or its derived default.
    pub hire_date_cutoff: Date,
    /// The new-hire age distribution as integer weights (spec §3).
    pub hire_ages: Cumulative,
    /// Valid but implausible values (`warnings.rs`): printed, recorded in the summary, errors
    /// with `--strict`.
    pub warnings: Vec<warnings::Warning>,
}

impl Model {
    pub fn max_level(&self) -> u8 {
        self.config.job_levels.len() as u8
    }

    pub fn level(&self, level: u8) -> &JobLevel {
        &self.config.job_levels[usize::from(level) - 1]
    }

    /// Every config key as the run used it (spec §5): derived defaults filled in and
    /// `census_path` the file actually read (`None` for the built-in example census).
    pub fn resolved_config(&self, census_path: Option<&str>) -> serde_json::Value {
        let mut config = self.config.clone();
        config.simulation.census_date = Some(self.census_date);
        config.simulation.census_path = census_path.map(PathBuf::from);
        config.enrollment.auto_enrollment.hire_date_cutoff = Some(self.hire_date_cutoff);
        serde_json::to_value(config).expect("every config value serialises to JSON")
    }
}

pub fn parse(text: &str, path: &Path) -> Result<Config> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| config_error(e, path))
}

/// A YAML or typing error at its key path.
fn config_error(e: serde_path_to_error::Error<serde_norway::Error>, path: &Path) -> Error {
    let key = e.path().to_string();
    let inner = e.into_inner().to_string();
    // serde_norway starts its message with the enclosing key path, which `key` names in full.
    let message = match inner.split_once(": ") {
        Some((enclosing, rest)) if key.starts_with(enclosing) => rest.to_string(),
        _ => inner,
    };
    Error::Config {
        file: path.display().to_string(),
        key: if key == "." {
            "(top level)".into()
        } else {
            key
        },
        message,
    }
}

/// Builds the errors of the cross-key checks: `file` names the config in messages.
struct Checker<'a> {
    file: &'a str,
}

impl Checker<'_> {
    fn fail(&self, key: &str, message: String) -> Error {
        Error::Config {
            file: self.file.into(),
            key: key.into(),
            message,
        }
    }

    /// A per-level list has one value per job level (known only once `job_levels` is read).
    fn per_level<T>(&self, key: &str, list: &[T], levels: usize) -> Result<()> {
        if list.len() == levels {
            Ok(())
        } else {
            Err(self.fail(
                key,
                format!(
                    "expected {levels} values, found {} (one per job level)",
                    list.len()
                ),
            ))
        }
    }
}

/// Runs the checks that span several keys and resolves the derived defaults; `file` names the
/// config in messages.
pub fn validate(config: Config, file: &str) -> Result<Model> {
    let c = Checker { file };
    let census_date = config.simulation.check(&c)?;
    let levels = config.job_levels.check(&c)?;
    config.workforce.check(&c, levels)?;
    config.compensation.check(&c, levels)?;
    config.enrollment.check(&c, levels)?;
    let hire_ages = config.new_hire.check(&c, levels)?;
    config.employer_match.check(&c)?;
    config
        .employer_core
        .check(&c, &config.irs_limits, config.simulation.start_year)?;
    let hire_date_cutoff = config
        .enrollment
        .auto_enrollment
        .hire_date_cutoff(config.simulation.start_year);
    Ok(Model {
        warnings: warnings::of(&config),
        config,
        census_date,
        hire_date_cutoff,
        hire_ages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn parse_str(text: &str) -> Result<Config> {
        parse(text, Path::new("test.yaml"))
    }

    /// The first error of parsing then validating `yaml`.
    pub(super) fn invalid(yaml: &str) -> String {
        parse_str(yaml)
            .and_then(|c| validate(c, "test.yaml"))
            .unwrap_err()
            .to_string()
    }

    pub(super) const EXAMPLE: &str = include_str!("../../../../config/simulation.yaml");

    #[test]
    fn example_config_lists_exactly_the_defaults() {
        assert_eq!(parse_str(EXAMPLE).unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_names_its_path() {
        let e = parse_str("workforce:\n  total_termination_rat: 0.1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("key `workforce.total_termination_rat`"), "{e}");
        assert!(e.contains("unknown field"), "{e}");
    }

    #[test]
    fn wrong_type_names_its_path() {
        let e = parse_str("simulation:\n  start_year: soon\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("simulation.start_year"), "{e}");
    }

    #[test]
    fn defaults_validate_and_derive_dates() {
        let m = validate(Config::default(), "defaults").unwrap();
        assert_eq!(m.census_date, Date::dec31(2024));
        assert_eq!(m.hire_date_cutoff, Date::jan1(2025));
        assert_eq!(m.max_level(), 5);
    }

    /// The key paths of a YAML/JSON tree, lists collapsed (their elements share one path).
    fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    let path = format!("{prefix}.{k}");
                    out.push(path.clone());
                    key_paths(child, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                for child in items {
                    key_paths(child, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }

    fn sorted_paths(v: &serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        key_paths(v, "", &mut out);
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn resolved_config_has_every_key_of_the_example_config() {
        let example: serde_json::Value = serde_norway::from_str(EXAMPLE).unwrap();
        let resolved = validate(Config::default(), "defaults")
            .unwrap()
            .resolved_config(None);
        assert_eq!(sorted_paths(&resolved), sorted_paths(&example));
    }

    #[test]
    fn resolved_config_fills_derived_defaults_and_the_census_read() {
        let model = validate(Config::default(), "defaults").unwrap();
        let r = model.resolved_config(Some("data/census.csv"));
        assert_eq!(r["simulation"]["census_date"], "2024-12-31");
        assert_eq!(r["simulation"]["census_path"], "data/census.csv");
        assert_eq!(
            r["enrollment"]["auto_enrollment"]["hire_date_cutoff"],
            "2025-01-01"
        );
        assert_eq!(r["compensation"]["merit_date"], "07-15");
        assert!(model.resolved_config(None)["simulation"]["census_path"].is_null());
    }

    #[test]
    fn resolved_config_round_trips_through_yaml() {
        let model = validate(Config::default(), "defaults").unwrap();
        let resolved = model.resolved_config(None);
        let yaml = serde_norway::to_string(&resolved).unwrap();
        let reparsed = parse_str(&yaml).unwrap();
        let mut expected = Config::default();
        expected.simulation.census_date = Some(model.census_date);
        expected.enrollment.auto_enrollment.hire_date_cutoff = Some(model.hire_date_cutoff);
        assert_eq!(reparsed, expected);
        let again = validate(reparsed, "round trip").unwrap();
        assert_eq!(again.resolved_config(None), resolved);
    }
}
