//! `wfsim optimize`: the cheapest design (or the best by any §8 metric) that meets a committee's
//! constraints over seeds. A design is one value per lever set into the base config; it is
//! evaluated as batch runs on the spec's seeds (common random numbers: every design sees the
//! same draws), and its objective and constraints are statistics over those seeds, computed by
//! the batch's own folds. The search is the full grid when it fits the budget, else a
//! deterministic sample, successive halving on seeds, and local refinement (`search`).

mod search;
pub mod spec;
mod tables;

pub use search::{grid_size, Stage};
pub use spec::{load, Constraint, Goal, Lever, Measure, Objective, Op, Spec, Stat, Years};

use crate::batch::metrics::{self, stats, Stats};
use crate::batch::{self, horizon, BatchInputs, BatchProgress, Scenario, YearMetrics};
use crate::census::CensusRow;
use crate::config::{self, Document, Model, Step};
use crate::error::{Error, Result};
use crate::output::directory::Staging;
use crate::run::EngineChoice;
use crate::totals::dollars;
use serde::Serialize;
use serde_norway::{Mapping, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `base`'s config with each lever set to its value, checked like a config file.
pub fn design_model(
    base: &Model,
    levers: &[Lever],
    values: &[&Value],
    label: &str,
) -> Result<Model> {
    let mut doc = Document::of(&base.config);
    for (l, v) in levers.iter().zip(values) {
        *doc.at_mut(&l.key).expect("levers are checked to exist") = (*v).clone();
    }
    let mut config = doc.into_config(Path::new(label))?;
    config.simulation.scenario_id = base.config.simulation.scenario_id.clone();
    config::validate(config, label)
}

/// A design: the index of its value in each lever's list.
pub type Point = Vec<usize>;

/// One evaluated design.
#[derive(Clone, Debug)]
pub struct Design {
    /// 1-based, in the order designs were first evaluated.
    pub id: usize,
    pub point: Point,
    pub stage: Stage,
    /// Seeds it was evaluated on (all of them, or the first few in a sampling stage).
    pub seeds: usize,
    pub objectives: Vec<Option<f64>>,
    pub constraints: Vec<Option<f64>>,
    pub feasible: bool,
    /// How far it misses the constraints: Σ of each miss relative to the bound (0 when met).
    pub violation: f64,
    /// Its place among the designs evaluated on every seed (1 = best), feasible ones first.
    pub rank: Option<usize>,
}

/// What an optimization needs besides its file.
pub struct OptimizeInputs {
    pub spec: Spec,
    /// Every census row, as loaded for the base config.
    pub census: Vec<CensusRow>,
    pub census_label: String,
    pub census_sha256: String,
    pub out: PathBuf,
    pub threads: usize,
    pub engine: EngineChoice<'static>,
}

/// Observes the search (the CLI's progress bar).
pub trait OptimizeProgress: BatchProgress {
    /// A stage starts: its name, its designs and its runs.
    fn stage(&self, _stage: Stage, _designs: usize, _runs: usize) {}
    /// The best design so far, in words.
    fn best(&self, _text: &str) {}
}

impl OptimizeProgress for () {}

#[derive(Serialize)]
pub struct LeverSummary {
    pub key_path: String,
    pub values: Vec<serde_json::Value>,
}

/// An objective or a constraint as `optimize_summary.json` records it: its column in
/// `designs.parquet` (`participation_rate_last_p10`), the metric it reads, and its goal (an
/// objective) or operator and bound (a constraint).
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct GoalSummary {
    pub column: String,
    pub metric: String,
    pub stat: String,
    /// `minimize` or `maximize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl GoalSummary {
    /// `employer_cost_last_p50 minimize`, `participation_rate_last_p10 >= 0.9`.
    pub fn text(&self) -> String {
        match (&self.goal, &self.op, self.value) {
            (Some(goal), _, _) => format!("{} {goal}", self.column),
            (None, Some(op), Some(v)) => format!("{} {op} {v}", self.column),
            _ => self.column.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct OptimizeSummary {
    pub tool_version: String,
    pub spec_file: String,
    pub spec_sha256: String,
    pub base_config: Option<String>,
    pub census_file: String,
    pub census_sha256: String,
    pub seeds: Vec<u64>,
    pub levers: Vec<LeverSummary>,
    pub objectives: Vec<GoalSummary>,
    /// Each constraint's `op` and `value`; its `goal` is empty.
    pub constraints: Vec<GoalSummary>,
    pub max_designs: usize,
    pub grid_size: String,
    /// `grid` (every design on every seed) or `sample, halving, refine`.
    pub method: String,
    pub designs_evaluated: usize,
    pub runs: usize,
    pub feasible: usize,
    /// The best feasible design's id, or none.
    pub best: Option<usize>,
    pub uncertainty: Vec<batch::UncertainSummary>,
    pub threads: usize,
    /// The Parquet files and best.yaml (optimize_summary.json itself aside).
    pub output_bytes: u64,
    pub wall_seconds: f64,
}

pub struct OptimizeReport {
    pub summary: OptimizeSummary,
    /// Every design evaluated on all seeds, best first (feasible, then the closest misses).
    pub ranked: Vec<Design>,
    pub levers: Vec<Lever>,
    pub objectives: Vec<Objective>,
    pub constraints: Vec<Constraint>,
}

/// The statistic `m` over one design's runs (`runs[k]` is seed k's years).
pub fn measure(m: &Measure, runs: &[Vec<YearMetrics>], discount_rate: f64) -> Option<f64> {
    if m.years == Years::Horizon {
        let h = horizon::NAMES
            .iter()
            .position(|n| *n == m.metric)
            .expect("checked when the spec was read");
        return pick(
            stats(
                runs.iter()
                    .map(|years| Some(dollars(horizon::of_run(years, discount_rate)[h]))),
            ),
            m.stat,
        );
    }
    let i = metrics::metric_named(&m.metric)
        .expect("checked when the spec was read")
        .0;
    let value = |years: &[YearMetrics], y: i32| {
        years
            .iter()
            .find(|x| x.year == y)
            .and_then(|x| x.values[i].as_f64())
    };
    let last = |years: &[YearMetrics]| years.last().and_then(|x| x.values[i].as_f64());
    match (m.years, m.stat) {
        (Years::All, Stat::PassShare) => {
            // a seed passes when no year it was tested in failed
            let per_seed = runs.iter().map(|years| {
                let flags: Vec<f64> = years.iter().filter_map(|x| x.values[i].as_f64()).collect();
                (!flags.is_empty()).then(|| if flags.contains(&0.0) { 0.0 } else { 1.0 })
            });
            stats(per_seed).mean
        }
        (Years::All, stat) => pick(
            stats(
                runs.iter()
                    .flat_map(|years| years.iter().map(|x| x.values[i].as_f64())),
            ),
            stat,
        ),
        (Years::One(y), stat) => pick(stats(runs.iter().map(|years| value(years, y))), stat),
        (_, stat) => pick(stats(runs.iter().map(|years| last(years))), stat),
    }
}

fn pick(s: Stats, stat: Stat) -> Option<f64> {
    match stat {
        Stat::Mean | Stat::PassShare => s.mean,
        Stat::Min => s.min,
        Stat::P10 => s.p10,
        Stat::P25 => s.p25,
        Stat::P50 => s.p50,
        Stat::P75 => s.p75,
        Stat::P90 => s.p90,
        Stat::Max => s.max,
    }
}

/// A design's figures from its runs.
fn judge(
    spec: &Spec,
    runs: &[Vec<YearMetrics>],
) -> (Vec<Option<f64>>, Vec<Option<f64>>, bool, f64) {
    let rate = spec.batch.discount_rate;
    let objectives = spec
        .objectives
        .iter()
        .map(|o| measure(&o.measure, runs, rate))
        .collect();
    let constraints: Vec<Option<f64>> = spec
        .constraints
        .iter()
        .map(|c| measure(&c.measure, runs, rate))
        .collect();
    let mut violation = 0.0;
    for (c, x) in spec.constraints.iter().zip(&constraints) {
        violation += match x {
            Some(x) if c.op.holds(*x, c.value) => 0.0,
            Some(x) => (x - c.value).abs() / c.value.abs().max(1e-9),
            None => 1.0,
        };
    }
    let feasible = spec
        .constraints
        .iter()
        .zip(&constraints)
        .all(|(c, x)| x.is_some_and(|x| c.op.holds(x, c.value)));
    (objectives, constraints, feasible, violation)
}

/// Runs the optimization and writes its directory, atomically.
pub fn run(inputs: OptimizeInputs, progress: &dyn OptimizeProgress) -> Result<OptimizeReport> {
    let started = Instant::now();
    let OptimizeInputs {
        spec,
        census,
        census_label,
        census_sha256,
        out,
        threads,
        engine,
    } = inputs;
    let staging = Staging::create(&out)?;
    let base = spec.batch.scenarios[0].model.clone();
    let uncertainty = spec.batch.uncertainty_summary();
    let mut plan = batch::plan(BatchInputs {
        // the base alone; each stage puts its designs in its place
        batch: spec.batch.clone(),
        census,
        census_label: census_label.clone(),
        census_sha256: census_sha256.clone(),
        out: out.clone(),
        keep: batch::Keep::default(),
        threads,
        created_at_micros: 0,
        engine,
    })?;
    // an uncertain key applies to every design unless a lever sets it (then the lever's value
    // is the design), as a scenario's overlay would
    let drawn: Vec<bool> = spec
        .batch
        .uncertainty
        .iter()
        .map(|u| u.scale || !spec.levers.iter().any(|l| l.key.holds(&u.key)))
        .collect();
    let mut evaluate =
        |points: &[Point], seeds: &[u64], stage: Stage| -> Result<Vec<Vec<Vec<YearMetrics>>>> {
            let scenarios = points
                .iter()
                .map(|p| {
                    let values: Vec<&Value> = spec
                        .levers
                        .iter()
                        .zip(p)
                        .map(|(l, &i)| &l.values[i])
                        .collect();
                    let label = format!(
                        "{}, design {}",
                        spec.batch.file.display(),
                        describe(&spec.levers, p)
                    );
                    let model = design_model(&base, &spec.levers, &values, &label)?;
                    Ok(Scenario {
                        id: format!(
                            "design_{}",
                            p.iter().map(usize::to_string).collect::<Vec<_>>().join("_")
                        ),
                        title: None,
                        model,
                        drawn: drawn.clone(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            plan.retarget(scenarios, seeds.to_vec())?;
            progress.stage(stage, points.len(), plan.runs());
            let results = plan.run_all(Path::new(""), progress)?;
            let n = seeds.len();
            Ok(results.chunks(n.max(1)).map(<[_]>::to_vec).collect())
        };
    let found = search::search(&spec, &mut evaluate, &|d: &Design| {
        progress.best(&format!(
            "best so far: {} ({} {})",
            describe(&spec.levers, &d.point),
            spec.objectives[0].measure.column(),
            d.objectives[0].map_or("n/a".into(), |v| if v.abs() >= 1000.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.4}")
            })
        ))
    })?;
    let runs = found.runs;
    let mut designs = found.designs;
    rank(&spec, &mut designs);
    let mut ranked: Vec<Design> = designs
        .iter()
        .filter(|d| d.rank.is_some())
        .cloned()
        .collect();
    ranked.sort_by_key(|d| d.rank);

    let mut output_bytes =
        tables::write_designs(&staging.path().join("designs.parquet"), &spec, &designs)?;
    if spec.objectives.len() == 2 {
        let front = pareto(&spec, &ranked);
        output_bytes +=
            tables::write_designs(&staging.path().join("pareto.parquet"), &spec, &front)?;
    }
    let best = ranked.first().filter(|d| d.feasible);
    if let Some(b) = best {
        let path = staging.path().join("best.yaml");
        let text = best_yaml(&spec, &base, b)?;
        std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
        output_bytes += text.len() as u64;
    }
    let summary = OptimizeSummary {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        spec_file: spec.batch.file.display().to_string(),
        spec_sha256: spec.batch.sha256.clone(),
        base_config: spec.batch.base.as_ref().map(|p| p.display().to_string()),
        census_file: census_label,
        census_sha256,
        seeds: spec.batch.seeds.clone(),
        levers: spec
            .levers
            .iter()
            .map(|l| LeverSummary {
                key_path: l.key.to_string(),
                values: l
                    .values
                    .iter()
                    .map(|v| serde_json::to_value(v).unwrap_or_default())
                    .collect(),
            })
            .collect(),
        objectives: spec
            .objectives
            .iter()
            .map(|o| GoalSummary {
                goal: Some(
                    match o.goal {
                        Goal::Minimize => "minimize",
                        Goal::Maximize => "maximize",
                    }
                    .into(),
                ),
                ..goal_summary(&o.measure)
            })
            .collect(),
        constraints: spec
            .constraints
            .iter()
            .map(|c| GoalSummary {
                op: Some(c.op.symbol().into()),
                value: Some(c.value),
                ..goal_summary(&c.measure)
            })
            .collect(),
        max_designs: spec.max_designs,
        grid_size: search::grid_size(&spec.levers).to_string(),
        method: found.method.into(),
        designs_evaluated: designs.len(),
        runs,
        feasible: ranked.iter().filter(|d| d.feasible).count(),
        best: best.map(|d| d.id),
        uncertainty,
        threads,
        output_bytes,
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    let path = staging.path().join("optimize_summary.json");
    let mut text = serde_json::to_string_pretty(&summary).expect("summary serialises");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    staging.commit()?;
    Ok(OptimizeReport {
        summary,
        ranked,
        levers: spec.levers,
        objectives: spec.objectives,
        constraints: spec.constraints,
    })
}

/// `default_deferral_rate = 0.04, tiers[1].to = 0.06`: a design in words (each key's last step).
pub fn describe(levers: &[Lever], point: &[usize]) -> String {
    levers
        .iter()
        .zip(point)
        .map(|(l, &i)| format!("{} = {}", short(&l.key), spec::plain(&l.values[i])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key path from its last mapping key on: `tiers[1].to`, `default_deferral_rate`.
pub fn short(key: &config::KeyPath) -> String {
    let text = key.as_str();
    let steps = key.steps();
    let keys = steps.iter().filter(|s| matches!(s, Step::Key(_))).count();
    // keep the last key, and the key before it when an index follows that one
    let keep = match steps.iter().rposition(|s| matches!(s, Step::Index(_))) {
        Some(_) if keys >= 2 => 2,
        _ => 1,
    };
    let parts: Vec<&str> = text.split('.').collect();
    parts[parts.len().saturating_sub(keep)..].join(".")
}

fn goal_summary(m: &Measure) -> GoalSummary {
    GoalSummary {
        column: m.column(),
        metric: m.metric.clone(),
        stat: m.stat.name().into(),
        goal: None,
        op: None,
        value: None,
    }
}

/// How two judged designs compare, the better first: feasible ones by the first objective
/// (ties by the second), the others by how far they miss (ties by the first objective), then
/// the earlier id. The search and the ranking use this one order.
pub(crate) fn compare(spec: &Spec, a: &Design, b: &Design) -> std::cmp::Ordering {
    let key = |d: &Design, i: usize| -> f64 {
        match (
            d.objectives.get(i).copied().flatten(),
            spec.objectives.get(i).map(|o| o.goal),
        ) {
            (Some(v), Some(Goal::Minimize)) => v,
            (Some(v), Some(Goal::Maximize)) => -v,
            _ => f64::INFINITY,
        }
    };
    b.feasible
        .cmp(&a.feasible)
        .then_with(|| {
            if a.feasible {
                key(a, 0)
                    .total_cmp(&key(b, 0))
                    .then(key(a, 1).total_cmp(&key(b, 1)))
            } else {
                a.violation
                    .total_cmp(&b.violation)
                    .then(key(a, 0).total_cmp(&key(b, 0)))
            }
        })
        .then(a.id.cmp(&b.id))
}

/// Ranks the designs evaluated on every seed by [`compare`].
fn rank(spec: &Spec, designs: &mut [Design]) {
    let all = spec.batch.seeds.len();
    let mut order: Vec<usize> = (0..designs.len())
        .filter(|&i| designs[i].seeds == all)
        .collect();
    order.sort_by(|&a, &b| compare(spec, &designs[a], &designs[b]));
    for d in designs.iter_mut() {
        d.rank = None;
    }
    for (r, &i) in order.iter().enumerate() {
        designs[i].rank = Some(r + 1);
    }
}

/// The feasible designs no other feasible design beats on both objectives, by the first.
fn pareto(spec: &Spec, ranked: &[Design]) -> Vec<Design> {
    let better = |a: Option<f64>, b: Option<f64>, goal: Goal| -> (bool, bool) {
        match (a, b) {
            (Some(a), Some(b)) => match goal {
                Goal::Minimize => (a <= b, a < b),
                Goal::Maximize => (a >= b, a > b),
            },
            (Some(_), None) => (true, true),
            (None, Some(_)) => (false, false),
            (None, None) => (true, false),
        }
    };
    let feasible: Vec<&Design> = ranked.iter().filter(|d| d.feasible).collect();
    let dominates = |a: &Design, b: &Design| {
        let (n0, s0) = better(a.objectives[0], b.objectives[0], spec.objectives[0].goal);
        let (n1, s1) = better(a.objectives[1], b.objectives[1], spec.objectives[1].goal);
        n0 && n1 && (s0 || s1)
    };
    let mut front: Vec<Design> = feasible
        .iter()
        .filter(|d| !feasible.iter().any(|e| dominates(e, d)))
        .map(|d| (*d).clone())
        .collect();
    front.sort_by_key(|d| d.rank);
    front
}

/// `best.yaml`: an overlay `run --config` and a batch scenario accept, holding the levers' keys at
/// the best design's values (a lever on a list element writes its whole list).
fn best_yaml(spec: &Spec, base: &Model, best: &Design) -> Result<String> {
    let values: Vec<&Value> = spec
        .levers
        .iter()
        .zip(&best.point)
        .map(|(l, &i)| &l.values[i])
        .collect();
    let model = design_model(base, &spec.levers, &values, "best design")?;
    let doc = Document::of(&model.config);
    let mut overlay = Value::Mapping(Mapping::new());
    for lever in &spec.levers {
        // the keys up to the first list: the list is written whole
        let keys: Vec<String> = lever
            .key
            .steps()
            .iter()
            .map_while(|s| match s {
                Step::Key(k) => Some(k.clone()),
                Step::Index(_) => None,
            })
            .collect();
        let path: config::KeyPath = keys.join(".").parse().expect("keys of a key path");
        let value = doc.at(&path).expect("the lever's key exists").clone();
        let mut node = &mut overlay;
        for (n, k) in keys.iter().enumerate() {
            let Value::Mapping(m) = node else {
                unreachable!("built as mappings")
            };
            let slot = m
                .entry(Value::from(k.as_str()))
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if n + 1 == keys.len() {
                *slot = value.clone();
            }
            node = slot;
        }
    }
    let goal = &spec.objectives[0];
    let mut text = format!(
        "# The best design of {} (wfsim optimize): {} = {}, every constraint met over {} seeds.\n# An overlay of the base config: a batch scenario as is, or merged into the base for `wfsim run`.\n",
        spec.batch.file.display(),
        goal.measure.column(),
        best.objectives[0].map_or("n/a".into(), |v| v.to_string()),
        spec.batch.seeds.len()
    );
    text.push_str(&serde_norway::to_string(&overlay).expect("an overlay serialises"));
    Ok(text)
}
