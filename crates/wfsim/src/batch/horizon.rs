//! Horizon totals (spec §8): per run, each money metric summed over the simulated years and its
//! present value at the batch's `discount_rate`, in integer cents. A committee's first question
//! is what a design costs over the horizon, not in its last year.

use super::metrics::{metric_named, Value};
use super::YearMetrics;
use crate::numerics::round_half_away;

/// The money metrics with horizon totals, in the order of `horizon.parquet`.
pub const MONEY: [&str; 6] = [
    "payroll",
    "employee_deferrals",
    "employer_match",
    "employer_core",
    "forfeitures",
    "employer_cost",
];

/// The horizon metrics' names: each money metric's total, then its present value.
pub const NAMES: [&str; 12] = [
    "payroll_total",
    "payroll_pv",
    "employee_deferrals_total",
    "employee_deferrals_pv",
    "employer_match_total",
    "employer_match_pv",
    "employer_core_total",
    "employer_core_pv",
    "forfeitures_total",
    "forfeitures_pv",
    "employer_cost_total",
    "employer_cost_pv",
];

/// The horizon values of one run (its years in order), in [`NAMES`] order, in cents:
/// `total` sums the years' cents; `pv` sums `round_half_away(cents_N / f_N)`, with `f`
/// multiplied by `1 + discount_rate` before each year (the first year is discounted once).
pub fn of_run(years: &[YearMetrics], discount_rate: f64) -> [i64; NAMES.len()] {
    let mut out = [0; NAMES.len()];
    for (i, name) in MONEY.iter().enumerate() {
        let m = metric_named(name).expect("a money metric").0;
        let (mut total, mut pv, mut f) = (0i64, 0i64, 1.0f64);
        for y in years {
            let Value::Cents(c) = y.values[m] else {
                unreachable!("{name} is money")
            };
            f *= 1.0 + discount_rate;
            total += c;
            pv += round_half_away(c as f64 / f) as i64;
        }
        out[2 * i] = total;
        out[2 * i + 1] = pv;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::metrics::METRICS;

    fn year(y: i32, cost_cents: i64) -> YearMetrics {
        let mut values = [Value::Cents(0); METRICS.len()];
        values[metric_named("employer_cost").unwrap().0] = Value::Cents(cost_cents);
        YearMetrics { year: y, values }
    }

    #[test]
    fn totals_and_present_values_by_hand() {
        // 1,000.00 then 1,100.00 at 10 %: total 2,100.00; pv 1000/1.1 = 909.0909… → 90,909
        // cents, 1100/1.21 = 909.0909… → 90,909: 1,818.18
        let years = [year(2025, 100_000), year(2026, 110_000)];
        let h = of_run(&years, 0.10);
        let at = |n: &str| h[NAMES.iter().position(|x| *x == n).unwrap()];
        assert_eq!(at("employer_cost_total"), 210_000);
        assert_eq!(at("employer_cost_pv"), 181_818);
        // no discount: the present value is the total
        assert_eq!(of_run(&years, 0.0)[11], 210_000);
        for (i, m) in MONEY.iter().enumerate() {
            assert_eq!(NAMES[2 * i], format!("{m}_total"));
            assert_eq!(NAMES[2 * i + 1], format!("{m}_pv"));
        }
    }
}
