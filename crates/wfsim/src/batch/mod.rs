//! `wfsim batch`: scenarios × seeds in one command (spec §8). Every run (s, k) is the single
//! run of scenario s's merged config with seed k, so two scenarios with the same seed share
//! their random draws and their paired difference is the design's effect, not noise. The runs
//! go in parallel on one pool; results are collected by run index, so the files do not depend
//! on the thread count.

mod file;
pub mod horizon;
pub mod metrics;
pub(crate) mod tables;
pub mod uncertainty;

pub(crate) use file::is_fixed;
pub use file::{load, read_yaml, resolve, Batch, Scenario, MAX_RUNS};

use crate::census::CensusRow;
use crate::config::JobLevels;
use crate::error::{Error, Result};
use crate::output::directory::Staging;
use crate::output::parquet::{write_year_to, RunLabels, Written};
use crate::output::summary;
use crate::run::{self, EngineChoice, Year};
use crate::totals::dollars;
use metrics::{stats, Stats, Value, METRICS};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tables::StatsRow;
pub use tables::{metrics_batch, MetricsRow};

/// Which per-run files a batch keeps besides its metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Keep {
    pub events: bool,
    pub snapshots: bool,
}

/// Observes a batch's progress (the CLI draws its progress bar with this).
pub trait BatchProgress: Sync {
    fn run_finished(&self, _done: usize, _total: usize) {}
}

impl BatchProgress for () {}

/// What a batch needs besides its file.
pub struct BatchInputs {
    pub batch: Batch,
    /// Every census row, leavers included, as loaded for the first scenario.
    pub census: Vec<CensusRow>,
    pub census_label: String,
    pub census_sha256: String,
    pub out: PathBuf,
    pub keep: Keep,
    pub threads: usize,
    pub created_at_micros: i64,
    /// The engine of every run ([`EngineChoice::native`] unless asked otherwise).
    pub engine: EngineChoice<'static>,
}

#[derive(Serialize)]
struct ScenarioSummary {
    scenario_id: String,
    title: Option<String>,
    /// Valid but implausible values of the merged config, as printed.
    config_warnings: Vec<String>,
    resolved_config: serde_json::Value,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct UncertainSummary {
    pub key_path: String,
    pub distribution: String,
    pub scale: bool,
    /// The scenarios whose overlay sets the key, so the draw does not apply to them.
    pub not_in: Vec<String>,
}

#[derive(Serialize)]
pub struct BatchSummary {
    pub tool_version: String,
    pub batch_file: String,
    pub batch_sha256: String,
    pub base_config: Option<String>,
    pub census_file: String,
    pub census_sha256: String,
    pub seeds: Vec<u64>,
    pub baseline: String,
    /// The rate the horizon's present values are discounted at (spec §8).
    pub discount_rate: f64,
    /// The uncertain assumptions drawn per seed (spec §8), as `key: distribution`; empty when
    /// the bands hold only the seeds' draws.
    pub uncertainty: Vec<UncertainSummary>,
    scenarios: Vec<ScenarioSummary>,
    pub runs: usize,
    pub keep: Keep,
    pub threads: usize,
    pub output_bytes: u64,
    /// Wall-clock figures live here only, never in the Parquet files.
    pub wall_seconds: f64,
    pub runs_per_second: f64,
    pub peak_memory_bytes: Option<u64>,
}

/// The last simulated year's headline per scenario, for the end-of-batch table.
pub struct ScenarioResult {
    pub scenario_id: String,
    pub title: Option<String>,
    pub year: i32,
    pub participation: Stats,
    /// `None` for the baseline.
    pub participation_delta: Option<Stats>,
    /// The ADP and ACP pass flags over the seeds: `mean` is the share of the seeds where the
    /// test applied that pass (spec §9).
    pub adp_pass: Stats,
    pub acp_pass: Stats,
    /// The first simulated year (`year` is the last).
    pub first_year: i32,
    /// The employer cost summed over the horizon, and its paired difference (`None` for the
    /// baseline).
    pub employer_cost_total: Stats,
    pub employer_cost_total_delta: Option<Stats>,
}

pub struct BatchReport {
    pub summary: BatchSummary,
    pub last_year: Vec<ScenarioResult>,
}

/// One year of one run's metrics, in [`METRICS`] order: what a run hands to [`Plan::finish`].
#[derive(Clone, Debug, PartialEq)]
pub struct YearMetrics {
    pub year: i32,
    pub values: [Value; METRICS.len()],
}

/// Runs one (scenario, seed) and writes its kept files under `root`; returns its metrics.
fn run_one(
    inputs: &BatchInputs,
    census: &[CensusRow],
    s: usize,
    seed: u64,
    root: &Path,
) -> Result<Vec<YearMetrics>> {
    let started = Instant::now();
    let scenario = &inputs.batch.scenarios[s];
    let model = inputs.batch.model(s, seed)?;
    let sim = &model.config.simulation;
    let labels = RunLabels {
        scenario_id: sim.scenario_id.clone(),
        plan_design_id: sim.plan_design_id.clone(),
        created_at_micros: inputs.created_at_micros,
    };
    let run_dir = |kind: &str| {
        root.join(kind)
            .join(format!("scenario_id={}", scenario.id))
            .join(format!("random_seed={seed}"))
    };
    let mut engine = (inputs.engine.make)(&model, census)?;
    let mut years = Vec::with_capacity((sim.end_year - sim.start_year + 1) as usize);
    let mut bytes = 0;
    let writes = inputs.keep.events || inputs.keep.snapshots;
    let span = (sim.start_year, sim.end_year);
    run::each_year(&mut *engine, span, &model.config.ndt, writes, &(), |y| {
        if let Year::Rows(out) = &y {
            let part = format!("simulation_year={}", out.year);
            let events = inputs.keep.events.then(|| {
                run_dir("events")
                    .join(&part)
                    .join(format!("events_{}.parquet", out.year))
            });
            let snapshots = inputs.keep.snapshots.then(|| {
                run_dir("snapshots")
                    .join(&part)
                    .join(format!("snapshot_{}.parquet", out.year))
            });
            let files = write_year_to(events.as_deref(), snapshots.as_deref(), &labels, out)?;
            bytes += Written::sync_all(files)?;
        }
        years.push(y.into_counts());
        Ok(true)
    })?;
    if writes {
        let dir = run_dir("summaries");
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let s = summary::GenerationSummary::new(
            &model,
            inputs.engine.name.clone(),
            inputs.threads,
            summary::Sources {
                census_file: inputs.census_label.clone(),
                census_path: census_label_path(inputs).map(str::to_string),
                census_sha256: inputs.census_sha256.clone(),
                census_deferral_rate_unit: None,
                census_rejects: &[],
                config_file: inputs.batch.base.as_ref().map(|p| p.display().to_string()),
                config_sha256: inputs.batch.sha256.clone(),
            },
            years.clone(),
            bytes,
            started.elapsed().as_secs_f64(),
            None,
        );
        summary::write(&dir, &s)?;
    }
    Ok(years
        .iter()
        .map(|y| YearMetrics {
            year: y.year,
            values: metrics::of_year(y),
        })
        .collect())
}

fn census_label_path(inputs: &BatchInputs) -> Option<&str> {
    inputs.batch.census.path().and_then(Path::to_str)
}

/// A batch ready to run: its censuses prepared, one per distinct set of job levels. The runs
/// ([`Plan::run`]) may go anywhere in any order (`wfsim batch` runs them on one pool, the
/// Python package on a Ray cluster); [`Plan::finish`] takes their metrics in run order, so the
/// files do not depend on where or when each run went.
pub struct Plan {
    inputs: BatchInputs,
    pool: rayon::ThreadPool,
    censuses: Vec<(JobLevels, Vec<CensusRow>)>,
    census_of: Vec<usize>,
    started: Instant,
}

/// Prepares `inputs` to run.
pub fn plan(inputs: BatchInputs) -> Result<Plan> {
    let started = Instant::now();
    let pool = crate::pool::worker_pool(inputs.threads)?;
    let first = &inputs.batch.scenarios[0].model;
    let censuses = vec![(
        first.config.job_levels.clone(),
        active(&inputs.census, first.census_date),
    )];
    let mut plan = Plan {
        inputs,
        pool,
        censuses,
        census_of: vec![],
        started,
    };
    plan.match_censuses()?;
    Ok(plan)
}

/// The census rows still employed at the census date.
fn active(rows: &[CensusRow], census_date: crate::date::Date) -> Vec<CensusRow> {
    rows.iter()
        .filter(|r| !r.is_leaver(census_date))
        .cloned()
        .collect()
}

impl Plan {
    /// One census per distinct set of job levels (in the common case, one): the levels of a
    /// census without `level_id` are derived from them, as a single run of that config would.
    fn match_censuses(&mut self) -> Result<()> {
        let batch = &self.inputs.batch;
        self.census_of.clear();
        for s in &batch.scenarios {
            let levels = &s.model.config.job_levels;
            let i = match self.censuses.iter().position(|(l, _)| l == levels) {
                Some(i) => i,
                None => {
                    let rows = batch
                        .census
                        .load(&s.model, &self.pool, crate::census::LoadOptions::default())?
                        .rows;
                    self.censuses
                        .push((levels.clone(), active(&rows, s.model.census_date)));
                    self.censuses.len() - 1
                }
            };
            self.census_of.push(i);
        }
        Ok(())
    }

    /// The same census, pool and engine for other scenarios and seeds: the optimizer's next
    /// designs, each run as a batch run.
    pub fn retarget(&mut self, scenarios: Vec<Scenario>, seeds: Vec<u64>) -> Result<()> {
        self.inputs.batch.scenarios = scenarios;
        self.inputs.batch.seeds = seeds;
        self.match_censuses()
    }

    /// Runs in the batch (scenarios × seeds); run `r` is scenario `r / seeds`, seed `r % seeds`.
    pub fn runs(&self) -> usize {
        self.inputs.batch.runs()
    }

    /// Where the batch's output goes.
    pub fn out(&self) -> &Path {
        &self.inputs.out
    }

    /// Runs run `r` and writes its kept files under `root`; returns its metrics by year.
    pub fn run(&self, r: usize, root: &Path) -> Result<Vec<YearMetrics>> {
        let batch = &self.inputs.batch;
        let n_seeds = batch.seeds.len();
        let (s, k) = (r / n_seeds, r % n_seeds);
        let scenario = &batch.scenarios[s];
        self.pool
            .install(|| {
                run_one(
                    &self.inputs,
                    &self.censuses[self.census_of[s]].1,
                    s,
                    batch.seeds[k],
                    root,
                )
            })
            .map_err(|e| in_run(e, &scenario.id, batch.seeds[k]))
    }

    /// Runs every run on the plan's pool, each writing its kept files under `root`; returns
    /// their metrics in run order.
    pub fn run_all(
        &self,
        root: &Path,
        progress: &dyn BatchProgress,
    ) -> Result<Vec<Vec<YearMetrics>>> {
        let total = self.runs();
        let done = AtomicUsize::new(0);
        self.pool.install(|| {
            (0..total)
                .into_par_iter()
                .with_max_len(1)
                .map(|r| {
                    let years = self.run(r, root)?;
                    progress.run_finished(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                    Ok(years)
                })
                .collect::<Result<Vec<_>>>()
        })
    }

    /// Writes the metrics of every run (`results[r]` is run `r`'s), the ensemble and the
    /// deltas, and the batch summary under `root`.
    pub fn finish(&self, results: &[Vec<YearMetrics>], root: &Path) -> Result<BatchReport> {
        finish(&self.inputs, results, root, self.started)
    }
}

/// Runs every (scenario, seed) of the batch and writes its files into `inputs.out`, atomically.
pub fn run(inputs: BatchInputs, progress: &dyn BatchProgress) -> Result<BatchReport> {
    let plan = plan(inputs)?;
    let staging = Staging::create(plan.out())?;
    let results = plan.run_all(staging.path(), progress)?;
    let report = plan.finish(&results, staging.path())?;
    staging.commit()?;
    Ok(report)
}

fn finish(
    inputs: &BatchInputs,
    results: &[Vec<YearMetrics>],
    root: &Path,
    started: Instant,
) -> Result<BatchReport> {
    let batch = &inputs.batch;
    let n_seeds = batch.seeds.len();
    let total = batch.runs();
    // metrics: scenario in batch order, seed, year
    let mut rows = Vec::new();
    for (r, years) in results.iter().enumerate() {
        let (s, k) = (r / n_seeds, r % n_seeds);
        for y in years {
            rows.push(MetricsRow {
                scenario_id: &batch.scenarios[s].id,
                random_seed: batch.seeds[k],
                year: y.year,
                values: y.values,
            });
        }
    }
    let n_years = results.first().map_or(0, Vec::len);
    let at = |s: usize, k: usize, y: usize| &rows[(s * n_seeds + k) * n_years + y];
    // horizon totals: run by run, in cents
    let totals: Vec<[i64; horizon::NAMES.len()]> = results
        .iter()
        .map(|years| horizon::of_run(years, batch.discount_rate))
        .collect();
    let total_at = |s: usize, k: usize| &totals[s * n_seeds + k];
    let mut ensemble = Vec::new();
    let mut deltas = Vec::new();
    let mut last_year = Vec::new();
    for (s, scenario) in batch.scenarios.iter().enumerate() {
        for y in 0..n_years {
            let year = at(s, 0, y).year;
            for (m, metric) in METRICS.iter().map(|m| m.name).enumerate() {
                let e = stats((0..n_seeds).map(|k| at(s, k, y).values[m].as_f64()));
                ensemble.push(StatsRow {
                    scenario_id: &scenario.id,
                    year: Some(year),
                    metric,
                    stats: e,
                });
                if s != batch.baseline {
                    let d =
                        stats((0..n_seeds).map(|k| {
                            at(s, k, y).values[m].minus(at(batch.baseline, k, y).values[m])
                        }));
                    deltas.push(StatsRow {
                        scenario_id: &scenario.id,
                        year: Some(year),
                        metric,
                        stats: d,
                    });
                }
            }
        }
        // the horizon after the years, with a null year
        for (h, metric) in horizon::NAMES.iter().copied().enumerate() {
            let e = stats((0..n_seeds).map(|k| Some(dollars(total_at(s, k)[h]))));
            ensemble.push(StatsRow {
                scenario_id: &scenario.id,
                year: None,
                metric,
                stats: e,
            });
            if s != batch.baseline {
                let d =
                    stats((0..n_seeds).map(|k| {
                        Some(dollars(total_at(s, k)[h] - total_at(batch.baseline, k)[h]))
                    }));
                deltas.push(StatsRow {
                    scenario_id: &scenario.id,
                    year: None,
                    metric,
                    stats: d,
                });
            }
        }
    }
    let participation = metrics::metric_named("participation_rate")
        .expect("a metric")
        .0;
    let [adp_pass, acp_pass] =
        ["adp_pass", "acp_pass"].map(|m| metrics::metric_named(m).expect("a metric").0);
    let per_scenario = METRICS.len() * n_years + horizon::NAMES.len();
    let cost_total = horizon::NAMES
        .iter()
        .position(|n| *n == "employer_cost_total")
        .expect("a horizon metric");
    for (s, scenario) in batch.scenarios.iter().enumerate() {
        if n_years == 0 {
            break;
        }
        let base = s * per_scenario + (n_years - 1) * METRICS.len();
        let delta_index = (s > batch.baseline)
            .then(|| s - 1)
            .or((s < batch.baseline).then_some(s));
        last_year.push(ScenarioResult {
            scenario_id: scenario.id.clone(),
            title: scenario.title.clone(),
            year: ensemble[base].year.unwrap_or(0),
            participation: ensemble[base + participation].stats,
            participation_delta: delta_index.map(|d| {
                deltas[d * per_scenario + (n_years - 1) * METRICS.len() + participation].stats
            }),
            adp_pass: ensemble[base + adp_pass].stats,
            acp_pass: ensemble[base + acp_pass].stats,
            first_year: ensemble[s * per_scenario].year.unwrap_or(0),
            employer_cost_total: ensemble[s * per_scenario + n_years * METRICS.len() + cost_total]
                .stats,
            employer_cost_total_delta: delta_index
                .map(|d| deltas[d * per_scenario + n_years * METRICS.len() + cost_total].stats),
        });
    }

    let mut output_bytes = tables::write_metrics(&root.join("metrics.parquet"), &rows)?;
    output_bytes += tables::write_stats(&root.join("ensemble.parquet"), &ensemble)?;
    output_bytes += tables::write_stats(&root.join("deltas.parquet"), &deltas)?;
    let horizon_rows: Vec<tables::HorizonRow> = (0..total)
        .flat_map(|r| {
            let (s, k) = (r / n_seeds, r % n_seeds);
            horizon::NAMES
                .iter()
                .zip(totals[r])
                .map(move |(metric, cents)| tables::HorizonRow {
                    scenario_id: &batch.scenarios[s].id,
                    random_seed: batch.seeds[k],
                    metric,
                    cents,
                })
        })
        .collect();
    output_bytes += tables::write_horizon(&root.join("horizon.parquet"), &horizon_rows)?;
    if !batch.uncertainty.is_empty() {
        let draws: Vec<(u64, Vec<f64>)> =
            batch.seeds.iter().map(|&k| (k, batch.draws(k))).collect();
        output_bytes +=
            tables::write_parameters(&root.join("parameters.parquet"), &batch.uncertainty, &draws)?;
    }
    let wall_seconds = started.elapsed().as_secs_f64();
    let summary = BatchSummary {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        batch_file: batch.file.display().to_string(),
        batch_sha256: batch.sha256.clone(),
        base_config: batch.base.as_ref().map(|p| p.display().to_string()),
        census_file: inputs.census_label.clone(),
        census_sha256: inputs.census_sha256.clone(),
        seeds: batch.seeds.clone(),
        baseline: batch.baseline_id().to_string(),
        discount_rate: batch.discount_rate,
        uncertainty: batch.uncertainty_summary(),
        scenarios: batch
            .scenarios
            .iter()
            .map(|s| ScenarioSummary {
                scenario_id: s.id.clone(),
                title: s.title.clone(),
                config_warnings: s.model.warnings.iter().map(ToString::to_string).collect(),
                resolved_config: s.model.resolved_config(census_label_path(inputs)),
            })
            .collect(),
        runs: total,
        keep: inputs.keep,
        threads: inputs.threads,
        output_bytes,
        wall_seconds,
        runs_per_second: if wall_seconds > 0.0 {
            total as f64 / wall_seconds
        } else {
            0.0
        },
        peak_memory_bytes: summary::peak_memory_bytes(),
    };
    let path = root.join("batch_summary.json");
    let mut text = serde_json::to_string_pretty(&summary).expect("summary serialises");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(BatchReport { summary, last_year })
}

/// A line said of every scenario (`what`: `plan`, `behaviour`), given as `(id, line)`: once as
/// `(what, line)` when all agree, else `(what of id, line)` per scenario. The CLI's header and
/// the report's facts list say it the same way.
pub fn per_scenario(what: &str, lines: Vec<(String, String)>) -> Vec<(String, String)> {
    match lines.first() {
        Some((_, first)) if lines.iter().all(|(_, l)| l == first) => {
            vec![(what.to_string(), first.clone())]
        }
        _ => lines
            .into_iter()
            .map(|(id, l)| (format!("{what} of {id}"), l))
            .collect(),
    }
}

impl Batch {
    /// The uncertain keys as `batch_summary.json` records them.
    pub fn uncertainty_summary(&self) -> Vec<UncertainSummary> {
        self.uncertainty
            .iter()
            .enumerate()
            .map(|(i, u)| UncertainSummary {
                key_path: u.key.to_string(),
                distribution: u.distribution.describe(),
                scale: u.scale,
                not_in: self
                    .scenarios
                    .iter()
                    .filter(|s| !s.drawn[i])
                    .map(|s| s.id.clone())
                    .collect(),
            })
            .collect()
    }
}

/// What a batch's bands include, in one line (the CLI's header and the report say it alike).
pub fn uncertainty_line(keys: &[UncertainSummary]) -> String {
    if keys.is_empty() {
        return "none: the bands hold only the seeds' random events, not the risk that an assumption is wrong (add `uncertainty:` to the batch file)".into();
    }
    let each: Vec<String> = keys
        .iter()
        .map(|u| {
            let how = if u.scale { "× " } else { "" };
            let not_in = if u.not_in.is_empty() {
                String::new()
            } else {
                format!(" (not in {}: their overlay sets it)", u.not_in.join(", "))
            };
            format!("{} {how}{}{not_in}", u.key_path, u.distribution)
        })
        .collect();
    format!(
        "the bands include assumption risk, drawn once per seed and shared by every scenario: {}",
        each.join("; ")
    )
}

/// The note a plan or behaviour line gets when some of its keys are drawn per seed, so the
/// values it states are read as the centre, not the whole story.
pub fn drawn_note(what: &str, keys: &[UncertainSummary]) -> String {
    let sections: &[&str] = match what {
        "plan" => &[
            "employer_match",
            "employer_core",
            "vesting",
            "deferral_auto_escalation",
            "enrollment.auto_enrollment.default_deferral_rate",
        ],
        _ => &["enrollment"],
    };
    let drawn: Vec<&str> = keys
        .iter()
        .map(|u| u.key_path.as_str())
        .filter(|k| sections.iter().any(|s| k.starts_with(s)))
        .collect();
    if drawn.is_empty() {
        String::new()
    } else {
        format!(
            " [drawn per seed instead of the value above: {}]",
            drawn.join(", ")
        )
    }
}

/// An engine error names the run it happened in.
fn in_run(e: Error, scenario: &str, seed: u64) -> Error {
    match e {
        Error::Engine { year, message } => Error::Engine {
            year,
            message: format!("scenario `{scenario}`, seed {seed}: {message}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod per_scenario_tests {
    use super::per_scenario;

    #[test]
    fn a_shared_line_is_said_once_else_per_scenario() {
        let same = vec![("a".into(), "x".into()), ("b".into(), "x".into())];
        assert_eq!(
            per_scenario("plan", same),
            [("plan".to_string(), "x".to_string())]
        );
        let differ = vec![("a".into(), "x".into()), ("b".into(), "y".into())];
        assert_eq!(
            per_scenario("plan", differ),
            [
                ("plan of a".to_string(), "x".to_string()),
                ("plan of b".to_string(), "y".to_string())
            ]
        );
    }
}
