//! The nondiscrimination tests of one simulated year (spec §9), from its snapshot rows,
//! whichever engine wrote them: HCE and key-employee counts, the ADP and ACP tests with the
//! IRS step-1 excess, the 410(b) ratio percentage test of the deferral part, and the top-heavy
//! ratio.
//!
//! A year is tallied in parts (the engine's chunks, in any order) into a [`Tally`] of integer
//! sums and the HCEs' ratios; [`Tally::finish`] turns it into the year's [`Results`] with the
//! NHCE averages of the year before, which the prior-year method tests against.

use crate::config::{Ndt as Rules, TestingMethod};
use crate::date::Date;
use crate::event::SnapshotRow;
use crate::numerics::round_half_away;
use crate::totals::{cents, dollars};
use serde::{Deserialize, Serialize};

/// The simplifications of spec §9, in one line, for every place that shows the results.
pub const SIMPLIFICATIONS: &str = "Tests as modelled: no top-paid-group election, no 318 \
    attribution beyond ownership_pct, no hours-based exclusions, no permissive disaggregation, \
    no correction allocated to individual HCEs (step 2), coverage of the deferral part only, \
    balances without the 5-year distribution look-back.";

/// One HCE of the ADP/ACP population: what the step-1 excess needs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Hce {
    /// The testing pay `tc`.
    pay: f64,
    /// The ADP and ACP amounts `d` (deferrals without catch-ups; the match).
    amounts: [f64; 2],
    /// The ratios in hundredths of a percent.
    ratios: [i64; 2],
}

/// The integer sums of one test's population.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Sums {
    n_hce: i64,
    n_nhce: i64,
    s_hce: i64,
    s_nhce: i64,
}

/// The additive part of a year's tests: sums over rows, and the HCEs of the ADP/ACP population
/// (a few per hundred employees) for the excess.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    hce_count: i64,
    key_count: i64,
    /// ADP, ACP.
    sums: [Sums; 2],
    hces: Vec<Hce>,
    /// Non-excludable HCEs and NHCEs, and those benefiting.
    n_h: i64,
    n_n: i64,
    b_h: i64,
    b_n: i64,
    /// Top-heavy: balances of key employees and of everyone, in cents.
    key_cents: i64,
    all_cents: i64,
}

impl Tally {
    /// Adds the rows of snapshot `year` (any part of it).
    pub fn add_rows(&mut self, year: i32, rows: &[SnapshotRow]) {
        let dec31 = Date::dec31(year);
        for r in rows {
            self.add(dec31, r);
        }
    }

    fn add(&mut self, dec31: Date, r: &SnapshotRow) {
        let m = &r.money;
        self.hce_count += i64::from(r.is_hce);
        self.key_count += i64::from(r.is_key_employee);
        let balance = cents(m.employee_balance) + cents(m.employer_balance);
        self.all_cents += balance;
        if r.is_key_employee {
            self.key_cents += balance;
        }
        let tc = m.testing_pay;
        let tested = r.eligibility_date.is_some_and(|d| d <= dec31) && tc > 0.0;
        if r.age >= 21 && r.tenure >= 1 {
            let benefiting = i64::from(tested);
            if r.is_hce {
                self.n_h += 1;
                self.b_h += benefiting;
            } else {
                self.n_n += 1;
                self.b_n += benefiting;
            }
        }
        if !tested {
            return;
        }
        let amounts = [m.employee_deferral - m.catch_up_deferral, m.employer_match];
        let ratios = amounts.map(|d| round_half_away((d * 10_000.0) / tc) as i64);
        for (s, ratio) in self.sums.iter_mut().zip(ratios) {
            if r.is_hce {
                s.n_hce += 1;
                s.s_hce += ratio;
            } else {
                s.n_nhce += 1;
                s.s_nhce += ratio;
            }
        }
        if r.is_hce {
            self.hces.push(Hce {
                pay: tc,
                amounts,
                ratios,
            });
        }
    }

    /// Adds another part of the same year.
    pub fn merge(&mut self, other: Tally) {
        self.hce_count += other.hce_count;
        self.key_count += other.key_count;
        for (s, o) in self.sums.iter_mut().zip(other.sums) {
            s.n_hce += o.n_hce;
            s.n_nhce += o.n_nhce;
            s.s_hce += o.s_hce;
            s.s_nhce += o.s_nhce;
        }
        self.hces.extend(other.hces);
        self.n_h += other.n_h;
        self.n_n += other.n_n;
        self.b_h += other.b_h;
        self.b_n += other.b_n;
        self.key_cents += other.key_cents;
        self.all_cents += other.all_cents;
    }

    /// The year's results. `prior` is the year before's NHCE averages (`None` in the first
    /// simulated year).
    pub fn finish(self, rules: &Rules, prior: Option<NhceAverages>) -> Results {
        let first_year = [
            rules.first_year_nhce_adp.get(),
            rules.first_year_nhce_acp.get(),
        ]
        .map(|f| Some(round_half_away(f * 10_000.0) as i64));
        let safe = [
            rules.safe_harbor.covers_adp(),
            rules.safe_harbor.covers_acp(),
        ];
        let [adp, acp] = std::array::from_fn(|t| {
            let s = self.sums[t];
            let nhce_avg = avg(s.s_nhce, s.n_nhce);
            let b = match rules.testing_method {
                TestingMethod::Current => nhce_avg,
                TestingMethod::Prior => match prior {
                    Some(p) => p.0[t],
                    None => first_year[t],
                },
            };
            self.test(t, b, safe[t], nhce_avg)
        });
        let coverage = Coverage {
            n_hce: self.n_h,
            n_nhce: self.n_n,
            benefiting_hce: self.b_h,
            benefiting_nhce: self.b_n,
            ratio: (self.n_n > 0 && self.n_h > 0 && self.b_h > 0)
                .then(|| (self.b_n as f64 / self.n_n as f64) / (self.b_h as f64 / self.n_h as f64)),
            pass: 100 * self.b_n * self.n_h >= 70 * self.n_n * self.b_h,
        };
        let ratio = (self.all_cents != 0).then(|| self.key_cents as f64 / self.all_cents as f64);
        Results {
            hce_count: self.hce_count,
            key_count: self.key_count,
            adp,
            acp,
            coverage,
            top_heavy: TopHeavy {
                ratio,
                top_heavy: ratio.is_some_and(|r| r > 0.6),
            },
        }
    }

    /// Test `t` (0 ADP, 1 ACP) against the NHCE average `b`.
    fn test(&self, t: usize, b: Option<i64>, safe_harbor: bool, nhce_avg: Option<i64>) -> Test {
        let s = self.sums[t];
        let h = avg(s.s_hce, s.n_hce);
        let passed = match (h, b) {
            (Some(h), Some(b)) => Some(pass(h, b)),
            _ => None,
        };
        let excess_cents = match (passed, b) {
            (Some(false), Some(b)) if !safe_harbor => self.excess_cents(t, b),
            _ => 0,
        };
        Test {
            n_hce: s.n_hce,
            n_nhce: s.n_nhce,
            hce: h.map(|h| h as f64 / 10_000.0),
            nhce: b.map(|b| b as f64 / 10_000.0),
            limit: b.map(limit),
            pass: if safe_harbor { Some(true) } else { passed },
            excess: dollars(excess_cents),
            safe_harbor,
            nhce_avg,
        }
    }

    /// The IRS step-1 total: the largest whole L (hundredths of a percent) at which the HCE
    /// ratios capped at L pass, then what each HCE's amount exceeds `L * tc` by.
    fn excess_cents(&self, t: usize, b: i64) -> i64 {
        let n = self.hces.len() as i64;
        let capped = |l: i64| avg(self.hces.iter().map(|h| h.ratios[t].min(l)).sum(), n);
        let passes = |l: i64| capped(l).is_none_or(|h| pass(h, b));
        // pass(0, b) holds for b >= 0; the uncapped average fails, so L < the largest ratio.
        let (mut lo, mut hi) = (0, self.hces.iter().map(|h| h.ratios[t]).max().unwrap_or(0));
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2;
            if passes(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let l = lo as f64;
        self.hces
            .iter()
            .map(|h| cents((h.amounts[t] - (l * h.pay) / 10_000.0).max(0.0)))
            .sum()
    }
}

/// `round_half_away(S / n)` in DOUBLE; `None` for an empty group.
fn avg(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| round_half_away(sum as f64 / n as f64) as i64)
}

/// The ADP/ACP rule on averages in hundredths of a percent: 1.25 times the NHCEs, or two
/// times and at most two points more.
fn pass(h: i64, b: i64) -> bool {
    100 * h <= 125 * b || h <= (2 * b).min(b + 200)
}

/// The largest HCE average that passes, as a fraction.
fn limit(b: i64) -> f64 {
    (1.25 * b as f64).max((2 * b).min(b + 200) as f64) / 10_000.0
}

/// The year's NHCE ADP and ACP averages (hundredths of a percent), which the next year's
/// prior-year method tests against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NhceAverages(pub [Option<i64>; 2]);

/// One ADP or ACP test (spec §9 `ndt.adp` / `ndt.acp`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Test {
    pub n_hce: i64,
    pub n_nhce: i64,
    /// The HCE and NHCE averages as fractions; null for an empty group.
    pub hce: Option<f64>,
    pub nhce: Option<f64>,
    pub limit: Option<f64>,
    /// Null when the test does not apply (no HCE, or no NHCE average to test against).
    pub pass: Option<bool>,
    /// Dollars a failed test must correct (step 1); 0 when it passes or does not apply.
    pub excess: f64,
    pub safe_harbor: bool,
    /// This year's own NHCE average (hundredths of a percent), for next year's prior method.
    #[serde(skip)]
    nhce_avg: Option<i64>,
}

/// The 410(b) ratio percentage test of the deferral part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub n_hce: i64,
    pub n_nhce: i64,
    pub benefiting_hce: i64,
    pub benefiting_nhce: i64,
    pub ratio: Option<f64>,
    pub pass: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TopHeavy {
    /// Key employees' share of all balances; null when there are none.
    pub ratio: Option<f64>,
    pub top_heavy: bool,
}

/// A year's test results, as `ndt` in `generation_summary.json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Every row of the year, leavers included.
    pub hce_count: i64,
    pub key_count: i64,
    pub adp: Test,
    pub acp: Test,
    pub coverage: Coverage,
    pub top_heavy: TopHeavy,
}

impl Results {
    /// The NHCE averages next year's prior-year method tests against.
    pub fn nhce_averages(&self) -> NhceAverages {
        NhceAverages([self.adp.nhce_avg, self.acp.nhce_avg])
    }
}

#[cfg(test)]
mod tests;
