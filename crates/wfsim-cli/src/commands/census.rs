//! `wfsim census`: writes a synthetic census; `wfsim census inspect` checks one before a run.

use super::rows_text;
use crate::args::{CensusArgs, CensusCommand, InspectArgs};
use anyhow::Context;
use wfsim::census::synthetic;
use wfsim::config;
use wfsim::settings::{worker_pool, Environment, Request, Settings};
use wfsim::Error;

pub(crate) fn census(args: CensusArgs, quiet: bool) -> anyhow::Result<()> {
    if let Some(CensusCommand::Inspect(inspect)) = args.command {
        return inspect_census(inspect, quiet);
    }
    if let (Some(run), Some(year), Some(out)) = (&args.from_run, args.year, &args.out) {
        synthetic::check_out(out, args.force)?;
        let pool = wfsim::pool::worker_pool(2)?;
        let rows = wfsim::output::as_census::from_run(run, year, &pool)?;
        synthetic::write(out, &rows, args.force)?;
        if !quiet {
            outln!(
                "wrote the {} employees of {}'s {year} snapshot to {}",
                rows.len(),
                run.display(),
                out.display()
            );
        }
        return Ok(());
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
        outln!("wrote {} employees to {}", rows.len(), out.display());
    }
    Ok(())
}

/// `wfsim census inspect`: loads the census as `run --rejects` would (every bad row set aside
/// and listed), prints the report, and fails like `run` when a row has a problem.
fn inspect_census(args: InspectArgs, quiet: bool) -> anyhow::Result<()> {
    let request = Request {
        config: args.config,
        census: Some(args.file.clone()),
        census_map: args.map,
        sets: args.sets,
        ..Request::default()
    };
    let settings = Settings::resolve(&request, &Environment::of_process())?;
    let pool = worker_pool(settings.threads)?;
    let options = wfsim::census::LoadOptions {
        set_aside: true,
        ..Default::default()
    };
    let census = settings.load_census(&pool, options)?;
    let file = args.file.display().to_string();
    let report = wfsim::census::inspect::Inspection::new(&census, &settings.model, &file);
    if !quiet {
        if args.json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&report).context("cannot write the report as JSON")?
            );
        } else {
            out!("{}", report.text());
        }
    }
    if report.problems.is_empty() {
        return Ok(());
    }
    Err(Error::Census {
        file,
        row: None,
        line: None,
        column: None,
        value: None,
        message: format!(
            "{} with problems (listed in the report): `wfsim run` stops on them, or sets them aside with --rejects FILE",
            rows_text(report.problems.len())
        ),
    }
    .into())
}
