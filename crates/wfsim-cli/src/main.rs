//! The `wfsim` command line: parses flags, loads inputs through the library, reports.
//! It holds no model logic.

mod table;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wfsim::census::synthetic::{self, EXAMPLE_EMPLOYEES, EXAMPLE_SEED};
use wfsim::census::RateUnit;
use wfsim::config;
use wfsim::settings::{CensusSource, Environment, Request, Settings, DEFAULT_CONFIG};
use wfsim::year::YearCounts;
use wfsim::{Error, Progress};

#[derive(Parser)]
#[command(
    name = "wfsim",
    version,
    about = "Workforce and retirement-plan simulator: census + assumptions -> yearly events and snapshots as Parquet"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print more detail (ignored census columns, leavers, derived levels).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
    /// Print nothing except errors.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Project the workforce year by year and write events and snapshots (the default command).
    #[command(after_long_help = table::legend())]
    Run(RunArgs),
    /// Write a deterministic synthetic census (CSV, Parquet or .xlsx, by file extension), or
    /// `census inspect FILE` to check a census before a run.
    Census(CensusArgs),
    /// Compare two output directories: events and snapshots, every year, every column (floats
    /// bitwise), rows matched by employee and event sequence.
    ///
    /// Two runs with different scenario or plan-design ids (`run --scenario`, `--plan`) are
    /// compared as scenarios: scenario_id, plan_design_id and event_id (a hash of both) are
    /// ignored, and a per-year table shows the headline figures of A and B side by side with
    /// B - A: headcount at year end, hires, terminations, participation (enrolled / eligible
    /// among the actives at Dec 31), average deferral rate of the active enrolled, payroll (sum
    /// of prorated compensation), and employee deferrals and employer cost (match + core -
    /// forfeitures) once the snapshots carry those columns. Money is summed in whole cents.
    /// --scenarios and --exact choose the mode whatever the ids.
    ///
    /// Exit 0 when identical (in scenario mode: apart from the ids), 1 when they differ, 2 when a
    /// directory or file cannot be read.
    Diff(DiffArgs),
    /// Run scenarios × seeds from a batch file (spec §8) and write the metrics of every run,
    /// their statistics over the seeds (ensemble.parquet: mean, sd, min, P10–P90, max) and the
    /// paired differences against the baseline scenario (deltas.parquet).
    ///
    /// Every run (scenario s, seed k) equals `wfsim run` of s's merged config with seed k and
    /// scenario id s, row for row; scenarios with the same seed share their random draws, so a
    /// delta is the design's effect, not noise. The output directory is replaced atomically.
    Batch(BatchArgs),
    /// Make a report of a run or batch directory: one self-contained HTML page (inline SVG
    /// charts, each with the table of its numbers; no network, prints to PDF) and, with --xlsx,
    /// an Excel workbook of the same tables.
    ///
    /// A run directory (generation_summary.json) gives the headcount flow, events, payroll,
    /// participation and deferral rates, employer cost and the IRS limits reached; a batch
    /// directory (batch_summary.json) gives per metric a fan chart per scenario (P10–P90,
    /// P25–P75, median) and the paired difference against the baseline, the last year per
    /// scenario, and the inputs. Files are written atomically (temporary file, then rename).
    Report(ReportArgs),
}

#[derive(Args)]
struct ReportArgs {
    /// The `wfsim run` or `wfsim batch` output directory to report on.
    dir: PathBuf,
    /// The HTML report to write (replaced if it exists).
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Also write the tables as an Excel workbook to FILE (replaced if it exists): one sheet
    /// per table, numbers with currency and percent formats, and the inputs.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
}

#[derive(Args)]
struct BatchArgs {
    /// The batch file: base config (or inline config), census, seeds, baseline, scenarios.
    batch: PathBuf,
    /// Output directory, replaced atomically [default: ./batch_out].
    #[arg(long, value_name = "DIR", default_value = "batch_out")]
    out: PathBuf,
    /// Also keep every run's files: events, snapshots or both (comma-separated), under
    /// {events,snapshots}/scenario_id=S/random_seed=K/simulation_year=N/; `metrics` (the
    /// default) keeps only the batch's own four files.
    #[arg(long, value_name = "WHAT", value_delimiter = ',', value_parser = ["metrics", "events", "snapshots"])]
    keep: Vec<String>,
    /// Worker threads; results are identical for any count [default: WFSIM_THREADS, else all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Set census rows that fail validation aside into this CSV and run every scenario on the
    /// rest (as `run --rejects`).
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// With --rejects: stop (exit 2, nothing written) when more than N rows are bad.
    #[arg(long, value_name = "N", requires = "rejects")]
    max_rejects: Option<usize>,
    /// How the census file is laid out (as `run --census-map`), for every scenario.
    #[arg(long, value_name = "FILE")]
    census_map: Option<PathBuf>,
}

#[derive(Args)]
struct DiffArgs {
    /// First output directory.
    dir_a: PathBuf,
    /// Second output directory.
    dir_b: PathBuf,
    /// Differing rows printed per table and year.
    #[arg(long, value_name = "N", default_value_t = 5)]
    show: usize,
    /// Lines of differing rows printed in all, then one "… N more" line.
    #[arg(long, value_name = "N", default_value_t = 100)]
    max_lines: usize,
    /// Compare as scenarios (ids ignored, headline figures) even when the ids are the same.
    #[arg(long, conflicts_with = "exact")]
    scenarios: bool,
    /// Compare every column, ids included, even when the runs' ids differ.
    #[arg(long)]
    exact: bool,
}

/// Which engine generates the years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    /// The native Rust engine.
    #[default]
    Native,
    /// The SQL reference engine (embedded DuckDB; needs a build with `--features sql`).
    Sql,
}

#[derive(Args, Default)]
struct RunArgs {
    /// Assumptions YAML [default: config/simulation.yaml if it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Census CSV, Parquet or Excel workbook [default: simulation.census_path, else a built-in 5,000-employee example].
    #[arg(long, value_name = "FILE")]
    census: Option<PathBuf>,
    /// How the census file is laid out: a YAML file holding a `census:` section (columns,
    /// date_format, sheet, header_row, deferral_rate_unit), whose keys replace the config's.
    #[arg(long, value_name = "FILE")]
    census_map: Option<PathBuf>,
    /// First simulated year (overrides simulation.start_year).
    #[arg(long, value_name = "YEAR")]
    start: Option<i32>,
    /// Last simulated year (overrides simulation.end_year).
    #[arg(long, value_name = "YEAR")]
    end: Option<i32>,
    /// Output directory, replaced atomically [default: simulation.output_dir, else ./sim_events].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Random seed (overrides simulation.random_seed).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Scenario id written on every row (overrides simulation.scenario_id).
    #[arg(long, value_name = "ID")]
    scenario: Option<String>,
    /// Plan design id written on every row (overrides simulation.plan_design_id).
    #[arg(long, value_name = "ID")]
    plan: Option<String>,
    /// Worker threads; results are identical for any count [default: WFSIM_THREADS, else all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Set one config key on top of the config file, e.g. `--set
    /// enrollment.auto_enrollment.default_deferral_rate=0.04` (repeatable; VALUE is YAML, so
    /// lists work: `--set promotion.age_multipliers=[1,1,1,1,1,1]`). Checked like the file and
    /// recorded in the summary's resolved_config; --start/--end/--seed/--scenario/--plan win.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = |s: &str| s.parse::<wfsim::config::Set>())]
    sets: Vec<wfsim::config::Set>,
    /// Engine: native, or sql (the SQL reference engine; results are identical).
    #[arg(long, value_enum, default_value_t = EngineArg::Native)]
    engine: EngineArg,
    /// Set census rows that fail validation aside into this CSV (row, employee_id, column,
    /// value, reason) and run on the rest. Written only when the run succeeds; an existing
    /// file is replaced. A missing column or a duplicate id still stops the run.
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// With --rejects: stop (exit 2, nothing written) when more than N rows are bad.
    #[arg(long, value_name = "N", requires = "rejects")]
    max_rejects: Option<usize>,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct CensusArgs {
    #[command(subcommand)]
    command: Option<CensusCommand>,
    /// Number of employees.
    #[arg(long, value_name = "N", required = true, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    employees: Option<u64>,
    /// Seed of the generator.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// As-of date of the census (leavers are dated in its year).
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2024-12-31")]
    census_date: String,
    /// Output file; `.csv`, `.parquet` or `.xlsx`. An existing file is refused unless --force.
    #[arg(long, value_name = "FILE", required = true)]
    out: Option<PathBuf>,
    /// Replace an existing --out file (atomically: the old file stays until the new one is
    /// complete).
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum CensusCommand {
    /// Read and check a census without running: rows read, leavers, columns used and ignored,
    /// headcount by level, age and tenure band, salary percentiles, participation and deferral
    /// rates, and every problem with its row. Exit 2 when a row has a problem (as `run`).
    Inspect(InspectArgs),
}

#[derive(Args)]
struct InspectArgs {
    /// The census: CSV, Parquet or Excel workbook.
    file: PathBuf,
    /// How the census file is laid out (as `run --census-map`).
    #[arg(long = "map", visible_alias = "census-map", value_name = "FILE")]
    map: Option<PathBuf>,
    /// Assumptions YAML, for its census section, job levels and census date [default:
    /// config/simulation.yaml if it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Set one config key, as `run --set`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = |s: &str| s.parse::<wfsim::config::Set>())]
    sets: Vec<wfsim::config::Set>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// The engine frees a year's buffers and allocates the next year's just after. With glibc's
/// defaults the large ones go back to the kernel and are faulted in again (page faults were a
/// fifth of the engine's profile): grow the heap 64 MB at a time, never trim it, and serve
/// blocks up to 32 MB from it. Measured: 5 % less CPU on 60,040 x 5; peak RSS of 1M x 10 lower.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Census(args)) => census(args, cli.quiet),
        Some(Command::Run(args)) => run(args, cli.verbose, cli.quiet),
        Some(Command::Diff(args)) => return diff(args, cli.quiet),
        Some(Command::Batch(args)) => batch(args, cli.quiet),
        Some(Command::Report(args)) => report(args, cli.quiet),
        None => run(RunArgs::default(), cli.verbose, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(e.downcast_ref::<Error>().map_or(1, Error::exit_code))
        }
    }
}

fn census(args: CensusArgs, quiet: bool) -> anyhow::Result<()> {
    if let Some(CensusCommand::Inspect(inspect)) = args.command {
        return census_inspect(inspect, quiet);
    }
    // clap requires both without a subcommand.
    let (Some(employees), Some(out)) = (args.employees, args.out) else {
        return Err(Error::Usage {
            message: "wfsim census needs --employees N and --out FILE (or a subcommand: inspect)"
                .into(),
        }
        .into());
    };
    synthetic::check_out(&out, args.force)?;
    let census_date =
        wfsim::date::Date::parse_iso(&args.census_date).ok_or_else(|| Error::Usage {
            message: format!(
                "--census-date: value {:?} is not a YYYY-MM-DD date",
                args.census_date
            ),
        })?;
    // The generated levels are the default job levels'.
    let defaults = config::validate(config::Config::default(), "built-in defaults")?;
    let rows = synthetic::generate(
        &defaults,
        &synthetic::Spec {
            employees: employees as usize,
            seed: args.seed,
            census_date,
        },
    );
    synthetic::write(&out, &rows, args.force)?;
    if !quiet {
        println!("wrote {} employees to {}", rows.len(), out.display());
    }
    Ok(())
}

/// `wfsim census inspect`: loads the census as `run --rejects` would (every bad row set aside
/// and listed), prints the report, and fails like `run` when a row has a problem.
fn census_inspect(args: InspectArgs, quiet: bool) -> anyhow::Result<()> {
    let request = Request {
        config: args.config,
        census: Some(args.file.clone()),
        census_map: args.map,
        sets: args.sets,
        ..Request::default()
    };
    let env = Environment::of_process();
    let settings = Settings::resolve(&request, &env)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .with_context(|| format!("cannot start {} worker threads", settings.threads))?;
    let options = wfsim::census::LoadOptions {
        set_aside: true,
        max_rejects: None,
    };
    let census = settings.load_census(&pool, options)?;
    let file = args.file.display().to_string();
    let report = wfsim::census::inspect::Inspection::new(&census, &settings.model, &file);
    if !quiet {
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).context("cannot write the report as JSON")?
            );
        } else {
            print!("{}", report.text());
        }
    }
    if report.problems.is_empty() {
        return Ok(());
    }
    Err(Error::Census {
        file,
        row: None,
        column: None,
        value: None,
        message: format!(
            "{} with problems (listed in the report): `wfsim run` stops on them, or sets them aside with --rejects FILE",
            rows_text(report.problems.len())
        ),
    }
    .into())
}

fn diff(args: DiffArgs, quiet: bool) -> ExitCode {
    use wfsim::output::diff::{DiffOptions, Mode};
    let mode = match (args.scenarios, args.exact) {
        (true, _) => Mode::Scenarios,
        (_, true) => Mode::Exact,
        _ => Mode::Auto,
    };
    let opts = DiffOptions {
        show: args.show,
        max_lines: args.max_lines,
        color: std::io::stdout().is_terminal(),
        mode,
    };
    match wfsim::output::diff::diff_dirs_with(&args.dir_a, &args.dir_b, opts) {
        Ok(report) => {
            if !quiet {
                print!("{}", report.report);
            }
            if report.identical {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            let code = e.exit_code();
            eprintln!("error: {:#}", anyhow::Error::from(e));
            ExitCode::from(code)
        }
    }
}

#[cfg(feature = "sql")]
fn engine_choice<'a>(engine: EngineArg) -> anyhow::Result<wfsim::EngineChoice<'a>> {
    Ok(match engine {
        EngineArg::Native => wfsim::EngineChoice::native(),
        EngineArg::Sql => wfsim_sql::engine_choice(),
    })
}

#[cfg(not(feature = "sql"))]
fn engine_choice<'a>(engine: EngineArg) -> anyhow::Result<wfsim::EngineChoice<'a>> {
    match engine {
        EngineArg::Native => Ok(wfsim::EngineChoice::native()),
        EngineArg::Sql => Err(Error::Usage {
            message: "--engine sql: this wfsim was built without the SQL engine; rebuild with `cargo build --release -p wfsim-cli --features sql`".into(),
        }
        .into()),
    }
}

fn run(args: RunArgs, verbose: bool, quiet: bool) -> anyhow::Result<()> {
    let engine = engine_choice(args.engine)?;
    let request = Request {
        config: args.config,
        census: args.census,
        start: args.start,
        end: args.end,
        seed: args.seed,
        scenario: args.scenario,
        plan: args.plan,
        out: args.out,
        threads: args.threads.map(usize::from),
        sets: args.sets,
        census_map: args.census_map,
    };
    let settings = Settings::resolve(&request, &Environment::of_process())?;
    let (threads, years) = (settings.threads, settings.years());
    // Loading the census takes the run's thread count.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .with_context(|| format!("cannot start {threads} worker threads"))?;
    let config_label = settings.config_path.as_ref().map_or_else(
        || format!("built-in defaults (no --config, and no ./{DEFAULT_CONFIG} here)"),
        |p| p.display().to_string(),
    );
    let rejects_path = args.rejects;
    if let Some(r) = &rejects_path {
        check_rejects_path(r, &settings.out)?;
    }
    let opts = wfsim::census::LoadOptions {
        set_aside: rejects_path.is_some(),
        max_rejects: args.max_rejects,
    };
    let census = settings.load_census(&pool, opts)?;
    if let (true, CensusSource::File(path)) = (verbose, &settings.census) {
        eprintln!(
            "census {}: {} active employees, {} leavers set aside, {} levels derived from salary",
            path.display(),
            census.rows.len() - census.leavers,
            census.leavers,
            census.derived_levels
        );
        if !census.ignored_columns.is_empty() {
            eprintln!(
                "census {}: ignored columns: {}",
                path.display(),
                census.ignored_columns.join(", ")
            );
        }
    }
    // Which inputs were used is never left to guess (a run from a subfolder misses the config).
    if !quiet {
        let census_text = match &settings.census {
            // A census in the wrong unit goes wrong silently: the unit read is always shown.
            CensusSource::File(path) => match census.deferral_rate_unit {
                Some(RateUnit::Percent) => format!("{} (deferral rates in percent)", path.display()),
                Some(RateUnit::Fraction) => format!("{} (deferral rates as fractions)", path.display()),
                None => format!("{} (no deferral rate column)", path.display()),
            },
            CensusSource::Example => format!("built-in example census ({EXAMPLE_EMPLOYEES} synthetic employees, seed {EXAMPLE_SEED}; --census FILE for your own)"),
        };
        println!(
            "config: {config_label}\ncensus: {census_text}\nbehaviour: {}",
            settings.model.config.enrollment.behaviour()
        );
        if let Some(r) = &rejects_path {
            let by_reason = wfsim::census::rejects_by_reason(&census.rejects);
            let reasons: Vec<String> = by_reason
                .iter()
                .map(|(k, n)| format!("{n} × {k}"))
                .collect();
            println!(
                "census: {} set aside into {}{}",
                rows_text(census.rejects.len()),
                r.display(),
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join("; "))
                }
            );
        }
    }
    // The rejects file is written once the run has succeeded.
    let rejects = rejects_path.as_ref().map(|_| census.rejects.clone());
    let out = settings.out.clone();
    let bar = Bar::new(years, quiet);
    let inputs = settings.into_inputs(census);
    let report = wfsim::run_with_engine(inputs, engine, &bar).with_context(|| {
        format!(
            "run into {} failed; the previous output, if any, is unchanged",
            out.display()
        )
    })?;
    bar.0.finish_and_clear();
    if let (Some(r), Some(rejects)) = (&rejects_path, &rejects) {
        wfsim::census::write_rejects(r, rejects)?;
    }
    if !quiet {
        print!("{}", table::render(&report.summary.years));
        println!(
            "{} events in {:.2} s -> {}",
            report.summary.total_events,
            report.summary.wall_seconds,
            out.display()
        );
    }
    Ok(())
}

fn batch(args: BatchArgs, quiet: bool) -> anyhow::Result<()> {
    use wfsim::batch;
    let env = Environment::of_process();
    let threads = wfsim::settings::threads(args.threads.map(usize::from), &env)?;
    let created_at_micros = wfsim::settings::created_at(env.source_date_epoch.as_deref())?;
    let mut loaded = batch::load(&args.batch)?;
    // The census map describes the one census file, so every scenario reads it the same way.
    if let Some(path) = &args.census_map {
        let map = config::CensusMap::read(path)?;
        for s in &mut loaded.scenarios {
            wfsim::settings::apply_census_map(&map, path, &[], &mut s.model.config.census)?;
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .with_context(|| format!("cannot start {threads} worker threads"))?;
    if let Some(r) = &args.rejects {
        check_rejects_path(r, &args.out)?;
    }
    let options = wfsim::census::LoadOptions {
        set_aside: args.rejects.is_some(),
        max_rejects: args.max_rejects,
    };
    let census = loaded
        .census
        .load(&loaded.scenarios[0].model, &pool, options)?;
    let rejects = census.rejects.clone();
    let source = loaded.census.clone();
    if !quiet {
        println!(
            "batch: {} ({} scenarios × {} seeds = {} runs, baseline {})\ncensus: {}",
            args.batch.display(),
            loaded.scenarios.len(),
            loaded.seeds.len(),
            loaded.runs(),
            loaded.baseline_id(),
            source.label()
        );
        if let Some(r) = &args.rejects {
            println!(
                "census: {} set aside into {}",
                rows_text(rejects.len()),
                r.display()
            );
        }
        // The behavioural assumptions in force, once when all scenarios share them.
        let behaviours: Vec<(String, String)> = loaded
            .scenarios
            .iter()
            .map(|s| (s.id.clone(), s.model.config.enrollment.behaviour()))
            .collect();
        if behaviours.iter().all(|(_, b)| *b == behaviours[0].1) {
            println!("behaviour: {}", behaviours[0].1);
        } else {
            for (id, b) in &behaviours {
                println!("behaviour of {id}: {b}");
            }
        }
    }
    let keep = batch::Keep {
        events: args.keep.iter().any(|k| k == "events"),
        snapshots: args.keep.iter().any(|k| k == "snapshots"),
    };
    let bar = RunsBar::new(loaded.runs() as u64, quiet);
    let inputs = batch::BatchInputs {
        census_label: source.label(),
        census_sha256: census.sha256,
        census: census.rows,
        batch: loaded,
        out: args.out.clone(),
        keep,
        threads,
        created_at_micros,
        engine: wfsim::EngineChoice::native(),
    };
    let report = batch::run(inputs, &bar).with_context(|| {
        format!(
            "batch into {} failed; the previous output, if any, is unchanged",
            args.out.display()
        )
    })?;
    bar.0.finish_and_clear();
    if let Some(r) = &args.rejects {
        wfsim::census::write_rejects(r, &rejects)?;
    }
    if !quiet {
        print!(
            "{}",
            table::render_batch(&report.last_year, &report.summary.baseline)
        );
        println!(
            "{} runs in {:.2} s -> {}",
            report.summary.runs,
            report.summary.wall_seconds,
            args.out.display()
        );
    }
    Ok(())
}

fn report(args: ReportArgs, quiet: bool) -> anyhow::Result<()> {
    let report = wfsim_report::load(&args.dir)?;
    let written = wfsim_report::write(&report, &args.out, args.xlsx.as_deref())?;
    if !quiet {
        for (path, bytes) in written {
            println!("wrote {} ({bytes} bytes)", path.display());
        }
    }
    Ok(())
}

fn rows_text(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// The rejects file must not be, or be inside, the output directory (which a run replaces).
fn check_rejects_path(rejects: &Path, out: &Path) -> anyhow::Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists (symlinks, `..`) so two spellings of one place compare equal.
        std::fs::canonicalize(&p).unwrap_or(p)
    };
    let (r, o) = (abs(rejects), abs(out));
    let r_parent = rejects.parent().map(|p| {
        abs(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
    });
    let inside = r == o || r.starts_with(&o) || r_parent.is_some_and(|p| p.starts_with(&o));
    if inside || rejects.is_dir() {
        return Err(Error::Usage {
            message: format!(
                "--rejects {}: must be a file outside the output directory {}",
                rejects.display(),
                out.display()
            ),
        }
        .into());
    }
    Ok(())
}

/// A per-year progress bar, drawn only on a terminal.
struct Bar(ProgressBar);

impl Bar {
    fn new(years: u64, quiet: bool) -> Bar {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(years), target);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} years {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix("simulating");
        Bar(bar)
    }
}

/// A runs-done progress bar for a batch, drawn only on a terminal.
struct RunsBar(ProgressBar);

impl RunsBar {
    fn new(runs: u64, quiet: bool) -> RunsBar {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(runs), target);
        bar.set_style(
            ProgressStyle::with_template(
                "running [{bar:30}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        RunsBar(bar)
    }
}

impl wfsim::batch::BatchProgress for RunsBar {
    fn run_finished(&self, done: usize, _total: usize) {
        self.0.set_position(done as u64);
    }
}

impl Progress for Bar {
    fn year_started(&self, year: i32, headcount: usize) {
        self.0.set_message(format!("{year}: {headcount} employees"));
    }

    fn year_finished(&self, _counts: &YearCounts) {
        self.0.inc(1);
    }
}
