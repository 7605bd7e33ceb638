//! A whole run: inputs → year loop → writers, into an atomically swapped output directory.

use crate::census::{CensusRow, RateUnit};
use crate::config::Model;
use crate::engine::Engine;
use crate::error::Result;
use crate::output::directory::Staging;
use crate::output::parquet::{write_census, write_year, RunLabels, Written};
use crate::output::summary::{self, GenerationSummary};
use crate::year::{YearCounts, YearEngine, YearOutput};
use std::path::PathBuf;
use std::time::Instant;

/// Everything a run needs, already loaded and validated.
pub struct RunInputs {
    pub model: Model,
    /// Every census row, leavers included, sorted by id (as [`crate::census::load`] returns
    /// them). Written to `census.parquet`; the engine gets the rows that are not leavers.
    /// Owned so the run can free it once the engine has built its workforce (a million rows
    /// is ~100 MB that would otherwise stay for the whole run).
    pub census: Vec<CensusRow>,
    /// How the census is named in the summary (a path, or the built-in example).
    pub census_label: String,
    /// The census file read; `None` for a census built in memory (the built-in example).
    pub census_path: Option<PathBuf>,
    pub census_sha256: String,
    /// The unit the census deferral rates were read in (`Census::deferral_rate_unit`).
    pub census_deferral_rate_unit: Option<RateUnit>,
    /// Census rows set aside (`--rejects`); empty when none were.
    pub census_rejects: Vec<crate::census::Reject>,
    pub config_label: Option<String>,
    pub config_sha256: String,
    pub out: PathBuf,
    pub threads: usize,
    /// `created_at` of every event (see [`crate::settings::Settings`]).
    pub created_at_micros: i64,
}

/// Observes a run's progress (the CLI draws its progress bar with this).
pub trait Progress: Sync {
    fn year_started(&self, _year: i32, _headcount: usize) {}
    /// A year's whole output, on the run's pool, before it is dropped (the Python package
    /// builds its Arrow tables from it).
    fn year_output(&self, _labels: &RunLabels, _out: &YearOutput) {}
    fn year_finished(&self, _counts: &YearCounts) {}
}

impl Progress for () {}

pub struct RunReport {
    pub summary: GenerationSummary,
}

/// Which engine generates the years, and its name for `generation_summary.json`. `make` may
/// be called once per run (a batch calls it for every run, from any thread).
pub struct EngineChoice<'a> {
    pub name: String,
    #[allow(clippy::type_complexity)]
    pub make: Box<
        dyn Fn(&Model, &[CensusRow]) -> Result<Box<dyn YearEngine + Send + 'a>> + Send + Sync + 'a,
    >,
}

impl EngineChoice<'_> {
    pub fn native() -> Self {
        EngineChoice {
            name: "native".into(),
            make: Box::new(|model, census| Ok(Box::new(Engine::new(model.clone(), census)))),
        }
    }
}

/// One simulated year as the loop hands it over: its rows, or only its counts.
pub(crate) enum Year {
    Rows(YearOutput),
    Counts(YearCounts),
}

impl Year {
    pub(crate) fn into_counts(self) -> YearCounts {
        match self {
            Year::Rows(out) => out.counts,
            Year::Counts(counts) => counts,
        }
    }
}

/// The year loop of every entry point (`run`, each run of a batch): steps `engine` through
/// `start..=end` in order, with its rows when `rows` (else its counts only), finishes each
/// year's nondiscrimination tests (`ndt`: they read the year before's), and hands each year to
/// `take`, which returns `false` to stop early.
pub(crate) fn each_year(
    engine: &mut dyn YearEngine,
    (start, end): (i32, i32),
    ndt: &crate::config::Ndt,
    rows: bool,
    progress: &dyn Progress,
    mut take: impl FnMut(Year) -> Result<bool>,
) -> Result<()> {
    let mut prior = None;
    for year in start..=end {
        progress.year_started(year, engine.headcount());
        let y = if rows {
            let mut out = engine.step(year)?;
            out.counts.finish_ndt(ndt, &mut prior);
            Year::Rows(out)
        } else {
            let mut counts = engine.step_counts(year)?;
            counts.finish_ndt(ndt, &mut prior);
            Year::Counts(counts)
        };
        if !take(y)? {
            break;
        }
    }
    Ok(())
}

/// An engine whose steps run on a pool (the loop itself may not: see [`run_inner`]).
struct OnPool<'p, E: ?Sized>(&'p rayon::ThreadPool, &'p mut E);

impl<E: YearEngine + Send + ?Sized> YearEngine for OnPool<'_, E> {
    fn headcount(&self) -> usize {
        self.1.headcount()
    }

    fn step(&mut self, year: i32) -> Result<YearOutput> {
        let engine = &mut *self.1;
        self.0.install(|| engine.step(year))
    }

    fn step_counts(&mut self, year: i32) -> Result<YearCounts> {
        let engine = &mut *self.1;
        self.0.install(|| engine.step_counts(year))
    }
}

/// Runs the native engine.
pub fn run(inputs: RunInputs, progress: &(dyn Progress + Sync)) -> Result<RunReport> {
    run_with_engine(inputs, EngineChoice::native(), progress)
}

pub fn run_with_engine(
    inputs: RunInputs,
    engine: EngineChoice,
    progress: &(dyn Progress + Sync),
) -> Result<RunReport> {
    run_inner(inputs, engine, progress, true)
}

/// Runs the native engine without writing any file (`inputs.out` is not touched): the years
/// reach the caller through [`Progress::year_output`] only.
pub fn run_in_memory(inputs: RunInputs, progress: &(dyn Progress + Sync)) -> Result<RunReport> {
    run_inner(inputs, EngineChoice::native(), progress, false)
}

fn run_inner(
    mut inputs: RunInputs,
    engine: EngineChoice,
    progress: &(dyn Progress + Sync),
    write: bool,
) -> Result<RunReport> {
    let started = Instant::now();
    let pool = crate::pool::worker_pool(inputs.threads)?;
    let sim = inputs.model.config.simulation.clone();
    let labels = RunLabels {
        scenario_id: sim.scenario_id.clone(),
        plan_design_id: sim.plan_design_id.clone(),
        created_at_micros: inputs.created_at_micros,
    };
    let mut census = std::mem::take(&mut inputs.census);
    let engine_name = engine.name.clone();
    let staging = write.then(|| Staging::create(&inputs.out)).transpose()?;
    let census_date = inputs.model.census_date;
    // The file says it is sorted by id, and the engine needs its workforce in id order. Linear
    // when the rows come sorted, as the loader's do.
    census.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    let census_bytes = match &staging {
        Some(staging) => pool
            .install(|| write_census(staging.path(), &census, census_date))?
            .sync()?,
        None => 0,
    };
    census.retain(|r| !r.is_leaver(census_date));
    // Year N is written while year N + 1 is simulated; the rendezvous channel keeps at most
    // those two years in memory.
    let (years, output_bytes) = std::thread::scope(|scope| -> Result<(Vec<YearCounts>, u64)> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<YearOutput>(0);
        let (pool, staging, labels) = (&pool, &staging, &labels);
        let writer = scope.spawn(move || -> Result<(Vec<YearCounts>, u64)> {
            let mut years = Vec::new();
            let mut bytes = 0;
            for out in rx {
                if let Some(staging) = staging {
                    // Flushed on this thread, so the pool goes on with the next year.
                    let files = pool.install(|| write_year(staging.path(), labels, &out))?;
                    bytes += Written::sync_all(files)?;
                }
                pool.install(|| progress.year_output(labels, &out));
                progress.year_finished(&out.counts);
                years.push(out.counts);
            }
            Ok((years, bytes))
        });
        // Only the step runs on the pool: a worker blocked on the channel could starve the writer.
        let simulated = (|| -> Result<()> {
            let mut engine = (engine.make)(&inputs.model, &census)?;
            census = Vec::new();
            let years = (sim.start_year, sim.end_year);
            each_year(
                &mut OnPool(pool, &mut *engine),
                years,
                &inputs.model.config.ndt,
                true,
                progress,
                |y| match y {
                    // false: the writer stopped on an error, reported below
                    Year::Rows(out) => Ok(tx.send(out).is_ok()),
                    Year::Counts(_) => unreachable!("the loop was asked for rows"),
                },
            )
        })();
        drop(tx);
        let written = writer.join().expect("the writer thread does not panic");
        simulated?;
        written
    })?;
    let census_path = inputs
        .census_path
        .as_deref()
        .map(|p| p.display().to_string());
    let summary = GenerationSummary::new(
        &inputs.model,
        engine_name,
        inputs.threads,
        summary::Sources {
            census_file: inputs.census_label,
            census_path,
            census_sha256: inputs.census_sha256,
            census_deferral_rate_unit: inputs.census_deferral_rate_unit,
            census_rejects: &inputs.census_rejects,
            config_file: inputs.config_label,
            config_sha256: inputs.config_sha256,
        },
        years,
        census_bytes + output_bytes,
        started.elapsed().as_secs_f64(),
        summary::peak_memory_bytes(),
    );
    if let Some(staging) = staging {
        summary::write(staging.path(), &summary)?;
        staging.commit()?;
    }
    Ok(RunReport { summary })
}
