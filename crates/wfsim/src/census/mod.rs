//! The employee census: the starting workforce (spec §6).
//!
//! [`load`] reads CSV (`csv.rs`), Parquet (`parquet.rs`) or an Excel workbook (`xlsx.rs`) into
//! one text [`Table`], resolves the header (`columns.rs`, with the config's `census.columns`),
//! then types and checks the rows (`row.rs`, dates in `dates.rs`) and reads the deferral rates
//! in the file's unit (`deferral.rs`): every format goes through the same field parser, so a
//! value is accepted or rejected the same way whatever the file type. `inspect.rs` describes
//! a loaded census for `wfsim census inspect`.

mod columns;
mod csv;
mod dates;
mod deferral;
pub mod inspect;
mod parquet;
mod row;
mod source;
pub mod synthetic;
mod table;
mod xlsx;

pub use crate::config::{Column, DateFormat};
pub use deferral::RateUnit;
pub use source::CensusSource;

use crate::config::Model;
use crate::date::Date;
use crate::error::{Error, Result};
use columns::Columns;
use rayon::prelude::*;
use std::path::Path;
use table::Table;

/// A job level the config defines (1..=`max_level`).
///
/// The field is private, so a level comes only from [`Level::new`] (which the loader uses) or
/// from the salary thresholds ([`level_from_salary`]). The engine looks up per-level settings
/// with it: a level the config lacks would panic there, and checking once where a level is
/// made leaves the engine, the SQL engine and the run nothing to check. A level is checked
/// against the model it is made with; rows are made for the model of the run that uses them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level(u8);

impl Level {
    /// `None` when `model` has no such level.
    pub fn new(model: &Model, level: u8) -> Option<Level> {
        (1..=model.max_level())
            .contains(&level)
            .then_some(Level(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Highest level whose census threshold the salary reaches (spec §7).
pub fn level_from_salary(model: &Model, salary: f64) -> Level {
    Level(
        model
            .config
            .job_levels
            .iter()
            .filter(|l| salary >= l.census_salary_threshold)
            .map(|l| l.level)
            .max()
            .unwrap_or(1),
    )
}

/// One validated census employee.
#[derive(Clone, Debug, PartialEq)]
pub struct CensusRow {
    pub employee_id: String,
    pub birth_date: Date,
    pub hire_date: Date,
    pub termination_date: Option<Date>,
    pub annual_salary: f64,
    /// As given, or derived from salary when the census has none.
    pub level_id: Level,
    /// Fraction in basis points; 0 = not participating.
    pub deferral_rate: f64,
    pub auto_escalation_opt_out: bool,
    /// `Some(false)` marks a plan-ineligible employee.
    pub eligibility_override: Option<bool>,
    /// The employer-contribution account at the census date (spec §4.12); 0 when absent.
    pub employer_balance: f64,
    /// The employee's own account at the census date; 0 when absent.
    pub employee_balance: f64,
    /// The core part of `employer_balance` (the rest is match money); 0 when absent.
    pub core_balance: f64,
    /// Pay in the calendar year before the start year (spec §9's first look-back); `None`
    /// when absent or empty.
    pub prior_year_compensation: Option<f64>,
    /// Ownership as a fraction in [0, 1] (spec §9; attribution is the user's); 0 when absent.
    pub ownership_pct: f64,
    /// An officer (spec §9's key employees); false when absent.
    pub officer: bool,
}

impl CensusRow {
    /// Terminated on or before the census date: kept in the census as loaded, not simulated.
    pub fn is_leaver(&self, census_date: Date) -> bool {
        self.termination_date.is_some_and(|t| t <= census_date)
    }
}

/// The loaded census and what the loader noticed on the way.
#[derive(Debug)]
pub struct Census {
    /// Every row, leavers included, sorted by id.
    pub rows: Vec<CensusRow>,
    /// Rows terminated on or before the census date.
    pub leavers: usize,
    /// Data rows read from the file, set-aside rows and leavers included.
    pub rows_read: usize,
    /// Each field read and the file column it came from, in wfsim's field order.
    pub columns_used: Vec<(Column, String)>,
    /// Columns wfsim does not use (listed once with `-v`).
    pub ignored_columns: Vec<String>,
    /// Rows whose level was derived from salary because the census had none.
    pub derived_levels: usize,
    /// The unit the deferral rates were read in; `None` when the file has no such column.
    pub deferral_rate_unit: Option<RateUnit>,
    /// Rows set aside (with [`LoadOptions::set_aside`]), in file order, first problem per row.
    pub rejects: Vec<Reject>,
    pub sha256: String,
}

/// A census row set aside: one per bad row, with its first problem.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Reject {
    /// 1-based data row (the header is row 0).
    pub row: usize,
    /// The line of the file holding it (a spreadsheet's row number); `None` for Parquet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub employee_id: String,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl Reject {
    fn from_error(e: Error, table: &Table, cols: &Columns) -> Reject {
        match e {
            Error::Census {
                row,
                column,
                value,
                message,
                ..
            } => {
                let row = row.unwrap_or(0);
                let employee_id = if row >= 1 {
                    table
                        .value(row - 1, cols.get(Column::EmployeeId))
                        .to_string()
                } else {
                    String::new()
                };
                Reject {
                    row,
                    line: table.file_line(row),
                    employee_id,
                    column: column.unwrap_or_default(),
                    value: value.unwrap_or_default(),
                    reason: message,
                }
            }
            other => Reject {
                row: 0,
                line: None,
                employee_id: String::new(),
                column: String::new(),
                value: String::new(),
                reason: other.to_string(),
            },
        }
    }

    /// The reason without its row's numbers (dates, ages, amounts), so rows with the same
    /// problem count together: `column: reason`, each number written `#`.
    pub fn reason_key(&self) -> String {
        let mut key = format!("{}: ", self.column);
        let mut in_number = false;
        let mut chars = self.reason.chars().peekable();
        while let Some(c) = chars.next() {
            // a separator inside a number ("72,500", "1990-03-04") but not after it ("12, ")
            let joins = matches!(c, '.' | '-' | ':' | ',' | 'e' | 'E')
                && chars.peek().is_some_and(char::is_ascii_digit);
            let numeric = c.is_ascii_digit() || (in_number && joins);
            if numeric {
                if !in_number {
                    key.push('#');
                }
            } else {
                key.push(c);
            }
            in_number = numeric;
        }
        key
    }
}

/// Writes the rejects CSV (`row,employee_id,column,value,reason`) next to `path`, then renames
/// it there, so `path` is either the previous file or the complete new one.
pub fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "rejects".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut w = ::csv::Writer::from_path(&tmp)?;
        w.write_record(["row", "employee_id", "column", "value", "reason"])?;
        for r in rejects {
            w.write_record([
                r.row.to_string().as_str(),
                &r.employee_id,
                &r.column,
                &r.value,
                &r.reason,
            ])?;
        }
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Rejects counted by [`Reject::reason_key`], each under `column: reason` as written when
/// every row of the group has the same reason, else under the key (numbers as `#`): examples in
/// a message ("such as 72500") stay readable, and rows whose own values differ still count
/// together.
pub fn rejects_by_reason(rejects: &[Reject]) -> std::collections::BTreeMap<String, usize> {
    let mut groups: std::collections::BTreeMap<String, (&str, &str, bool, usize)> =
        std::collections::BTreeMap::new();
    for r in rejects {
        let g = groups
            .entry(r.reason_key())
            .or_insert((&r.column, &r.reason, true, 0));
        g.2 &= g.1 == r.reason && g.0 == r.column;
        g.3 += 1;
    }
    groups
        .into_iter()
        .map(|(key, (column, reason, same, n))| {
            (
                if same {
                    format!("{column}: {reason}")
                } else {
                    key
                },
                n,
            )
        })
        .collect()
}

/// Loads and checks a census file. Rows are typed on `pool`: the caller decides how many
/// threads a load may take.
pub fn load(path: &Path, model: &Model, pool: &rayon::ThreadPool) -> Result<Census> {
    load_with(path, model, pool, LoadOptions::default())
}

/// How [`load_with`] treats rows that fail validation.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Set bad rows aside into [`Census::rejects`] and keep the rest (`--rejects`); otherwise
    /// the first bad row in the file stops the load, its message counting the others.
    pub set_aside: bool,
    /// With `set_aside`: more bad rows than this stop the load (`--max-rejects`).
    pub max_rejects: Option<usize>,
    /// The file is a run's own snapshot: its hires' `NH_` ids, reserved in a census, are read
    /// (`wfsim census --from-run`, which renames them).
    pub run_hires: bool,
}

/// [`load`], with bad rows set aside or not as `opts` says. Problems of the file as a whole (a
/// missing required column, a duplicate id, an undecidable deferral-rate unit) always stop.
pub fn load_with(
    path: &Path,
    model: &Model,
    pool: &rayon::ThreadPool,
    opts: LoadOptions,
) -> Result<Census> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    let file = path.display().to_string();
    let input = &model.config.census;
    let header_row = input.header_row.get();
    let table = if is_excel(path, &bytes) {
        self::parquet::catch_decoder_panic(|| {
            self::xlsx::read(bytes, &file, input.sheet.as_deref(), header_row)
        })
        .unwrap_or_else(|_| {
            Err(file_error(
                &file,
                "cannot read as an Excel workbook: the file is corrupt",
            ))
        })?
    } else {
        if input.sheet.is_some() {
            return Err(file_error(
                &file,
                "key `census.sheet` is set, but the file is not an Excel workbook",
            ));
        }
        let is_parquet = bytes.starts_with(b"PAR1")
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
        if is_parquet {
            if header_row != 1 {
                return Err(file_error(
                    &file,
                    "key `census.header_row` is set, but a Parquet file has no rows above its header",
                ));
            }
            self::parquet::read(bytes, &file, &input.columns)?
        } else {
            self::csv::read(&bytes, &file, header_row)?
        }
    };
    let mut census = build(&table, &file, model, pool, opts).map_err(|mut e| {
        if let Error::Census {
            row: Some(r), line, ..
        } = &mut e
        {
            *line = table.file_line(*r).and_then(|l| u32::try_from(l).ok());
        }
        e
    })?;
    census.sha256 = sha256;
    Ok(census)
}

/// An Excel workbook, by extension or content (`.xlsx`/`.xlsm` are zip archives, `.xls` an OLE
/// compound file).
fn is_excel(path: &Path, bytes: &[u8]) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    bytes.starts_with(ZIP)
        || bytes.starts_with(OLE)
        || path.extension().is_some_and(|e| {
            ["xlsx", "xlsm", "xls"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
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
        line: None,
        column: column.map(Into::into),
        value: value.map(Into::into),
        message: message.into(),
    }
}

/// A problem with the file as a whole (no row, column or value to name).
fn file_error(file: &str, message: impl Into<String>) -> Error {
    census_error(file, None, None, None, message)
}

fn build(
    table: &Table,
    file: &str,
    model: &Model,
    pool: &rayon::ThreadPool,
    opts: LoadOptions,
) -> Result<Census> {
    let map = &model.config.census.columns;
    let cols = Columns::resolve(&table.header, file, map, table.header_line)
        .map_err(|e| with_header_hint(e, table, map))?;
    if let Some((i, n)) = table.ragged() {
        return Err(census_error(
            file,
            Some(i + 1),
            None,
            None,
            format!(
                "malformed CSV: the row has {n} fields, the header {}",
                table.header.len()
            ),
        ));
    }
    if table.len() == 0 {
        return Err(file_error(
            file,
            "the census has a header but no employee rows",
        ));
    }
    // Rows are typed and checked in parallel; ids are checked here in row order. Every
    // row-level problem is collected (the first problem of each row), so the default message can
    // say how many rows are bad and `--rejects` can set them all aside; a duplicate id is a
    // problem of the file and always stops.
    let parsed: Vec<Result<row::Parsed>> = pool.install(|| {
        (0..table.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| row::parse(table, i, &cols, file, model))
            .collect()
    });
    let mut ids = row::Ids::new(table, &cols, opts.run_hires);
    let mut problems: Vec<Error> = Vec::new();
    let mut kept: Vec<(usize, row::Parsed)> = Vec::with_capacity(parsed.len());
    for (i, parsed) in parsed.into_iter().enumerate() {
        match ids.check(i, file) {
            Err(row::IdProblem::Duplicate(e)) => {
                // Without `--rejects` the first problem in the file is the one reported.
                if !opts.set_aside && !problems.is_empty() {
                    break;
                }
                return Err(e);
            }
            Err(row::IdProblem::Row(e)) => problems.push(e),
            Ok(()) => match parsed {
                Ok(p) => kept.push((i, p)),
                Err(e) => problems.push(e),
            },
        }
    }
    // The deferral-rate unit needs every row (spec §6): decided here from the numbers as
    // written in the rows kept, then each rate is scaled. An undecidable unit is a problem of
    // the file.
    let rate_col = cols.get(Column::DeferralRate);
    // `skip` is sorted (rows in file order).
    // The unit from the kept rows but `skip` (sorted: rows in file order).
    let decide = |skip: &[usize]| {
        let mut evidence = deferral::Evidence::default();
        for (i, p) in &kept {
            if let (Some(w), false) = (p.deferral, skip.binary_search(i).is_ok()) {
                evidence.see(*i, w);
            }
        }
        evidence.unit(model.config.census.deferral_rate_unit)
    };
    let ambiguous = |i: usize| {
        census_error(
            file,
            Some(i + 1),
            Some(rate_col.name),
            Some(table.value(i, rate_col)),
            deferral::AMBIGUOUS,
        )
    };
    let deferral_rate_unit = match rate_col.position {
        None => None,
        Some(_) => match decide(&[]) {
            Ok(unit) => Some(unit),
            Err(_) if !opts.set_aside && !problems.is_empty() => None,
            Err(i) => return Err(ambiguous(i)),
        },
    };
    // Rates out of range in the unit decided: row problems, unless setting those rows aside
    // would change the unit the other rows are read in (then no run could equal a run on the
    // file without them, and the file stops as a whole).
    let mut out_of_range: Vec<(usize, Error)> = Vec::new();
    if let Some(unit) = deferral_rate_unit {
        for (i, p) in &kept {
            if let Some(w) = p.deferral {
                if let Err(message) = deferral::to_fraction(w, unit) {
                    let value = table.value(*i, rate_col);
                    let e =
                        census_error(file, Some(i + 1), Some(rate_col.name), Some(value), message);
                    out_of_range.push((*i, e));
                }
            }
        }
    }
    if opts.set_aside && !out_of_range.is_empty() {
        let skip: Vec<usize> = out_of_range.iter().map(|(i, _)| *i).collect();
        if decide(&skip).ok() != deferral_rate_unit {
            let (_, mut first) = out_of_range.swap_remove(0);
            if let Error::Census { message, .. } = &mut first {
                message.push_str(
                    "; the unit was decided with this row, so it cannot be set aside: fix it or set census.deferral_rate_unit",
                );
            }
            return Err(first);
        }
    }
    let skip: Vec<usize> = out_of_range.iter().map(|(i, _)| *i).collect();
    problems.extend(out_of_range.into_iter().map(|(_, e)| e));
    let mut rows = Vec::with_capacity(kept.len());
    let mut derived_levels = 0;
    for (i, p) in kept {
        if skip.binary_search(&i).is_ok() {
            continue;
        }
        let mut row = p.row;
        if let (Some(w), Some(unit)) = (p.deferral, deferral_rate_unit) {
            row.deferral_rate = deferral::to_fraction(w, unit).expect("checked above");
        }
        derived_levels += usize::from(p.derived_level);
        rows.push(row);
    }
    if !problems.is_empty() && !opts.set_aside {
        let more = problems.len() - 1;
        let mut first = problems.swap_remove(0);
        if let Error::Census { message, .. } = &mut first {
            let others = match more {
                0 => "no other row has a problem".to_string(),
                1 => "1 more row has a problem".to_string(),
                n => format!("{n} more rows have problems"),
            };
            message.push_str(&format!(
                " ({others}; `--rejects FILE` sets every bad row aside into FILE and runs on the rest)"
            ));
        }
        return Err(first);
    }
    // A range error needs the unit, so without `--rejects` it is reported after the row
    // errors of the whole file; the rejects file lists rows in file order.
    problems.sort_by_key(|e| match e {
        Error::Census { row, .. } => *row,
        _ => None,
    });
    if let Some(max) = opts.max_rejects {
        if problems.len() > max {
            let first = problems[0].to_string();
            return Err(file_error(file, format!(
                    "{} rows have problems, more than --max-rejects {max}: nothing was run (first: {first})",
                    problems.len()
                ),
            ));
        }
    }
    let rejects: Vec<Reject> = problems
        .into_iter()
        .map(|e| Reject::from_error(e, table, &cols))
        .collect();
    if rows.is_empty() {
        let first = &rejects[0];
        let line = first.line.map_or(String::new(), |l| format!(" (line {l})"));
        return Err(file_error(
            file,
            format!(
                "every row has a problem ({} set aside): nothing to run; the first, row {}{line}: column `{}`: value {:?}: {}",
                rejects.len(),
                first.row,
                first.column,
                first.value,
                first.reason
            ),
        ));
    }
    let leavers = rows
        .iter()
        .filter(|r| r.is_leaver(model.census_date))
        .count();
    if leavers == rows.len() {
        return Err(file_error(
            file,
            "no active employees: every row is a leaver",
        ));
    }
    rows.sort_unstable_by(|a, b| a.employee_id.cmp(&b.employee_id));
    Ok(Census {
        rows,
        leavers,
        rows_read: table.len(),
        columns_used: cols.used(),
        ignored_columns: cols.ignored,
        derived_levels,
        deferral_rate_unit,
        rejects,
        sha256: String::new(),
    })
}

/// A missing required column when a row below the header would have been a complete header
/// (a title row above it, or `census.header_row` off by some rows): says which row to set.
fn with_header_hint(mut e: Error, table: &Table, map: &crate::config::ColumnMap) -> Error {
    if let Error::Census { file, message, .. } = &mut e {
        if !message.contains("is missing") && !message.contains("is not in the file") {
            return e;
        }
        let looks_like_header = (0..table.len().min(20)).find(|&i| {
            let fields: Vec<String> = table.row(i).map(|f| f.trim().to_string()).collect();
            Columns::resolve(&fields, file, map, 0).is_ok()
        });
        if let Some(i) = looks_like_header {
            let line = table.line(i);
            message.push_str(&format!(
                "; row {line} of the file looks like the header (rows above it, such as a title, are not): set census.header_row: {line}"
            ));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reject(row: usize, column: &str, reason: &str) -> Reject {
        Reject {
            row,
            line: None,
            employee_id: format!("E{row}"),
            column: column.into(),
            value: String::new(),
            reason: reason.into(),
        }
    }

    #[test]
    fn reasons_are_counted_as_written_unless_their_numbers_differ() {
        let amount = "not a number (expected an amount such as 72500 or $72,500.00)";
        let counts = rejects_by_reason(&[
            reject(2, "annual_salary", amount),
            reject(5, "annual_salary", amount),
            reject(3, "hire_date", "hired at age 12, before 14"),
            reject(4, "hire_date", "hired at age 9, before 14"),
        ]);
        let got: Vec<(&str, usize)> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        assert_eq!(
            got,
            [
                (
                    "annual_salary: not a number (expected an amount such as 72500 or $72,500.00)",
                    2
                ),
                ("hire_date: hired at age #, before #", 2),
            ]
        );
    }
}
