//! Every flag, argument and help text of `wfsim`, as clap definitions: the one place the
//! command line's shape is written down. The handlers in [`crate::commands`] take these
//! structs; nothing here does any work.

use crate::table;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "wfsim",
    version,
    about = "Workforce and retirement-plan simulator: census + assumptions -> yearly events and snapshots as Parquet"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// Print more detail (ignored census columns, leavers, derived levels).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub(crate) verbose: bool,
    /// Print nothing except errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
    /// Find the best plan design within a committee's constraints (e.g. the cheapest design
    /// keeping participation P10 at 90 % and passing ADP in 95 % of futures), over seeds.
    ///
    /// The file is a batch file (base, census, seeds, discount_rate, uncertainty) with `levers`
    /// (config key paths, each a list of values or {min, max, step}), an `objective` (or two, for
    /// a Pareto front), `constraints` and a `budget` instead of scenarios. Every design runs on
    /// the same seeds; the whole grid when it fits the budget, else a seeded sample, successive
    /// halving on seeds and local refinement. Writes designs.parquet, best.yaml (the levers'
    /// keys at the best design's values), pareto.parquet with two objectives, and
    /// optimize_summary.json; the output directory is replaced atomically.
    Optimize(OptimizeArgs),
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
pub(crate) struct ReportArgs {
    /// The `wfsim run` or `wfsim batch` output directory to report on.
    pub(crate) dir: PathBuf,
    /// The HTML report to write (replaced if it exists).
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    pub(crate) out: PathBuf,
    /// Also write the tables as an Excel workbook to FILE (replaced if it exists): one sheet
    /// per table, numbers with currency and percent formats, and the inputs.
    #[arg(long, value_name = "FILE")]
    pub(crate) xlsx: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct BatchArgs {
    /// The batch file: base config (or inline config), census, seeds, baseline, scenarios.
    pub(crate) batch: PathBuf,
    /// Engine of every run: native, or sql (the SQL reference engine; the files are identical).
    #[arg(long, value_enum, default_value_t = EngineArg::Native)]
    pub(crate) engine: EngineArg,
    /// Output directory, replaced atomically [default: ./batch_out].
    #[arg(long, value_name = "DIR", default_value = "batch_out")]
    pub(crate) out: PathBuf,
    /// Also keep every run's files: events, snapshots or both (comma-separated), under
    /// {events,snapshots}/scenario_id=S/random_seed=K/simulation_year=N/; `metrics` (the
    /// default) keeps only the batch's own four files.
    #[arg(long, value_name = "WHAT", value_delimiter = ',', value_parser = ["metrics", "events", "snapshots"])]
    pub(crate) keep: Vec<String>,
    /// Worker threads; results are identical for any count [default: WFSIM_THREADS, else all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) threads: Option<u16>,
    /// Set census rows that fail validation aside into this CSV and run every scenario on the
    /// rest (as `run --rejects`).
    #[arg(long, value_name = "FILE")]
    pub(crate) rejects: Option<PathBuf>,
    /// With --rejects: stop (exit 2, nothing written) when more than N rows are bad.
    #[arg(long, value_name = "N", requires = "rejects")]
    pub(crate) max_rejects: Option<usize>,
    /// How the census file is laid out (as `run --census-map`), for every scenario.
    #[arg(long, value_name = "FILE")]
    pub(crate) census_map: Option<PathBuf>,
    /// Treat implausible values (a match tier rate above 2, a core above 25 %, growth beyond
    /// ±50 %, a termination rate above 50 %, …) as errors instead of warnings.
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Args)]
pub(crate) struct OptimizeArgs {
    /// The optimization file (a batch file with levers, objective, constraints and budget).
    pub(crate) spec: PathBuf,
    /// Output directory, replaced atomically [default: ./optimize_out].
    #[arg(long, value_name = "DIR", default_value = "optimize_out")]
    pub(crate) out: PathBuf,
    /// Worker threads; results are identical for any count [default: WFSIM_THREADS, else all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) threads: Option<u16>,
    /// How the census file is laid out (as `run --census-map`).
    #[arg(long, value_name = "FILE")]
    pub(crate) census_map: Option<PathBuf>,
    /// Designs in the end table.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) top: usize,
}

#[derive(Args)]
pub(crate) struct DiffArgs {
    /// First output directory.
    pub(crate) dir_a: PathBuf,
    /// Second output directory.
    pub(crate) dir_b: PathBuf,
    /// Differing rows printed per table and year.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) show: usize,
    /// Lines of differing rows printed in all, then one "… N more" line.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub(crate) max_lines: usize,
    /// Compare as scenarios (ids ignored, headline figures) even when the ids are the same.
    #[arg(long, conflicts_with = "exact")]
    pub(crate) scenarios: bool,
    /// Compare every column, ids included, even when the runs' ids differ.
    #[arg(long)]
    pub(crate) exact: bool,
}

/// Which engine generates the years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum EngineArg {
    /// The native Rust engine.
    #[default]
    Native,
    /// The SQL reference engine (embedded DuckDB; needs a build with `--features sql`).
    Sql,
}

#[derive(Args, Default)]
pub(crate) struct RunArgs {
    /// Assumptions YAML [default: config/simulation.yaml if it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Census CSV, Parquet or Excel workbook [default: simulation.census_path, else a built-in 5,000-employee example].
    #[arg(long, value_name = "FILE")]
    pub(crate) census: Option<PathBuf>,
    /// How the census file is laid out: a YAML file holding a `census:` section (columns,
    /// date_format, sheet, header_row, deferral_rate_unit), whose keys replace the config's.
    #[arg(long, value_name = "FILE")]
    pub(crate) census_map: Option<PathBuf>,
    /// First simulated year (overrides simulation.start_year).
    #[arg(long, value_name = "YEAR")]
    pub(crate) start: Option<i32>,
    /// Last simulated year (overrides simulation.end_year).
    #[arg(long, value_name = "YEAR")]
    pub(crate) end: Option<i32>,
    /// Output directory, replaced atomically [default: simulation.output_dir, else ./sim_events].
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Random seed (overrides simulation.random_seed).
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Scenario id written on every row (overrides simulation.scenario_id).
    #[arg(long, value_name = "ID")]
    pub(crate) scenario: Option<String>,
    /// Plan design id written on every row (overrides simulation.plan_design_id).
    #[arg(long, value_name = "ID")]
    pub(crate) plan: Option<String>,
    /// Worker threads; results are identical for any count [default: WFSIM_THREADS, else all cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub(crate) threads: Option<u16>,
    /// Set one config key on top of the config file, e.g. `--set
    /// enrollment.auto_enrollment.default_deferral_rate=0.04` (repeatable; VALUE is YAML, so
    /// lists work: `--set promotion.age_multipliers=[1,1,1,1,1,1]`). Checked like the file and
    /// recorded in the summary's resolved_config; --start/--end/--seed/--scenario/--plan win.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = |s: &str| s.parse::<wfsim::config::Set>())]
    pub(crate) sets: Vec<wfsim::config::Set>,
    /// Engine: native, or sql (the SQL reference engine; results are identical).
    #[arg(long, value_enum, default_value_t = EngineArg::Native)]
    pub(crate) engine: EngineArg,
    /// Set census rows that fail validation aside into this CSV (row, employee_id, column,
    /// value, reason) and run on the rest. Written only when the run succeeds; an existing
    /// file is replaced. A missing column or a duplicate id still stops the run.
    #[arg(long, value_name = "FILE")]
    pub(crate) rejects: Option<PathBuf>,
    /// With --rejects: stop (exit 2, nothing written) when more than N rows are bad.
    #[arg(long, value_name = "N", requires = "rejects")]
    pub(crate) max_rejects: Option<usize>,
    /// Treat implausible values (a match tier rate above 2, a core above 25 %, growth beyond
    /// ±50 %, a termination rate above 50 %, …) as errors instead of warnings.
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct CensusArgs {
    #[command(subcommand)]
    pub(crate) command: Option<CensusCommand>,
    /// Number of employees.
    #[arg(long, value_name = "N", required_unless_present = "from_run", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub(crate) employees: Option<u64>,
    /// Instead of a synthetic census, write the year-end snapshot of a `wfsim run` directory as
    /// a census: the actives and leavers of --year at Dec 31 (a history for `fit` and
    /// `backtest` made from a known config).
    #[arg(
        long,
        value_name = "RUN_DIR",
        conflicts_with = "employees",
        requires = "year"
    )]
    pub(crate) from_run: Option<PathBuf>,
    /// The year of --from-run's snapshot.
    #[arg(long, value_name = "YEAR", requires = "from_run")]
    pub(crate) year: Option<i32>,
    /// Seed of the generator.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub(crate) seed: u64,
    /// As-of date of the census (leavers are dated in its year).
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2024-12-31")]
    pub(crate) census_date: String,
    /// Output file; `.csv`, `.parquet` or `.xlsx`. An existing file is refused unless --force.
    #[arg(long, value_name = "FILE", required = true)]
    pub(crate) out: Option<PathBuf>,
    /// Replace an existing --out file (atomically: the old file stays until the new one is
    /// complete).
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Subcommand)]
pub(crate) enum CensusCommand {
    /// Read and check a census without running: rows read, leavers, columns used and ignored,
    /// headcount by level, age and tenure band, salary percentiles, participation and deferral
    /// rates, and every problem with its row. Exit 2 when a row has a problem (as `run`).
    Inspect(InspectArgs),
}

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// The census: CSV, Parquet or Excel workbook.
    pub(crate) file: PathBuf,
    /// How the census file is laid out (as `run --census-map`).
    #[arg(long = "map", visible_alias = "census-map", value_name = "FILE")]
    pub(crate) map: Option<PathBuf>,
    /// Assumptions YAML, for its census section, job levels and census date [default:
    /// config/simulation.yaml if it exists, else built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Set one config key, as `run --set`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = |s: &str| s.parse::<wfsim::config::Set>())]
    pub(crate) sets: Vec<wfsim::config::Set>,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("wfsim").chain(args.iter().copied()))
    }

    fn kind(args: &[&str]) -> ErrorKind {
        match parse(args) {
            Ok(_) => panic!("{args:?} parsed"),
            Err(e) => e.kind(),
        }
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_is_a_run_with_defaults() {
        let cli = parse(&[]).unwrap();
        assert!(cli.command.is_none());
        assert!(!cli.verbose && !cli.quiet);
        let cli = parse(&["-q"]).unwrap();
        assert!(cli.quiet);
        assert_eq!(kind(&["-q", "-v"]), ErrorKind::ArgumentConflict);
    }

    #[test]
    fn run_takes_its_overrides_and_repeated_sets() {
        let cli = parse(&[
            "run",
            "--config",
            "c.yaml",
            "--census",
            "people.csv",
            "--start",
            "2026",
            "--end",
            "2030",
            "--seed",
            "7",
            "--threads",
            "4",
            "--set",
            "eligibility.minimum_age=21",
            "--set",
            "promotion.age_multipliers=[1,1,1,1,1,1]",
            "--verbose",
        ])
        .unwrap();
        assert!(cli.verbose, "a global flag after the subcommand");
        let Some(Command::Run(run)) = cli.command else {
            panic!("not a run");
        };
        assert_eq!(run.config, Some(PathBuf::from("c.yaml")));
        assert_eq!(run.census, Some(PathBuf::from("people.csv")));
        assert_eq!(
            (run.start, run.end, run.seed),
            (Some(2026), Some(2030), Some(7))
        );
        assert_eq!(run.threads, Some(4));
        let keys: Vec<String> = run.sets.iter().map(|s| s.key()).collect();
        assert_eq!(
            keys,
            ["eligibility.minimum_age", "promotion.age_multipliers"]
        );
        assert_eq!(run.engine, EngineArg::Native);
        assert!(run.out.is_none() && run.rejects.is_none());
    }

    #[test]
    fn run_refuses_what_clap_checks() {
        assert_eq!(kind(&["run", "--threads", "0"]), ErrorKind::ValueValidation);
        assert_eq!(
            kind(&["run", "--threads", "1025"]),
            ErrorKind::ValueValidation
        );
        assert_eq!(
            kind(&["run", "--set", "no_equals"]),
            ErrorKind::ValueValidation
        );
        assert_eq!(kind(&["run", "--engine", "java"]), ErrorKind::InvalidValue);
        assert_eq!(
            kind(&["run", "--max-rejects", "3"]),
            ErrorKind::MissingRequiredArgument
        );
        let Some(Command::Run(run)) = parse(&["run", "--engine", "sql"]).unwrap().command else {
            panic!("not a run");
        };
        assert_eq!(run.engine, EngineArg::Sql);
    }

    #[test]
    fn batch_defaults_and_keep_lists() {
        let Some(Command::Batch(b)) = parse(&["batch", "b.yaml"]).unwrap().command else {
            panic!("not a batch");
        };
        assert_eq!(b.batch, PathBuf::from("b.yaml"));
        assert_eq!(b.out, PathBuf::from("batch_out"));
        assert!(b.keep.is_empty() && b.threads.is_none() && b.census_map.is_none());
        let Some(Command::Batch(b)) = parse(&[
            "batch",
            "b.yaml",
            "--keep",
            "events,snapshots",
            "--census-map",
            "m.yaml",
            "--out",
            "o",
        ])
        .unwrap()
        .command
        else {
            panic!("not a batch");
        };
        assert_eq!(b.keep, ["events", "snapshots"]);
        assert_eq!(b.census_map, Some(PathBuf::from("m.yaml")));
        assert_eq!(b.out, PathBuf::from("o"));
        assert_eq!(
            kind(&["batch", "b.yaml", "--keep", "everything"]),
            ErrorKind::InvalidValue
        );
        assert_eq!(kind(&["batch"]), ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn census_needs_its_flags_unless_inspecting() {
        let Some(Command::Census(c)) = parse(&["census", "--employees", "10", "--out", "c.csv"])
            .unwrap()
            .command
        else {
            panic!("not census");
        };
        assert_eq!((c.employees, c.seed), (Some(10), 1));
        assert_eq!(c.census_date, "2024-12-31");
        assert!(!c.force && c.command.is_none());
        assert_eq!(
            kind(&["census", "--employees", "10"]),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            kind(&["census", "--employees", "0", "--out", "c.csv"]),
            ErrorKind::ValueValidation
        );
        for map_flag in ["--map", "--census-map"] {
            let Some(Command::Census(c)) =
                parse(&["census", "inspect", "f.csv", map_flag, "m.yaml"])
                    .unwrap()
                    .command
            else {
                panic!("not census");
            };
            let Some(CensusCommand::Inspect(i)) = c.command else {
                panic!("not inspect");
            };
            assert_eq!(i.file, PathBuf::from("f.csv"));
            assert_eq!(i.map, Some(PathBuf::from("m.yaml")));
            assert!(!i.json);
        }
        assert_eq!(
            kind(&["census", "--employees", "10", "inspect", "f.csv"]),
            ErrorKind::ArgumentConflict
        );
    }

    #[test]
    fn diff_and_report_defaults() {
        let Some(Command::Diff(d)) = parse(&["diff", "a", "b"]).unwrap().command else {
            panic!("not diff");
        };
        assert_eq!((d.show, d.max_lines), (5, 100));
        assert!(!d.scenarios && !d.exact);
        assert_eq!(
            kind(&["diff", "a", "b", "--scenarios", "--exact"]),
            ErrorKind::ArgumentConflict
        );
        let Some(Command::Report(r)) = parse(&["report", "dir"]).unwrap().command else {
            panic!("not report");
        };
        assert_eq!(r.out, PathBuf::from("report.html"));
        assert!(r.xlsx.is_none());
    }
}
