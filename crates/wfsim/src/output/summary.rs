//! `generation_summary.json`: what was run, on what inputs, and what it produced.

use crate::census::RateUnit;
use crate::error::{Error, Result};
use crate::event::YearCounts;
use serde::Serialize;
use std::path::Path;

#[derive(Clone, Debug, Serialize)]
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
