//! Census loading from CSV or Parquet. Both formats go through the same text-field parser, so a
//! value is accepted or rejected the same way whatever the file type.

use super::{CensusRow, COLUMNS};
use crate::config::Model;
use crate::date::{years_between, Date};
use crate::error::{Error, Result};
use crate::numerics::round_bp;
use arrow_array::{Array, StringArray};
use arrow_schema::DataType;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// The loaded census: active employees sorted by id, plus what the loader set aside.
#[derive(Debug)]
pub struct Census {
    pub employees: Vec<CensusRow>,
    /// Rows terminated on or before the census date: not simulated.
    pub leavers: usize,
    /// Columns wfsim does not use (listed once with `-v`).
    pub ignored_columns: Vec<String>,
    /// Rows whose level was derived from salary because the census had none.
    pub derived_levels: usize,
    pub sha256: String,
}

pub fn load(path: &Path, model: &Model) -> Result<Census> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    let file = path.display().to_string();
    let is_parquet = bytes.starts_with(b"PAR1")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let table = if is_parquet {
        parquet_table(bytes, &file)?
    } else {
        csv_table(&bytes, &file)?
    };
    let mut census = build(table, &file, model)?;
    census.sha256 = sha256;
    Ok(census)
}

/// The census as text fields, before typing. All fields live in one buffer: a million-row
/// census as a `String` per field spent more time in the allocator than in parsing.
struct Table {
    header: Vec<String>,
    text: String,
    /// End offset in `text` of every field, row after row.
    ends: Vec<usize>,
    /// Index in `ends` of each row's first field, plus one past the last row.
    row_starts: Vec<usize>,
}

impl Table {
    fn new(header: Vec<String>) -> Table {
        Table {
            header,
            text: String::new(),
            ends: Vec::new(),
            row_starts: vec![0],
        }
    }

    fn push_field(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    fn end_row(&mut self) {
        self.row_starts.push(self.ends.len());
    }

    fn len(&self) -> usize {
        self.row_starts.len() - 1
    }

    /// Field `col` of row `row` (0-based), or `None` past the end of a short row.
    fn field(&self, row: usize, col: usize) -> Option<&str> {
        let i = self.row_starts[row] + col;
        (i < self.row_starts[row + 1]).then(|| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.text[start..self.ends[i]]
        })
    }

    /// The trimmed value of census column `c` in row `row`; empty when absent.
    fn value(&self, row: usize, c: Col) -> &str {
        c.position
            .and_then(|p| self.field(row, p))
            .map_or("", str::trim)
    }
}

fn census_error(
    file: &str,
    row: Option<usize>,
    column: Option<&str>,
    value: Option<&str>,
    message: impl Into<String>,
) -> Error {
    Error::Census {
        file: file.into(),
        row,
        column: column.map(Into::into),
        value: value.map(Into::into),
        message: message.into(),
    }
}

fn csv_table(bytes: &[u8], file: &str) -> Result<Table> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(census_error(file, None, None, None, "the file is empty (expected a header row with employee_id, birth_date, hire_date, annual_salary)"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header_record = reader
        .byte_headers()
        .map_err(|e| {
            census_error(
                file,
                None,
                None,
                None,
                format!("cannot read the header: {e}"),
            )
        })?
        .clone();
    let mut header = Vec::with_capacity(header_record.len());
    for (i, h) in header_record.iter().enumerate() {
        let text = std::str::from_utf8(h).map_err(|_| {
            census_error(
                file,
                None,
                None,
                Some(&String::from_utf8_lossy(h)),
                format!("header field {} is not valid UTF-8", i + 1),
            )
        })?;
        header.push(text.trim_start_matches('\u{feff}').trim().to_string());
    }
    let mut table = Table::new(header);
    let mut record = csv::ByteRecord::new();
    for i in 0.. {
        let row = i + 1;
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            census_error(file, Some(row), None, None, format!("malformed CSV: {e}"))
        })?;
        if !more {
            break;
        }
        for (j, f) in record.iter().enumerate() {
            let text = std::str::from_utf8(f).map_err(|_| {
                census_error(
                    file,
                    Some(row),
                    table.header.get(j).map(String::as_str),
                    Some(&String::from_utf8_lossy(f)),
                    "the value is not valid UTF-8 (save the file as UTF-8)",
                )
            })?;
            table.push_field(text);
        }
        table.end_row();
    }
    Ok(table)
}

fn parquet_table(bytes: Vec<u8>, file: &str) -> Result<Table> {
    catch_decoder_panic(|| parquet_table_unguarded(bytes, file)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        Err(census_error(
            file,
            None,
            None,
            None,
            format!("cannot read as Parquet: the file is corrupt (the decoder failed: {why})"),
        ))
    })
}

/// Runs `f`, turning a panic into `Err` without printing it. The parquet crate still panics on
/// some corrupt files (fuzzing found an out-of-bounds dictionary index in its RLE decoder), and
/// a census file must never crash wfsim. The panic hook is wrapped once so that it stays silent
/// only on this thread and only while `f` runs; other panics are reported as before.
fn catch_decoder_panic<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    use std::cell::Cell;
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static WRAP_HOOK: std::sync::Once = std::sync::Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

fn parquet_table_unguarded(bytes: Vec<u8>, file: &str) -> Result<Table> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: &dyn std::fmt::Display| {
        census_error(
            file,
            None,
            None,
            None,
            format!("cannot read as Parquet: {e}"),
        )
    };
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).map_err(|e| bad(&e))?;
    let schema = builder.schema().clone();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let reader = builder.build().map_err(|e| bad(&e))?;
    let mut table = Table::new(header.clone());
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e))?;
        let mut columns = Vec::with_capacity(batch.num_columns());
        for (j, col) in batch.columns().iter().enumerate() {
            let is_used = COLUMNS
                .iter()
                .any(|(c, a, _)| *c == header[j] || *a == Some(header[j].as_str()));
            if !is_used {
                columns.push(None);
                continue;
            }
            let text = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| {
                census_error(
                    file,
                    None,
                    Some(&header[j]),
                    None,
                    format!(
                        "column of type {} cannot be read as text: {e}",
                        col.data_type()
                    ),
                )
            })?;
            columns.push(Some(
                text.as_any()
                    .downcast_ref::<StringArray>()
                    .expect("cast to Utf8 gives a StringArray")
                    .clone(),
            ));
        }
        for r in 0..batch.num_rows() {
            for c in &columns {
                table.push_field(
                    c.as_ref()
                        .filter(|c| c.is_valid(r))
                        .map_or("", |c| c.value(r)),
                );
            }
            table.end_row();
        }
    }
    Ok(table)
}

fn parse_bool(text: &str) -> Option<Option<bool>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Some(None),
        "true" | "t" | "yes" | "y" | "1" => Some(Some(true)),
        "false" | "f" | "no" | "n" | "0" => Some(Some(false)),
        _ => None,
    }
}

/// A census column as the row loop reads it: its name in the file and its position.
#[derive(Clone, Copy)]
struct Col<'a> {
    name: &'a str,
    position: Option<usize>,
}

struct Cols<'a> {
    employee_id: Col<'a>,
    birth_date: Col<'a>,
    hire_date: Col<'a>,
    termination_date: Col<'a>,
    annual_salary: Col<'a>,
    level_id: Col<'a>,
    deferral_rate: Col<'a>,
    auto_escalation_opt_out: Col<'a>,
    eligibility_override: Col<'a>,
}

fn build(table: Table, file: &str, model: &Model) -> Result<Census> {
    // Resolve each canonical column to its position, accepting one spelling per column.
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (canonical, alias, required) in COLUMNS {
        for name in std::iter::once(canonical).chain(alias) {
            if let Some(i) = table.header.iter().position(|h| h == name) {
                if let Some(other) = seen.insert(canonical, name) {
                    return Err(census_error(
                        file,
                        None,
                        Some(name),
                        None,
                        format!("both `{other}` and `{name}` are present; keep one"),
                    ));
                }
                position.insert(canonical, i);
            }
        }
        if required && !position.contains_key(canonical) {
            let also = alias.map(|a| format!(" (or `{a}`)")).unwrap_or_default();
            return Err(census_error(
                file,
                None,
                Some(canonical),
                None,
                format!(
                    "required column `{canonical}`{also} is missing; found columns: {}",
                    list_columns(&table.header)
                ),
            ));
        }
    }
    let used: Vec<usize> = position.values().copied().collect();
    let ignored_columns = table
        .header
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, h)| h.clone())
        .collect();
    if table.len() == 0 {
        return Err(census_error(
            file,
            None,
            None,
            None,
            "the census has a header but no employee rows",
        ));
    }

    let mut employees = Vec::with_capacity(table.len());
    let mut leavers = 0;
    let mut derived_levels = 0;
    // Every id is hashed once for the duplicate check: a fixed fast hash, not SipHash (the map
    // is never iterated, so its order cannot reach the output).
    let mut first_row_of: HashMap<&str, usize, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(table.len(), foldhash::fast::FixedState::default());
    // Column positions resolved once, not per field.
    let col = |c: &'static str| Col {
        name: seen.get(c).copied().unwrap_or(c),
        position: position.get(c).copied(),
    };
    let c = Cols {
        employee_id: col("employee_id"),
        birth_date: col("birth_date"),
        hire_date: col("hire_date"),
        termination_date: col("termination_date"),
        annual_salary: col("annual_salary"),
        level_id: col("level_id"),
        deferral_rate: col("deferral_rate"),
        auto_escalation_opt_out: col("auto_escalation_opt_out"),
        eligibility_override: col("eligibility_override"),
    };
    // Rows are typed and checked in parallel; ids are checked here in row order, so the error
    // reported is still the first one in the file.
    let rows: Vec<Result<Row>> = (0..table.len())
        .into_par_iter()
        .with_min_len(1024)
        .map(|i| parse_row(&table, i, &c, file, model))
        .collect();
    for (i, parsed) in rows.into_iter().enumerate() {
        let row = i + 1;
        let id = table.value(i, c.employee_id);
        let err = |m: String| census_error(file, Some(row), Some(c.employee_id.name), Some(id), m);
        if id.is_empty() {
            return Err(err("employee_id is empty".into()));
        }
        if id.starts_with("NH_") {
            return Err(err(
                "ids starting with `NH_` are reserved for simulated hires".into(),
            ));
        }
        if let Some(first) = first_row_of.insert(id, row) {
            return Err(err(format!(
                "duplicate employee_id (first seen on row {first})"
            )));
        }
        match parsed? {
            Row::Leaver => leavers += 1,
            Row::Active { derived_level, row } => {
                derived_levels += usize::from(derived_level);
                employees.push(row);
            }
        }
    }
    if employees.is_empty() {
        return Err(census_error(
            file,
            None,
            None,
            None,
            "no active employees: every row is a leaver",
        ));
    }
    employees.sort_unstable_by(|a, b| a.employee_id.cmp(&b.employee_id));
    Ok(Census {
        employees,
        leavers,
        ignored_columns,
        derived_levels,
        sha256: String::new(),
    })
}

/// One census row, typed and checked (everything but the id checks, which need the rows
/// before it).
enum Row {
    /// Terminated on or before the census date: set aside.
    Leaver,
    Active {
        derived_level: bool,
        row: CensusRow,
    },
}

fn parse_row(table: &Table, i: usize, c: &Cols, file: &str, model: &Model) -> Result<Row> {
    let row = i + 1;
    let census_date = model.census_date;
    let max_level = model.max_level();
    let field = |c: Col| table.value(i, c);
    let err = |c: Col, v: &str, m: String| census_error(file, Some(row), Some(c.name), Some(v), m);
    let date = |c: Col| -> Result<Option<Date>> {
        let v = field(c);
        if v.is_empty() {
            return Ok(None);
        }
        Date::parse_iso(v).map(Some).ok_or_else(|| {
            err(
                c,
                v,
                "not a valid date (expected YYYY-MM-DD, optionally with a time)".into(),
            )
        })
    };
    let required_date = |c: Col| -> Result<Date> {
        date(c)?.ok_or_else(|| err(c, "", "a date is required".into()))
    };

    let id = field(c.employee_id);
    let birth_date = required_date(c.birth_date)?;
    let hire_date = required_date(c.hire_date)?;
    let termination_date = date(c.termination_date)?;

    let salary_text = field(c.annual_salary);
    let annual_salary: f64 = salary_text.parse().map_err(|_| err(c.annual_salary, salary_text, "not a number (write plain digits, e.g. 50000.00, without currency signs or thousands separators)".into()))?;
    if !(annual_salary.is_finite() && annual_salary > 0.0) {
        return Err(err(
            c.annual_salary,
            salary_text,
            "salary must be a finite number greater than 0".into(),
        ));
    }

    let level_text = field(c.level_id);
    let level_id = if level_text.is_empty() {
        None
    } else {
        // Integers, also when a spreadsheet or a float column wrote them as `2.0`.
        let level = level_text
            .parse::<i64>()
            .ok()
            .or_else(|| {
                level_text
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e6)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| err(c.level_id, level_text, "not an integer level".into()))?;
        if level < 1 || level > i64::from(max_level) {
            return Err(err(
                c.level_id,
                level_text,
                format!("level must be between 1 and {max_level} (the configured job levels)"),
            ));
        }
        Some(level as u8)
    };

    let rate_text = field(c.deferral_rate);
    let deferral_rate = if rate_text.is_empty() {
        0.0
    } else {
        let raw: f64 = rate_text
            .parse()
            .map_err(|_| err(c.deferral_rate, rate_text, "not a number".into()))?;
        let rate = if raw > 1.0 { raw / 100.0 } else { raw };
        if !(rate.is_finite() && (0.0..=1.0).contains(&rate)) {
            return Err(err(
                c.deferral_rate,
                rate_text,
                "deferral rate must be a fraction in [0, 1] or a percent in (1, 100]".into(),
            ));
        }
        round_bp(rate)
    };

    let flag = |c: Col| -> Result<Option<bool>> {
        let v = field(c);
        parse_bool(v).ok_or_else(|| {
            err(
                c,
                v,
                "not a boolean (expected true/false, yes/no, 1/0 or empty)".into(),
            )
        })
    };
    let auto_escalation_opt_out = flag(c.auto_escalation_opt_out)?.unwrap_or(false);
    let eligibility_override = flag(c.eligibility_override)?;

    if let Some(t) = termination_date {
        if t > census_date {
            return Err(err(c.termination_date, field(c.termination_date), format!("termination after the census date {census_date}; the census must describe the workforce as of that date")));
        }
        if t < hire_date {
            return Err(err(
                c.termination_date,
                field(c.termination_date),
                format!("termination before the hire date {hire_date}"),
            ));
        }
    }
    if hire_date > census_date {
        return Err(err(
            c.hire_date,
            field(c.hire_date),
            format!("hire date after the census date {census_date}"),
        ));
    }
    let age = years_between(birth_date, census_date);
    if !(14..=100).contains(&age) {
        return Err(err(
            c.birth_date,
            field(c.birth_date),
            format!("age {age} at the census date {census_date} is outside 14–100"),
        ));
    }
    if hire_date < birth_date {
        return Err(err(
            c.hire_date,
            field(c.hire_date),
            format!("hire date before the birth date {birth_date}"),
        ));
    }
    if years_between(birth_date, hire_date) < 14 {
        return Err(err(
            c.hire_date,
            field(c.hire_date),
            format!("hired before age 14 (birth date {birth_date})"),
        ));
    }
    if termination_date.is_some() {
        return Ok(Row::Leaver);
    }
    let derived_level = level_id.is_none();
    let level_id = level_id.or_else(|| Some(level_from_salary(model, annual_salary)));
    Ok(Row::Active {
        derived_level,
        row: CensusRow {
            employee_id: id.to_string(),
            birth_date,
            hire_date,
            termination_date,
            annual_salary,
            level_id,
            deferral_rate,
            auto_escalation_opt_out,
            eligibility_override,
        },
    })
}

/// The header for an error message, kept short whatever the file holds: at most 40 names of at
/// most 60 characters each.
fn list_columns(header: &[String]) -> String {
    const MAX_COLUMNS: usize = 40;
    const MAX_CHARS: usize = 60;
    let mut names: Vec<String> = header
        .iter()
        .take(MAX_COLUMNS)
        .map(|h| {
            if h.chars().count() > MAX_CHARS {
                format!("{}…", h.chars().take(MAX_CHARS).collect::<String>())
            } else {
                h.clone()
            }
        })
        .collect();
    if header.len() > MAX_COLUMNS {
        names.push(format!("… ({} more)", header.len() - MAX_COLUMNS));
    }
    names.join(", ")
}

/// Highest level whose census threshold the salary reaches (spec §7).
pub fn level_from_salary(model: &Model, salary: f64) -> u8 {
    model
        .config
        .job_levels
        .iter()
        .filter(|l| salary >= l.census_salary_threshold)
        .map(|l| l.level)
        .max()
        .unwrap_or(1)
}
