//! The batch metrics of spec §8: one row per (scenario, seed, year) from the year's counts and
//! snapshot totals, and their statistics over the seeds (the ensemble) and over the paired
//! differences against the baseline (the deltas), with the ordered folds the spec writes.

use crate::event::{EventType, YearCounts};
use crate::totals::dollars;

/// A metric's value: counts and money stay integers (money in cents) so differences are exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(i64),
    Cents(i64),
    Rate(Option<f64>),
}

impl Value {
    /// The value as float64 (money in dollars); `None` for a null rate.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Cents(c) => Some(dollars(c)),
            Value::Rate(r) => r,
        }
    }

    /// `self - baseline`: counts as integers, money as a difference of cents, rates as a float64
    /// difference (null when either is null).
    pub fn minus(self, baseline: Value) -> Option<f64> {
        match (self, baseline) {
            (Value::Count(a), Value::Count(b)) => Some((a - b) as f64),
            (Value::Cents(a), Value::Cents(b)) => Some(dollars(a - b)),
            (Value::Rate(Some(a)), Value::Rate(Some(b))) => Some(a - b),
            _ => None,
        }
    }
}

/// The metric columns, in the metrics table's order: name and whether it is an int32 count.
pub const METRICS: [(&str, bool); 22] = [
    ("n_start", true),
    ("target", true),
    ("events_hire", true),
    ("events_termination", true),
    ("events_promotion", true),
    ("events_raise", true),
    ("events_eligibility", true),
    ("events_enrollment", true),
    ("events_opt_out", true),
    ("events_deferral_escalation", true),
    ("n_end", true),
    ("eligible_end", true),
    ("enrolled_end", true),
    ("participation_rate", false),
    ("avg_deferral_rate", false),
    ("payroll", false),
    ("employee_deferrals", false),
    ("employer_match", false),
    ("employer_core", false),
    ("forfeitures", false),
    ("employer_cost", false),
    ("employer_cost_pct_of_payroll", false),
];

/// The metrics of one year of one run, in [`METRICS`] order.
pub fn of_year(c: &YearCounts) -> [Value; METRICS.len()] {
    let t = &c.totals;
    let events = |t: EventType| Value::Count(c.of_type(t));
    [
        Value::Count(c.n_start),
        Value::Count(c.target),
        events(EventType::Hire),
        events(EventType::Termination),
        events(EventType::Promotion),
        events(EventType::Raise),
        events(EventType::Eligibility),
        events(EventType::Enrollment),
        events(EventType::OptOut),
        events(EventType::DeferralEscalation),
        Value::Count(c.n_end),
        Value::Count(t.eligible_end),
        Value::Count(t.enrolled_end),
        Value::Rate(t.participation_rate()),
        Value::Rate(t.avg_deferral_rate()),
        Value::Cents(t.payroll),
        Value::Cents(t.employee_deferrals),
        Value::Cents(t.employer_match),
        Value::Cents(t.employer_core),
        Value::Cents(t.forfeitures),
        Value::Cents(t.employer_cost()),
        Value::Rate(t.employer_cost_pct_of_payroll()),
    ]
}

/// The statistics of one metric over the seeds; every field but `n` is null without values.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    pub n: i32,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub p10: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
    pub max: Option<f64>,
}

/// Statistics of `values` given in ascending seed order; nulls are left out.
pub fn stats(values: impl IntoIterator<Item = Option<f64>>) -> Stats {
    let xs: Vec<f64> = values.into_iter().flatten().collect();
    let n = xs.len();
    if n == 0 {
        return Stats::default();
    }
    let mut acc = 0.0;
    for &x in &xs {
        acc += x;
    }
    let mean = acc / n as f64;
    let sd = (n > 1).then(|| {
        let mut ss = 0.0;
        for &x in &xs {
            ss += (x - mean) * (x - mean);
        }
        (ss / (n - 1) as f64).sqrt()
    });
    let mut sorted = xs;
    sorted.sort_by(f64::total_cmp);
    let q = |q: f64| {
        let h = (n - 1) as f64 * q;
        let i = h.floor() as usize;
        if i + 1 >= n {
            sorted[n - 1]
        } else {
            sorted[i] + (h - i as f64) * (sorted[i + 1] - sorted[i])
        }
    };
    Stats {
        n: n as i32,
        mean: Some(mean),
        sd,
        min: Some(sorted[0]),
        p10: Some(q(0.10)),
        p25: Some(q(0.25)),
        p50: Some(q(0.50)),
        p75: Some(q(0.75)),
        p90: Some(q(0.90)),
        max: Some(sorted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let s = stats([4.0, 1.0, 3.0, 2.0, 5.0].map(Some));
        assert_eq!(s.n, 5);
        assert_eq!((s.min, s.max), (Some(1.0), Some(5.0)));
        assert_eq!(s.p50, Some(3.0));
        // h = 4 * 0.1 = 0.4: 1 + 0.4 * (2 - 1)
        assert_eq!(s.p10, Some(1.4));
        assert_eq!(s.p90, Some(4.0 + (3.6 - 3.0) * 1.0));
        assert_eq!(s.mean, Some(3.0));
        assert_eq!(s.sd, Some((10.0f64 / 4.0).sqrt()));
    }

    #[test]
    fn nulls_are_left_out_and_one_value_has_no_sd() {
        let s = stats([None, Some(2.5), None]);
        assert_eq!((s.n, s.mean, s.sd, s.p90), (1, Some(2.5), None, Some(2.5)));
        let s = stats([None, None]);
        assert_eq!(s, Stats::default());
    }

    #[test]
    fn deltas_are_exact_for_money_and_counts() {
        assert_eq!(Value::Cents(30).minus(Value::Cents(10)), Some(0.2));
        assert_eq!(Value::Count(3).minus(Value::Count(5)), Some(-2.0));
        assert_eq!(Value::Rate(None).minus(Value::Rate(Some(0.1))), None);
    }
}
