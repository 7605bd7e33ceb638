//! The floor of a run on this machine, for `scripts/bench` (prints one JSON object).
//!
//! ```sh
//! cargo run --release -p wfsim --features draw-count --example floor -- \
//!     --census census.csv --config config/simulation.yaml --years 10 [--rates]
//! ```
//!
//! Runs the native engine in-process on one thread (nothing is written) and reports, after each
//! year, the cumulative draws of the random function, events and snapshot rows. With `--rates`
//! it also measures, on one core, the md5 draws per second of the spec §2 random function and
//! the Parquet rows per second of the events and snapshot files with the real writer settings
//! (Arrow batches built beforehand, bytes encoded into memory), using the first simulated year.

use parquet::arrow::ArrowWriter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wfsim::config::{self, Model};
use wfsim::engine::Engine;
use wfsim::output::parquet::{
    events_batch, events_properties, events_schema, snapshots_batch, snapshots_properties,
    snapshots_schema, EventRows, RunLabels, SnapshotRows,
};
use wfsim::rng::{self, Rng, Stream};
use wfsim::year::YearOutput;

struct Args {
    census: PathBuf,
    config: Option<PathBuf>,
    years: i32,
    rates: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        census: PathBuf::new(),
        config: None,
        years: 5,
        rates: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--census" => args.census = value().into(),
            "--config" => args.config = Some(value().into()),
            "--years" => args.years = value().parse().expect("--years N"),
            "--rates" => args.rates = true,
            other => panic!("unknown argument {other}"),
        }
    }
    assert!(
        !args.census.as_os_str().is_empty(),
        "--census FILE is required"
    );
    args
}

fn load_model(path: Option<&Path>, years: i32) -> Model {
    let mut cfg = match path {
        Some(p) => config::parse(&std::fs::read_to_string(p).expect("read config"), p)
            .expect("valid config"),
        None => config::Config::default(),
    };
    cfg.simulation.end_year = cfg.simulation.start_year + years - 1;
    config::validate(cfg, "floor").expect("valid config")
}

/// Repeats `f` until at least `min` has passed; returns (calls, seconds).
fn repeat(min: Duration, mut f: impl FnMut()) -> (u64, f64) {
    let started = Instant::now();
    let mut calls = 0;
    while calls == 0 || started.elapsed() < min {
        f();
        calls += 1;
    }
    (calls, started.elapsed().as_secs_f64())
}

/// Draws per second on this thread, over real ids and every stream, asked for a chunk of
/// employees at a time as the engine asks for them (several keys per md5 call).
fn md5_rate(ids: &[String], seed: u64) -> f64 {
    const STREAMS: [Stream; 4] = [
        Stream::Termination,
        Stream::Promotion,
        Stream::VoluntaryEnrollment,
        Stream::NhTerminationDate,
    ];
    const CHUNK: usize = 2048;
    let rng = Rng::new(seed);
    let per_call = ids.len().min(200_000);
    let mut sink = 0u32;
    let mut draws = Vec::with_capacity(CHUNK);
    let (calls, secs) = repeat(Duration::from_millis(500), || {
        for (c, chunk) in ids[..per_call].chunks(CHUNK).enumerate() {
            draws.clear();
            let keys = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| (id.as_str(), STREAMS[i % 4]));
            rng.draws_into(2025 + (c % 5) as i32, keys, &mut draws);
            sink ^= draws.iter().fold(0, |acc, d| acc ^ d.0);
        }
    });
    std::hint::black_box(sink);
    (calls * per_call as u64) as f64 / secs
}

/// Rows per second of `ArrowWriter` with the given settings, batches built beforehand.
fn parquet_rate(
    schema: arrow_schema::SchemaRef,
    props: parquet::file::properties::WriterProperties,
    batches: &[arrow_array::RecordBatch],
) -> f64 {
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let (calls, secs) = repeat(Duration::from_millis(500), || {
        let mut w =
            ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props.clone())).expect("writer");
        for b in batches {
            w.write(b).expect("write");
            w.flush().expect("one row group per batch");
        }
        std::hint::black_box(w.into_inner().expect("close"));
    });
    (calls * rows as u64) as f64 / secs
}

fn rates(model: &Model, ids: &[String], first: &YearOutput) -> serde_json::Value {
    let sim = &model.config.simulation;
    let labels = RunLabels {
        scenario_id: sim.scenario_id.clone(),
        plan_design_id: sim.plan_design_id.clone(),
        created_at_micros: 0,
    };
    const ROW_GROUP: usize = 1 << 20;
    let events: Vec<_> = first
        .events
        .chunks(ROW_GROUP)
        .map(|events| {
            events_batch(&EventRows {
                labels: &labels,
                year: first.year,
                events,
                rows: &first.snapshots,
            })
        })
        .collect();
    let snapshots: Vec<_> = first
        .snapshots
        .chunks(ROW_GROUP)
        .map(|rows| {
            snapshots_batch(&SnapshotRows {
                labels: &labels,
                year: first.year,
                rows,
            })
        })
        .collect();
    serde_json::json!({
        "md5_draws_per_s": md5_rate(ids, sim.random_seed),
        "event_rows_per_s": parquet_rate(events_schema(), events_properties(), &events),
        "snapshot_rows_per_s": parquet_rate(snapshots_schema(), snapshots_properties(), &snapshots),
    })
}

fn main() {
    let args = parse_args();
    let model = load_model(args.config.as_deref(), args.years);
    let census = wfsim::census::load(
        &args.census,
        &model,
        &wfsim::settings::worker_pool(std::thread::available_parallelism().map_or(1, |n| n.get()))
            .expect("pool"),
    )
    .expect("census loads");
    let active: Vec<_> = census
        .rows
        .into_iter()
        .filter(|r| !r.is_leaver(model.census_date))
        .collect();
    // One thread: the rates are per core, and so is the engine time reported.
    let pool = wfsim::settings::worker_pool(1).expect("pool");
    let (mut events, mut snapshot_rows) = (0u64, 0u64);
    let mut per_year = Vec::new();
    let mut first = None;
    let mut engine_seconds = 0.0;
    let before = rng::draws_made();
    let mut engine = Engine::new(model.clone(), &active);
    let sim = &model.config.simulation;
    for year in sim.start_year..=sim.end_year {
        let started = Instant::now();
        let out = pool.install(|| engine.step(year)).expect("year runs");
        engine_seconds += started.elapsed().as_secs_f64();
        let draws = rng::draws_made() - before;
        events += out.events.len() as u64;
        snapshot_rows += out.snapshots.len() as u64;
        per_year.push(serde_json::json!({
            "year": year, "draws": draws, "events": events, "snapshot_rows": snapshot_rows,
            "engine_seconds": engine_seconds,
        }));
        if args.rates && first.is_none() {
            first = Some(out);
        }
    }
    let ids: Vec<String> = active.iter().map(|c| c.employee_id.clone()).collect();
    let mut report = serde_json::json!({
        "census": args.census.display().to_string(),
        "employees": active.len(),
        "years": per_year,
    });
    if let Some(first) = first {
        report["rates"] = pool.install(|| rates(&model, &ids, &first));
    }
    println!("{report}");
}
