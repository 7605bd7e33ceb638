//! The headline figures of a scenario comparison: per year, what a consultant compares between
//! two plan designs, for A and B side by side with B − A. The definitions are those of the
//! spec's batch metrics (§8): counts of the year's events and of the actives at Dec 31, rates
//! from integer counts and basis points, money summed as integer cents. Identical data therefore
//! gives differences of exactly zero, shown as `0`.

use super::bad;
use crate::error::Result;
use crate::event::EventType;
use crate::totals::grouped;
use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use std::collections::BTreeMap;
use std::path::Path;

/// The money columns a snapshot may carry (spec §4.11–4.12); a figure built on them appears
/// once the files have them, found by name.
const EMPLOYEE_DEFERRAL: &str = "employee_deferral";
const EMPLOYER_COST: [&str; 3] = ["employer_match", "employer_core", "forfeiture"];

/// One run's figures for one year; `None` where that year's file is missing.
#[derive(Default)]
pub(super) struct Year {
    pub snapshot: Option<SnapshotFigures>,
    pub events: Option<EventFigures>,
}

pub(super) struct EventFigures {
    hires: i64,
    terminations: i64,
}

pub(super) struct SnapshotFigures {
    /// Active at Dec 31.
    headcount: i64,
    /// Active and plan-eligible at Dec 31.
    eligible: i64,
    /// Active, eligible and enrolled at Dec 31.
    enrolled: i64,
    /// Sum of the deferral rates of the `enrolled`, in basis points.
    deferral_bp: i128,
    /// Sums over every row (leavers included), in cents.
    payroll: i128,
    employee_deferrals: Option<i128>,
    /// `employer_match + employer_core - forfeiture`.
    employer_cost: Option<i128>,
}

/// Column `name` cast to `to`, or `None` when the file has no such column.
fn optional(
    path: &Path,
    batch: &RecordBatch,
    name: &str,
    to: &DataType,
) -> Result<Option<ArrayRef>> {
    let Some(col) = batch.column_by_name(name) else {
        return Ok(None);
    };
    arrow_cast::cast(col, to)
        .map(Some)
        .map_err(|e| bad(path, format!("column `{name}` is not {to}: {e}")))
}

fn required(path: &Path, batch: &RecordBatch, name: &str, to: &DataType) -> Result<ArrayRef> {
    optional(path, batch, name, to)?
        .ok_or_else(|| bad(path, format!("no `{name}` column: not a wfsim output file")))
}

fn strings(col: &ArrayRef) -> &StringArray {
    col.as_any()
        .downcast_ref()
        .expect("cast to Utf8 gives a StringArray")
}

fn flags(col: &ArrayRef) -> &BooleanArray {
    col.as_any()
        .downcast_ref()
        .expect("cast to Boolean gives a BooleanArray")
}

fn floats(col: &ArrayRef) -> &Float64Array {
    col.as_any()
        .downcast_ref()
        .expect("cast to Float64 gives a Float64Array")
}

/// `round_half_away(x * scale)` as an integer; a null is 0.
fn scaled(col: &Float64Array, i: usize, scale: f64) -> i64 {
    if col.is_null(i) {
        0
    } else {
        (col.value(i) * scale).round() as i64
    }
}

/// The sum of a money column in cents.
fn sum_cents(col: &ArrayRef) -> i128 {
    let col = floats(col);
    (0..col.len())
        .map(|i| i128::from(scaled(col, i, 100.0)))
        .sum()
}

/// The sum of a money column in cents, or `None` when the file has no such column.
fn cents(path: &Path, batch: &RecordBatch, name: &str) -> Result<Option<i128>> {
    Ok(optional(path, batch, name, &DataType::Float64)?.map(|col| sum_cents(&col)))
}

pub(super) fn of_events(path: &Path, batch: &RecordBatch) -> Result<EventFigures> {
    let types = required(path, batch, "event_type", &DataType::Utf8)?;
    let types = strings(&types);
    let count = |t: EventType| types.iter().filter(|v| *v == Some(t.label())).count() as i64;
    Ok(EventFigures {
        hires: count(EventType::Hire),
        terminations: count(EventType::Termination),
    })
}

pub(super) fn of_snapshot(path: &Path, batch: &RecordBatch) -> Result<SnapshotFigures> {
    let status = required(path, batch, "employment_status", &DataType::Utf8)?;
    let eligible = required(path, batch, "plan_eligible", &DataType::Boolean)?;
    let enrolled = required(path, batch, "is_enrolled", &DataType::Boolean)?;
    let rate = required(path, batch, "deferral_rate", &DataType::Float64)?;
    let (status, eligible, enrolled, rate) = (
        strings(&status),
        flags(&eligible),
        flags(&enrolled),
        floats(&rate),
    );
    let yes = |col: &BooleanArray, i: usize| col.is_valid(i) && col.value(i);
    let payroll = required(path, batch, "prorated_compensation", &DataType::Float64)?;
    let [matched, core, forfeited] = EMPLOYER_COST.map(|name| cents(path, batch, name));
    let mut f = SnapshotFigures {
        headcount: 0,
        eligible: 0,
        enrolled: 0,
        deferral_bp: 0,
        payroll: sum_cents(&payroll),
        employee_deferrals: cents(path, batch, EMPLOYEE_DEFERRAL)?,
        employer_cost: match (matched?, core?, forfeited?) {
            (Some(m), Some(c), Some(x)) => Some(m + c - x),
            _ => None,
        },
    };
    for i in 0..batch.num_rows() {
        if status.is_null(i) || status.value(i) != "active" {
            continue;
        }
        f.headcount += 1;
        if yes(eligible, i) {
            f.eligible += 1;
            if yes(enrolled, i) {
                f.enrolled += 1;
                f.deferral_bp += i128::from(scaled(rate, i, 10_000.0));
            }
        }
    }
    Ok(f)
}

/// A figure of one run and year.
#[derive(Clone, Copy, PartialEq)]
enum Value {
    Count(i64),
    Cents(i128),
    /// A rate; `None` when its denominator is 0.
    Rate(Option<f64>),
}

/// Dollars with thousands separators, from cents; `signed` adds `+` to a positive amount.
fn dollars(cents: i128, signed: bool) -> String {
    let sign = match cents {
        c if c < 0 => "-",
        c if c > 0 && signed => "+",
        _ => "",
    };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(abs / 100), abs % 100)
}

impl Value {
    fn show(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Cents(c) => dollars(c, false),
            Value::Rate(Some(r)) => format!("{:.2}%", r * 100.0),
            Value::Rate(None) => "-".into(),
        }
    }

    /// B − A; exactly `0` when the two are equal.
    fn difference(a: Value, b: Value) -> String {
        if a == b {
            return "0".into();
        }
        match (a, b) {
            (Value::Count(a), Value::Count(b)) => format!("{:+}", b - a),
            (Value::Cents(a), Value::Cents(b)) => dollars(b - a, true),
            (Value::Rate(Some(a)), Value::Rate(Some(b))) => format!("{:+.2} pp", (b - a) * 100.0),
            _ => "-".into(),
        }
    }
}

/// `num / scale / den`, in that order (spec §8); `None` when `den` is 0.
fn ratio(num: i128, scale: f64, den: i64) -> Value {
    Value::Rate((den > 0).then(|| num as f64 / scale / den as f64))
}

/// The figures of a year, labelled, in table order; `None` where the run lacks the data.
fn figures(year: Option<&Year>) -> [(&'static str, Option<Value>); 8] {
    let s = year.and_then(|y| y.snapshot.as_ref());
    let e = year.and_then(|y| y.events.as_ref());
    [
        ("headcount (end)", s.map(|s| Value::Count(s.headcount))),
        ("hires", e.map(|e| Value::Count(e.hires))),
        ("terminations", e.map(|e| Value::Count(e.terminations))),
        (
            "participation",
            s.map(|s| ratio(i128::from(s.enrolled), 1.0, s.eligible)),
        ),
        (
            "avg deferral rate",
            s.map(|s| ratio(s.deferral_bp, 10_000.0, s.enrolled)),
        ),
        ("payroll", s.map(|s| Value::Cents(s.payroll))),
        (
            "employee deferrals",
            s.and_then(|s| s.employee_deferrals.map(Value::Cents)),
        ),
        (
            "employer cost",
            s.and_then(|s| s.employer_cost.map(Value::Cents)),
        ),
    ]
}

/// The side-by-side table, one block of lines per year. A figure neither run has (the money
/// columns of older outputs) is left out; one that only one run has is `n/a` on the other side.
pub(super) fn render(a: &BTreeMap<i32, Year>, b: &BTreeMap<i32, Year>) -> String {
    let years: std::collections::BTreeSet<i32> = a.keys().chain(b.keys()).copied().collect();
    let mut rows: Vec<[String; 5]> = vec![["year", "figure", "A", "B", "B - A"].map(String::from)];
    for year in years {
        let (fa, fb) = (figures(a.get(&year)), figures(b.get(&year)));
        let mut first = true;
        for ((label, va), (_, vb)) in fa.into_iter().zip(fb) {
            if va.is_none() && vb.is_none() {
                continue;
            }
            let show = |v: Option<Value>| v.map_or_else(|| "n/a".into(), Value::show);
            let difference = match (va, vb) {
                (Some(x), Some(y)) => Value::difference(x, y),
                _ => "n/a".into(),
            };
            let year_cell = if first {
                year.to_string()
            } else {
                String::new()
            };
            first = false;
            rows.push([year_cell, label.into(), show(va), show(vb), difference]);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line = format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_group_thousands_and_sign_differences() {
        assert_eq!(dollars(0, true), "0.00");
        assert_eq!(dollars(5, false), "0.05");
        assert_eq!(dollars(123_456_789, false), "1,234,567.89");
        assert_eq!(dollars(-100_000, true), "-1,000.00");
        assert_eq!(dollars(99_999_900, true), "+999,999.00");
    }

    #[test]
    fn equal_values_differ_by_exactly_zero() {
        for v in [
            Value::Count(3),
            Value::Cents(-7),
            Value::Rate(Some(0.1)),
            Value::Rate(None),
        ] {
            assert_eq!(Value::difference(v, v), "0");
        }
        assert_eq!(
            Value::difference(Value::Rate(Some(0.05)), Value::Rate(Some(0.0625))),
            "+1.25 pp"
        );
        assert_eq!(
            Value::difference(Value::Rate(None), Value::Rate(Some(0.5))),
            "-"
        );
        assert_eq!(Value::difference(Value::Count(5), Value::Count(3)), "-2");
    }
}
