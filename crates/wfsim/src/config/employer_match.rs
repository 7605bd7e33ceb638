//! `employer_match`: the match formula (spec §4.11), as tiers of the deferral rate, optionally
//! graded by service or by points (age + service).

use super::values::{Fraction, NonNegative, Step, Steps};
use super::Checker;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The match on the part of the deferral rate in `[from, to)`, at `rate` per unit deferred.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(try_from = "RawTier", into = "RawTier")]
pub struct Tier {
    from: f64,
    to: f64,
    rate: f64,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    from: Fraction,
    to: Fraction,
    rate: NonNegative,
}

impl TryFrom<RawTier> for Tier {
    type Error = String;

    fn try_from(t: RawTier) -> Result<Self, String> {
        let (from, to) = (t.from.get(), t.to.get());
        if from < to {
            Ok(Tier {
                from,
                to,
                rate: t.rate.get(),
            })
        } else {
            Err(format!("a tier needs from < to, found from {from} to {to}"))
        }
    }
}

impl From<Tier> for RawTier {
    fn from(t: Tier) -> RawTier {
        let fraction = |v: f64| Fraction::try_from(v).expect("checked when read");
        RawTier {
            from: fraction(t.from),
            to: fraction(t.to),
            rate: NonNegative::try_from(t.rate).expect("checked when read"),
        }
    }
}

impl Tier {
    pub fn from(&self) -> f64 {
        self.from
    }

    pub fn to(&self) -> f64 {
        self.to
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }
}

/// A tier set: tiers that do not overlap, kept in the order listed (the order of the fold).
/// An empty set matches nothing.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(try_from = "Vec<Tier>", into = "Vec<Tier>")]
pub struct Tiers(Vec<Tier>);

impl TryFrom<Vec<Tier>> for Tiers {
    type Error = String;

    fn try_from(tiers: Vec<Tier>) -> Result<Self, String> {
        let mut sorted = tiers.clone();
        sorted.sort_by(|a, b| a.from.total_cmp(&b.from));
        if let Some(w) = sorted.windows(2).find(|w| w[1].from < w[0].to) {
            return Err(format!(
                "tiers overlap: [{}, {}) and [{}, {})",
                w[0].from, w[0].to, w[1].from, w[1].to
            ));
        }
        Ok(Tiers(tiers))
    }
}

impl From<Tiers> for Vec<Tier> {
    fn from(t: Tiers) -> Vec<Tier> {
        t.0
    }
}

impl Tiers {
    pub fn new(tiers: Vec<Tier>) -> Result<Tiers, String> {
        Tiers::try_from(tiers)
    }

    /// Each tier's rate, in listed order.
    pub fn rates(&self) -> impl Iterator<Item = f64> + '_ {
        self.0.iter().map(|t| t.rate)
    }

    /// The formula in words: `100 % of 3 % + 50 % of the next 2 %`; `nothing` when no tier pays.
    pub fn describe(&self) -> String {
        let pct = super::plan::pct;
        let paying: Vec<&Tier> = self.0.iter().filter(|t| t.rate > 0.0).collect();
        if paying.is_empty() {
            return "nothing".into();
        }
        let mut parts = Vec::new();
        let mut end = 0.0;
        for t in paying {
            let width = pct(t.to - t.from);
            parts.push(if t.from == end && end > 0.0 {
                format!("{} of the next {width}", pct(t.rate))
            } else if t.from == 0.0 {
                format!("{} of {width}", pct(t.rate))
            } else {
                format!("{} of {}–{}", pct(t.rate), pct(t.from), pct(t.to))
            });
            end = t.to;
        }
        parts.join(" + ")
    }

    pub fn tiers(&self) -> &[Tier] {
        &self.0
    }

    /// The full-match rate: the largest `to` among tiers with a positive rate, 0 without one
    /// (spec §4.8 step 5).
    pub fn full_match_rate(&self) -> f64 {
        self.0
            .iter()
            .filter(|t| t.rate > 0.0)
            .map(|t| t.to)
            .fold(0.0, f64::max)
    }

    /// `mshare(x)`: the match as a share of pay for deferral rate `x`, folded over the tiers in
    /// listed order from 0.0.
    pub fn share(&self, x: f64) -> f64 {
        let mut acc = 0.0;
        for t in &self.0 {
            acc += t.rate * (x - t.from).max(0.0).min(t.to - t.from);
        }
        acc
    }
}

/// One entry of `by_service`: the tier set from `min_years` of service on.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceTiers {
    pub min_years: i32,
    pub tiers: Tiers,
}

impl Step for ServiceTiers {
    const KEY: &'static str = "min_years";

    fn threshold(&self) -> i32 {
        self.min_years
    }
}

/// One entry of `by_points`: the tier set from `min_points` (age + tenure at Jan 1) on.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PointsTiers {
    pub min_points: i32,
    pub tiers: Tiers,
}

impl Step for PointsTiers {
    const KEY: &'static str = "min_points";

    fn threshold(&self) -> i32 {
        self.min_points
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EmployerMatch {
    pub tiers: Tiers,
    /// Replaces `tiers`: the entry with the largest `min_years` not above the tenure at Jan 1.
    pub by_service: Option<Steps<ServiceTiers>>,
    /// Replaces `tiers`: the entry with the largest `min_points` not above age + tenure at
    /// Jan 1.
    pub by_points: Option<Steps<PointsTiers>>,
    /// A year-end match on the year's deferrals, when the per-period match paid less.
    pub true_up: bool,
    /// No match for an employee terminated in the year.
    pub last_day_rule: bool,
}

impl Default for EmployerMatch {
    fn default() -> Self {
        let tier = |from, to, rate| Tier { from, to, rate };
        EmployerMatch {
            tiers: Tiers(vec![tier(0.0, 0.03, 1.0), tier(0.03, 0.05, 0.5)]),
            by_service: None,
            by_points: None,
            true_up: false,
            last_day_rule: false,
        }
    }
}

impl EmployerMatch {
    /// The tier set for `tenure` and `points` (age + tenure) at Jan 1; this year's hires count
    /// as tenure 0 in both.
    pub fn tiers_for(&self, tenure: i32, points: i32) -> &Tiers {
        match (&self.by_service, &self.by_points) {
            (Some(steps), _) => &steps.at(tenure).tiers,
            (None, Some(steps)) => &steps.at(points).tiers,
            (None, None) => &self.tiers,
        }
    }

    /// At most one way to give the match: `tiers` (when they differ from the default),
    /// `by_service`, `by_points`.
    pub(super) fn check(&self, c: &Checker) -> Result<()> {
        let ways = [
            self.tiers != EmployerMatch::default().tiers,
            self.by_service.is_some(),
            self.by_points.is_some(),
        ];
        if ways.iter().filter(|&&w| w).count() > 1 {
            return Err(c.fail(
                "employer_match",
                "set at most one of tiers (other than the default), by_service and by_points"
                    .into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn mshare_folds_the_tiers_in_order() {
        let m = parse_str("").unwrap().employer_match;
        let t = m.tiers_for(0, 0);
        assert_eq!(t.share(0.0), 0.0);
        assert_eq!(t.share(0.02), 0.02);
        assert_eq!(t.share(0.04), 0.03 + 0.5 * (0.04 - 0.03));
        assert_eq!(t.share(0.10), 0.03 + 0.5 * (0.05 - 0.03));
    }

    #[test]
    fn by_service_picks_the_largest_threshold_not_above_tenure() {
        let c = parse_str(
            "employer_match:\n  by_service:\n    - {min_years: 0, tiers: [{from: 0, to: 0.04, rate: 0.5}]}\n    - {min_years: 5, tiers: [{from: 0, to: 0.06, rate: 1.0}]}\n",
        )
        .unwrap();
        let m = &c.employer_match;
        assert_eq!(m.tiers_for(0, 90).share(0.10), 0.5 * 0.04);
        assert_eq!(m.tiers_for(4, 90).share(0.10), 0.5 * 0.04);
        assert_eq!(m.tiers_for(5, 0).share(0.10), 0.06);
        assert_eq!(m.tiers_for(30, 0).share(0.10), 0.06);
    }

    #[test]
    fn by_points_picks_the_largest_threshold_not_above_age_plus_service() {
        let c = parse_str(
            "employer_match:\n  by_points:\n    - {min_points: 0, tiers: [{from: 0, to: 0.03, rate: 0.5}]}\n    - {min_points: 60, tiers: [{from: 0, to: 0.06, rate: 1.0}]}\n",
        )
        .unwrap();
        let m = &c.employer_match;
        assert_eq!(m.tiers_for(40, 59).share(0.10), 0.5 * 0.03);
        assert_eq!(m.tiers_for(0, 60).share(0.10), 0.06);
        assert_eq!(m.tiers_for(0, 99).share(0.10), 0.06);
    }

    #[test]
    fn one_match_formula_at_a_time() {
        let e = invalid("employer_match:\n  by_service: [{min_years: 0, tiers: []}]\n  by_points: [{min_points: 0, tiers: []}]\n");
        assert!(
            e.contains("key `employer_match`") && e.contains("at most one"),
            "{e}"
        );
        let e = invalid("employer_match:\n  tiers: [{from: 0, to: 0.06, rate: 1}]\n  by_points: [{min_points: 0, tiers: []}]\n");
        assert!(e.contains("at most one"), "{e}");
        let e = invalid("employer_match:\n  by_points: [{min_points: 10, tiers: []}]\n");
        assert!(
            e.contains("employer_match.by_points")
                && e.contains("min_points thresholds must start at 0"),
            "{e}"
        );
        // the default tiers beside a table are the default, not a second formula
        parse_str("employer_match:\n  tiers: [{from: 0.00, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.05, rate: 0.5}]\n  by_points: [{min_points: 0, tiers: []}]\n")
            .and_then(|c| super::super::validate(c, "t"))
            .unwrap();
    }

    #[test]
    fn bad_tiers_name_their_key_path() {
        let e = invalid("employer_match:\n  tiers: [{from: 0, to: 0.04, rate: 1}, {from: 0.03, to: 0.06, rate: 0.5}]\n");
        assert!(
            e.contains("key `employer_match.tiers`") && e.contains("tiers overlap"),
            "{e}"
        );
        let e = invalid("employer_match:\n  tiers: [{from: 0.05, to: 0.03, rate: 1}]\n");
        assert!(
            e.contains("employer_match.tiers") && e.contains("from < to"),
            "{e}"
        );
        let e = invalid("employer_match:\n  tiers: [{from: 0, to: 0.03, rate: -1}]\n");
        assert!(
            e.contains("employer_match.tiers") && e.contains("-1"),
            "{e}"
        );
        let e = invalid("employer_match:\n  tiers: [{from: 0, to: 1.5, rate: 1}]\n");
        assert!(e.contains("employer_match.tiers"), "{e}");
        let e = invalid("employer_match:\n  by_service: [{min_years: 1, tiers: []}]\n");
        assert!(
            e.contains("employer_match.by_service") && e.contains("start at 0"),
            "{e}"
        );
        let e = invalid("employer_match:\n  by_service: [{min_years: 0, tiers: []}, {min_years: 0, tiers: []}]\n");
        assert!(e.contains("strictly increase"), "{e}");
    }

    #[test]
    fn a_high_tier_rate_and_no_tiers_are_designs() {
        let c = parse_str("employer_match:\n  tiers: [{from: 0, to: 0.01, rate: 2.0}]\n").unwrap();
        assert_eq!(c.employer_match.tiers.share(0.05), 0.02);
        let c = parse_str("employer_match:\n  tiers: []\n").unwrap();
        assert_eq!(c.employer_match.tiers.share(0.05), 0.0);
    }
}
