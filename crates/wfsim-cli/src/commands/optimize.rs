//! `wfsim optimize`: the search over designs, resolved by [`wfsim::settings::OptimizeSettings`],
//! with a progress bar per stage and the top designs as a table at the end.

use crate::args::OptimizeArgs;
use crate::progress::RunsBar;
use anyhow::Context;
use wfsim::optimize::{self, Design, OptimizeProgress, OptimizeReport, Stage};
use wfsim::settings::{worker_pool, Environment, OptimizeRequest, OptimizeSettings};

/// The bar, restarted at each stage, with the best design so far as its message.
struct Bar {
    quiet: bool,
    bar: std::sync::Mutex<Option<RunsBar>>,
}

impl wfsim::batch::BatchProgress for Bar {
    fn run_finished(&self, done: usize, total: usize) {
        if let Some(b) = self.bar.lock().expect("bar").as_ref() {
            b.run_finished(done, total);
        }
    }
}

impl OptimizeProgress for Bar {
    fn stage(&self, stage: Stage, designs: usize, runs: usize) {
        let mut slot = self.bar.lock().expect("bar");
        if let Some(b) = slot.take() {
            b.finish();
        }
        if !self.quiet {
            outln!("{}: {designs} designs, {runs} runs", stage.name());
        }
        *slot = Some(RunsBar::new(runs as u64, self.quiet));
    }

    fn best(&self, text: &str) {
        if !self.quiet {
            if let Some(b) = self.bar.lock().expect("bar").take() {
                b.finish();
            }
            outln!("  {text}");
        }
    }
}

pub(crate) fn optimize(args: OptimizeArgs, quiet: bool) -> anyhow::Result<()> {
    let request = OptimizeRequest {
        file: args.spec.clone(),
        out: args.out.clone(),
        threads: args.threads.map(usize::from),
        census_map: args.census_map,
    };
    let settings = OptimizeSettings::resolve(&request, &Environment::of_process())?;
    let pool = worker_pool(settings.threads)?;
    let census = settings.load_census(&pool, Default::default())?;
    let inputs = settings.into_inputs(census);
    let spec = &inputs.spec;
    if !quiet {
        outln!(
            "optimize: {} ({} levers, {} designs in the grid, budget {}, {} seeds)\ncensus: {}",
            args.spec.display(),
            spec.levers.len(),
            optimize::grid_size(&spec.levers),
            spec.max_designs,
            spec.batch.seeds.len(),
            inputs.census_label
        );
        outln!(
            "uncertainty: {}",
            wfsim::batch::uncertainty_line(&spec.batch.uncertainty_summary())
        );
    }
    let bar = Bar {
        quiet,
        bar: std::sync::Mutex::new(None),
    };
    let report = optimize::run(inputs, &bar).with_context(|| {
        format!(
            "optimize into {} failed; the previous output, if any, is unchanged",
            args.out.display()
        )
    })?;
    if let Some(b) = bar.bar.lock().expect("bar").take() {
        b.finish();
    }
    if !quiet {
        out!("{}", table(&report, args.top));
        let s = &report.summary;
        match s.best {
            Some(_) => outln!(
                "best design: rank 1 above; its overlay is {}",
                args.out.join("best.yaml").display()
            ),
            None => outln!(
                "no design meets every constraint: the table shows the closest (the least relative miss first); no best.yaml"
            ),
        }
        outln!(
            "{} designs ({}), {} runs in {:.2} s -> {}",
            s.designs_evaluated,
            s.method,
            s.runs,
            s.wall_seconds,
            args.out.display()
        );
    }
    Ok(())
}

/// The top designs: rank, each lever's value, the objectives and constraint statistics, and
/// whether every constraint is met.
fn table(r: &OptimizeReport, top: usize) -> String {
    let mut header: Vec<String> = vec!["rank".into()];
    header.extend(r.levers.iter().map(|l| optimize::short(&l.key)));
    header.extend(r.objectives.iter().map(|o| {
        let goal = if o.goal == optimize::Goal::Minimize {
            "min"
        } else {
            "max"
        };
        format!("{} ({goal})", o.measure.column())
    }));
    header.extend(
        r.constraints
            .iter()
            .map(|c| format!("{} {} {}", c.measure.column(), c.op.symbol(), c.value)),
    );
    header.push("meets all".into());
    let cell = |v: Option<f64>| v.map_or("n/a".into(), number);
    let row = |d: &Design| -> Vec<String> {
        let mut row = vec![d.rank.map_or(String::new(), |r| r.to_string())];
        row.extend(
            r.levers
                .iter()
                .zip(&d.point)
                .map(|(l, &i)| optimize::spec::plain(&l.values[i])),
        );
        row.extend(d.objectives.iter().map(|v| cell(*v)));
        row.extend(d.constraints.iter().map(|v| cell(*v)));
        row.push(if d.feasible { "yes" } else { "no" }.into());
        row
    };
    let rows: Vec<Vec<String>> = r.ranked.iter().take(top).map(row).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect::<Vec<_>>()
            .join("  ")
    };
    let mut out = line(&header);
    out.push('\n');
    for r in &rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

/// Money-sized numbers grouped and whole, rates with four decimals.
fn number(v: f64) -> String {
    if v.abs() >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", wfsim::totals::grouped(v.abs().round() as u128))
    } else {
        format!("{v:.4}")
    }
}
