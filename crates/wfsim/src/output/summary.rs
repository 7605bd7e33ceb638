//! `generation_summary.json`: what was run, on what inputs, and what it produced.

use crate::census::{RateUnit, Reject};
use crate::config::Model;
use crate::error::{Error, Result};
use crate::year::YearCounts;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Written by every run and read back by `wfsim report` (this type, not a second declaration).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenerationSummary {
    pub tool_version: String,
    pub engine: String,
    pub start_year: i32,
    pub end_year: i32,
    pub random_seed: u64,
    pub scenario_id: String,
    pub plan_design_id: String,
    pub threads: usize,
    pub census_file: String,
    pub census_sha256: String,
    /// The unit the census deferral rates were read in (spec §6); `None` without the column or
    /// for the built-in example census.
    pub census_deferral_rate_unit: Option<RateUnit>,
    /// Census rows set aside with `--rejects` (0 without it), and how many per reason
    /// (`column: reason`, numbers written `#`), in key order.
    pub census_rejected_rows: usize,
    pub census_rejects_by_reason: std::collections::BTreeMap<String, usize>,
    pub config_file: Option<String>,
    pub config_sha256: String,
    /// Valid but implausible config values (`config::warnings`), as printed.
    pub config_warnings: Vec<String>,
    pub years: Vec<YearCounts>,
    pub total_events: i64,
    pub output_bytes: u64,
    /// Wall-clock figures live here only, never in the Parquet files.
    pub wall_seconds: f64,
    pub events_per_second: f64,
    pub peak_memory_bytes: Option<u64>,
    /// Every config key as the run used it (spec §5), so downstream tools (the dbt project)
    /// read the run's assumptions instead of restating them.
    pub resolved_config: serde_json::Value,
}

/// What a run read, as its summary names it.
pub struct Sources<'a> {
    /// How the census is named (a path, or the built-in example).
    pub census_file: String,
    /// The census file read, for `resolved_config`; `None` for a census built in memory.
    pub census_path: Option<String>,
    pub census_sha256: String,
    pub census_deferral_rate_unit: Option<RateUnit>,
    pub census_rejects: &'a [Reject],
    pub config_file: Option<String>,
    pub config_sha256: String,
}

impl GenerationSummary {
    /// The summary of one run of `model` (a `wfsim run`, or one run of a batch).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &Model,
        engine: String,
        threads: usize,
        sources: Sources,
        years: Vec<YearCounts>,
        output_bytes: u64,
        wall_seconds: f64,
        peak_memory_bytes: Option<u64>,
    ) -> GenerationSummary {
        let sim = &model.config.simulation;
        let total_events = years.iter().map(|y| y.events).sum();
        GenerationSummary {
            tool_version: env!("CARGO_PKG_VERSION").into(),
            engine,
            start_year: sim.start_year,
            end_year: sim.end_year,
            random_seed: sim.random_seed,
            scenario_id: sim.scenario_id.clone(),
            plan_design_id: sim.plan_design_id.clone(),
            threads,
            census_file: sources.census_file,
            census_sha256: sources.census_sha256,
            census_deferral_rate_unit: sources.census_deferral_rate_unit,
            census_rejected_rows: sources.census_rejects.len(),
            census_rejects_by_reason: crate::census::rejects_by_reason(sources.census_rejects),
            config_file: sources.config_file,
            config_sha256: sources.config_sha256,
            config_warnings: model.warnings.iter().map(ToString::to_string).collect(),
            years,
            total_events,
            output_bytes,
            wall_seconds,
            events_per_second: if wall_seconds > 0.0 {
                total_events as f64 / wall_seconds
            } else {
                0.0
            },
            peak_memory_bytes,
            resolved_config: model.resolved_config(sources.census_path.as_deref()),
        }
    }
}

pub fn write(dir: &Path, summary: &GenerationSummary) -> Result<()> {
    let path = dir.join("generation_summary.json");
    let mut text = serde_json::to_string_pretty(summary).expect("summary serialises");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// Peak resident memory of this process (Linux `VmHWM`), if the platform reports it.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
