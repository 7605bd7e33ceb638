//! `designs.parquet` and `pareto.parquet`: one row per design, its lever values, where and on how
//! many seeds it was evaluated, its objectives and constraint statistics, whether it meets every
//! constraint, and its rank among the designs evaluated on every seed.

use super::{spec, Design, Spec};
use crate::error::Result;
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int32Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use std::path::Path;
use std::sync::Arc;

/// The columns of the objectives' and constraints' statistics, each once (a constraint on the
/// objective's own statistic shares its column), with the index of its value in a design's
/// objectives followed by its constraints.
fn measure_columns(spec: &Spec) -> Vec<(String, usize)> {
    let measures = spec
        .objectives
        .iter()
        .map(|o| &o.measure)
        .chain(spec.constraints.iter().map(|c| &c.measure));
    let mut out: Vec<(String, usize)> = vec![];
    for (i, m) in measures.enumerate() {
        let c = m.column();
        if !out.iter().any(|(name, _)| *name == c) {
            out.push((c, i));
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
    for (name, i) in measure_columns(spec) {
        let mut b = Float64Builder::with_capacity(n);
        for d in designs {
            b.append_option(
                d.objectives
                    .iter()
                    .chain(&d.constraints)
                    .nth(i)
                    .copied()
                    .flatten(),
            );
        }
        columns.push((name, Arc::new(b.finish())));
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
    crate::batch::tables::write_batch(path, batch)
}
