//! THROWAWAY probe: per-column Parquet encode cost under several settings.
use arrow_array::RecordBatch;
use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use std::sync::Arc;
use std::time::Instant;
use wfsim::config;
use wfsim::engine::Engine;
use wfsim::output::parquet::{events_batch, snapshots_batch, EventRows, RunLabels, SnapshotRows};

fn enc(batch: &RecordBatch, i: usize, stats: EnabledStatistics, dict: bool, comp: Compression) -> (f64, usize) {
    let schema = batch.schema();
    let field = schema.field(i).clone();
    let s = Arc::new(Schema::new(vec![field]));
    let b = RecordBatch::try_new(s.clone(), vec![batch.column(i).clone()]).unwrap();
    let props = WriterProperties::builder().set_compression(comp).set_statistics_enabled(stats).set_dictionary_enabled(dict).build();
    let mut best = f64::MAX; let mut size = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut w = ArrowWriter::try_new(Vec::new(), s.clone(), Some(props.clone())).unwrap();
        w.write(&b).unwrap();
        let v = w.into_inner().unwrap();
        best = best.min(t.elapsed().as_secs_f64()); size = v.len();
    }
    (best * 1000.0, size)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cfg = config::parse(&std::fs::read_to_string(&args[2]).unwrap(), std::path::Path::new(&args[2])).unwrap();
    let model = config::validate(cfg, "probe").unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let census = wfsim::census::load(std::path::Path::new(&args[1]), &model, &pool).unwrap();
    let active: Vec<_> = census.rows.into_iter().filter(|r| !r.is_leaver(model.census_date)).collect();
    let mut engine = Engine::new(model.clone(), &active);
    let out = pool.install(|| engine.step(2025)).unwrap();
    let labels = RunLabels { scenario_id: "baseline".into(), plan_design_id: "standard".into(), created_at_micros: 0 };
    let ev = events_batch(&EventRows { labels: &labels, year: out.year, events: &out.events, rows: &out.snapshots });
    let sn = snapshots_batch(&SnapshotRows { labels: &labels, year: out.year, rows: &out.snapshots });
    let z = Compression::ZSTD(ZstdLevel::try_new(1).unwrap());
    for (name, b) in [("events", &ev), ("snapshot", &sn)] {
        println!("== {name} rows {}", b.num_rows());
        println!("{:32} {:>16} {:>16} {:>16} {:>16} {:>16}", "column", "page,dict,zstd", "page,plain,zstd", "chunk,dict,zstd", "none,dict,zstd", "page,dict,none");
        for i in 0..b.num_columns() {
            let r = [
                enc(b, i, EnabledStatistics::Page, true, z),
                enc(b, i, EnabledStatistics::Page, false, z),
                enc(b, i, EnabledStatistics::Chunk, true, z),
                enc(b, i, EnabledStatistics::None, true, z),
                enc(b, i, EnabledStatistics::Page, true, Compression::UNCOMPRESSED),
            ];
            print!("{:32}", b.schema().field(i).name());
            for (t, s) in r { print!(" {:>7.2}ms {:>6}k", t, s / 1000); }
            println!();
        }
    }
}
