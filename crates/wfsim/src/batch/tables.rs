//! The batch's own Parquet files (spec §8): `metrics.parquet`, and the long tables
//! `ensemble.parquet` and `deltas.parquet`.

use super::metrics::{Stats, Value, METRICS};
use super::uncertainty::Uncertain;
use crate::error::{Error, Result};
use arrow_array::builder::{Float64Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use std::path::Path;
use std::sync::Arc;

/// One row of the metrics table.
pub struct MetricsRow<'a> {
    pub scenario_id: &'a str,
    pub random_seed: u64,
    pub year: i32,
    pub values: [Value; METRICS.len()],
}

/// One row of a statistics table.
pub struct StatsRow<'a> {
    pub scenario_id: &'a str,
    /// `None` for the horizon totals.
    pub year: Option<i32>,
    pub metric: &'static str,
    pub stats: Stats,
}

fn write(path: &Path, columns: Vec<(&str, ArrayRef)>) -> Result<u64> {
    write_batch(
        path,
        RecordBatch::try_from_iter(columns).expect("columns of equal length"),
    )
}

/// Writes one record batch as a Parquet file (zstd, page statistics), synced; returns its size.
pub(crate) fn write_batch(path: &Path, batch: RecordBatch) -> Result<u64> {
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("level 1")))
        .set_statistics_enabled(EnabledStatistics::Page)
        .build();
    let fail =
        |e: parquet::errors::ParquetError| Error::write(path, format!("cannot write Parquet: {e}"));
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(fail)?;
    w.write(&batch).map_err(fail)?;
    let file = w.into_inner().map_err(fail)?;
    file.sync_all().map_err(|e| Error::io(path, e))?;
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| Error::io(path, e))
}

/// One row of `horizon.parquet`: a run's horizon total or present value.
pub struct HorizonRow<'a> {
    pub scenario_id: &'a str,
    pub random_seed: u64,
    pub metric: &'static str,
    pub cents: i64,
}

pub fn write_horizon(path: &Path, rows: &[HorizonRow]) -> Result<u64> {
    let n = rows.len();
    let mut scenario = StringBuilder::with_capacity(n, n * 8);
    let mut seed = Int64Builder::with_capacity(n);
    let mut metric = StringBuilder::with_capacity(n, n * 16);
    let mut value = Float64Builder::with_capacity(n);
    for r in rows {
        scenario.append_value(r.scenario_id);
        seed.append_value(r.random_seed as i64);
        metric.append_value(r.metric);
        value.append_value(crate::totals::dollars(r.cents));
    }
    write(
        path,
        vec![
            ("scenario_id", Arc::new(scenario.finish())),
            ("random_seed", Arc::new(seed.finish())),
            ("metric", Arc::new(metric.finish())),
            ("value", Arc::new(value.finish())),
        ],
    )
}

/// `parameters.parquet`: each seed's draw of each uncertain key (the multiplier for `scale`),
/// by seed, then key in batch order.
pub fn write_parameters(path: &Path, keys: &[Uncertain], draws: &[(u64, Vec<f64>)]) -> Result<u64> {
    let n = keys.len() * draws.len();
    let mut seed = Int64Builder::with_capacity(n);
    let mut key = StringBuilder::with_capacity(n, n * 32);
    let mut value = Float64Builder::with_capacity(n);
    for (k, values) in draws {
        for (u, v) in keys.iter().zip(values) {
            seed.append_value(*k as i64);
            key.append_value(u.key.as_str());
            value.append_value(*v);
        }
    }
    write(
        path,
        vec![
            ("random_seed", Arc::new(seed.finish())),
            ("key_path", Arc::new(key.finish())),
            ("value", Arc::new(value.finish())),
        ],
    )
}

pub fn write_metrics(path: &Path, rows: &[MetricsRow]) -> Result<u64> {
    write_batch(path, metrics_batch(rows))
}

/// The metrics table as one batch (what `metrics.parquet` holds).
pub fn metrics_batch(rows: &[MetricsRow]) -> RecordBatch {
    let n = rows.len();
    let mut scenario = StringBuilder::with_capacity(n, n * 8);
    let mut seed = Int64Builder::with_capacity(n);
    let mut year = Int32Builder::with_capacity(n);
    for r in rows {
        scenario.append_value(r.scenario_id);
        seed.append_value(r.random_seed as i64);
        year.append_value(r.year);
    }
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("scenario_id", Arc::new(scenario.finish())),
        ("random_seed", Arc::new(seed.finish())),
        ("simulation_year", Arc::new(year.finish())),
    ];
    for (i, metric) in METRICS.iter().enumerate() {
        let name = metric.name;
        let array: ArrayRef = if metric.is_int() {
            let mut b = Int32Builder::with_capacity(n);
            for r in rows {
                match r.values[i] {
                    Value::Count(c) => b.append_value(c as i32),
                    Value::Flag(f) => b.append_option(f.map(i32::from)),
                    other => unreachable!("{name} is an int32, found {other:?}"),
                }
            }
            Arc::new(b.finish())
        } else {
            let mut b = Float64Builder::with_capacity(n);
            for r in rows {
                b.append_option(r.values[i].as_f64());
            }
            Arc::new(b.finish())
        };
        columns.push((name, array));
    }
    RecordBatch::try_from_iter(columns).expect("columns of equal length")
}

pub fn write_stats(path: &Path, rows: &[StatsRow]) -> Result<u64> {
    let n = rows.len();
    let mut scenario = StringBuilder::with_capacity(n, n * 8);
    let mut year = Int32Builder::with_capacity(n);
    let mut metric = StringBuilder::with_capacity(n, n * 16);
    let mut count = Int32Builder::with_capacity(n);
    let mut cols: [Float64Builder; 9] = std::array::from_fn(|_| Float64Builder::with_capacity(n));
    for r in rows {
        scenario.append_value(r.scenario_id);
        year.append_option(r.year);
        metric.append_value(r.metric);
        count.append_value(r.stats.n);
        let s = &r.stats;
        for (b, v) in cols.iter_mut().zip([
            s.mean, s.sd, s.min, s.p10, s.p25, s.p50, s.p75, s.p90, s.max,
        ]) {
            b.append_option(v);
        }
    }
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("scenario_id", Arc::new(scenario.finish())),
        ("simulation_year", Arc::new(year.finish())),
        ("metric", Arc::new(metric.finish())),
        ("n", Arc::new(count.finish())),
    ];
    for (name, mut b) in [
        "mean", "sd", "min", "p10", "p25", "p50", "p75", "p90", "max",
    ]
    .into_iter()
    .zip(cols)
    {
        columns.push((name, Arc::new(b.finish())));
    }
    write(path, columns)
}
