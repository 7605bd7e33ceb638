//! `wfsim diff`: compares two output directories table by table and year by year. Rows are
//! matched by key — `(employee_id, event_sequence)` for events, `employee_id` for snapshots — so
//! two scenarios that differ in a few employees show those employees, not a shifted tail.
//! Every column is compared; floats bitwise, so "identical" means the same value bits.
//! Schemas must agree on column names, order and types; nullability and metadata are not
//! compared (pyarrow, for one, writes every field nullable), the values decide.
//! Reads Parquet with the parquet crate, so it works without the SQL engine.

use crate::error::{Error, Result};
use arrow_array::{Array, ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How the report is rendered.
#[derive(Clone, Copy, Debug)]
pub struct DiffOptions {
    /// Differing rows printed per table and year.
    pub show: usize,
    /// ANSI colours for the differing values (for a terminal).
    pub color: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            show: 5,
            color: false,
        }
    }
}

/// The outcome of a comparison: `report` is the human-readable text.
#[derive(Debug, Default)]
pub struct DiffReport {
    pub identical: bool,
    /// Rows changed, only in A, or only in B, over all tables and years (a missing file or a
    /// schema mismatch counts as one).
    pub differing_rows: u64,
    pub report: String,
}

struct Table {
    name: &'static str,
    prefix: &'static str,
    /// Key columns, in sort order; a snapshot has one row per employee.
    key: &'static [&'static str],
    /// Columns shown next to the key for a row present on one side only.
    context: &'static [&'static str],
}

const TABLES: [Table; 2] = [
    Table {
        name: "events",
        prefix: "events_",
        key: &["employee_id", "event_sequence"],
        context: &["event_type", "event_category", "event_date"],
    },
    Table {
        name: "snapshots",
        prefix: "snapshot_",
        key: &["employee_id"],
        context: &["employment_status", "level_id", "annual_salary"],
    },
];

fn bad(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::input(
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_string()),
    )
}

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

fn file(dir: &Path, table: &Table, year: i32) -> PathBuf {
    dir.join(table.name)
        .join(format!("simulation_year={year}"))
        .join(format!("{}{year}.parquet", table.prefix))
}

fn read(path: &Path) -> Result<Option<RecordBatch>> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::input(path, e)),
    };
    let fail = |e: &dyn std::fmt::Display| bad(path, format!("cannot read Parquet: {e}"));
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

/// One side of a table-year: its columns in displayable form and its rows in key order.
struct Side<'a> {
    columns: Vec<ArrayRef>,
    formatters: Vec<ArrayFormatter<'a>>,
    order: Vec<usize>,
}

/// Timestamps are compared and shown as integer microseconds: the formatter cannot render named
/// time zones without chrono-tz.
fn plain(path: &Path, col: &ArrayRef) -> Result<ArrayRef> {
    match col.data_type() {
        DataType::Timestamp(..) => {
            arrow_cast::cast(col, &DataType::Int64).map_err(|e| bad(path, e))
        }
        _ => Ok(col.clone()),
    }
}

fn key_columns<'b>(
    path: &Path,
    batch: &'b RecordBatch,
    table: &Table,
) -> Result<(&'b StringArray, Option<&'b Int32Array>)> {
    let column = |name: &str| {
        batch
            .column_by_name(name)
            .ok_or_else(|| bad(path, format!("no `{name}` column: not a wfsim output file")))
    };
    let id = column(table.key[0])?
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| bad(path, format!("`{}` is not a string column", table.key[0])))?;
    let seq = match table.key.get(1) {
        Some(name) => Some(
            column(name)?
                .as_any()
                .downcast_ref::<Int32Array>()
                .ok_or_else(|| bad(path, format!("`{name}` is not an int32 column")))?,
        ),
        None => None,
    };
    Ok((id, seq))
}

fn key_cmp(
    a: (&StringArray, Option<&Int32Array>),
    i: usize,
    b: (&StringArray, Option<&Int32Array>),
    j: usize,
) -> Ordering {
    a.0.value(i)
        .cmp(b.0.value(j))
        .then_with(|| match (a.1, b.1) {
            (Some(x), Some(y)) => x.value(i).cmp(&y.value(j)),
            _ => Ordering::Equal,
        })
}

fn key_text(key: (&StringArray, Option<&Int32Array>), i: usize) -> String {
    match key.1 {
        Some(seq) => format!("{} #{}", key.0.value(i), seq.value(i)),
        None => key.0.value(i).to_string(),
    }
}

fn side<'a>(
    path: &Path,
    batch: &'a RecordBatch,
    columns: &'a [ArrayRef],
    key: (&StringArray, Option<&Int32Array>),
) -> Result<Side<'a>> {
    let opts = FormatOptions::default().with_null("null");
    let formatters = columns
        .iter()
        .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).map_err(|e| bad(path, e)))
        .collect::<Result<Vec<_>>>()?;
    let mut order: Vec<usize> = (0..batch.num_rows()).collect();
    order.sort_by(|&i, &j| key_cmp(key, i, key, j));
    Ok(Side {
        columns: columns.to_vec(),
        formatters,
        order,
    })
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

fn same(a: &Side, i: usize, b: &Side, j: usize, c: usize) -> bool {
    let (x, y) = (&a.columns[c], &b.columns[c]);
    match (x.is_null(i), y.is_null(j)) {
        (true, true) => return true,
        (false, false) => {}
        _ => return false,
    }
    match (
        x.as_any().downcast_ref::<Float64Array>(),
        y.as_any().downcast_ref::<Float64Array>(),
    ) {
        (Some(x), Some(y)) => x.value(i).to_bits() == y.value(j).to_bits(),
        _ => a.formatters[c].value(i).to_string() == b.formatters[c].value(j).to_string(),
    }
}

#[derive(Default)]
struct Tally {
    same: u64,
    changed: u64,
    only_a: u64,
    only_b: u64,
}

impl Tally {
    fn differing(&self) -> u64 {
        self.changed + self.only_a + self.only_b
    }

    /// A missing file differs even when the other side has no rows.
    fn max_one(mut self) -> Self {
        if self.differing() == 0 {
            self.changed = 1;
        }
        self
    }
}

struct Paint(bool);

impl Paint {
    fn a(&self, s: &str) -> String {
        if self.0 {
            format!("\x1b[31m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn b(&self, s: &str) -> String {
        if self.0 {
            format!("\x1b[32m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// One line per column whose name or type differs between the two schemas, with type and
/// nullability on each side; nullability alone is no difference. Same columns and types in
/// another order give one line (the first position that differs), since rows are compared
/// column by position.
fn schema_differences(a: &Schema, b: &Schema) -> Vec<String> {
    let side = |f: Option<&Field>| match f {
        Some(f) if f.is_nullable() => format!("{} nullable", f.data_type()),
        Some(f) => format!("{} not null", f.data_type()),
        None => "missing".into(),
    };
    let mut names: Vec<&String> = Vec::new();
    for f in a.fields().iter().chain(b.fields().iter()) {
        if !names.contains(&f.name()) {
            names.push(f.name());
        }
    }
    let mut lines: Vec<String> = names
        .into_iter()
        .filter_map(|name| {
            let (fa, fb) = (a.field_with_name(name).ok(), b.field_with_name(name).ok());
            (fa.map(Field::data_type) != fb.map(Field::data_type))
                .then(|| format!("{name}: A {}  |  B {}", side(fa), side(fb)))
        })
        .collect();
    if lines.is_empty() {
        fn name(s: &Schema, i: usize) -> &str {
            s.fields().get(i).map_or("(none)", |f| f.name())
        }
        let len = a.fields().len().max(b.fields().len());
        if let Some(i) = (0..len).find(|&i| name(a, i) != name(b, i)) {
            lines.push(format!(
                "column order differs from column {}: A {}  |  B {}",
                i + 1,
                name(a, i),
                name(b, i)
            ));
        }
    }
    lines
}

/// Compares one table of one year (same column names, order and types on both sides), writing
/// the first differing rows into `details`.
fn compare(
    details: &mut String,
    label: &str,
    table: &Table,
    (path_a, a): (&Path, &RecordBatch),
    (path_b, b): (&Path, &RecordBatch),
    opts: DiffOptions,
) -> Result<Tally> {
    let names: Vec<String> = a
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let cols_a = a
        .columns()
        .iter()
        .map(|c| plain(path_a, c))
        .collect::<Result<Vec<_>>>()?;
    let cols_b = b
        .columns()
        .iter()
        .map(|c| plain(path_b, c))
        .collect::<Result<Vec<_>>>()?;
    let (key_a, key_b) = (
        key_columns(path_a, a, table)?,
        key_columns(path_b, b, table)?,
    );
    let sa = side(path_a, a, &cols_a, key_a)?;
    let sb = side(path_b, b, &cols_b, key_b)?;
    let index = |name: &str| names.iter().position(|n| n == name);
    let context: Vec<usize> = table.context.iter().filter_map(|n| index(n)).collect();
    let paint = Paint(opts.color);

    let mut tally = Tally::default();
    let mut shown = 0;
    let one_side = |details: &mut String, which: &str, s: &Side, i: usize, key: String| {
        let ctx: Vec<String> = context
            .iter()
            .map(|&c| format!("{}={}", names[c], show(&s.columns[c], &s.formatters[c], i)))
            .collect();
        let text = format!("  {label} {key}: only in {which} ({})", ctx.join(", "));
        let text = if which == "A" {
            paint.a(&text)
        } else {
            paint.b(&text)
        };
        let _ = writeln!(details, "{text}");
    };
    let (mut p, mut q) = (0, 0);
    while p < sa.order.len() || q < sb.order.len() {
        let ord = match (sa.order.get(p), sb.order.get(q)) {
            (Some(&i), Some(&j)) => key_cmp(key_a, i, key_b, j),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match ord {
            Ordering::Less | Ordering::Greater => {
                let (which, s, key, count, at) = if ord == Ordering::Less {
                    ("A", &sa, key_a, &mut tally.only_a, &mut p)
                } else {
                    ("B", &sb, key_b, &mut tally.only_b, &mut q)
                };
                let i = s.order[*at];
                *count += 1;
                *at += 1;
                if shown < opts.show {
                    shown += 1;
                    one_side(details, which, s, i, key_text(key, i));
                }
            }
            Ordering::Equal => {
                let (i, j) = (sa.order[p], sb.order[q]);
                let differing: Vec<usize> = (0..names.len())
                    .filter(|&c| !same(&sa, i, &sb, j, c))
                    .collect();
                if differing.is_empty() {
                    tally.same += 1;
                } else {
                    tally.changed += 1;
                    if shown < opts.show {
                        shown += 1;
                        let _ = writeln!(details, "  {label} {}: changed", key_text(key_a, i));
                        for (c, name) in names.iter().enumerate() {
                            let va = show(&sa.columns[c], &sa.formatters[c], i);
                            if differing.contains(&c) {
                                let vb = show(&sb.columns[c], &sb.formatters[c], j);
                                let _ = writeln!(
                                    details,
                                    "  * {name:<28} A {}  |  B {}",
                                    paint.a(&va),
                                    paint.b(&vb)
                                );
                            } else {
                                let _ = writeln!(details, "    {name:<28} {va}");
                            }
                        }
                    }
                }
                p += 1;
                q += 1;
            }
        }
    }
    if tally.differing() > shown as u64 {
        let _ = writeln!(
            details,
            "  {label}: ... {} more differing rows not shown",
            tally.differing() - shown as u64
        );
    }
    Ok(tally)
}

/// One line per directory from its `generation_summary.json`, when it has one.
fn describe(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("generation_summary.json")).ok();
    let summary = text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let field = |name: &str| {
        summary
            .as_ref()
            .and_then(|s| s.get(name))
            .map(|v| v.to_string().trim_matches('"').to_string())
            .unwrap_or_else(|| "?".into())
    };
    match summary {
        Some(_) => format!(
            "{} (engine {}, seed {}, scenario {}, plan {}, years {}-{})",
            dir.display(),
            field("engine"),
            field("random_seed"),
            field("scenario_id"),
            field("plan_design_id"),
            field("start_year"),
            field("end_year"),
        ),
        None => format!("{} (no generation_summary.json)", dir.display()),
    }
}

/// Compares the events and snapshots of two output directories.
pub fn diff_dirs(a: &Path, b: &Path) -> Result<DiffReport> {
    diff_dirs_with(a, b, DiffOptions::default())
}

pub fn diff_dirs_with(a: &Path, b: &Path, opts: DiffOptions) -> Result<DiffReport> {
    for dir in [a, b] {
        if !dir.is_dir() {
            return Err(bad(dir, "not a directory"));
        }
        if !TABLES.iter().any(|t| dir.join(t.name).is_dir()) {
            return Err(bad(
                dir,
                "not a wfsim output directory (no events/ or snapshots/)",
            ));
        }
    }
    let mut out = String::new();
    let mut details = String::new();
    let _ = writeln!(out, "A: {}\nB: {}\n", describe(a), describe(b));
    let _ = writeln!(
        out,
        "{:<10} {:>5} {:>10} {:>10} {:>10} {:>9} {:>8} {:>8}",
        "table", "year", "rows A", "rows B", "same", "changed", "only A", "only B"
    );
    let mut total = 0u64;
    for table in &TABLES {
        let (ya, yb) = (years(a, table.name)?, years(b, table.name)?);
        for &year in ya.union(&yb) {
            let (pa, pb) = (file(a, table, year), file(b, table, year));
            let label = format!("{} {year}", table.name);
            let (fa, fb) = (read(&pa)?, read(&pb)?);
            let rows = |f: &Option<RecordBatch>| f.as_ref().map_or(0, |b| b.num_rows());
            let (ra, rb) = (rows(&fa), rows(&fb));
            let tally = match (&fa, &fb) {
                (Some(x), Some(y)) => {
                    let columns = schema_differences(&x.schema(), &y.schema());
                    if columns.is_empty() {
                        compare(&mut details, &label, table, (&pa, x), (&pb, y), opts)?
                    } else {
                        let _ = writeln!(details, "  {label}: schemas differ");
                        for line in columns {
                            let _ = writeln!(details, "    {line}");
                        }
                        Tally {
                            changed: 1,
                            ..Tally::default()
                        }
                    }
                }
                (Some(_), None) | (None, Some(_)) | (None, None) => {
                    let _ = writeln!(
                        details,
                        "  {label}: file only in {}",
                        if fa.is_some() { "A" } else { "B" }
                    );
                    Tally {
                        only_a: ra as u64,
                        only_b: rb as u64,
                        ..Tally::default()
                    }
                    .max_one()
                }
            };
            total += tally.differing();
            let _ = writeln!(
                out,
                "{:<10} {:>5} {:>10} {:>10} {:>10} {:>9} {:>8} {:>8}",
                table.name, year, ra, rb, tally.same, tally.changed, tally.only_a, tally.only_b
            );
        }
    }
    if !details.is_empty() {
        let _ = write!(out, "\n{details}");
    }
    let _ = writeln!(
        out,
        "\n{}",
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
