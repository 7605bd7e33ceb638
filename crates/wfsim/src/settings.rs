//! How a run or a batch is resolved from what its caller knows: flags over the config file
//! over the built-in defaults, a config's census path relative to the config file, a census
//! map, the thread count, `created_at` and the worker pool. Every entry point (`wfsim run`,
//! `wfsim batch`, `wfsim census inspect`, the Python package) resolves here, so they cannot
//! disagree. The library reads no environment variables: the caller passes the ones that
//! matter in [`Environment`].
//!
//! A run: [`Request`] → [`Settings::resolve`] → [`Settings::load_census`] →
//! [`Settings::into_inputs`]. A batch: [`BatchRequest`] → [`BatchSettings::resolve`] →
//! [`BatchSettings::load_census`] → [`BatchSettings::into_inputs`]. The census is loaded in a
//! step of its own so the caller can check its own flags (a rejects file) first and report
//! what was loaded before the run starts.

use crate::batch::{self, BatchInputs, Keep};
use crate::census;
/// Re-exported here, where entry points resolve everything else.
pub use crate::census::CensusSource;
use crate::config::{self, Model};
use crate::digest::sha256_hex;
use crate::error::{Error, Result};
pub use crate::pool::worker_pool;
use crate::run::RunInputs;
use std::path::{Path, PathBuf};

/// The config used when none is named and this file exists in the working directory.
pub const DEFAULT_CONFIG: &str = "config/simulation.yaml";

/// The output directory when neither a flag nor the config names one.
pub const DEFAULT_OUT: &str = "sim_events";

/// The most worker threads a run accepts.
pub const MAX_THREADS: usize = 1024;

/// What the caller asked for; `None` is "not given".
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub config: Option<PathBuf>,
    pub census: Option<PathBuf>,
    pub start: Option<i32>,
    pub end: Option<i32>,
    pub seed: Option<u64>,
    pub scenario: Option<String>,
    pub plan: Option<String>,
    pub out: Option<PathBuf>,
    pub threads: Option<usize>,
    /// `--set KEY=VALUE` edits of the config document, applied in order.
    pub sets: Vec<config::Set>,
    /// `--census-map FILE`: a `census:` section whose keys replace the config's.
    pub census_map: Option<PathBuf>,
    /// `--strict`: implausible values (`config::warnings`) are errors.
    pub strict: bool,
}

/// The environment a run depends on, as the caller read it.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    /// `WFSIM_THREADS`: the thread count when no flag gives one.
    pub wfsim_threads: Option<String>,
    /// `SOURCE_DATE_EPOCH`: the `created_at` of every event (reproducible-builds convention).
    pub source_date_epoch: Option<String>,
    /// Cores available: the thread count when nothing else gives one.
    pub cores: usize,
}

impl Environment {
    /// The process's own environment (for callers that have no other).
    pub fn of_process() -> Environment {
        Environment {
            wfsim_threads: std::env::var("WFSIM_THREADS").ok(),
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// A run, resolved: everything but the census rows themselves.
#[derive(Clone, Debug)]
pub struct Settings {
    pub model: Model,
    /// The config file read, or `None` for the built-in defaults.
    pub config_path: Option<PathBuf>,
    /// SHA-256 of the config file's bytes (of the empty string for the defaults).
    pub config_sha256: String,
    pub census: CensusSource,
    /// What named the census file (`--census` or the config key), for a message that cannot
    /// read it.
    pub census_named_by: &'static str,
    pub out: PathBuf,
    pub threads: usize,
    /// `created_at` of every event, in microseconds since the epoch.
    pub created_at_micros: i64,
}

impl Settings {
    pub fn resolve(request: &Request, env: &Environment) -> Result<Settings> {
        let config_path = request.config.clone().or_else(|| {
            Path::new(DEFAULT_CONFIG)
                .is_file()
                .then(|| PathBuf::from(DEFAULT_CONFIG))
        });
        let (text, config_sha256) = match &config_path {
            Some(path) => read_config(path).map_err(|e| e.named_by("--config"))?,
            None => (String::new(), sha256_hex(b"")),
        };
        let name = config_path
            .clone()
            .unwrap_or_else(|| PathBuf::from("built-in defaults"));
        Settings::resolve_text(request, env, config_path, &name, &text, config_sha256)
    }

    /// [`Settings::resolve`] with the config given as text (YAML or JSON) instead of a file;
    /// `name` stands for the file in messages, and a relative census path is taken as is.
    pub fn resolve_inline(
        request: &Request,
        env: &Environment,
        name: &str,
        text: &str,
    ) -> Result<Settings> {
        let sha256 = sha256_hex(text.as_bytes());
        Settings::resolve_text(request, env, None, Path::new(name), text, sha256)
    }

    fn resolve_text(
        request: &Request,
        env: &Environment,
        config_path: Option<PathBuf>,
        name: &Path,
        text: &str,
        config_sha256: String,
    ) -> Result<Settings> {
        let mut cfg = if request.sets.is_empty() {
            config::parse(text, name)?
        } else {
            let mut doc = config::Document::parse(text, name)?;
            for set in &request.sets {
                doc.set(set)?;
            }
            doc.into_config(Path::new(&format!("{} with --set", name.display())))?
        };
        if let Some(path) = &request.census_map {
            let map = config::CensusMap::read(path)?;
            apply_census_map(&map, path, &request.sets, &mut cfg.census)?;
        }
        let s = &mut cfg.simulation;
        let overrides = [
            request.start.map(|v| s.start_year = v),
            request.end.map(|v| s.end_year = v),
            request.seed.map(|v| s.random_seed = v),
            request.scenario.clone().map(|v| s.scenario_id = v),
            request.plan.clone().map(|v| s.plan_design_id = v),
        ];
        let overridden = overrides.iter().any(Option::is_some);
        if let (Some(p), Some(dir)) = (
            s.census_path.as_mut(),
            config_path.as_deref().and_then(Path::parent),
        ) {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        }
        let mut file = name.display().to_string();
        if !request.sets.is_empty() {
            file.push_str(" with --set");
        }
        if overridden {
            file.push_str(" with command-line overrides (--start/--end/--seed/--scenario/--plan)");
        }
        let model = config::validate(cfg, &file)?;
        if request.strict {
            strictly(&model, &file, None)?;
        }
        let sim = &model.config.simulation;
        let (census, census_named_by) = match (&request.census, &sim.census_path) {
            (Some(path), _) => (CensusSource::File(path.clone()), "--census"),
            (None, Some(path)) => (
                CensusSource::File(path.clone()),
                "simulation.census_path in the config",
            ),
            (None, None) => (CensusSource::Example, ""),
        };
        let out = request
            .out
            .clone()
            .or_else(|| sim.output_dir.clone())
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
        Ok(Settings {
            threads: threads(request.threads, env)?,
            created_at_micros: created_at(env.source_date_epoch.as_deref())?,
            model,
            config_path,
            config_sha256,
            census,
            census_named_by,
            out,
        })
    }

    /// Loads the census from its source on `pool`; the built-in example is generated there.
    pub fn load_census(
        &self,
        pool: &rayon::ThreadPool,
        options: census::LoadOptions,
    ) -> Result<census::Census> {
        self.census
            .load(&self.model, pool, options)
            .map_err(|e| e.named_by(self.census_named_by))
    }

    /// Everything a run needs, from these settings and the census they loaded.
    pub fn into_inputs(self, census: census::Census) -> RunInputs {
        let census_label = self.census.label();
        RunInputs {
            model: self.model,
            census: census.rows,
            census_label,
            census_path: self.census.path().map(Path::to_path_buf),
            census_sha256: census.sha256,
            census_deferral_rate_unit: census.deferral_rate_unit,
            census_rejects: census.rejects,
            config_label: self.config_path.map(|p| p.display().to_string()),
            config_sha256: self.config_sha256,
            out: self.out,
            threads: self.threads,
            created_at_micros: self.created_at_micros,
        }
    }

    /// Years the run simulates.
    pub fn years(&self) -> u64 {
        let s = &self.model.config.simulation;
        (s.end_year - s.start_year + 1) as u64
    }
}

/// What the caller of a batch asked for; `None` is "not given".
#[derive(Clone, Debug, Default)]
pub struct BatchRequest {
    /// The batch file: base config (or inline config), census, seeds, baseline, scenarios.
    pub file: PathBuf,
    /// The output directory, replaced atomically.
    pub out: PathBuf,
    /// Which per-run files to keep besides the batch's metrics.
    pub keep: Keep,
    /// `--threads`; else `WFSIM_THREADS`, else every core (as for a run).
    pub threads: Option<usize>,
    /// `--census-map FILE`: how the one census file is laid out, for every scenario.
    pub census_map: Option<PathBuf>,
    /// `created_at` in microseconds, when the caller already has one: every part of a batch
    /// run elsewhere (a Ray task) must stamp the driver's. Otherwise from the environment.
    pub created_at_micros: Option<i64>,
    /// `--strict`: implausible values in any scenario are errors.
    pub strict: bool,
}

/// A batch, resolved: the batch file read and validated, with everything but the census rows.
pub struct BatchSettings {
    pub batch: batch::Batch,
    pub out: PathBuf,
    pub keep: Keep,
    pub threads: usize,
    /// `created_at` of every event, in microseconds since the epoch.
    pub created_at_micros: i64,
}

impl BatchSettings {
    /// Resolves the thread count and `created_at`, then reads and validates the batch file and
    /// applies the census map to every scenario: every problem with the flags, the environment
    /// or the files is found here, before a census row is read.
    pub fn resolve(request: &BatchRequest, env: &Environment) -> Result<BatchSettings> {
        let threads = threads(request.threads, env)?;
        let created_at_micros = match request.created_at_micros {
            Some(c) => c,
            None => created_at(env.source_date_epoch.as_deref())?,
        };
        let mut loaded = batch::load(&request.file)?;
        if request.strict {
            let file = request.file.display().to_string();
            for s in &loaded.scenarios {
                strictly(&s.model, &file, Some(&s.id))?;
            }
        }
        // The census map describes the one census file, so every scenario reads it the same way.
        if let Some(path) = &request.census_map {
            let map = config::CensusMap::read(path)?;
            for s in &mut loaded.scenarios {
                apply_census_map(&map, path, &[], &mut s.model.config.census)?;
            }
        }
        Ok(BatchSettings {
            batch: loaded,
            out: request.out.clone(),
            keep: request.keep,
            threads,
            created_at_micros,
        })
    }

    /// Loads the batch's census on `pool`, read as the first scenario reads it (the batch
    /// re-reads it for a scenario whose job levels differ).
    pub fn load_census(
        &self,
        pool: &rayon::ThreadPool,
        options: census::LoadOptions,
    ) -> Result<census::Census> {
        self.batch.load_census(pool, options)
    }

    /// Everything a batch needs, from these settings and the census they loaded.
    pub fn into_inputs(self, census: census::Census) -> BatchInputs {
        BatchInputs {
            census_label: self.batch.census.label(),
            census_sha256: census.sha256,
            census: census.rows,
            batch: self.batch,
            out: self.out,
            keep: self.keep,
            threads: self.threads,
            created_at_micros: self.created_at_micros,
            engine: crate::EngineChoice::native(),
        }
    }
}

/// What a caller asked `wfsim optimize` for.
pub struct OptimizeRequest {
    /// The optimization file: a batch file's base, census and seeds, with levers, an objective,
    /// constraints and a budget instead of scenarios.
    pub file: PathBuf,
    pub out: PathBuf,
    /// `--threads`; else `WFSIM_THREADS`, else every core.
    pub threads: Option<usize>,
    /// `--census-map FILE`: how the census file is laid out.
    pub census_map: Option<PathBuf>,
}

/// An optimization, resolved: the file read and validated, with everything but the census rows.
pub struct OptimizeSettings {
    pub spec: crate::optimize::Spec,
    pub out: PathBuf,
    pub threads: usize,
}

impl OptimizeSettings {
    pub fn resolve(request: &OptimizeRequest, env: &Environment) -> Result<OptimizeSettings> {
        let threads = threads(request.threads, env)?;
        let mut spec = crate::optimize::load(&request.file)?;
        if let Some(path) = &request.census_map {
            let map = config::CensusMap::read(path)?;
            apply_census_map(
                &map,
                path,
                &[],
                &mut spec.batch.scenarios[0].model.config.census,
            )?;
        }
        Ok(OptimizeSettings {
            spec,
            out: request.out.clone(),
            threads,
        })
    }

    /// Loads the census as the base config reads it.
    pub fn load_census(
        &self,
        pool: &rayon::ThreadPool,
        options: census::LoadOptions,
    ) -> Result<census::Census> {
        self.spec.batch.load_census(pool, options)
    }

    pub fn into_inputs(self, census: census::Census) -> crate::optimize::OptimizeInputs {
        crate::optimize::OptimizeInputs {
            census_label: self.spec.batch.census.label(),
            census_sha256: census.sha256,
            census: census.rows,
            spec: self.spec,
            out: self.out,
            threads: self.threads,
            engine: crate::EngineChoice::native(),
        }
    }
}

/// Puts a `--census-map`'s keys in place of the config's. A `--set` of a key the map also sets
/// is refused: two flags giving one key, neither can be said to win.
pub fn apply_census_map(
    map: &config::CensusMap,
    path: &Path,
    sets: &[config::Set],
    census: &mut config::CensusInput,
) -> Result<()> {
    let keys = map.keys();
    if let Some(set) = sets.iter().find(|s| {
        keys.iter()
            .any(|k| s.key() == *k || s.key().starts_with(&format!("{k}.")))
    }) {
        return Err(Error::Usage {
            message: format!(
                "--set {} and --census-map {} both give that key; keep it in one place",
                set.key(),
                path.display()
            ),
        });
    }
    map.apply(census);
    Ok(())
}

/// The config file's text and the SHA-256 of its bytes.
/// `--strict`: the first implausible value of `model` as an error naming its key (and scenario).
fn strictly(model: &config::Model, file: &str, scenario: Option<&str>) -> Result<()> {
    match model.warnings.first() {
        None => Ok(()),
        Some(w) => Err(Error::Config {
            file: match scenario {
                Some(id) => format!("{file}, scenario `{id}`"),
                None => file.to_string(),
            },
            key: w.key.clone(),
            message: format!("{} (an error with --strict)", w.message),
        }),
    }
}

fn read_config(path: &Path) -> Result<(String, String)> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
    let sha256 = sha256_hex(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| Error::Config {
        file: path.display().to_string(),
        key: "(file)".into(),
        message: "the file is not valid UTF-8".into(),
    })?;
    Ok((text, sha256))
}

/// The flag, else `WFSIM_THREADS`, else every core.
pub fn threads(flag: Option<usize>, env: &Environment) -> Result<usize> {
    let (n, source) = match (flag, &env.wfsim_threads) {
        (Some(n), _) => (Some(n), "--threads".to_string()),
        (None, Some(v)) => (v.trim().parse().ok(), format!("WFSIM_THREADS={v:?}")),
        (None, None) => return Ok(env.cores.clamp(1, MAX_THREADS)),
    };
    n.filter(|n| (1..=MAX_THREADS).contains(n))
        .ok_or_else(|| Error::Usage {
            message: format!(
                "{source}: the thread count must be a whole number from 1 to {MAX_THREADS}"
            ),
        })
}

/// `SOURCE_DATE_EPOCH` in microseconds when set, else 0 (never the wall clock).
pub fn created_at(source_date_epoch: Option<&str>) -> Result<i64> {
    let Some(v) = source_date_epoch else {
        return Ok(0);
    };
    v.trim()
        .parse::<i64>()
        .ok()
        .and_then(|s| s.checked_mul(1_000_000))
        .ok_or_else(|| Error::Usage {
            message: format!(
                "SOURCE_DATE_EPOCH={v:?}: expected a whole number of seconds since 1970-01-01"
            ),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment {
            cores: 3,
            ..Environment::default()
        }
    }

    fn config_file(dir: &Path, yaml: &str) -> PathBuf {
        let path = dir.join("sim.yaml");
        std::fs::write(&path, yaml).unwrap();
        path
    }

    #[test]
    fn flags_win_over_the_config_which_wins_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = config_file(
            dir.path(),
            "simulation:\n  start_year: 2030\n  end_year: 2032\n  random_seed: 5\n  output_dir: cfg_out\n",
        );
        let request = Request {
            config: Some(path.clone()),
            end: Some(2031),
            scenario: Some("s1".into()),
            ..Request::default()
        };
        let s = Settings::resolve(&request, &env()).unwrap();
        let sim = &s.model.config.simulation;
        assert_eq!(
            (sim.start_year, sim.end_year, sim.random_seed),
            (2030, 2031, 5)
        );
        assert_eq!(sim.scenario_id, "s1");
        assert_eq!(sim.plan_design_id, "default");
        assert_eq!(s.out, PathBuf::from("cfg_out"));
        assert_eq!(s.years(), 2);
        assert_eq!(s.config_path, Some(path.clone()));
        assert_eq!(s.config_sha256, sha256_hex(&std::fs::read(&path).unwrap()));
        let flagged = Request {
            out: Some("flag_out".into()),
            ..request
        };
        assert_eq!(
            Settings::resolve(&flagged, &env()).unwrap().out,
            PathBuf::from("flag_out")
        );
    }

    #[test]
    fn a_config_census_path_is_relative_to_the_config_and_the_flag_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = config_file(dir.path(), "simulation:\n  census_path: data/c.csv\n");
        let mut request = Request {
            config: Some(path),
            ..Request::default()
        };
        let s = Settings::resolve(&request, &env()).unwrap();
        assert_eq!(s.census, CensusSource::File(dir.path().join("data/c.csv")));
        request.census = Some("mine.parquet".into());
        let s = Settings::resolve(&request, &env()).unwrap();
        assert_eq!(s.census, CensusSource::File("mine.parquet".into()));
    }

    #[test]
    fn without_a_census_the_example_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let request = Request {
            config: Some(config_file(dir.path(), "")),
            ..Request::default()
        };
        assert_eq!(
            Settings::resolve(&request, &env()).unwrap().census,
            CensusSource::Example
        );
    }

    #[test]
    fn an_override_is_named_in_validation_errors() {
        let dir = tempfile::tempdir().unwrap();
        let request = Request {
            config: Some(config_file(dir.path(), "")),
            start: Some(2031),
            end: Some(2030),
            ..Request::default()
        };
        let e = Settings::resolve(&request, &env()).unwrap_err().to_string();
        assert!(e.contains("with command-line overrides"), "{e}");
        assert!(e.contains("simulation.end_year"), "{e}");
    }

    #[test]
    fn sets_edit_the_config_and_flags_still_win() {
        let dir = tempfile::tempdir().unwrap();
        let request = Request {
            config: Some(config_file(dir.path(), "simulation:\n  random_seed: 5\n")),
            sets: ["simulation.random_seed=6", "eligibility.minimum_age=25"]
                .map(|s| s.parse().unwrap())
                .to_vec(),
            ..Request::default()
        };
        let s = Settings::resolve(&request, &env()).unwrap();
        assert_eq!(s.model.config.simulation.random_seed, 6);
        assert_eq!(s.model.config.eligibility.minimum_age.get(), 25);
        let resolved = s.model.resolved_config(None);
        assert_eq!(resolved["eligibility"]["minimum_age"], 25);
        let flagged = Request {
            seed: Some(8),
            ..request.clone()
        };
        let s = Settings::resolve(&flagged, &env()).unwrap();
        assert_eq!(s.model.config.simulation.random_seed, 8);
        let bad = Request {
            sets: vec!["eligibility.minimum_age=200".parse().unwrap()],
            ..request
        };
        let e = Settings::resolve(&bad, &env()).unwrap_err().to_string();
        assert!(e.contains("sim.yaml with --set"), "{e}");
        assert!(e.contains("eligibility.minimum_age"), "{e}");
    }

    #[test]
    fn a_census_map_replaces_the_census_keys_it_sets() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_file(
            dir.path(),
            "census:\n  deferral_rate_unit: percent\n  columns: {hire_date: DOH}\n",
        );
        let map = dir.path().join("map.yaml");
        std::fs::write(
            &map,
            "census:\n  columns: {birth_date: DOB}\n  header_row: 2\n",
        )
        .unwrap();
        let request = Request {
            config: Some(config),
            census_map: Some(map.clone()),
            ..Request::default()
        };
        let census = Settings::resolve(&request, &env())
            .unwrap()
            .model
            .config
            .census;
        assert_eq!(census.deferral_rate_unit, config::DeferralRateUnit::Percent);
        assert_eq!(census.columns.get(census::Column::BirthDate), Some("DOB"));
        assert_eq!(census.columns.get(census::Column::HireDate), None);
        assert_eq!(census.header_row.get(), 2);
        let other_key = Request {
            sets: vec!["census.sheet=Census".parse().unwrap()],
            ..request.clone()
        };
        let census = Settings::resolve(&other_key, &env())
            .unwrap()
            .model
            .config
            .census;
        assert_eq!(census.sheet.as_deref(), Some("Census"));
        let same_key = Request {
            sets: vec!["census.columns.employee_id=EMP_ID".parse().unwrap()],
            ..request
        };
        let e = Settings::resolve(&same_key, &env())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--set census.columns.employee_id") && e.contains("map.yaml"),
            "{e}"
        );
    }

    #[test]
    fn threads_come_from_the_flag_then_the_environment_then_the_cores() {
        let mut e = env();
        assert_eq!(threads(None, &e).unwrap(), 3);
        e.wfsim_threads = Some(" 2 ".into());
        assert_eq!(threads(None, &e).unwrap(), 2);
        assert_eq!(threads(Some(7), &e).unwrap(), 7);
        for bad in ["0", "many", "1025", ""] {
            e.wfsim_threads = Some(bad.into());
            let msg = threads(None, &e).unwrap_err().to_string();
            assert!(msg.contains("WFSIM_THREADS"), "{msg}");
        }
        assert!(threads(Some(0), &env())
            .unwrap_err()
            .to_string()
            .contains("--threads"));
    }

    #[test]
    fn created_at_is_source_date_epoch_or_zero() {
        assert_eq!(created_at(None).unwrap(), 0);
        assert_eq!(
            created_at(Some("1700000000")).unwrap(),
            1_700_000_000_000_000
        );
        for bad in ["soon", "1.5", "99999999999999999"] {
            let msg = created_at(Some(bad)).unwrap_err().to_string();
            assert!(msg.contains("SOURCE_DATE_EPOCH"), "{msg}");
        }
    }

    #[test]
    fn an_unreadable_or_non_utf8_config_is_an_input_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Request {
            config: Some(dir.path().join("nope.yaml")),
            ..Request::default()
        };
        let e = Settings::resolve(&missing, &env()).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let latin1 = dir.path().join("latin1.yaml");
        std::fs::write(&latin1, b"# caf\xe9\n").unwrap();
        let request = Request {
            config: Some(latin1),
            ..Request::default()
        };
        let e = Settings::resolve(&request, &env()).unwrap_err().to_string();
        assert!(e.contains("not valid UTF-8"), "{e}");
    }

    /// A two-scenario, two-seed batch file on the built-in example census.
    fn batch_file(dir: &Path, census: Option<&str>) -> PathBuf {
        let path = dir.join("batch.yaml");
        let census = census.map_or(String::new(), |c| format!("census: {c}\n"));
        std::fs::write(
            &path,
            format!("{census}seeds: [1, 2]\nbaseline: base\nscenarios:\n  base:\n  rich:\n    eligibility: {{minimum_age: 18}}\n"),
        )
        .unwrap();
        path
    }

    #[test]
    fn a_batch_takes_its_threads_from_the_flag_then_the_environment_then_the_cores() {
        let dir = tempfile::tempdir().unwrap();
        let mut request = BatchRequest {
            file: batch_file(dir.path(), None),
            out: dir.path().join("out"),
            ..BatchRequest::default()
        };
        let mut e = env();
        assert_eq!(BatchSettings::resolve(&request, &e).unwrap().threads, 3);
        e.wfsim_threads = Some("2".into());
        assert_eq!(BatchSettings::resolve(&request, &e).unwrap().threads, 2);
        request.threads = Some(5);
        assert_eq!(BatchSettings::resolve(&request, &e).unwrap().threads, 5);
        request.threads = None;
        e.wfsim_threads = Some("none".into());
        let msg = BatchSettings::resolve(&request, &e)
            .err()
            .unwrap()
            .to_string();
        assert!(msg.contains("WFSIM_THREADS"), "{msg}");
    }

    #[test]
    fn a_batch_takes_created_at_from_the_caller_then_source_date_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let mut request = BatchRequest {
            file: batch_file(dir.path(), None),
            ..BatchRequest::default()
        };
        let mut e = env();
        let resolve = |r: &BatchRequest, e: &Environment| {
            BatchSettings::resolve(r, e).unwrap().created_at_micros
        };
        assert_eq!(resolve(&request, &e), 0);
        e.source_date_epoch = Some("1700000000".into());
        assert_eq!(resolve(&request, &e), 1_700_000_000_000_000);
        request.created_at_micros = Some(7);
        assert_eq!(resolve(&request, &e), 7);
    }

    #[test]
    fn a_batch_census_map_applies_to_every_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let map = dir.path().join("map.yaml");
        std::fs::write(
            &map,
            "census:\n  columns: {birth_date: DOB}\n  header_row: 2\n",
        )
        .unwrap();
        let request = BatchRequest {
            file: batch_file(dir.path(), Some("people.csv")),
            census_map: Some(map),
            ..BatchRequest::default()
        };
        let s = BatchSettings::resolve(&request, &env()).unwrap();
        assert_eq!(s.batch.scenarios.len(), 2);
        for scenario in &s.batch.scenarios {
            let census = &scenario.model.config.census;
            assert_eq!(census.columns.get(census::Column::BirthDate), Some("DOB"));
            assert_eq!(census.header_row.get(), 2);
        }
        assert_eq!(
            s.batch.census,
            CensusSource::File(dir.path().join("people.csv"))
        );
        let missing = BatchRequest {
            census_map: Some(dir.path().join("nope.yaml")),
            ..request
        };
        let e = BatchSettings::resolve(&missing, &env()).err().unwrap();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("nope.yaml"), "{e}");
    }

    #[test]
    fn a_missing_batch_file_is_an_input_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let request = BatchRequest {
            file: dir.path().join("missing.yaml"),
            ..BatchRequest::default()
        };
        let e = BatchSettings::resolve(&request, &env()).err().unwrap();
        assert!(matches!(e, Error::Input { .. }), "{e:?}");
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("missing.yaml"), "{e}");
    }

    #[test]
    fn a_resolved_batch_loads_its_census_into_its_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let request = BatchRequest {
            file: batch_file(dir.path(), None),
            out: dir.path().join("out"),
            keep: Keep {
                events: true,
                snapshots: false,
            },
            threads: Some(1),
            created_at_micros: Some(9),
            ..BatchRequest::default()
        };
        let s = BatchSettings::resolve(&request, &env()).unwrap();
        let pool = worker_pool(s.threads).unwrap();
        assert_eq!(pool.current_num_threads(), 1);
        let census = s
            .load_census(&pool, census::LoadOptions::default())
            .unwrap();
        let rows = census.rows.len();
        let inputs = s.into_inputs(census);
        assert_eq!(inputs.census.len(), rows);
        assert_eq!(inputs.census.len(), census::synthetic::EXAMPLE_EMPLOYEES);
        assert_eq!(inputs.census_label, CensusSource::Example.label());
        assert_eq!(inputs.out, dir.path().join("out"));
        assert_eq!(inputs.keep, request.keep);
        assert_eq!((inputs.threads, inputs.created_at_micros), (1, 9));
        assert_eq!(inputs.batch.runs(), 4);
        assert_eq!(inputs.batch.baseline_id(), "base");
    }

    #[test]
    fn a_worker_pool_has_the_threads_asked_for() {
        assert_eq!(worker_pool(2).unwrap().current_num_threads(), 2);
        let e = Error::Threads {
            threads: 4,
            message: "no".into(),
        };
        assert_eq!(e.to_string(), "cannot start 4 worker threads: no");
        assert_eq!(e.exit_code(), 1);
    }
}
