//! The batch file (spec §8): a base config, a census, seeds, a baseline and ordered scenario
//! overlays, resolved into one validated [`Model`] per scenario. Strict like the config: an
//! unknown key, a bad overlay or an overlay that sets what the batch fixes is an error naming
//! the scenario and the key path, before anything runs.

use super::uncertainty::{self, Uncertain};
use crate::census::CensusSource;
use crate::config::{self, Document, KeyPath, Model, Step};
use crate::digest::sha256_hex;
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_norway::{Mapping, Value};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    base: Option<PathBuf>,
    config: Option<Value>,
    census: Option<PathBuf>,
    seeds: Seeds,
    baseline: Option<String>,
    /// Horizon present values (spec §8), in [0, 0.2].
    discount_rate: Option<f64>,
    scenarios: Mapping,
    /// Key paths drawn once per seed (spec §8), in the file's order.
    uncertainty: Option<Mapping>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Seeds {
    List(Vec<u64>),
    Range(SeedRange),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedRange {
    first: u64,
    count: u64,
}

/// Keys the batch fixes for every scenario; an overlay may not contain them (even with the
/// base's value).
const FIXED: [&str; 6] = [
    "simulation.random_seed",
    "simulation.scenario_id",
    "simulation.start_year",
    "simulation.end_year",
    "simulation.census_date",
    "simulation.census_path",
];

/// Maps whose keys are data (years), replaced as a whole by an overlay, never merged.
const DATA_KEYED: [&str; 1] = ["irs_limits.published"];

/// The most runs a batch accepts (scenarios × seeds).
pub const MAX_RUNS: usize = 1_000_000;

#[derive(Clone)]
pub struct Scenario {
    pub id: String,
    /// The overlay's `title:`, shown beside the id in tables and reports (not a config key).
    pub title: Option<String>,
    /// The merged config with `scenario_id` set; its seed is set per run.
    pub model: Model,
    /// Per uncertain key of the batch, whether its draw applies here (with `scale` always;
    /// without, unless the overlay sets the key).
    pub drawn: Vec<bool>,
}

/// A batch, resolved and validated.
#[derive(Clone)]
pub struct Batch {
    pub file: PathBuf,
    pub sha256: String,
    /// The base config file, or `None` for an inline `config:` or the defaults.
    pub base: Option<PathBuf>,
    pub census: CensusSource,
    /// Where the census path came from, for a message that cannot read it.
    pub census_named_by: String,
    /// Ascending, distinct.
    pub seeds: Vec<u64>,
    pub scenarios: Vec<Scenario>,
    /// Index into `scenarios`.
    pub baseline: usize,
    /// The rate the horizon present values discount by (spec §8).
    pub discount_rate: f64,
    /// The uncertain assumptions, in the file's order (empty without `uncertainty:`).
    pub uncertainty: Vec<Uncertain>,
}

impl Batch {
    pub fn runs(&self) -> usize {
        self.scenarios.len() * self.seeds.len()
    }

    /// Reads the census as the first scenario reads it (the batch re-reads it for a scenario
    /// whose job levels differ); an error names what named the file.
    pub fn load_census(
        &self,
        pool: &rayon::ThreadPool,
        options: crate::census::LoadOptions,
    ) -> Result<crate::census::Census> {
        self.census
            .load(&self.scenarios[0].model, pool, options)
            .map_err(|e| e.named_by(self.census_named_by.clone()))
    }

    /// Each uncertain key's draw at `seed`, in batch order.
    pub fn draws(&self, seed: u64) -> Vec<f64> {
        self.uncertainty.iter().map(|u| u.draw(seed)).collect()
    }

    /// The model of run (scenario `s`, `seed`): the scenario's merged config with the seed's
    /// draws applied and the seed set, the config a single run would be given.
    pub fn model(&self, s: usize, seed: u64) -> Result<Model> {
        let scenario = &self.scenarios[s];
        let mut model = if self.uncertainty.is_empty() {
            scenario.model.clone()
        } else {
            let draws = self.draws(seed);
            let label = format!(
                "{}, scenario `{}`, seed {seed} ({})",
                self.file.display(),
                scenario.id,
                self.uncertainty
                    .iter()
                    .zip(&draws)
                    .map(|(u, d)| format!("{} = {d}", u.key))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            uncertainty::drawn_model(
                &scenario.model,
                &self.uncertainty,
                &scenario.drawn,
                &draws,
                &label,
            )?
        };
        model.config.simulation.random_seed = seed;
        Ok(model)
    }

    pub fn baseline_id(&self) -> &str {
        &self.scenarios[self.baseline].id
    }
}

fn fail(file: &str, key: &str, message: impl Into<String>) -> Error {
    Error::Config {
        file: file.into(),
        key: key.into(),
        message: message.into(),
    }
}

/// Reads and resolves the batch file at `path`.
pub fn load(path: &Path) -> Result<Batch> {
    let (document, sha256) = read_yaml(path)?;
    resolve(document, path, sha256)
}

/// A batch-like file's YAML document (strict: the caller types it) and the sha256 of its bytes.
pub fn read_yaml(path: &Path) -> Result<(Value, String)> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
    let sha256 = sha256_hex(&bytes);
    let name = path.display().to_string();
    let text = String::from_utf8(bytes)
        .map_err(|_| fail(&name, "(file)", "the file is not valid UTF-8"))?;
    let document =
        serde_norway::from_str(&text).map_err(|e| fail(&name, "(file)", e.to_string()))?;
    Ok((document, sha256))
}

/// Resolves a batch file's document (read from `path`, whose bytes hash to `sha256`): the same
/// resolution serves `wfsim optimize`, whose file is a batch file with levers for scenarios.
pub fn resolve(document: Value, path: &Path, sha256: String) -> Result<Batch> {
    let name = path.display().to_string();
    let raw: Raw = serde_path_to_error::deserialize(document).map_err(|e| {
        let key = e.path().to_string();
        fail(
            &name,
            if key == "." { "(top level)" } else { &key },
            e.into_inner().to_string(),
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new(""));

    let (base_doc, base_path) = match (&raw.base, &raw.config) {
        (Some(_), Some(_)) => {
            return Err(fail(
                &name,
                "base",
                "give `base` (a file) or `config` (inline), not both",
            ))
        }
        (Some(p), None) => {
            let p = dir.join(p);
            let text = std::fs::read_to_string(&p)
                .map_err(|e| Error::input(&p, e).named_by(format!("`base` in {name}")))?;
            (Document::parse(&text, &p)?, Some(p))
        }
        (None, Some(v)) => {
            let text = serde_norway::to_string(v).expect("a YAML value serialises");
            let label = format!("{name}: config");
            (Document::parse(&text, Path::new(&label))?, None)
        }
        (None, None) => (Document::parse("", Path::new("built-in defaults"))?, None),
    };

    let seeds = match raw.seeds {
        Seeds::List(mut list) => {
            if list.is_empty() {
                return Err(fail(&name, "seeds", "the seed list is empty"));
            }
            list.sort_unstable();
            if let Some(w) = list.windows(2).find(|w| w[0] == w[1]) {
                return Err(fail(
                    &name,
                    "seeds",
                    format!("seed {} is listed twice", w[0]),
                ));
            }
            list
        }
        Seeds::Range(SeedRange { first, count }) => {
            if count == 0 {
                return Err(fail(&name, "seeds.count", "count must be at least 1"));
            }
            let last = first.checked_add(count - 1).ok_or_else(|| {
                fail(&name, "seeds", "first + count - 1 exceeds the largest seed")
            })?;
            (first..=last).collect()
        }
    };

    if raw.scenarios.is_empty() {
        return Err(fail(&name, "scenarios", "at least one scenario is needed"));
    }
    let uncertain = match &raw.uncertainty {
        Some(block) => uncertainty::parse(block, &name, is_fixed)?,
        None => Vec::new(),
    };
    let mut scenarios = Vec::with_capacity(raw.scenarios.len());
    for (key, overlay) in &raw.scenarios {
        let id = scenario_id(key).ok_or_else(|| {
            fail(
                &name,
                "scenarios",
                format!(
                    "scenario id {} must match [A-Za-z0-9_][A-Za-z0-9_.-]*",
                    serde_norway::to_string(key).unwrap_or_default().trim()
                ),
            )
        })?;
        let label = format!("{name}, scenario `{id}`");
        let mut doc = base_doc.clone();
        let mut title = None;
        let mut drawn: Vec<bool> = uncertain.iter().map(|_| true).collect();
        match overlay {
            Value::Null => {}
            Value::Mapping(m) => {
                let mut m = m.clone();
                match m.remove("title") {
                    None => {}
                    Some(Value::String(t)) if !t.trim().is_empty() => {
                        title = Some(t.trim().to_string())
                    }
                    Some(_) => {
                        return Err(fail(
                            &label,
                            "title",
                            "a title is a non-empty string shown beside the scenario id",
                        ))
                    }
                }
                check_fixed(&m, &label)?;
                for (d, u) in drawn.iter_mut().zip(&uncertain) {
                    *d = u.scale || !uncertainty::overlay_sets(&m, &u.key, &DATA_KEYED);
                }
                doc.merge(&m, &DATA_KEYED);
            }
            _ => {
                return Err(fail(
                    &label,
                    "(overlay)",
                    "an overlay is a mapping of config keys (or empty)",
                ))
            }
        }
        let mut cfg = doc.into_config(Path::new(&label))?;
        if let (Some(p), Some(base)) = (cfg.simulation.census_path.as_mut(), &base_path) {
            if p.is_relative() {
                *p = base.parent().unwrap_or(Path::new("")).join(&*p);
            }
        }
        cfg.simulation.scenario_id = id.clone();
        let model = config::validate(cfg, &label)?;
        uncertainty::check_endpoints(&model, &uncertain, &drawn, &label)?;
        scenarios.push(Scenario {
            id,
            title,
            model,
            drawn,
        });
    }
    if scenarios.len() * seeds.len() > MAX_RUNS {
        return Err(fail(
            &name,
            "seeds",
            format!(
                "{} runs is more than a batch takes ({MAX_RUNS})",
                scenarios.len() * seeds.len()
            ),
        ));
    }
    let baseline = match &raw.baseline {
        None => 0,
        Some(b) => scenarios.iter().position(|s| &s.id == b).ok_or_else(|| {
            let ids: Vec<String> = scenarios.iter().map(|s| format!("`{}`", s.id)).collect();
            fail(
                &name,
                "baseline",
                format!(
                    "no scenario is called `{b}` (the scenarios are {})",
                    ids.join(", ")
                ),
            )
        })?,
    };
    let discount_rate = raw.discount_rate.unwrap_or(0.0);
    if !(0.0..=0.2).contains(&discount_rate) {
        return Err(fail(
            &name,
            "discount_rate",
            format!("{discount_rate} must be in [0, 0.2] (a fraction: 3 % is 0.03)"),
        ));
    }
    let (census, census_named_by) = match (
        &raw.census,
        &scenarios[0].model.config.simulation.census_path,
    ) {
        (Some(p), _) => (
            CensusSource::File(dir.join(p)),
            format!("`census` in {name}"),
        ),
        (None, Some(p)) => (
            CensusSource::File(p.clone()),
            "simulation.census_path in the base config".to_string(),
        ),
        (None, None) => (CensusSource::Example, String::new()),
    };
    if uncertain.iter().any(|u| u.scale) {
        let label = format!("{name}, the base config");
        let base = config::validate(base_doc.into_config(Path::new(&label))?, &label)?;
        let scaled: Vec<bool> = uncertain.iter().map(|u| u.scale).collect();
        uncertainty::check_endpoints(&base, &uncertain, &scaled, &label)?;
    }
    let batch = Batch {
        file: path.to_path_buf(),
        sha256,
        base: base_path,
        census,
        census_named_by,
        seeds,
        scenarios,
        baseline,
        discount_rate,
        uncertainty: uncertain,
    };
    // Keys drawn together may still clash (each endpoint was checked alone): every run's drawn
    // config is checked before anything runs.
    if !batch.uncertainty.is_empty() {
        for s in 0..batch.scenarios.len() {
            for &seed in &batch.seeds {
                batch.model(s, seed)?;
            }
        }
    }
    Ok(batch)
}

/// Whether the batch fixes `key` for every scenario: the run identity keys, the census section,
/// and the thresholds that give census rows their level when the census is read (once).
pub(crate) fn is_fixed(key: &KeyPath) -> bool {
    let text = key.as_str();
    FIXED.contains(&text)
        || matches!(key.steps().first(), Some(Step::Key(k)) if k == "census")
        || matches!(key.steps(), [Step::Key(a), Step::Index(_), Step::Key(b)]
            if a == "job_levels" && b == "census_salary_threshold")
}

fn scenario_id(key: &Value) -> Option<String> {
    let id = match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))).then_some(id)
}

/// An overlay may not set what the batch fixes: the run identity keys and the census section.
fn check_fixed(overlay: &Mapping, label: &str) -> Result<()> {
    if overlay.contains_key("census") {
        return Err(fail(
            label,
            "census",
            "the census section is fixed by the batch (one census for every scenario)",
        ));
    }
    for key in FIXED {
        let (section, field) = key.split_once('.').expect("section.key");
        if let Some(Value::Mapping(m)) = overlay.get(section) {
            if m.contains_key(field) {
                return Err(fail(
                    label,
                    key,
                    "the batch fixes this key for every scenario (seeds come from `seeds`, the scenario id from the scenario's name)",
                ));
            }
        }
    }
    Ok(())
}
