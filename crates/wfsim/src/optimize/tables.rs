//! `designs.parquet` and `pareto.parquet`: one row per design, its lever values, where and on how
//! many seeds it was evaluated, its objectives and constraint statistics, whether it meets every
//! constraint, and its rank among the designs evaluated on every seed.

use super::{spec, Design, Spec};
use crate::error::{Error, Result};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::sync::Arc;

/// The column names of the objectives and constraints, each once (a constraint on the
/// objective's own statistic shares its column).
pub fn measure_columns(spec: &Spec) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for m in spec
        .objectives
        .iter()
        .map(|o| &o.measure)
        .chain(spec.constraints.iter().map(|c| &c.measure))
    {
        let c = m.column();
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

pub fn write_designs(path: &Path, spec: &Spec, designs: &[Design]) -> Result<u64> {
    let n = designs.len();
    let mut columns: Vec<(String, ArrayRef)> = vec![];
    let mut id = Int32Builder::with_capacity(n);
    for d in designs {
        id.append_value(d.id as i32);
    }
    columns.push(("design".into(), Arc::new(id.finish())));
    for (j, lever) in spec.levers.iter().enumerate() {
        let array: ArrayRef = if lever.numeric() {
            let mut b = Float64Builder::with_capacity(n);
            for d in designs {
                b.append_option(lever.values[d.point[j]].as_f64());
            }
            Arc::new(b.finish())
        } else {
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for d in designs {
                b.append_value(spec::plain(&lever.values[d.point[j]]));
            }
            Arc::new(b.finish())
        };
        columns.push((lever.key.to_string(), array));
    }
    let mut stage = StringBuilder::with_capacity(n, n * 6);
    let mut seeds = Int32Builder::with_capacity(n);
    for d in designs {
        stage.append_value(d.stage.name());
        seeds.append_value(d.seeds as i32);
    }
    columns.push(("stage".into(), Arc::new(stage.finish())));
    columns.push(("seeds".into(), Arc::new(seeds.finish())));
    let names = measure_columns(spec);
    for name in &names {
        let mut b = Float64Builder::with_capacity(n);
        for d in designs {
            let v = spec
                .objectives
                .iter()
                .zip(&d.objectives)
                .map(|(o, v)| (&o.measure, v))
                .chain(
                    spec.constraints
                        .iter()
                        .zip(&d.constraints)
                        .map(|(c, v)| (&c.measure, v)),
                )
                .find(|(m, _)| m.column() == *name)
                .and_then(|(_, v)| *v);
            b.append_option(v);
        }
        columns.push((name.clone(), Arc::new(b.finish())));
    }
    let mut feasible = BooleanBuilder::with_capacity(n);
    let mut rank = Int32Builder::with_capacity(n);
    for d in designs {
        feasible.append_value(d.feasible);
        rank.append_option(d.rank.map(|r| r as i32));
    }
    columns.push(("feasible".into(), Arc::new(feasible.finish())));
    columns.push(("rank".into(), Arc::new(rank.finish())));
    let batch = RecordBatch::try_from_iter(columns).expect("columns of equal length");
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).expect("level 1")))
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
