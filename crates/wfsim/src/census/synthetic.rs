//! A deterministic, realistic synthetic census for examples, tests and benchmarks.
//!
//! Every attribute is a draw of the model's random function on its own stream, keyed by the
//! employee's row number, so the same `(employees, seed)` always gives the same file.

use super::{level_from_salary, CensusRow, Column, Level};
use crate::config::Model;
use crate::date::{years_between, Date};
use crate::error::{Error, Result};
use crate::numerics::{round_cents, Cumulative};
use crate::rng::Rng;
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Salary bands of the default job levels (the generator keeps salaries inside them).
const LEVEL_BANDS: [(f64, f64); 5] = [
    (56_000.0, 80_000.0),
    (81_000.0, 120_000.0),
    (121_000.0, 160_000.0),
    (161_000.0, 300_000.0),
    (275_000.0, 500_000.0),
];
const LEVEL_SHARES: [f64; 5] = [0.45, 0.28, 0.15, 0.09, 0.03];

pub struct Spec {
    pub employees: usize,
    pub seed: u64,
    pub census_date: Date,
}

/// The census `wfsim census` writes. Its levels are those of the default job levels (1–5); a
/// level `model` lacks is derived from salary instead.
pub fn generate(model: &Model, spec: &Spec) -> Vec<CensusRow> {
    let rng = Rng::new(spec.seed);
    let width = spec.employees.to_string().len().max(6);
    let levels = Cumulative::from_weights(LEVEL_SHARES);
    let (cy, cm, cd) = spec.census_date.ymd();
    (0..spec.employees)
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| {
            let id = format!("EMP_{:0width$}", i + 1);
            let u = |stream: &str| rng.draw_named(&id, 0, stream);
            let age = 22 + u("census_age").day_offset(43); // 22..=64 at the census date
            let birth_date = Date::from_ymd(cy - age - 1, cm, cd.min(28))
                .expect("valid")
                .add_days(1 + u("census_birth_day").day_offset(364));
            // Service up to 30 years, never before age 18.
            let max_service_days = (birth_date.add_days(18 * 365 + 5))
                .days_until(spec.census_date)
                .clamp(0, 30 * 365);
            let hire_date = spec
                .census_date
                .add_days(-u("census_service").day_offset(max_service_days + 1));
            let band = levels.pick(u("census_level"));
            let (lo, hi) = LEVEL_BANDS[band];
            let annual_salary = round_cents(lo + (hi - lo) * u("census_salary").u());
            let level_id = Level::new(model, band as u8 + 1)
                .unwrap_or_else(|| level_from_salary(model, annual_salary));
            let deferral_rate = if u("census_enrolled").below(0.65) {
                f64::from(2 + u("census_deferral").day_offset(11)) / 100.0
            } else {
                0.0
            };
            let auto_escalation_opt_out = u("census_escalation_opt_out").below(0.03);
            let eligibility_override = u("census_plan_ineligible").below(0.005).then_some(false);
            let leaves = u("census_leaver").below(0.02);
            let termination_date = leaves.then(|| {
                let first = hire_date.max(Date::jan1(cy));
                first.add_days(
                    u("census_leave_day").day_offset(first.days_until(spec.census_date) + 1),
                )
            });
            // Participants have an employer account of up to 4 % of pay per year of service.
            let employer_balance = if deferral_rate > 0.0 {
                let service = f64::from(years_between(hire_date, spec.census_date));
                round_cents(annual_salary * 0.04 * service * u("census_employer_balance").u())
            } else {
                0.0
            };
            // Their own account: up to their current deferral for each year of service.
            let employee_balance = if deferral_rate > 0.0 {
                let service = f64::from(years_between(hire_date, spec.census_date));
                round_cents(
                    annual_salary * deferral_rate * service * u("census_employee_balance").u(),
                )
            } else {
                0.0
            };
            // Pay in the census year (the look-back year of spec §9): the days employed in it
            // at 95–100 % of today's salary.
            let year_start = Date::jan1(cy);
            let first = hire_date.max(year_start);
            let last = termination_date.unwrap_or(spec.census_date);
            let days = f64::from(first.days_until(last.add_days(1)).max(0));
            let year_days = f64::from(year_start.days_until(Date::jan1(cy + 1)));
            let prior_year_compensation = Some(round_cents(
                annual_salary * (0.95 + 0.05 * u("census_prior_pay").u()) * days / year_days,
            ));
            // A few owners (about 1 in 1,000, holding 1–10 %) and officers (about 1 in 10 of
            // levels 4 and 5), for the key-employee and HCE rules of spec §9.
            let ownership_pct = if u("census_owner").below(0.001) {
                f64::from(1 + u("census_ownership").day_offset(10)) / 100.0
            } else {
                0.0
            };
            let officer = band >= 3 && u("census_officer").below(0.1);
            CensusRow {
                employee_id: id,
                birth_date,
                hire_date,
                termination_date,
                annual_salary,
                level_id,
                deferral_rate,
                auto_escalation_opt_out,
                eligibility_override,
                employer_balance,
                employee_balance,
                core_balance: 0.0,
                prior_year_compensation,
                ownership_pct,
                officer,
            }
        })
        .collect()
}

/// The built-in example census: `wfsim census --employees 5000 --seed 1` as of the model's
/// census date, leavers included (a run sets them aside as it does a loaded census's).
pub const EXAMPLE_EMPLOYEES: usize = 5_000;
pub const EXAMPLE_SEED: u64 = 1;

pub fn example(model: &Model) -> Vec<CensusRow> {
    let spec = Spec {
        employees: EXAMPLE_EMPLOYEES,
        seed: EXAMPLE_SEED,
        census_date: model.census_date,
    };
    generate(model, &spec)
}

/// Checks that [`write`] would accept `path`: a `.csv`, `.parquet` or `.xlsx` name, and no
/// existing file unless `replace` (a census may be someone's only copy of real data). Callers
/// run it before generating, so a refusal costs nothing.
pub fn check_out(path: &Path, replace: bool) -> Result<()> {
    format_of(path)?;
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(Error::refused(
            path,
            "the file exists and was left unchanged; pass --force to replace it",
        ));
    }
    Ok(())
}

/// The file types [`write`] writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Parquet,
    Xlsx,
}

/// The format the extension asks for; any other extension is refused.
fn format_of(path: &Path) -> Result<Format> {
    let is = |ext: &str| {
        path.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    match () {
        _ if is("csv") => Ok(Format::Csv),
        _ if is("parquet") => Ok(Format::Parquet),
        _ if is("xlsx") => Ok(Format::Xlsx),
        _ => Err(Error::refused(
            path,
            "the census file name must end in .csv, .parquet or .xlsx",
        )),
    }
}

/// Writes a census as CSV, Parquet or an Excel workbook, chosen by the file extension, after
/// [`check_out`].
pub fn write(path: &Path, rows: &[CensusRow], replace: bool) -> Result<()> {
    check_out(path, replace)?;
    let format = format_of(path)?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    // Write next to the target and rename, so an interrupted run never leaves half a file.
    let mut temp = path.as_os_str().to_owned();
    temp.push(".partial");
    let temp = std::path::PathBuf::from(temp);
    let written = match format {
        Format::Csv => write_csv(&temp, rows),
        Format::Parquet => write_parquet(&temp, rows),
        Format::Xlsx => write_xlsx(&temp, rows),
    };
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    std::fs::rename(&temp, path).map_err(|e| Error::io(path, e))
}

/// One sheet, `Census`, in wfsim's layout: dates as Excel dates, amounts and rates as numbers,
/// flags as booleans, so a workbook reads back to the same rows as the CSV or Parquet file.
fn write_xlsx(path: &Path, rows: &[CensusRow]) -> Result<()> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Cell, Workbook, XlsxError};
    let fail = |e: XlsxError| Error::write(path, format!("cannot write the workbook: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Census").map_err(fail)?;
    let date_format = Cell::new().set_num_format("yyyy-mm-dd");
    for (c, column) in Column::FILE_ORDER.into_iter().enumerate() {
        sheet
            .write_string(0, c as u16, column.name())
            .map_err(fail)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1)
            .ok()
            .filter(|&n| n < 1_048_576)
            .ok_or_else(|| Error::write(path, "more rows than an Excel sheet holds (1,048,575)"))?;
        for (c, column) in Column::FILE_ORDER.into_iter().enumerate() {
            let c = c as u16;
            let date = |d: crate::date::Date| {
                let (y, m, day) = d.ymd();
                ExcelDateTime::from_ymd(y as u16, m as u8, day as u8)
            };
            match column {
                Column::EmployeeId => sheet.write_string(row, c, &r.employee_id),
                Column::BirthDate => sheet.write_datetime_with_format(
                    row,
                    c,
                    date(r.birth_date).map_err(fail)?,
                    &date_format,
                ),
                Column::HireDate => sheet.write_datetime_with_format(
                    row,
                    c,
                    date(r.hire_date).map_err(fail)?,
                    &date_format,
                ),
                Column::TerminationDate => match r.termination_date {
                    Some(t) => sheet.write_datetime_with_format(
                        row,
                        c,
                        date(t).map_err(fail)?,
                        &date_format,
                    ),
                    None => continue,
                },
                Column::AnnualSalary => sheet.write_number(row, c, r.annual_salary),
                Column::LevelId => sheet.write_number(row, c, r.level_id.get()),
                Column::DeferralRate => sheet.write_number(row, c, r.deferral_rate),
                Column::AutoEscalationOptOut => {
                    sheet.write_boolean(row, c, r.auto_escalation_opt_out)
                }
                Column::EligibilityOverride => match r.eligibility_override {
                    Some(b) => sheet.write_boolean(row, c, b),
                    None => continue,
                },
                Column::EmployerBalance => sheet.write_number(row, c, r.employer_balance),
                Column::EmployeeBalance => sheet.write_number(row, c, r.employee_balance),
                Column::CoreBalance => sheet.write_number(row, c, r.core_balance),
                Column::PriorYearCompensation => match r.prior_year_compensation {
                    Some(p) => sheet.write_number(row, c, p),
                    None => continue,
                },
                Column::OwnershipPct => sheet.write_number(row, c, r.ownership_pct),
                Column::Officer => sheet.write_boolean(row, c, r.officer),
            }
            .map_err(fail)?;
        }
    }
    book.save(path).map_err(fail)
}

fn write_csv(path: &Path, rows: &[CensusRow]) -> Result<()> {
    let fail = |e: csv::Error| Error::write(path, format!("cannot write CSV: {e}"));
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(Column::FILE_ORDER.map(Column::name))
        .map_err(fail)?;
    let mut money = String::new();
    for r in rows {
        use std::fmt::Write;
        money.clear();
        write!(money, "{:.2}", r.annual_salary).expect("write to String");
        let term = r
            .termination_date
            .map(|d| d.to_string())
            .unwrap_or_default();
        let level = r.level_id.get().to_string();
        let rate = format!("{:.4}", r.deferral_rate);
        let ovr = r
            .eligibility_override
            .map(|b| b.to_string())
            .unwrap_or_default();
        let balance = format!("{:.2}", r.employer_balance);
        let employee_balance = format!("{:.2}", r.employee_balance);
        let core_balance = format!("{:.2}", r.core_balance);
        let prior = r
            .prior_year_compensation
            .map(|p| format!("{p:.2}"))
            .unwrap_or_default();
        // Always with decimals, so a reader that infers types from the first rows (all 0)
        // reads a float column.
        let owned = format!("{:.4}", r.ownership_pct);
        w.write_record([
            r.employee_id.as_str(),
            &r.birth_date.to_string(),
            &r.hire_date.to_string(),
            &term,
            &money,
            &level,
            &rate,
            if r.auto_escalation_opt_out {
                "true"
            } else {
                "false"
            },
            &ovr,
            &balance,
            &employee_balance,
            &core_balance,
            &prior,
            &owned,
            if r.officer { "true" } else { "false" },
        ])
        .map_err(fail)?;
    }
    w.flush().map_err(|e| Error::io(path, e))
}

fn write_parquet(path: &Path, rows: &[CensusRow]) -> Result<()> {
    let n = rows.len();
    let mut id = StringBuilder::with_capacity(n, n * 12);
    let (mut birth, mut hire, mut term) = (
        Date32Builder::with_capacity(n),
        Date32Builder::with_capacity(n),
        Date32Builder::with_capacity(n),
    );
    let mut salary = Float64Builder::with_capacity(n);
    let mut level = Int32Builder::with_capacity(n);
    let mut rate = Float64Builder::with_capacity(n);
    let (mut esc, mut ovr) = (
        BooleanBuilder::with_capacity(n),
        BooleanBuilder::with_capacity(n),
    );
    let mut balance = Float64Builder::with_capacity(n);
    let (mut employee_balance, mut core_balance, mut prior, mut owned) = (
        Float64Builder::with_capacity(n),
        Float64Builder::with_capacity(n),
        Float64Builder::with_capacity(n),
        Float64Builder::with_capacity(n),
    );
    let mut officer = BooleanBuilder::with_capacity(n);
    for r in rows {
        id.append_value(&r.employee_id);
        birth.append_value(r.birth_date.0);
        hire.append_value(r.hire_date.0);
        term.append_option(r.termination_date.map(|d| d.0));
        salary.append_value(r.annual_salary);
        level.append_value(i32::from(r.level_id.get()));
        rate.append_value(r.deferral_rate);
        esc.append_value(r.auto_escalation_opt_out);
        ovr.append_option(r.eligibility_override);
        balance.append_value(r.employer_balance);
        employee_balance.append_value(r.employee_balance);
        core_balance.append_value(r.core_balance);
        prior.append_option(r.prior_year_compensation);
        owned.append_value(r.ownership_pct);
        officer.append_value(r.officer);
    }
    let field =
        |c: Column, data_type: DataType, nullable: bool| Field::new(c.name(), data_type, nullable);
    let schema = Arc::new(Schema::new(vec![
        field(Column::EmployeeId, DataType::Utf8, false),
        field(Column::BirthDate, DataType::Date32, false),
        field(Column::HireDate, DataType::Date32, false),
        field(Column::TerminationDate, DataType::Date32, true),
        field(Column::AnnualSalary, DataType::Float64, false),
        field(Column::LevelId, DataType::Int32, true),
        field(Column::DeferralRate, DataType::Float64, false),
        field(Column::AutoEscalationOptOut, DataType::Boolean, false),
        field(Column::EligibilityOverride, DataType::Boolean, true),
        field(Column::EmployerBalance, DataType::Float64, false),
        field(Column::EmployeeBalance, DataType::Float64, false),
        field(Column::CoreBalance, DataType::Float64, false),
        field(Column::PriorYearCompensation, DataType::Float64, true),
        field(Column::OwnershipPct, DataType::Float64, false),
        field(Column::Officer, DataType::Boolean, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(birth.finish()),
        Arc::new(hire.finish()),
        Arc::new(term.finish()),
        Arc::new(salary.finish()),
        Arc::new(level.finish()),
        Arc::new(rate.finish()),
        Arc::new(esc.finish()),
        Arc::new(ovr.finish()),
        Arc::new(balance.finish()),
        Arc::new(employee_balance.finish()),
        Arc::new(core_balance.finish()),
        Arc::new(prior.finish()),
        Arc::new(owned.finish()),
        Arc::new(officer.finish()),
    ];
    let batch =
        RecordBatch::try_new(schema.clone(), columns).expect("columns match the census schema");
    let fail =
        |e: parquet::errors::ParquetError| Error::write(path, format!("cannot write Parquet: {e}"));
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, Some(props)).map_err(fail)?;
    w.write(&batch).map_err(fail)?;
    w.close().map_err(fail)?;
    Ok(())
}
