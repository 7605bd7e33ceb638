//! Micro-benchmarks of the hot paths: the random function (one draw, and a chunk's draws at
//! once), one year of the engine on 100,000 employees, and the events Parquet file of that
//! year. `cargo bench -p wfsim`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use wfsim::census::synthetic::{generate, Spec};
use wfsim::config::{self, Model};
use wfsim::engine::Engine;
use wfsim::output::parquet::{
    events_batch, events_properties, events_schema, EventRows, RunLabels,
};
use wfsim::rng::{Rng, Stream};

fn model() -> Model {
    config::validate(config::Config::default(), "built-in defaults").expect("defaults validate")
}

/// The synthetic census of `wfsim census --employees n --seed 1`, leavers dropped.
fn census(model: &Model, n: usize) -> Vec<wfsim::census::CensusRow> {
    generate(
        model,
        &Spec {
            employees: n,
            seed: 1,
            census_date: model.census_date,
        },
    )
    .into_iter()
    .filter(|r| r.termination_date.is_none())
    .collect()
}

/// One thread, so the numbers are per core.
fn one_thread() -> rayon::ThreadPool {
    wfsim::settings::worker_pool(1).expect("pool")
}

fn random_function(c: &mut Criterion) {
    let rng = Rng::new(42);
    let mut g = c.benchmark_group("rng");
    g.throughput(Throughput::Elements(1));
    g.bench_function("draw", |b| {
        b.iter(|| black_box(rng.draw(black_box("EMP_000123"), 2025, Stream::Termination)))
    });
    // A chunk's draws on one stream, as the engine asks for them (several keys per md5 call).
    let ids: Vec<String> = (0..2048).map(|i| format!("EMP_{i:06}")).collect();
    g.throughput(Throughput::Elements(ids.len() as u64));
    g.bench_function("draws_chunk_2048", |b| {
        let mut out = Vec::with_capacity(ids.len());
        b.iter(|| {
            out.clear();
            let keys = ids.iter().map(|id| (id.as_str(), Stream::Termination));
            rng.draws_into(2025, keys, &mut out);
            black_box(&out);
        })
    });
    g.finish();
}

fn year_step(c: &mut Criterion) {
    let model = model();
    let rows = census(&model, 100_000);
    let pool = one_thread();
    let year = model.config.simulation.start_year;
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("step_100k_employees", |b| {
        b.iter_batched(
            || Engine::new(model.clone(), &rows),
            |mut engine| pool.install(|| black_box(engine.step(year).expect("year runs"))),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn parquet_events(c: &mut Criterion) {
    let model = model();
    let rows = census(&model, 100_000);
    let pool = one_thread();
    let sim = &model.config.simulation;
    let out = pool
        .install(|| Engine::new(model.clone(), &rows).step(sim.start_year))
        .expect("year runs");
    let labels = RunLabels {
        scenario_id: sim.scenario_id.clone(),
        plan_design_id: sim.plan_design_id.clone(),
        created_at_micros: 0,
    };
    let mut g = c.benchmark_group("parquet");
    g.sample_size(10);
    g.throughput(Throughput::Elements(out.events.len() as u64));
    g.bench_function("events_file_one_year_100k", |b| {
        b.iter(|| {
            pool.install(|| {
                let batch = events_batch(&EventRows {
                    labels: &labels,
                    year: out.year,
                    events: &out.events,
                    rows: &out.snapshots,
                });
                let mut w = parquet::arrow::ArrowWriter::try_new(
                    Vec::new(),
                    events_schema(),
                    Some(events_properties()),
                )
                .expect("writer");
                w.write(&batch).expect("write");
                black_box(w.into_inner().expect("close"))
            })
        })
    });
    g.finish();
}

criterion_group!(benches, random_function, year_step, parquet_events);
criterion_main!(benches);
