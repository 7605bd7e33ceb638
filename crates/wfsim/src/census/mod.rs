//! The employee census: the starting workforce (spec §6).
//!
//! [`load`] reads CSV (`csv.rs`) or Parquet (`parquet.rs`) into one text [`Table`], resolves
//! the header (`columns.rs`), then types and checks the rows (`row.rs`) and reads the deferral
//! rates in the file's unit (`deferral.rs`): both formats go through the same field parser, so a
//! value is accepted or rejected the same way whatever the file type.

mod columns;
mod csv;
mod deferral;
mod parquet;
mod row;
pub mod synthetic;
mod table;

pub use columns::Column;
pub use deferral::RateUnit;

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
    /// Columns wfsim does not use (listed once with `-v`).
    pub ignored_columns: Vec<String>,
    /// Rows whose level was derived from salary because the census had none.
    pub derived_levels: usize,
    /// The unit the deferral rates were read in; `None` when the file has no such column.
    pub deferral_rate_unit: Option<RateUnit>,
    pub sha256: String,
}

/// Loads and checks a census file. Rows are typed on `pool`: the caller decides how many
/// threads a load may take.
pub fn load(path: &Path, model: &Model, pool: &rayon::ThreadPool) -> Result<Census> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
    let sha256 = crate::digest::sha256_hex(&bytes);
    let file = path.display().to_string();
    if is_excel(path, &bytes) {
        return Err(census_error(
            &file,
            None,
            None,
            None,
            "Excel workbooks are not read yet: save the sheet as CSV (UTF-8) or Parquet",
        ));
    }
    let is_parquet = bytes.starts_with(b"PAR1")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let table = if is_parquet {
        self::parquet::read(bytes, &file)?
    } else {
        self::csv::read(&bytes, &file)?
    };
    let mut census = build(&table, &file, model, pool)?;
    census.sha256 = sha256;
    Ok(census)
}

/// An Excel workbook, by extension or content (`.xlsx`/`.xlsm` are zip archives, `.xls` an OLE
/// compound file): read as CSV it would fail with a baffling missing-column error.
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
        column: column.map(Into::into),
        value: value.map(Into::into),
        message: message.into(),
    }
}

fn build(table: &Table, file: &str, model: &Model, pool: &rayon::ThreadPool) -> Result<Census> {
    let cols = Columns::resolve(&table.header, file)?;
    if table.len() == 0 {
        return Err(census_error(
            file,
            None,
            None,
            None,
            "the census has a header but no employee rows",
        ));
    }
    // Rows are typed and checked in parallel; ids are checked here in row order up to the first
    // row that failed, so the error reported is still the first one in the file.
    let parsed: Vec<Result<row::Parsed>> = pool.install(|| {
        (0..table.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| row::parse(table, i, &cols, file, model))
            .collect()
    });
    let mut ids = row::Ids::new(table, &cols);
    for (i, parsed) in parsed.iter().enumerate() {
        ids.check(i, file)?;
        if parsed.is_err() {
            break;
        }
    }
    let parsed = parsed.into_iter().collect::<Result<Vec<_>>>()?;
    // The deferral-rate unit needs every row (spec §6): decided here from the numbers as
    // written, then each rate is scaled.
    let rate_col = cols.get(Column::DeferralRate);
    let deferral_rate_unit = match rate_col.position {
        None => None,
        Some(_) => {
            let mut evidence = deferral::Evidence::default();
            for (i, p) in parsed.iter().enumerate() {
                if let Some(w) = p.deferral {
                    evidence.see(i, w);
                }
            }
            let unit = evidence
                .unit(model.config.census.deferral_rate_unit)
                .map_err(|i| {
                    let value = table.value(i, rate_col);
                    census_error(
                        file,
                        Some(i + 1),
                        Some(rate_col.name),
                        Some(value),
                        deferral::AMBIGUOUS,
                    )
                })?;
            Some(unit)
        }
    };
    let mut rows = Vec::with_capacity(parsed.len());
    let mut derived_levels = 0;
    for (i, p) in parsed.into_iter().enumerate() {
        let mut row = p.row;
        if let (Some(w), Some(unit)) = (p.deferral, deferral_rate_unit) {
            row.deferral_rate = deferral::to_fraction(w, unit).map_err(|message| {
                let value = table.value(i, rate_col);
                census_error(file, Some(i + 1), Some(rate_col.name), Some(value), message)
            })?;
        }
        derived_levels += usize::from(p.derived_level);
        rows.push(row);
    }
    let leavers = rows
        .iter()
        .filter(|r| r.is_leaver(model.census_date))
        .count();
    if leavers == rows.len() {
        return Err(census_error(
            file,
            None,
            None,
            None,
            "no active employees: every row is a leaver",
        ));
    }
    rows.sort_unstable_by(|a, b| a.employee_id.cmp(&b.employee_id));
    Ok(Census {
        rows,
        leavers,
        ignored_columns: cols.ignored,
        derived_levels,
        deferral_rate_unit,
        sha256: String::new(),
    })
}
