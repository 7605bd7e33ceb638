//! `wfsim diff`: compares two output directories table by table and year by year. Rows are
//! matched by key — `(employee_id, event_sequence)` for events, `employee_id` for snapshots — so
//! two scenarios that differ in a few employees show those employees, not a shifted tail.
//! Every column is compared; floats bitwise, so "identical" means the same value bits.
//! Schemas must agree on column names, order and types; nullability and metadata are not
//! compared (pyarrow, for one, writes every field nullable), the values decide.
//! Reads Parquet with the parquet crate, so it works without the SQL engine.
//!
//! Two runs of different scenarios differ in every row through their ids (`scenario_id`,
//! `plan_design_id`, and `event_id`, a hash of both), which says nothing. So when the runs'
//! ids differ, or with [`Mode::Scenarios`], those columns are left out of matching and
//! comparing, and the report opens with the years' headline figures side by side.
//! The differing rows printed are bounded in all ([`DiffOptions::max_lines`]), not only per
//! table and year, so two unrelated runs still give a report one can read.

use crate::error::{Error, Result};
use arrow_array::{Array, ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod figures;

/// Whether the ids that name a run take part in the comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// [`Mode::Scenarios`] when the runs' scenario or plan-design ids differ, else
    /// [`Mode::Exact`].
    #[default]
    Auto,
    /// Every column, the ids included.
    Exact,
    /// The id columns ([`ID_COLUMNS`]) ignored, and the headline figures of each year side by
    /// side.
    Scenarios,
}

/// Columns that name the run rather than describe the workforce.
pub const ID_COLUMNS: [&str; 3] = ["event_id", "scenario_id", "plan_design_id"];

/// How the report is rendered.
#[derive(Clone, Copy, Debug)]
pub struct DiffOptions {
    /// Differing rows printed per table and year.
    pub show: usize,
    /// Lines of differing rows printed in all; the rest are counted in one closing line.
    pub max_lines: usize,
    /// ANSI colours for the differing values (for a terminal).
    pub color: bool,
    pub mode: Mode,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            show: 5,
            max_lines: 100,
            color: false,
            mode: Mode::Auto,
        }
    }
}

/// The outcome of a comparison: `report` is the human-readable text.
#[derive(Debug, Default)]
pub struct DiffReport {
    /// No differing row (in scenario mode, apart from the id columns).
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

pub(crate) fn bad(path: &Path, message: impl std::fmt::Display) -> Error {
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

/// The batch without the [`ID_COLUMNS`].
fn without_ids(path: &Path, batch: RecordBatch) -> Result<RecordBatch> {
    let keep: Vec<usize> = (0..batch.num_columns())
        .filter(|&i| !ID_COLUMNS.contains(&batch.schema().field(i).name().as_str()))
        .collect();
    batch.project(&keep).map_err(|e| bad(path, e))
}

/// A run's `(scenario_id, plan_design_id)`; `None` for a run without rows.
type RunIds = Option<(String, String)>;

/// The ids of the first row of a run's first non-empty file. Read from the data, so a directory
/// without its summary is judged the same way.
fn run_ids(dir: &Path) -> Result<RunIds> {
    let names = &ID_COLUMNS[1..];
    for table in &TABLES {
        for year in years(dir, table.name)? {
            let path = file(dir, table, year);
            let f = match std::fs::File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::input(&path, e)),
            };
            let fail = |e: &dyn std::fmt::Display| bad(&path, format!("cannot read Parquet: {e}"));
            let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| fail(&e))?;
            let mask = ProjectionMask::columns(builder.parquet_schema(), names.iter().copied());
            let first = builder
                .with_projection(mask)
                .with_batch_size(1)
                .with_limit(1)
                .build()
                .map_err(|e| fail(&e))?
                .next()
                .transpose()
                .map_err(|e| fail(&e))?;
            let Some(batch) = first.filter(|b| b.num_rows() > 0) else {
                continue;
            };
            let id = |name: &str| -> Result<String> {
                let col = batch.column_by_name(name).ok_or_else(|| {
                    bad(
                        &path,
                        format!("no `{name}` column: not a wfsim output file"),
                    )
                })?;
                let col = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| fail(&e))?;
                Ok(col
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .filter(|c| c.is_valid(0))
                    .map_or_else(|| "null".into(), |c| c.value(0).to_string()))
            };
            return Ok(Some((id(names[0])?, id(names[1])?)));
        }
    }
    Ok(None)
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

/// Both batches cut to the columns they share, in A's order, with their count: `None` when a
/// shared column differs in type or the shared columns come in another order (then rows
/// cannot be matched column by column), or when nothing is left out.
fn shared_columns(a: &RecordBatch, b: &RecordBatch) -> Option<(RecordBatch, RecordBatch, usize)> {
    let (sa, sb) = (a.schema(), b.schema());
    let mut ia = Vec::new();
    let mut ib = Vec::new();
    for (i, f) in sa.fields().iter().enumerate() {
        if let Ok(j) = sb.index_of(f.name()) {
            if sb.field(j).data_type() != f.data_type() {
                return None;
            }
            ia.push(i);
            ib.push(j);
        }
    }
    let in_order = ib.windows(2).all(|w| w[0] < w[1]);
    let cut = ia.len() < sa.fields().len() || ib.len() < sb.fields().len();
    if !in_order || !cut {
        return None;
    }
    Some((a.project(&ia).ok()?, b.project(&ib).ok()?, ia.len()))
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

/// The differing rows printed under the tables: at most `show` per table and year and
/// `max_lines` lines in all, a prefix of the differences in report order.
struct Details {
    text: String,
    lines_left: usize,
    /// Differing rows described by the blocks printed so far.
    rows_shown: u64,
}

impl Details {
    fn new(max_lines: usize) -> Details {
        Details {
            text: String::new(),
            lines_left: max_lines,
            rows_shown: 0,
        }
    }

    fn has_room(&self) -> bool {
        self.lines_left > 0
    }

    /// Prints `block`, which describes `rows` differing rows, if all of it fits; once one does
    /// not, nothing more is printed, so what is shown stays in order.
    fn push(&mut self, block: &[String], rows: u64) -> bool {
        if block.len() > self.lines_left {
            self.lines_left = 0;
            return false;
        }
        self.lines_left -= block.len();
        self.rows_shown += rows;
        for line in block {
            self.text.push_str(line);
            self.text.push('\n');
        }
        true
    }
}

/// Compares one table of one year (same column names, order and types on both sides), printing
/// the first differing rows into `details`: the key and context columns, then one line per
/// differing column.
fn compare(
    details: &mut Details,
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
    let ctx = |s: &Side, i: usize| -> String {
        context
            .iter()
            .map(|&c| format!("{}={}", names[c], show(&s.columns[c], &s.formatters[c], i)))
            .collect::<Vec<_>>()
            .join(", ")
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
                if shown < opts.show && details.has_room() {
                    let text = format!(
                        "  {label} {}: only in {which} ({})",
                        key_text(key, i),
                        ctx(s, i)
                    );
                    let text = if which == "A" {
                        paint.a(&text)
                    } else {
                        paint.b(&text)
                    };
                    if details.push(&[text], 1) {
                        shown += 1;
                    }
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
                    if shown < opts.show && details.has_room() {
                        let mut block = vec![format!(
                            "  {label} {}: changed ({})",
                            key_text(key_a, i),
                            ctx(&sa, i)
                        )];
                        block.extend(differing.iter().map(|&c| {
                            format!(
                                "  * {:<28} A {}  |  B {}",
                                names[c],
                                paint.a(&show(&sa.columns[c], &sa.formatters[c], i)),
                                paint.b(&show(&sb.columns[c], &sb.formatters[c], j))
                            )
                        }));
                        if details.push(&block, 1) {
                            shown += 1;
                        }
                    }
                }
                p += 1;
                q += 1;
            }
        }
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

/// What the report says about the mode, when it is not the plain exact comparison.
fn mode_note(mode: Mode, scenarios: bool, ids: (&RunIds, &RunIds)) -> Option<String> {
    let ignored = ID_COLUMNS.join(", ");
    let name = |ids: &RunIds| match ids {
        Some((scenario, plan)) => format!("scenario {scenario}, plan {plan}"),
        None => "no rows".into(),
    };
    match (mode, scenarios) {
        (Mode::Auto, true) => Some(format!(
            "The runs have different ids (A: {}; B: {}): compared as scenarios, ignoring \
             {ignored}; --exact compares them too.",
            name(ids.0),
            name(ids.1)
        )),
        (_, true) => Some(format!("Compared as scenarios, ignoring {ignored}.")),
        _ => None,
    }
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
    let (ids_a, ids_b) = (run_ids(a)?, run_ids(b)?);
    let scenarios = match opts.mode {
        Mode::Exact => false,
        Mode::Scenarios => true,
        Mode::Auto => ids_a.is_some() && ids_b.is_some() && ids_a != ids_b,
    };
    let mut out = String::new();
    let _ = writeln!(out, "A: {}\nB: {}\n", describe(a), describe(b));
    if let Some(note) = mode_note(opts.mode, scenarios, (&ids_a, &ids_b)) {
        let _ = writeln!(out, "{note}\n");
    }
    let mut counts = String::new();
    let _ = writeln!(
        counts,
        "{:<10} {:>5} {:>10} {:>10} {:>10} {:>9} {:>8} {:>8}",
        "table", "year", "rows A", "rows B", "same", "changed", "only A", "only B"
    );
    let mut details = Details::new(opts.max_lines);
    let (mut figures_a, mut figures_b) = (BTreeMap::new(), BTreeMap::new());
    let mut total = 0u64;
    for table in &TABLES {
        let (ya, yb) = (years(a, table.name)?, years(b, table.name)?);
        for &year in ya.union(&yb) {
            let (pa, pb) = (file(a, table, year), file(b, table, year));
            let label = format!("{} {year}", table.name);
            let (mut fa, mut fb) = (read(&pa)?, read(&pb)?);
            if scenarios {
                for (path, batch, figures) in [
                    (&pa, &mut fa, &mut figures_a),
                    (&pb, &mut fb, &mut figures_b),
                ] {
                    let Some(x) = batch.take() else { continue };
                    let x = without_ids(path, x)?;
                    let year: &mut figures::Year = figures.entry(year).or_default();
                    if table.name == "events" {
                        year.events = Some(figures::of_events(path, &x)?);
                    } else {
                        year.snapshot = Some(figures::of_snapshot(path, &x)?);
                    }
                    *batch = Some(x);
                }
            }
            let rows = |f: &Option<RecordBatch>| f.as_ref().map_or(0, |b| b.num_rows());
            let (ra, rb) = (rows(&fa), rows(&fb));
            let tally = match (&fa, &fb) {
                (Some(x), Some(y)) => {
                    let columns = schema_differences(&x.schema(), &y.schema());
                    if columns.is_empty() {
                        compare(&mut details, &label, table, (&pa, x), (&pb, y), opts)?
                    } else if let Some((xs, ys, n)) = shared_columns(x, y) {
                        // Columns added or dropped (an output of an older version): the file
                        // differs, and its rows are compared on the columns both sides have.
                        let mut block = vec![format!("  {label}: schemas differ")];
                        block.extend(columns.into_iter().map(|line| format!("    {line}")));
                        block.push(format!("    rows compared on the {n} shared columns"));
                        details.push(&block, 1);
                        total += 1;
                        compare(&mut details, &label, table, (&pa, &xs), (&pb, &ys), opts)?
                    } else {
                        let mut block = vec![format!("  {label}: schemas differ")];
                        block.extend(columns.into_iter().map(|line| format!("    {line}")));
                        details.push(&block, 1);
                        Tally {
                            changed: 1,
                            ..Tally::default()
                        }
                    }
                }
                (Some(_), None) | (None, Some(_)) | (None, None) => {
                    let tally = Tally {
                        only_a: ra as u64,
                        only_b: rb as u64,
                        ..Tally::default()
                    }
                    .max_one();
                    let side = if fa.is_some() { "A" } else { "B" };
                    details.push(
                        &[format!("  {label}: file only in {side}")],
                        tally.differing(),
                    );
                    tally
                }
            };
            total += tally.differing();
            let _ = writeln!(
                counts,
                "{:<10} {:>5} {:>10} {:>10} {:>10} {:>9} {:>8} {:>8}",
                table.name, year, ra, rb, tally.same, tally.changed, tally.only_a, tally.only_b
            );
        }
    }
    if scenarios {
        let _ = writeln!(
            out,
            "Headline figures per year (money in dollars, summed in whole cents):\n{}",
            figures::render(&figures_a, &figures_b)
        );
    }
    out.push_str(&counts);
    if !details.text.is_empty() {
        let _ = write!(out, "\n{}", details.text);
    }
    let hidden = total.saturating_sub(details.rows_shown);
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  … {hidden} more differing rows not shown (at most {} per table and year and {} \
             lines in all: --show, --max-lines)",
            opts.show, opts.max_lines
        );
    }
    let verdict = match (total, scenarios) {
        (0, false) => "identical".to_string(),
        (0, true) => format!("identical apart from {}", ID_COLUMNS.join(", ")),
        (n, false) => format!("DIFFERENT: {n} differing rows"),
        (n, true) => format!(
            "DIFFERENT: {n} differing rows, apart from {}",
            ID_COLUMNS.join(", ")
        ),
    };
    let _ = writeln!(out, "\n{verdict}");
    Ok(DiffReport {
        identical: total == 0,
        differing_rows: total,
        report: out,
    })
}
