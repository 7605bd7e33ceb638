//! `wfsim batch`: scenarios × seeds from a batch file, resolved by
//! [`wfsim::settings::BatchSettings`] as the Python package resolves it.

use super::{check_rejects_path, rows_text};
use crate::args::BatchArgs;
use crate::progress::RunsBar;
use crate::table;
use anyhow::Context;
use wfsim::batch::{self, Keep};
use wfsim::settings::{worker_pool, BatchRequest, BatchSettings, Environment};

pub(crate) fn batch(args: BatchArgs, quiet: bool) -> anyhow::Result<()> {
    let request = BatchRequest {
        file: args.batch.clone(),
        out: args.out.clone(),
        keep: Keep {
            events: args.keep.iter().any(|k| k == "events"),
            snapshots: args.keep.iter().any(|k| k == "snapshots"),
        },
        threads: args.threads.map(usize::from),
        census_map: args.census_map,
        created_at_micros: None,
        strict: args.strict,
    };
    let settings = BatchSettings::resolve(&request, &Environment::of_process())?;
    let pool = worker_pool(settings.threads)?;
    if let Some(r) = &args.rejects {
        check_rejects_path(r, &args.out)?;
    }
    let options = wfsim::census::LoadOptions {
        set_aside: args.rejects.is_some(),
        max_rejects: args.max_rejects,
        ..Default::default()
    };
    let census = settings.load_census(&pool, options)?;
    let rejects = census.rejects.clone();
    let mut inputs = settings.into_inputs(census);
    inputs.engine = super::engine_choice(args.engine)?;
    let loaded = &inputs.batch;
    for s in &loaded.scenarios {
        for w in &s.model.warnings {
            eprintln!(
                "warning: scenario `{}`: {w} (check it; --strict makes this an error)",
                s.id
            );
        }
    }
    if !quiet {
        outln!(
            "batch: {} ({} scenarios × {} seeds = {} runs, baseline {})\ncensus: {}",
            args.batch.display(),
            loaded.scenarios.len(),
            loaded.seeds.len(),
            loaded.runs(),
            loaded.baseline_id(),
            inputs.census_label
        );
        if let Some(r) = &args.rejects {
            outln!(
                "census: {} set aside into {}",
                rows_text(rejects.len()),
                r.display()
            );
        }
        // The plan and the behavioural assumptions in force, each once when all scenarios
        // share it, and what the bands include.
        let uncertain = loaded.uncertainty_summary();
        type Line = fn(&wfsim::config::Config) -> String;
        for (what, line) in [
            ("plan", wfsim::config::Config::plan_line as Line),
            ("behaviour", |c| c.enrollment.behaviour()),
        ] {
            let lines = loaded
                .scenarios
                .iter()
                .map(|s| (s.id.clone(), line(&s.model.config)))
                .collect();
            let note = batch::drawn_note(what, &uncertain);
            for (label, text) in batch::per_scenario(what, lines) {
                outln!("{label}: {text}{note}");
            }
        }
        outln!("uncertainty: {}", batch::uncertainty_line(&uncertain));
    }
    let bar = RunsBar::new(loaded.runs() as u64, quiet);
    let report = batch::run(inputs, &bar).with_context(|| {
        format!(
            "batch into {} failed; the previous output, if any, is unchanged",
            args.out.display()
        )
    })?;
    bar.finish();
    if let Some(r) = &args.rejects {
        wfsim::census::write_rejects(r, &rejects)?;
    }
    if !quiet {
        out!(
            "{}",
            table::render_batch(&report.last_year, &report.summary.baseline)
        );
        outln!("ADP/ACP: {}", wfsim::ndt::SIMPLIFICATIONS);
        outln!(
            "{} runs in {:.2} s -> {}",
            report.summary.runs,
            report.summary.wall_seconds,
            args.out.display()
        );
    }
    Ok(())
}
