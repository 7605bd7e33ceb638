//! The batch metrics of spec §8: one row per (scenario, seed, year) from the year's counts and
//! snapshot totals, and their statistics over the seeds (the ensemble) and over the paired
//! differences against the baseline (the deltas), with the ordered folds the spec writes.

use crate::event::EventType;
use crate::ndt::Results;
use crate::totals::{cents, dollars, YearTotals};
use crate::year::YearCounts;

/// A metric's value: counts and money stay integers (money in cents) so differences are exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(i64),
    /// 1 or 0, null where a test does not apply.
    Flag(Option<bool>),
    Cents(i64),
    Rate(Option<f64>),
}

impl Value {
    /// The value as float64 (money in dollars); `None` for a null rate.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Flag(f) => f.map(|f| f64::from(u8::from(f))),
            Value::Cents(c) => Some(dollars(c)),
            Value::Rate(r) => r,
        }
    }

    /// `self - baseline`: counts as integers, money as a difference of cents, rates as a float64
    /// difference (null when either is null).
    pub fn minus(self, baseline: Value) -> Option<f64> {
        match (self, baseline) {
            (Value::Count(a), Value::Count(b)) => Some((a - b) as f64),
            (Value::Flag(Some(a)), Value::Flag(Some(b))) => {
                Some(f64::from(i8::from(a) - i8::from(b)))
            }
            (Value::Cents(a), Value::Cents(b)) => Some(dollars(a - b)),
            (Value::Rate(Some(a)), Value::Rate(Some(b))) => Some(a - b),
            _ => None,
        }
    }
}

/// What a metric measures, which decides its column type (an int32 count, or float64 money in
/// dollars or a rate) and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Count,
    /// A pass or top-heavy flag: an int32 1/0 (null where the test does not apply), whose
    /// mean over the seeds is the share of seeds that pass.
    Flag,
    Money,
    Rate,
}

/// Where a metric's value comes from in a year's counts.
#[derive(Clone, Copy)]
pub enum Source {
    Count(fn(&YearCounts) -> i64),
    /// The year's events of one type.
    Events(EventType),
    Cents(fn(&YearTotals) -> i64),
    Rate(fn(&YearTotals) -> Option<f64>),
    /// The year's nondiscrimination tests (spec §9).
    Flag(fn(&Results) -> Option<bool>),
    TestCents(fn(&Results) -> i64),
    TestRate(fn(&Results) -> Option<f64>),
}

/// One batch metric (spec §8): its column name, kind, source, and the title and axis noun the
/// report shows it with.
#[derive(Clone, Copy)]
pub struct Metric {
    pub name: &'static str,
    pub kind: MetricKind,
    pub source: Source,
    pub title: &'static str,
    pub noun: &'static str,
}

impl Metric {
    /// Whether the column is an int32 (a count or a flag).
    pub fn is_int(&self) -> bool {
        matches!(self.kind, MetricKind::Count | MetricKind::Flag)
    }

    pub fn value(&self, c: &YearCounts) -> Value {
        match self.source {
            Source::Count(f) => Value::Count(f(c)),
            Source::Events(t) => Value::Count(c.of_type(t)),
            Source::Cents(f) => Value::Cents(f(&c.totals)),
            Source::Rate(f) => Value::Rate(f(&c.totals)),
            Source::Flag(f) => Value::Flag(f(&c.ndt)),
            Source::TestCents(f) => Value::Cents(f(&c.ndt)),
            Source::TestRate(f) => Value::Rate(f(&c.ndt)),
        }
    }
}

const fn metric(
    name: &'static str,
    kind: MetricKind,
    source: Source,
    title: &'static str,
    noun: &'static str,
) -> Metric {
    Metric {
        name,
        kind,
        source,
        title,
        noun,
    }
}

/// The metrics, in the metrics table's column order: one row each, from which the table's
/// schema, the ensemble and deltas, and the report's titles and units all come. Every event
/// type has its `events_<type>` row (a test checks it).
pub const METRICS: [Metric; 40] = {
    use MetricKind::*;
    use Source::{Events, Rate as R, TestCents, TestRate};
    const fn c(f: fn(&YearCounts) -> i64) -> Source {
        Source::Count(f)
    }
    const fn m(f: fn(&YearTotals) -> i64) -> Source {
        Source::Cents(f)
    }
    [
        metric(
            "n_start",
            Count,
            c(|c| c.n_start),
            "Active employees at Jan 1",
            "employees",
        ),
        metric(
            "target",
            Count,
            c(|c| c.target),
            "Headcount target for Dec 31",
            "employees",
        ),
        metric(
            "events_hire",
            Count,
            Events(EventType::Hire),
            "Hires",
            "events",
        ),
        metric(
            "events_termination",
            Count,
            Events(EventType::Termination),
            "Terminations (experienced, RIF and new-hire)",
            "events",
        ),
        metric(
            "events_promotion",
            Count,
            Events(EventType::Promotion),
            "Promotions",
            "events",
        ),
        metric(
            "events_raise",
            Count,
            Events(EventType::Raise),
            "Raises (merit and COLA)",
            "events",
        ),
        metric(
            "events_eligibility",
            Count,
            Events(EventType::Eligibility),
            "Employees becoming plan-eligible",
            "events",
        ),
        metric(
            "events_enrollment",
            Count,
            Events(EventType::Enrollment),
            "Enrollments (voluntary and auto)",
            "events",
        ),
        metric(
            "events_opt_out",
            Count,
            Events(EventType::OptOut),
            "Opt-outs",
            "events",
        ),
        metric(
            "events_deferral_change",
            Count,
            Events(EventType::DeferralChange),
            "Participants moving to the full-match rate",
            "events",
        ),
        metric(
            "events_deferral_escalation",
            Count,
            Events(EventType::DeferralEscalation),
            "Automatic deferral escalations",
            "events",
        ),
        metric(
            "n_end",
            Count,
            c(|c| c.n_end),
            "Active employees at Dec 31",
            "employees",
        ),
        metric(
            "eligible_end",
            Count,
            c(|c| c.totals.eligible_end),
            "Eligible actives at Dec 31",
            "employees",
        ),
        metric(
            "enrolled_end",
            Count,
            c(|c| c.totals.enrolled_end),
            "Enrolled actives at Dec 31",
            "employees",
        ),
        metric(
            "participation_rate",
            Rate,
            R(YearTotals::participation_rate),
            "Participation rate (enrolled / eligible at Dec 31)",
            "participation",
        ),
        metric(
            "avg_deferral_rate",
            Rate,
            R(YearTotals::avg_deferral_rate),
            "Average deferral rate of the enrolled",
            "deferral rate",
        ),
        metric(
            "payroll",
            Money,
            m(|t| t.payroll),
            "Payroll (prorated pay, leavers included)",
            "payroll",
        ),
        metric(
            "employee_deferrals",
            Money,
            m(|t| t.employee_deferrals),
            "Employee deferrals",
            "deferrals",
        ),
        metric(
            "employer_match",
            Money,
            m(|t| t.employer_match),
            "Employer match",
            "match",
        ),
        metric(
            "employer_core",
            Money,
            m(|t| t.employer_core),
            "Employer core contributions",
            "core",
        ),
        metric(
            "forfeitures",
            Money,
            m(|t| t.forfeitures),
            "Forfeitures",
            "forfeitures",
        ),
        metric(
            "employer_cost",
            Money,
            Source::Cents(YearTotals::employer_cost),
            "Employer cost (match + core − forfeitures)",
            "employer cost",
        ),
        metric(
            "employer_cost_pct_of_payroll",
            Rate,
            R(YearTotals::employer_cost_pct_of_payroll),
            "Employer cost as a share of payroll",
            "cost / payroll",
        ),
        metric(
            "hce_count",
            Count,
            c(|c| c.ndt.hce_count),
            "Highly compensated employees (every row of the year)",
            "HCEs",
        ),
        metric(
            "adp_hce",
            Rate,
            TestRate(|t| t.adp.hce),
            "ADP test: HCE average deferral ratio",
            "HCE ADP",
        ),
        metric(
            "adp_nhce",
            Rate,
            TestRate(|t| t.adp.nhce),
            "ADP test: NHCE average deferral ratio tested against",
            "NHCE ADP",
        ),
        metric(
            "adp_limit",
            Rate,
            TestRate(|t| t.adp.limit),
            "ADP test: the largest HCE average that passes",
            "ADP limit",
        ),
        metric(
            "adp_pass",
            Flag,
            Source::Flag(|t| t.adp.pass),
            "ADP test passed (share of seeds)",
            "ADP pass",
        ),
        metric(
            "adp_excess",
            Money,
            TestCents(|t| cents(t.adp.excess)),
            "ADP test: excess HCE deferrals to correct (step 1)",
            "ADP excess",
        ),
        metric(
            "acp_hce",
            Rate,
            TestRate(|t| t.acp.hce),
            "ACP test: HCE average match ratio",
            "HCE ACP",
        ),
        metric(
            "acp_nhce",
            Rate,
            TestRate(|t| t.acp.nhce),
            "ACP test: NHCE average match ratio tested against",
            "NHCE ACP",
        ),
        metric(
            "acp_limit",
            Rate,
            TestRate(|t| t.acp.limit),
            "ACP test: the largest HCE average that passes",
            "ACP limit",
        ),
        metric(
            "acp_pass",
            Flag,
            Source::Flag(|t| t.acp.pass),
            "ACP test passed (share of seeds)",
            "ACP pass",
        ),
        metric(
            "acp_excess",
            Money,
            TestCents(|t| cents(t.acp.excess)),
            "ACP test: excess HCE match to correct (step 1)",
            "ACP excess",
        ),
        metric(
            "coverage_ratio",
            Rate,
            TestRate(|t| t.coverage.ratio),
            "410(b) coverage of the deferral part: ratio percentage",
            "coverage ratio",
        ),
        metric(
            "coverage_pass",
            Flag,
            Source::Flag(|t| Some(t.coverage.pass)),
            "410(b) coverage passed (share of seeds)",
            "coverage pass",
        ),
        metric(
            "top_heavy_ratio",
            Rate,
            TestRate(|t| t.top_heavy.ratio),
            "Key employees' share of account balances",
            "top-heavy ratio",
        ),
        metric(
            "top_heavy",
            Flag,
            Source::Flag(|t| Some(t.top_heavy.top_heavy)),
            "Top-heavy (share of seeds)",
            "top-heavy",
        ),
        metric(
            "employee_balances",
            Money,
            m(|t| t.employee_balances),
            "Employee account balances at year end",
            "employee balances",
        ),
        metric(
            "employer_balances",
            Money,
            m(|t| t.employer_balances),
            "Employer account balances at year end",
            "employer balances",
        ),
    ]
};

/// The metrics of one year of one run, in [`METRICS`] order.
pub fn of_year(c: &YearCounts) -> [Value; METRICS.len()] {
    std::array::from_fn(|i| METRICS[i].value(c))
}

/// The metrics as CSV (`position,metric,kind,event_type`; `event_type` only for the
/// `events_<type>` counts), in table order: the dbt seed `dbt/seeds/batch_metrics.csv`, from
/// which the batch models build their columns (a test keeps the file in step).
pub fn metrics_csv() -> String {
    let mut out = String::from("position,metric,kind,event_type\n");
    for (i, m) in METRICS.iter().enumerate() {
        let kind = match m.kind {
            MetricKind::Count => "count",
            MetricKind::Money => "money",
            MetricKind::Rate => "rate",
            MetricKind::Flag => "flag",
        };
        let event_type = match m.source {
            Source::Events(t) => t.label(),
            _ => "",
        };
        out.push_str(&format!("{},{},{kind},{event_type}\n", i + 1, m.name));
    }
    out
}

/// The metric called `name`.
pub fn metric_named(name: &str) -> Option<(usize, &'static Metric)> {
    METRICS.iter().enumerate().find(|(_, m)| m.name == name)
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
    fn every_event_type_has_its_metric_and_names_are_unique() {
        use crate::event::EVENT_TYPES;
        for (t, label) in EVENT_TYPES {
            let rows: Vec<&Metric> = METRICS
                .iter()
                .filter(|m| matches!(m.source, Source::Events(e) if e == t))
                .collect();
            assert_eq!(rows.len(), 1, "{t:?} needs exactly one events_ metric");
            assert_eq!(rows[0].name, format!("events_{label}"));
        }
        for (i, a) in METRICS.iter().enumerate() {
            assert!(
                METRICS[i + 1..].iter().all(|b| b.name != a.name),
                "{}",
                a.name
            );
            let kind_fits = match a.source {
                Source::Count(_) | Source::Events(_) => a.kind == MetricKind::Count,
                Source::Flag(_) => a.kind == MetricKind::Flag,
                Source::Cents(_) | Source::TestCents(_) => a.kind == MetricKind::Money,
                Source::Rate(_) | Source::TestRate(_) => a.kind == MetricKind::Rate,
            };
            assert!(kind_fits, "{}", a.name);
        }
    }

    #[test]
    fn deltas_are_exact_for_money_and_counts() {
        assert_eq!(Value::Cents(30).minus(Value::Cents(10)), Some(0.2));
        assert_eq!(Value::Count(3).minus(Value::Count(5)), Some(-2.0));
        assert_eq!(Value::Rate(None).minus(Value::Rate(Some(0.1))), None);
    }
}
