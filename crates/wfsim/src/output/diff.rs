//! `wfsim diff`: compares two output directories table by table, year by year, column by
//! column. Floats are compared bitwise, so "identical" means the same bytes of every value.
//! Reads Parquet with the parquet crate (no DuckDB), so it is always available.

use crate::error::{Error, Result};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How many differing rows are printed per table and year.
const SHOWN: usize = 5;

/// The outcome of a comparison: `report` is the human-readable text.
#[derive(Debug, Default)]
pub struct DiffReport {
    pub identical: bool,
    pub differing_rows: u64,
    pub report: String,
}

const TABLES: [(&str, &str, &str); 2] = [
    ("events", "events", "events_"),
    ("snapshots", "snapshots", "snapshot_"),
];

fn years(dir: &Path, table: &str) -> Result<BTreeSet<i32>> {
    let root = dir.join(table);
    let mut out = BTreeSet::new();
    let entries = match std::fs::read_dir(&root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::input(&root, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::input(&root, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(y) = name
            .strip_prefix("simulation_year=")
            .and_then(|y| y.parse().ok())
        {
            out.insert(y);
        }
    }
    Ok(out)
}

fn file(dir: &Path, table: &str, prefix: &str, year: i32) -> PathBuf {
    dir.join(table)
        .join(format!("simulation_year={year}"))
        .join(format!("{prefix}{year}.parquet"))
}

fn read(path: &Path) -> Result<Option<RecordBatch>> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::input(path, e)),
    };
    let fail = |e: &dyn std::fmt::Display| Error::Write {
        path: path.display().to_string(),
        message: format!("cannot read Parquet: {e}"),
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| fail(&e))?;
    let schema = builder.schema().clone();
    let batches = builder
        .build()
        .map_err(|e| fail(&e))?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| fail(&e))?;
    let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| fail(&e))?;
    Ok(Some(batch))
}

/// Value `i` of a column as text (floats in full `{:?}` precision).
fn show(col: &ArrayRef, fmt: &ArrayFormatter, i: usize) -> String {
    if col.is_null(i) {
        return "null".into();
    }
    match col.as_any().downcast_ref::<Float64Array>() {
        Some(f) => format!("{:?}", f.value(i)),
        None => fmt.value(i).to_string(),
    }
}

fn same(a: &ArrayRef, b: &ArrayRef, fa: &ArrayFormatter, fb: &ArrayFormatter, i: usize) -> bool {
    match (a.is_null(i), b.is_null(i)) {
        (true, true) => return true,
        (false, false) => {}
        _ => return false,
    }
    match (
        a.as_any().downcast_ref::<Float64Array>(),
        b.as_any().downcast_ref::<Float64Array>(),
    ) {
        (Some(x), Some(y)) => x.value(i).to_bits() == y.value(i).to_bits(),
        _ => a.data_type() == b.data_type() && fa.value(i).to_string() == fb.value(i).to_string(),
    }
}

/// Compares one table of one year; appends to `out`; returns the number of differing rows
/// (a row-count or schema mismatch counts as at least one).
fn compare(out: &mut String, label: &str, a: &RecordBatch, b: &RecordBatch) -> u64 {
    let mut differing = 0u64;
    let names_a: Vec<_> = a
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let names_b: Vec<_> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    if names_a != names_b || a.schema().fields() != b.schema().fields() {
        let _ = writeln!(
            out,
            "  {label}: schemas differ:\n    A: {:?}\n    B: {:?}",
            a.schema().fields(),
            b.schema().fields()
        );
        return 1;
    }
    if a.num_rows() != b.num_rows() {
        differing += 1;
        let _ = writeln!(
            out,
            "  {label}: row counts differ: A {} vs B {}",
            a.num_rows(),
            b.num_rows()
        );
    }
    let opts = FormatOptions::default().with_null("null");
    // Timestamps are compared (and shown) as their integer microseconds: the formatter cannot
    // render named time zones without chrono-tz.
    let plain = |col: &ArrayRef| -> ArrayRef {
        match col.data_type() {
            DataType::Timestamp(..) => {
                arrow_cast::cast(col, &DataType::Int64).expect("timestamps cast to Int64")
            }
            _ => col.clone(),
        }
    };
    let cols_a: Vec<ArrayRef> = a.columns().iter().map(plain).collect();
    let cols_b: Vec<ArrayRef> = b.columns().iter().map(plain).collect();
    let fmts: Vec<_> = (0..a.num_columns())
        .map(|c| {
            (
                ArrayFormatter::try_new(cols_a[c].as_ref(), &opts).expect("displayable"),
                ArrayFormatter::try_new(cols_b[c].as_ref(), &opts).expect("displayable"),
            )
        })
        .collect();
    let rows = a.num_rows().min(b.num_rows());
    let mut shown = 0;
    for i in 0..rows {
        let diff_cols: Vec<usize> = (0..a.num_columns())
            .filter(|&c| !same(&cols_a[c], &cols_b[c], &fmts[c].0, &fmts[c].1, i))
            .collect();
        if diff_cols.is_empty() {
            continue;
        }
        differing += 1;
        if shown < SHOWN {
            shown += 1;
            let _ = writeln!(out, "  {label} row {i}:");
            for c in 0..a.num_columns() {
                let va = show(&cols_a[c], &fmts[c].0, i);
                if diff_cols.contains(&c) {
                    let vb = show(&cols_b[c], &fmts[c].1, i);
                    let _ = writeln!(out, "  * {:<28} A {va}  |  B {vb}", names_a[c]);
                } else {
                    let _ = writeln!(out, "    {:<28} {va}", names_a[c]);
                }
            }
        }
    }
    if differing > 0 && shown == SHOWN {
        let _ = writeln!(out, "  {label}: ... (first {SHOWN} differing rows shown)");
    }
    differing
}

/// Compares the events and snapshots of two output directories.
pub fn diff_dirs(a: &Path, b: &Path) -> Result<DiffReport> {
    let mut out = String::new();
    let mut total = 0u64;
    for (table, dir, prefix) in TABLES {
        let (ya, yb) = (years(a, dir)?, years(b, dir)?);
        if ya.is_empty() && yb.is_empty() {
            let _ = writeln!(out, "{table}: no years in either directory");
            total += 1;
        }
        for year in ya.union(&yb) {
            let (fa, fb) = (
                read(&file(a, dir, prefix, *year))?,
                read(&file(b, dir, prefix, *year))?,
            );
            let label = format!("{table} {year}");
            match (fa, fb) {
                (Some(x), Some(y)) => {
                    let before = out.len();
                    let mut section = String::new();
                    let n = compare(&mut section, &label, &x, &y);
                    let _ = writeln!(
                        out,
                        "{label}: A {} rows, B {} rows: {}",
                        x.num_rows(),
                        y.num_rows(),
                        if n == 0 {
                            "identical".to_string()
                        } else {
                            format!("{n} differing rows")
                        }
                    );
                    debug_assert!(out.len() > before);
                    out.push_str(&section);
                    total += n;
                }
                (x, y) => {
                    total += 1;
                    let _ = writeln!(
                        out,
                        "{label}: only in {} ({} rows)",
                        if x.is_some() { "A" } else { "B" },
                        x.or(y).map_or(0, |b| b.num_rows())
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{}",
        if total == 0 {
            "identical".to_string()
        } else {
            format!("DIFFERENT: {total} differing rows")
        }
    );
    Ok(DiffReport {
        identical: total == 0,
        differing_rows: total,
        report: out,
    })
}
