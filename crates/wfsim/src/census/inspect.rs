//! `wfsim census inspect`: what a consultant checks in a census before a run, from the census
//! as the run would load it. Headcounts, salaries and deferral figures are of the active
//! employees (leavers are set aside by the run too), ages and service at the census date.

use super::{Census, Column, RateUnit, Reject};
use crate::bands::{age_band, tenure_band, AGE_BAND_LABELS, TENURE_BAND_LABELS};
use crate::config::Model;
use crate::date::years_between;
use serde::Serialize;
use std::fmt::Write;

/// Deferral-rate bands of the distribution, as fractions: `[lower, upper)`, the last closed.
const RATE_BANDS: [(f64, f64, &str); 8] = [
    (0.0, 0.03, "under 3 %"),
    (0.03, 0.04, "3 %"),
    (0.04, 0.05, "4 %"),
    (0.05, 0.06, "5 %"),
    (0.06, 0.07, "6 %"),
    (0.07, 0.10, "7-9 %"),
    (0.10, 0.15, "10-14 %"),
    (0.15, f64::INFINITY, "15 % or more"),
];

#[derive(Debug, Serialize)]
pub struct Inspection {
    pub file: String,
    /// Data rows in the file, bad rows and leavers included.
    pub rows_read: usize,
    pub rows_with_problems: usize,
    pub leavers_set_aside: usize,
    pub active: usize,
    pub columns_used: Vec<ColumnUse>,
    pub columns_ignored: Vec<String>,
    pub levels_derived_from_salary: usize,
    /// `None` without a deferral-rate column.
    pub deferral_rate_unit: Option<RateUnit>,
    pub headcount_by_level: Vec<Count>,
    pub headcount_by_age_band: Vec<Count>,
    pub headcount_by_tenure_band: Vec<Count>,
    pub salary: Salary,
    pub participation: Participation,
    /// Participants by deferral-rate band.
    pub deferral_rates: Vec<Count>,
    /// Every bad row with its first problem, in file order.
    pub problems: Vec<Reject>,
}

#[derive(Debug, Serialize)]
pub struct ColumnUse {
    pub field: &'static str,
    pub column: String,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub group: String,
    pub count: usize,
}

/// Salary percentiles by nearest rank: P(k) is the smallest salary with at least k % of the
/// salaries at or below it, so every figure is a salary of the file.
#[derive(Debug, Serialize)]
pub struct Salary {
    pub min: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub max: f64,
    pub total: f64,
}

#[derive(Debug, Serialize)]
pub struct Participation {
    /// Active employees with a deferral rate above 0.
    pub participants: usize,
    pub rate: f64,
    /// Of the participants; 0 without any.
    pub mean_deferral_rate: f64,
    pub median_deferral_rate: f64,
}

impl Inspection {
    pub fn new(census: &Census, model: &Model, file: &str) -> Inspection {
        let date = model.census_date;
        let active: Vec<_> = census.rows.iter().filter(|r| !r.is_leaver(date)).collect();
        let mut by_level = vec![0; usize::from(model.max_level())];
        let mut by_age = [0; AGE_BAND_LABELS.len()];
        let mut by_tenure = [0; TENURE_BAND_LABELS.len()];
        for r in &active {
            by_level[usize::from(r.level_id.get()) - 1] += 1;
            by_age[age_band(years_between(r.birth_date, date))] += 1;
            by_tenure[tenure_band(years_between(r.hire_date, date))] += 1;
        }
        let mut salaries: Vec<f64> = active.iter().map(|r| r.annual_salary).collect();
        salaries.sort_by(f64::total_cmp);
        let mut rates: Vec<f64> = active
            .iter()
            .map(|r| r.deferral_rate)
            .filter(|&d| d > 0.0)
            .collect();
        rates.sort_by(f64::total_cmp);
        let counts = |labels: &[&str], n: &[usize]| -> Vec<Count> {
            labels
                .iter()
                .zip(n)
                .map(|(l, &count)| Count {
                    group: l.to_string(),
                    count,
                })
                .collect()
        };
        let levels: Vec<String> = (1..=model.max_level()).map(|l| l.to_string()).collect();
        let level_labels: Vec<&str> = levels.iter().map(String::as_str).collect();
        let mut by_rate = [0; RATE_BANDS.len()];
        for &d in &rates {
            let band = RATE_BANDS
                .iter()
                .position(|&(lo, hi, _)| d >= lo && d < hi)
                .unwrap_or(RATE_BANDS.len() - 1);
            by_rate[band] += 1;
        }
        let rate_labels: Vec<&str> = RATE_BANDS.iter().map(|b| b.2).collect();
        let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
        Inspection {
            file: file.to_string(),
            rows_read: census.rows_read,
            rows_with_problems: census.rejects.len(),
            leavers_set_aside: census.leavers,
            active: active.len(),
            columns_used: census
                .columns_used
                .iter()
                .map(|(c, column)| ColumnUse {
                    field: Column::name(*c),
                    column: column.clone(),
                })
                .collect(),
            columns_ignored: census.ignored_columns.clone(),
            levels_derived_from_salary: census.derived_levels,
            deferral_rate_unit: census.deferral_rate_unit,
            headcount_by_level: counts(&level_labels, &by_level),
            headcount_by_age_band: counts(&AGE_BAND_LABELS, &by_age),
            headcount_by_tenure_band: counts(&TENURE_BAND_LABELS, &by_tenure),
            salary: Salary {
                min: percentile(&salaries, 0),
                p10: percentile(&salaries, 10),
                p25: percentile(&salaries, 25),
                p50: percentile(&salaries, 50),
                p75: percentile(&salaries, 75),
                p90: percentile(&salaries, 90),
                max: percentile(&salaries, 100),
                total: crate::numerics::round_cents(salaries.iter().sum()),
            },
            participation: Participation {
                participants: rates.len(),
                rate: share(rates.len(), active.len()),
                mean_deferral_rate: if rates.is_empty() {
                    0.0
                } else {
                    crate::numerics::round_bp(rates.iter().sum::<f64>() / rates.len() as f64)
                },
                median_deferral_rate: percentile(&rates, 50),
            },
            deferral_rates: counts(&rate_labels, &by_rate),
            problems: census.rejects.clone(),
        }
    }

    /// The report as text, one section after another.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let unit = match self.deferral_rate_unit {
            Some(u) => format!("deferral rates read in {}", u.name()),
            None => "no deferral rate column".to_string(),
        };
        let _ = writeln!(s, "census: {}", self.file);
        let _ = writeln!(
            s,
            "rows read: {} ({} active, {} leavers set aside, {} with problems)",
            self.rows_read, self.active, self.leavers_set_aside, self.rows_with_problems
        );
        let used: Vec<String> = self
            .columns_used
            .iter()
            .map(|c| {
                if c.field == c.column {
                    c.field.to_string()
                } else {
                    format!("{} <- \"{}\"", c.field, c.column)
                }
            })
            .collect();
        let _ = writeln!(s, "columns used: {}", used.join(", "));
        let ignored = if self.columns_ignored.is_empty() {
            "none".to_string()
        } else {
            self.columns_ignored
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(s, "columns ignored: {ignored}");
        let _ = writeln!(
            s,
            "{unit}; {} levels derived from salary",
            self.levels_derived_from_salary
        );
        let table = |s: &mut String, title: &str, counts: &[Count], of: usize| {
            let _ = writeln!(s, "\n{title}");
            for c in counts {
                let pct = if of == 0 {
                    0.0
                } else {
                    100.0 * c.count as f64 / of as f64
                };
                let _ = writeln!(s, "  {:<14}{:>7}  {:>5.1} %", c.group, c.count, pct);
            }
        };
        table(
            &mut s,
            "headcount by level",
            &self.headcount_by_level,
            self.active,
        );
        table(
            &mut s,
            "headcount by age band",
            &self.headcount_by_age_band,
            self.active,
        );
        table(
            &mut s,
            "headcount by tenure band",
            &self.headcount_by_tenure_band,
            self.active,
        );
        let p = &self.salary;
        let _ = writeln!(s, "\nsalary (active)");
        for (label, v) in [
            ("min", p.min),
            ("P10", p.p10),
            ("P25", p.p25),
            ("median", p.p50),
            ("P75", p.p75),
            ("P90", p.p90),
            ("max", p.max),
            ("payroll", p.total),
        ] {
            let _ = writeln!(s, "  {label:<14}{}", money(v));
        }
        let q = &self.participation;
        let _ = writeln!(
            s,
            "\nparticipation (deferral > 0): {} of {} active ({:.1} %); mean rate {:.2} %, median {:.2} %",
            q.participants,
            self.active,
            100.0 * q.rate,
            100.0 * q.mean_deferral_rate,
            100.0 * q.median_deferral_rate
        );
        table(
            &mut s,
            "deferral rates of participants",
            &self.deferral_rates,
            q.participants,
        );
        if self.problems.is_empty() {
            let _ = writeln!(s, "\nproblems: none");
        } else {
            let _ = writeln!(s, "\nproblems ({} rows):", self.problems.len());
            for p in &self.problems {
                let _ = writeln!(
                    s,
                    "  row {}{} ({}): column `{}`: value {:?}: {}",
                    p.row,
                    p.line.map_or(String::new(), |l| format!(" (line {l})")),
                    p.employee_id,
                    p.column,
                    p.value,
                    p.reason
                );
            }
        }
        s
    }
}

/// Nearest rank: the value at rank ceil(k/100 · n), the first for k = 0; 0 for no values.
fn percentile(sorted: &[f64], k: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (k * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Whole dollars with thousands separators.
fn money(v: f64) -> String {
    let whole = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}${out}", if v < 0.0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_values_of_the_file_by_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            [0, 10, 25, 50, 75, 90, 100].map(|k| percentile(&v, k)),
            [1.0, 1.0, 3.0, 5.0, 8.0, 9.0, 10.0]
        );
        assert_eq!(percentile(&[], 50), 0.0);
        assert_eq!(percentile(&[7.0], 90), 7.0);
    }

    #[test]
    fn money_is_whole_dollars_with_separators() {
        assert_eq!(money(72_500.4), "$72,500");
        assert_eq!(money(1_234_567.0), "$1,234,567");
        assert_eq!(money(950.0), "$950");
    }
}
