//! Runs a scenario in memory with the library and prints one figure per year: the employer's
//! cost of a stretch match (25 % of deferrals up to 12 % of pay) on the built-in example census,
//! against the default match, both with the same seed so the difference is the design's.
//!
//!     cargo run --release -p wfsim --example scenario
//!
//! Nothing is written: the years come from the engine's year loop directly. To write a run's
//! Parquet files, build a [`wfsim::RunInputs`] and call [`wfsim::run`], as `wfsim run` does.

use std::path::Path;
use wfsim::census::synthetic;
use wfsim::config::{self, Model};
use wfsim::engine::Engine;
use wfsim::totals::dollars;

/// The model of `yaml` (any subset of `config/simulation.yaml`; the rest keeps its defaults).
fn model(yaml: &str) -> wfsim::Result<Model> {
    let config = config::parse(yaml, Path::new("example.yaml"))?;
    config::validate(config, "example.yaml")
}

/// The employer cost of each year, in cents.
fn employer_cost(model: Model) -> wfsim::Result<Vec<(i32, i64)>> {
    let census = synthetic::example(&model);
    let active: Vec<_> = census
        .into_iter()
        .filter(|r| !r.is_leaver(model.census_date))
        .collect();
    let sim = model.config.simulation.clone();
    let mut engine = Engine::new(model, &active);
    (sim.start_year..=sim.end_year)
        .map(|year| {
            // counts and totals only: no event or snapshot rows are kept
            let counts = engine.step_counts(year)?;
            Ok((year, counts.totals.employer_cost()))
        })
        .collect()
}

fn main() -> wfsim::Result<()> {
    let seed = "simulation: {random_seed: 42}\n";
    let current = employer_cost(model(seed)?)?;
    let stretch = employer_cost(model(&format!(
        "{seed}employer_match: {{tiers: [{{from: 0.0, to: 0.12, rate: 0.25}}]}}\n"
    ))?)?;
    println!("year  current match  stretch match  difference");
    for ((year, a), (_, b)) in current.iter().zip(&stretch) {
        println!(
            "{year}  {:>13.0}  {:>13.0}  {:>+10.0}",
            dollars(*a),
            dollars(*b),
            dollars(b - a)
        );
    }
    Ok(())
}
