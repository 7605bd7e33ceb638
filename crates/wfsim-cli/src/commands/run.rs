//! `wfsim run` (and `wfsim` alone): one projection, its inputs named before it starts and its
//! yearly table after.

use super::{check_rejects_path, rows_text};
use crate::args::RunArgs;
use crate::progress::Bar;
use crate::table;
use anyhow::Context;
use wfsim::census::synthetic::{EXAMPLE_EMPLOYEES, EXAMPLE_SEED};
use wfsim::census::RateUnit;
use wfsim::settings::{worker_pool, CensusSource, Environment, Request, Settings, DEFAULT_CONFIG};
pub(crate) fn run(args: RunArgs, verbose: bool, quiet: bool) -> anyhow::Result<()> {
    let engine = super::engine_choice(args.engine)?;
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
        strict: args.strict,
    };
    let settings = Settings::resolve(&request, &Environment::of_process())?;
    // Loading the census takes the run's thread count.
    let pool = worker_pool(settings.threads)?;
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
        ..Default::default()
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
    // Implausible values are said even with -q: a run on them is rarely what was meant.
    for w in &settings.model.warnings {
        eprintln!("warning: {w} (check it; --strict makes this an error)");
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
        outln!(
            "config: {config_label}\nplan: {}\ncensus: {census_text}\nbehaviour: {}",
            settings.model.config.plan_line(),
            settings.model.config.enrollment.behaviour()
        );
        if let Some(r) = &rejects_path {
            let by_reason = wfsim::census::rejects_by_reason(&census.rejects);
            let reasons: Vec<String> = by_reason
                .iter()
                .map(|(k, n)| format!("{n} × {k}"))
                .collect();
            outln!(
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
    let bar = Bar::new(settings.years(), quiet);
    let inputs = settings.into_inputs(census);
    let report = wfsim::run_with_engine(inputs, engine, &bar).with_context(|| {
        format!(
            "run into {} failed; the previous output, if any, is unchanged",
            out.display()
        )
    })?;
    bar.finish();
    if let (Some(r), Some(rejects)) = (&rejects_path, &rejects) {
        wfsim::census::write_rejects(r, rejects)?;
    }
    if !quiet {
        out!("{}", table::render(&report.summary.years));
        outln!("ADP/ACP: {}", wfsim::ndt::SIMPLIFICATIONS);
        outln!(
            "{} events in {:.2} s -> {}",
            report.summary.total_events,
            report.summary.wall_seconds,
            out.display()
        );
    }
    Ok(())
}
