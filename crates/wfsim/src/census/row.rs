//! Typing and checking one census row (spec §6). Rows are independent except for their ids,
//! so [`parse`] runs on rows in parallel and [`Ids`] checks ids serially in row order.

use super::columns::{Col, Columns};
use super::dates;
use super::deferral::Written;
use super::table::Table;
use super::{census_error, level_from_salary, CensusRow, Level};
use crate::config::Column;
use crate::config::Model;
use crate::date::{years_between, Date};
use crate::error::{Error, Result};
use std::collections::HashMap;

/// A typed row, whether its level came from salary, and its deferral rate as written: the
/// rate's unit is known only once every row is read, so `row.deferral_rate` is 0 until the
/// loader sets it from `deferral`.
pub(super) struct Parsed {
    pub row: CensusRow,
    pub derived_level: bool,
    pub deferral: Option<Written>,
}

/// Types and checks everything of row `i` (0-based) but the id checks of [`Ids`].
pub(super) fn parse(
    table: &Table,
    i: usize,
    cols: &Columns,
    file: &str,
    model: &Model,
) -> Result<Parsed> {
    let row = i + 1;
    let census_date = model.census_date;
    let max_level = model.max_level();
    let field = |c: Col| table.value(i, c);
    let err = |c: Col, v: &str, m: String| census_error(file, Some(row), Some(c.name), Some(v), m);
    let date_format = model.config.census.date_format.as_ref();
    let date = |c: Col| -> Result<Option<Date>> {
        let v = field(c);
        if v.is_empty() {
            return Ok(None);
        }
        dates::parse(v, date_format)
            .map(Some)
            .ok_or_else(|| err(c, v, dates::expected(date_format)))
    };
    let required_date = |c: Col| -> Result<Date> {
        date(c)?.ok_or_else(|| err(c, "", "a date is required".into()))
    };
    let (id_col, birth_col, hire_col) = (
        cols.get(Column::EmployeeId),
        cols.get(Column::BirthDate),
        cols.get(Column::HireDate),
    );
    let (salary_col, term_col, level_col, rate_col) = (
        cols.get(Column::AnnualSalary),
        cols.get(Column::TerminationDate),
        cols.get(Column::LevelId),
        cols.get(Column::DeferralRate),
    );
    let (opt_out_col, override_col, balance_col) = (
        cols.get(Column::AutoEscalationOptOut),
        cols.get(Column::EligibilityOverride),
        cols.get(Column::EmployerBalance),
    );

    let id = field(id_col);
    let birth_date = required_date(birth_col)?;
    let hire_date = required_date(hire_col)?;
    let termination_date = date(term_col)?;

    let salary_text = field(salary_col);
    let annual_salary = parse_money(salary_text)
        .ok_or_else(|| err(salary_col, salary_text, format!("not a number ({MONEY})")))?;
    if !(annual_salary.is_finite() && annual_salary > 0.0) {
        return Err(err(
            salary_col,
            salary_text,
            "salary must be a finite number greater than 0".into(),
        ));
    }

    let level_text = field(level_col);
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
            .ok_or_else(|| err(level_col, level_text, "not an integer level".into()))?;
        let level = u8::try_from(level)
            .ok()
            .and_then(|l| Level::new(model, l))
            .ok_or_else(|| {
                err(
                    level_col,
                    level_text,
                    format!("level must be between 1 and {max_level} (the configured job levels)"),
                )
            })?;
        Some(level)
    };

    let rate_text = field(rate_col);
    let deferral = if rate_text.is_empty() {
        None
    } else {
        let w = Written::parse(rate_text).ok_or_else(|| {
            err(
                rate_col,
                rate_text,
                "not a number (write e.g. 0.06, 6 or 6 %)".into(),
            )
        })?;
        if !(w.value.is_finite() && w.value >= 0.0) {
            return Err(err(
                rate_col,
                rate_text,
                "deferral rate must be a finite number, 0 or more".into(),
            ));
        }
        Some(w)
    };

    // An amount of money, 0 or more; `None` when the cell is empty.
    let amount = |c: Col, what: &str| -> Result<Option<f64>> {
        let text = field(c);
        if text.is_empty() {
            return Ok(None);
        }
        let b = parse_money(text).ok_or_else(|| err(c, text, format!("not a number ({MONEY})")))?;
        if b.is_finite() && b >= 0.0 {
            Ok(Some(b))
        } else {
            Err(err(
                c,
                text,
                format!("{what} must be a finite number, 0 or more"),
            ))
        }
    };
    let employer_balance = amount(balance_col, "employer balance")?.unwrap_or(0.0);
    let employee_balance =
        amount(cols.get(Column::EmployeeBalance), "employee balance")?.unwrap_or(0.0);
    let core_col = cols.get(Column::CoreBalance);
    let core_balance = amount(core_col, "core balance")?.unwrap_or(0.0);
    if core_balance > employer_balance {
        return Err(err(
            core_col,
            field(core_col),
            format!(
                "the core balance is the core part of the employer balance, so it cannot exceed \
                 it ({}: {employer_balance})",
                balance_col.name
            ),
        ));
    }
    let prior_year_compensation = amount(
        cols.get(Column::PriorYearCompensation),
        "prior-year compensation",
    )?;
    let own_col = cols.get(Column::OwnershipPct);
    let own_text = field(own_col);
    let ownership_pct = if own_text.is_empty() {
        0.0
    } else {
        let v = own_text.parse::<f64>().ok().ok_or_else(|| {
            err(
                own_col,
                own_text,
                "not a number (a fraction such as 0.05)".into(),
            )
        })?;
        if !(0.0..=1.0).contains(&v) {
            return Err(err(
                own_col,
                own_text,
                "ownership must be a fraction in [0, 1] (write 5 % as 0.05)".into(),
            ));
        }
        v
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
    let auto_escalation_opt_out = flag(opt_out_col)?.unwrap_or(false);
    let eligibility_override = flag(override_col)?;
    let officer = flag(cols.get(Column::Officer))?.unwrap_or(false);

    if let Some(t) = termination_date {
        if t > census_date {
            return Err(err(term_col, field(term_col), format!("termination after the census date {census_date}; the census must describe the workforce as of that date")));
        }
        if t < hire_date {
            return Err(err(
                term_col,
                field(term_col),
                format!("termination before the hire date {hire_date}"),
            ));
        }
    }
    if hire_date > census_date {
        return Err(err(
            hire_col,
            field(hire_col),
            format!("hire date after the census date {census_date}"),
        ));
    }
    let age = years_between(birth_date, census_date);
    if !(14..=100).contains(&age) {
        return Err(err(
            birth_col,
            field(birth_col),
            format!("age {age} at the census date {census_date} is outside 14–100"),
        ));
    }
    if hire_date < birth_date {
        return Err(err(
            hire_col,
            field(hire_col),
            format!("hire date before the birth date {birth_date}"),
        ));
    }
    if years_between(birth_date, hire_date) < 14 {
        return Err(err(
            hire_col,
            field(hire_col),
            format!("hired before age 14 (birth date {birth_date})"),
        ));
    }
    Ok(Parsed {
        derived_level: level_id.is_none(),
        deferral,
        row: CensusRow {
            employee_id: id.to_string(),
            birth_date,
            hire_date,
            termination_date,
            annual_salary,
            level_id: level_id.unwrap_or_else(|| level_from_salary(model, annual_salary)),
            deferral_rate: 0.0,
            auto_escalation_opt_out,
            eligibility_override,
            employer_balance,
            employee_balance,
            core_balance,
            prior_year_compensation,
            ownership_pct,
            officer,
        },
    })
}

/// What a money cell may look like, for messages.
const MONEY: &str = "expected an amount such as 72500, 72500.00 or $72,500.00: digits, a point for decimals, optionally a leading $ and commas between groups of three digits";

/// A money cell: a number as Rust reads it, or `$` and thousands separators around one, as
/// spreadsheets format currency (`$72,500.00`, `-$1,250`). Commas are read only as thousands
/// separators in groups of three, so `72.500,00` (a decimal comma) is refused, never guessed.
pub(super) fn parse_money(text: &str) -> Option<f64> {
    if let Ok(v) = text.parse() {
        return Some(v);
    }
    let (minus, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let rest = rest.strip_prefix('$').map_or(rest, str::trim_start);
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let grouped = whole.contains(',');
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(first)
        && (!grouped || first.len() <= 3)
        && groups.all(|g| g.len() == 3 && digits(g))
        && fraction.is_none_or(digits);
    if !ok {
        return None;
    }
    let plain: String = whole.chars().filter(|&c| c != ',').collect();
    let number = match fraction {
        Some(f) => format!("{plain}.{f}"),
        None => plain,
    };
    let v: f64 = number.parse().ok()?;
    Some(if minus { -v } else { v })
}

fn parse_bool(text: &str) -> Option<Option<bool>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Some(None),
        "true" | "t" | "yes" | "y" | "1" => Some(Some(true)),
        "false" | "f" | "no" | "n" | "0" => Some(Some(false)),
        _ => None,
    }
}

/// The id checks, which need the rows before: run in row order, so that together with the
/// parallel [`parse`] the error reported is the first one in the file.
/// What [`Ids::check`] found wrong.
pub(super) enum IdProblem {
    /// The row alone is wrong (empty or reserved id): it can be set aside.
    Row(Error),
    /// The id was seen before: the file is wrong, the run stops.
    Duplicate(Error),
}

pub(super) struct Ids<'t> {
    table: &'t Table,
    col: Col<'t>,
    /// Every id is hashed once: a fixed fast hash, not SipHash (the map is never iterated, so
    /// its order cannot reach the output).
    first_row_of: HashMap<&'t str, usize, foldhash::fast::FixedState>,
    /// `NH_` ids are a run's hires, not reserved ([`super::LoadOptions::run_hires`]).
    run_hires: bool,
}

impl<'t> Ids<'t> {
    pub fn new(table: &'t Table, cols: &Columns<'t>, run_hires: bool) -> Ids<'t> {
        Ids {
            run_hires,
            table,
            col: cols.get(Column::EmployeeId),
            first_row_of: HashMap::with_capacity_and_hasher(
                table.len(),
                foldhash::fast::FixedState::default(),
            ),
        }
    }

    /// Checks the id of row `i` (0-based); rows must come in order. A duplicate id is a
    /// problem of the file (`Err(Duplicate)`), an empty or reserved id one of the row.
    pub fn check(&mut self, i: usize, file: &str) -> Result<(), IdProblem> {
        let (row, col, table) = (i + 1, self.col, self.table);
        let id = table.value(i, col);
        let err =
            |m: String| -> Error { census_error(file, Some(row), Some(col.name), Some(id), m) };
        if id.is_empty() {
            return Err(IdProblem::Row(err(format!("{} is empty", col.name))));
        }
        if id.starts_with("NH_") && !self.run_hires {
            return Err(IdProblem::Row(err(
                "ids starting with `NH_` are reserved for simulated hires".into(),
            )));
        }
        if let Some(first) = self.first_row_of.insert(id, row) {
            return Err(IdProblem::Duplicate(err(format!(
                "duplicate employee_id (first seen on row {first})"
            ))));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_money;

    #[test]
    fn money_reads_currency_formatting_and_nothing_it_would_have_to_guess() {
        for (text, value) in [
            ("72500", 72500.0),
            ("72500.5", 72500.5),
            ("$72,500.00", 72500.0),
            ("$ 72,500", 72500.0),
            ("1,234,567.89", 1_234_567.89),
            ("-$1,250", -1250.0),
            ("$950", 950.0),
        ] {
            assert_eq!(parse_money(text), Some(value), "{text}");
        }
        for bad in [
            "72.500,00",
            "1,00",
            "72,5000",
            "$50k",
            "$",
            "",
            "1,,000",
            "$-5",
            ",500",
            "72 500",
        ] {
            assert_eq!(parse_money(bad), None, "{bad}");
        }
    }
}
