//! The optimization file: a batch file (base or config, census, seeds, discount rate,
//! uncertainty) whose scenarios are replaced by levers, an objective (or two), constraints and a
//! budget. Strict like the batch file: every problem names the file and the key path before
//! anything runs.

use crate::batch::{self, metrics, Batch};
use crate::config::{key_text, Document, KeyPath, Model};
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_norway::{Mapping, Value};
use std::path::Path;

/// The most values one lever may take, and the most designs a budget may ask for.
const MAX_VALUES: usize = 10_000;
pub const MAX_DESIGNS: usize = 100_000;

/// A config key the search may set, with the values it may take (in the file's order).
#[derive(Clone, Debug)]
pub struct Lever {
    pub key: KeyPath,
    pub values: Vec<Value>,
}

impl Lever {
    /// Whether every value is a number (a numeric column in `designs.parquet`).
    pub fn numeric(&self) -> bool {
        self.values.iter().all(|v| v.as_f64().is_some())
    }
}

/// Which years a statistic is taken over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Years {
    One(i32),
    Last,
    /// Every simulated year: a statistic over every (seed, year); a seed passes when every
    /// year it is tested in passes.
    All,
    /// A horizon total or present value (spec §8): one value per seed.
    Horizon,
}

/// The statistic of a metric over the seeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    Mean,
    Min,
    P10,
    P25,
    P50,
    P75,
    P90,
    Max,
    /// The share of seeds that pass (a pass/fail metric only).
    PassShare,
}

impl Stat {
    fn parse(s: &str) -> Option<Stat> {
        Some(match s {
            "mean" => Stat::Mean,
            "min" => Stat::Min,
            "p10" => Stat::P10,
            "p25" => Stat::P25,
            "p50" | "median" => Stat::P50,
            "p75" => Stat::P75,
            "p90" => Stat::P90,
            "max" => Stat::Max,
            "pass_share" => Stat::PassShare,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Stat::Mean => "mean",
            Stat::Min => "min",
            Stat::P10 => "p10",
            Stat::P25 => "p25",
            Stat::P50 => "p50",
            Stat::P75 => "p75",
            Stat::P90 => "p90",
            Stat::Max => "max",
            Stat::PassShare => "pass_share",
        }
    }
}

/// A metric's statistic: what an objective or a constraint reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub metric: String,
    pub years: Years,
    pub stat: Stat,
}

impl Measure {
    /// `participation_rate_last_p10`, `employer_cost_total_p50`: its column in the outputs.
    pub fn column(&self) -> String {
        let years = match self.years {
            Years::One(y) => format!("_{y}"),
            Years::Last => "_last".into(),
            Years::All => "_all".into(),
            Years::Horizon => String::new(),
        };
        format!("{}{years}_{}", self.metric, self.stat.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    Minimize,
    Maximize,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub measure: Measure,
    pub goal: Goal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
        }
    }

    pub fn holds(self, x: f64, value: f64) -> bool {
        match self {
            Op::Ge => x >= value,
            Op::Gt => x > value,
            Op::Le => x <= value,
            Op::Lt => x < value,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Constraint {
    pub measure: Measure,
    pub op: Op,
    pub value: f64,
}

/// An optimization, resolved: its base as a one-scenario batch, the levers, the goals.
pub struct Spec {
    /// The base config as scenario `base` of a batch: census, seeds, discount rate and
    /// uncertainty resolved exactly as `wfsim batch` resolves them.
    pub batch: Batch,
    pub levers: Vec<Lever>,
    /// One, or two for a Pareto front.
    pub objectives: Vec<Objective>,
    pub constraints: Vec<Constraint>,
    pub max_designs: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    metric: String,
    year: Option<Value>,
    stat: Option<String>,
    goal: Option<String>,
    op: Option<String>,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudget {
    max_designs: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: f64,
    max: f64,
    step: f64,
}

fn fail(file: &str, key: &str, message: impl Into<String>) -> Error {
    Error::Config {
        file: file.into(),
        key: key.into(),
        message: message.into(),
    }
}

/// The keys an optimization file holds besides a batch file's.
const OWN: [&str; 4] = ["levers", "objective", "constraints", "budget"];

/// Reads and resolves the optimization file at `path`.
pub fn load(path: &Path) -> Result<Spec> {
    let name = path.display().to_string();
    let (document, sha256) = batch::read_yaml(path)?;
    let Value::Mapping(mut top) = document else {
        return Err(fail(&name, "(top level)", "expected a mapping of keys"));
    };
    for key in ["scenarios", "baseline"] {
        if top.contains_key(key) {
            return Err(fail(
                &name,
                key,
                "an optimization has no scenarios: its designs are the combinations of the levers' values",
            ));
        }
    }
    let mut own = Mapping::new();
    for key in OWN {
        if let Some(v) = top.remove(key) {
            own.insert(Value::from(key), v);
        }
    }
    let mut scenarios = Mapping::new();
    scenarios.insert(Value::from("base"), Value::Mapping(Mapping::new()));
    top.insert(Value::from("scenarios"), Value::Mapping(scenarios));
    let batch = batch::resolve(Value::Mapping(top), path, sha256)?;

    let levers = match own.get("levers") {
        Some(Value::Mapping(m)) if !m.is_empty() => levers(m, &name, &batch.scenarios[0].model)?,
        _ => return Err(fail(
            &name,
            "levers",
            "give at least one lever: a config key path with a list of values or {min, max, step}",
        )),
    };
    let objectives = match own.get("objective") {
        Some(v @ Value::Mapping(_)) => vec![objective(v, &name, "objective", &batch)?],
        Some(Value::Sequence(list)) if (1..=2).contains(&list.len()) => list
            .iter()
            .enumerate()
            .map(|(i, v)| objective(v, &name, &format!("objective[{i}]"), &batch))
            .collect::<Result<_>>()?,
        _ => return Err(fail(
            &name,
            "objective",
            "give one objective {metric, year, stat, goal}, or a list of two for a Pareto front",
        )),
    };
    let constraints = match own.get("constraints") {
        None | Some(Value::Null) => vec![],
        Some(Value::Sequence(list)) => list
            .iter()
            .enumerate()
            .map(|(i, v)| constraint(v, &name, &format!("constraints[{i}]"), &batch))
            .collect::<Result<_>>()?,
        Some(_) => {
            return Err(fail(
                &name,
                "constraints",
                "a list of {metric, year, stat, op, value}",
            ))
        }
    };
    let max_designs = match own.get("budget") {
        None => 500,
        Some(v) => {
            let b: RawBudget = serde_norway::from_value(v.clone())
                .map_err(|e| fail(&name, "budget", e.to_string()))?;
            if !(1..=MAX_DESIGNS).contains(&b.max_designs) {
                return Err(fail(
                    &name,
                    "budget.max_designs",
                    format!("{} must be in [1, {MAX_DESIGNS}]", b.max_designs),
                ));
            }
            b.max_designs
        }
    };
    Ok(Spec {
        batch,
        levers,
        objectives,
        constraints,
        max_designs,
    })
}

fn levers(block: &Mapping, file: &str, base: &Model) -> Result<Vec<Lever>> {
    let doc = Document::of(&base.config);
    let mut out: Vec<Lever> = Vec::with_capacity(block.len());
    for (k, v) in block {
        let text = key_text(k);
        let at = format!("levers.{text}");
        let key: KeyPath = text.parse().map_err(|m| fail(file, &at, m))?;
        if batch::is_fixed(&key) {
            return Err(fail(
                file,
                &at,
                format!("`{key}` is fixed for every run (the run identity keys, the census section and how census rows get a level): it cannot be a lever"),
            ));
        }
        if doc.at(&key).is_none() {
            return Err(fail(
                file,
                &at,
                format!(
                    "the config has no key `{key}` (a list element must exist in the base config)"
                ),
            ));
        }
        if out.iter().any(|l| l.key.holds(&key) || key.holds(&l.key)) {
            return Err(fail(
                file,
                &at,
                "two levers set the same key (or one holds the other)",
            ));
        }
        let values = match v {
            Value::Sequence(list) if !list.is_empty() => list.clone(),
            Value::Mapping(_) => {
                let r: RawRange = serde_norway::from_value(v.clone())
                    .map_err(|e| fail(file, &at, format!("{e} (a range is {{min, max, step}})")))?;
                range(&r).map_err(|m| fail(file, &at, m))?
            }
            _ => {
                return Err(fail(
                    file,
                    &at,
                    "give a non-empty list of values, or {min, max, step}",
                ))
            }
        };
        if values.len() > MAX_VALUES {
            return Err(fail(
                file,
                &at,
                format!(
                    "{} values is more than a lever takes ({MAX_VALUES})",
                    values.len()
                ),
            ));
        }
        for (i, a) in values.iter().enumerate() {
            if values[..i].contains(a) {
                return Err(fail(
                    file,
                    &at,
                    format!("the value {} is listed twice", yaml(a)),
                ));
            }
        }
        let lever = Lever { key, values };
        // each value alone must give a valid config
        for value in &lever.values {
            super::design_model(base, std::slice::from_ref(&lever), &[value], "check").map_err(
                |e| {
                    fail(
                        file,
                        &at,
                        format!("the value {} is not valid: {e}", yaml(value)),
                    )
                },
            )?;
        }
        out.push(lever);
    }
    Ok(out)
}

/// `min, min + step, …` up to `max` (within a millionth of a step), each rounded to 10 decimals
/// so 0.1 + 2 × 0.01 reads 0.12.
fn range(r: &RawRange) -> std::result::Result<Vec<Value>, String> {
    if !(r.min.is_finite() && r.max.is_finite() && r.step.is_finite()) || r.step <= 0.0 {
        return Err("min, max and step must be finite numbers with step > 0".into());
    }
    if r.max < r.min {
        return Err(format!(
            "the range is empty: max {} is below min {}",
            r.max, r.min
        ));
    }
    let n = ((r.max - r.min) / r.step + 1e-6).floor() as usize + 1;
    if n > MAX_VALUES {
        return Err(format!(
            "{n} values is more than a lever takes ({MAX_VALUES})"
        ));
    }
    Ok((0..n)
        .map(|i| Value::from(((r.min + i as f64 * r.step) * 1e10).round() / 1e10))
        .collect())
}

/// A value as YAML on one line.
pub fn yaml(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A value for a table: text bare, anything else as [`yaml`].
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => yaml(other),
    }
}

fn measure(
    v: &Value,
    file: &str,
    at: &str,
    batch: &Batch,
    kind: &str,
) -> Result<(Measure, RawMeasure)> {
    let raw: RawMeasure = serde_norway::from_value(v.clone()).map_err(|e| {
        fail(
            file,
            at,
            format!("{e} (an {kind} is {{metric, year, stat, …}})"),
        )
    })?;
    let horizon = batch::horizon::NAMES.contains(&raw.metric.as_str());
    let flag = match metrics::metric_named(&raw.metric) {
        Some((_, m)) => m.kind == metrics::MetricKind::Flag,
        None if horizon => false,
        None => {
            return Err(fail(
                file,
                &format!("{at}.metric"),
                format!(
                    "`{}` is not a metric of metrics.parquet or horizon.parquet (e.g. employer_cost, participation_rate, adp_pass, employer_cost_total)",
                    raw.metric
                ),
            ))
        }
    };
    let model = &batch.scenarios[0].model.config.simulation;
    let years = match (&raw.year, horizon) {
        (None, true) => Years::Horizon,
        (Some(_), true) => {
            return Err(fail(
                file,
                &format!("{at}.year"),
                format!(
                    "`{}` is a total over the horizon: it has no year",
                    raw.metric
                ),
            ))
        }
        (None, false) => Years::Last,
        (Some(Value::String(s)), false) if s == "last" => Years::Last,
        (Some(Value::String(s)), false) if s == "all" => Years::All,
        (Some(y), false) => match y.as_i64() {
            Some(y) if (model.start_year as i64..=model.end_year as i64).contains(&y) => {
                Years::One(y as i32)
            }
            _ => {
                return Err(fail(
                    file,
                    &format!("{at}.year"),
                    format!(
                        "{} is not a simulated year ({}–{}), `last` or `all`",
                        yaml(y),
                        model.start_year,
                        model.end_year
                    ),
                ))
            }
        },
    };
    let stat = match raw.stat.as_deref() {
        None => Stat::P50,
        Some(s) => Stat::parse(s).ok_or_else(|| {
            fail(
                file,
                &format!("{at}.stat"),
                format!("`{s}` is not one of mean, min, p10, p25, p50, p75, p90, max, pass_share"),
            )
        })?,
    };
    if stat == Stat::PassShare && !flag {
        return Err(fail(
            file,
            &format!("{at}.stat"),
            format!("pass_share is the share of seeds passing a test: `{}` is not a pass/fail metric (adp_pass, acp_pass, coverage_pass, top_heavy)", raw.metric),
        ));
    }
    Ok((
        Measure {
            metric: raw.metric.clone(),
            years,
            stat,
        },
        raw,
    ))
}

fn objective(v: &Value, file: &str, at: &str, batch: &Batch) -> Result<Objective> {
    let (measure, raw) = measure(v, file, at, batch, "objective")?;
    if raw.op.is_some() || raw.value.is_some() {
        return Err(fail(
            file,
            at,
            "an objective has a goal, not an op and a value",
        ));
    }
    let goal = match raw.goal.as_deref() {
        Some("minimize") => Goal::Minimize,
        Some("maximize") => Goal::Maximize,
        _ => {
            return Err(fail(
                file,
                &format!("{at}.goal"),
                "give goal: minimize or maximize",
            ))
        }
    };
    Ok(Objective { measure, goal })
}

fn constraint(v: &Value, file: &str, at: &str, batch: &Batch) -> Result<Constraint> {
    let (measure, raw) = measure(v, file, at, batch, "constraint")?;
    if raw.goal.is_some() {
        return Err(fail(
            file,
            at,
            "a constraint has an op and a value, not a goal",
        ));
    }
    let op = match raw.op.as_deref() {
        Some(">=") => Op::Ge,
        Some(">") => Op::Gt,
        Some("<=") => Op::Le,
        Some("<") => Op::Lt,
        _ => {
            return Err(fail(
                file,
                &format!("{at}.op"),
                "give op: \">=\", \">\", \"<=\" or \"<\"",
            ))
        }
    };
    let value = raw.value.filter(|v| v.is_finite()).ok_or_else(|| {
        fail(
            file,
            &format!("{at}.value"),
            "give the number to compare with",
        )
    })?;
    Ok(Constraint { measure, op, value })
}
