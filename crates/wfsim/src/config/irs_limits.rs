//! `irs_limits`: the published IRS limits by year and how later years are projected (spec
//! §4.13).

use super::values::{lit, Fraction, PositiveAmount};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A plan year as a map key: an integer in YAML, a string in JSON (the resolved config).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LimitYear(pub i32);

impl<'de> Deserialize<'de> for LimitYear {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Key {
            Int(i64),
            Text(String),
        }
        let year = match Key::deserialize(d)? {
            Key::Int(y) => Some(y),
            Key::Text(t) => t.trim().parse().ok(),
        };
        match year {
            Some(y) if (1900..=2200).contains(&y) => Ok(LimitYear(y as i32)),
            _ => Err(D::Error::custom(
                "a published year must be a year in 1900..=2200",
            )),
        }
    }
}

impl Serialize for LimitYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(self.0)
    }
}

/// One year's limits, all five required.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitRow {
    /// 402(g)
    pub elective_deferral: PositiveAmount,
    /// age 50+
    pub catch_up: PositiveAmount,
    /// ages 60–63 (SECURE 2.0)
    pub catch_up_60_63: PositiveAmount,
    /// 401(a)(17)
    pub compensation: PositiveAmount,
    /// 415(c)
    pub annual_additions: PositiveAmount,
}

/// The published years, at least one.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(
    try_from = "BTreeMap<LimitYear, LimitRow>",
    into = "BTreeMap<LimitYear, LimitRow>"
)]
pub struct Published(BTreeMap<LimitYear, LimitRow>);

impl TryFrom<BTreeMap<LimitYear, LimitRow>> for Published {
    type Error = String;

    fn try_from(m: BTreeMap<LimitYear, LimitRow>) -> Result<Self, String> {
        if m.is_empty() {
            Err("at least one published year is needed to project the others from".into())
        } else {
            Ok(Published(m))
        }
    }
}

impl From<Published> for BTreeMap<LimitYear, LimitRow> {
    fn from(p: Published) -> Self {
        p.0
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IrsLimits {
    pub published: Published,
    pub growth_rate: Fraction,
    /// The SECURE 2.0 higher catch-up for ages 60–63.
    pub catch_up_60_63: bool,
}

impl Default for IrsLimits {
    fn default() -> Self {
        let row = |a: f64, b: f64, c: f64, d: f64, e: f64| LimitRow {
            elective_deferral: lit(a),
            catch_up: lit(b),
            catch_up_60_63: lit(c),
            compensation: lit(d),
            annual_additions: lit(e),
        };
        IrsLimits {
            published: Published(BTreeMap::from([
                (
                    LimitYear(2025),
                    row(23_500.0, 7_500.0, 11_250.0, 350_000.0, 70_000.0),
                ),
                (
                    LimitYear(2026),
                    row(24_500.0, 8_000.0, 11_250.0, 360_000.0, 72_000.0),
                ),
            ])),
            growth_rate: lit(0.025),
            catch_up_60_63: true,
        }
    }
}

/// The limits in force in one year, in dollars.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub elective_deferral: f64,
    pub catch_up: f64,
    pub catch_up_60_63: f64,
    pub compensation: f64,
    pub annual_additions: f64,
}

impl IrsLimits {
    /// Year N's own row; after the first row, a missing year projects the latest row B before
    /// it: `x = x * (1 + growth_rate)` N - B times, then down to the limit's step; before the
    /// first row, the first row.
    pub fn for_year(&self, year: i32) -> Limits {
        let rows = &self.published.0;
        let (basis, row) = rows
            .range(..=LimitYear(year))
            .next_back()
            .or_else(|| rows.iter().next())
            .expect("at least one published year");
        let times = (year - basis.0).max(0);
        let factor = 1.0 + self.growth_rate.get();
        let project = |amount: PositiveAmount, step: f64| {
            let mut x = amount.get();
            for _ in 0..times {
                x *= factor;
            }
            if times == 0 {
                x
            } else {
                (x / step).floor() * step
            }
        };
        Limits {
            elective_deferral: project(row.elective_deferral, 500.0),
            catch_up: project(row.catch_up, 500.0),
            catch_up_60_63: project(row.catch_up_60_63, 500.0),
            compensation: project(row.compensation, 5_000.0),
            annual_additions: project(row.annual_additions, 1_000.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn published_years_are_used_and_later_years_projected() {
        let l = parse_str("").unwrap().irs_limits;
        assert_eq!(l.for_year(2025).elective_deferral, 23_500.0);
        assert_eq!(l.for_year(2026).compensation, 360_000.0);
        // before the first row: the first row
        assert_eq!(l.for_year(2020).annual_additions, 70_000.0);
        // 24,500 * 1.025 = 25,112.5 -> 25,000; 360,000 * 1.025 = 369,000 -> 365,000
        let y = l.for_year(2027);
        assert_eq!(y.elective_deferral, 25_000.0);
        assert_eq!(y.compensation, 365_000.0);
        assert_eq!(y.annual_additions, 73_000.0);
        // 2030: four compounding steps from 2026
        let mut x: f64 = 24_500.0;
        for _ in 0..4 {
            x *= 1.025;
        }
        assert_eq!(
            l.for_year(2030).elective_deferral,
            (x / 500.0).floor() * 500.0
        );
    }

    #[test]
    fn bad_limits_name_their_key() {
        let e = invalid("irs_limits:\n  published:\n    2025: {elective_deferral: 0, catch_up: 7500, catch_up_60_63: 11250, compensation: 350000, annual_additions: 70000}\n");
        assert!(
            e.contains("irs_limits.published") && e.contains("value 0 is out of range"),
            "{e}"
        );
        let e = invalid("irs_limits:\n  published:\n    2025: {elective_deferral: 23500}\n");
        assert!(
            e.contains("irs_limits.published") && e.contains("missing field"),
            "{e}"
        );
        let e = invalid("irs_limits:\n  published: {}\n");
        assert!(
            e.contains("irs_limits.published") && e.contains("at least one"),
            "{e}"
        );
        let e = invalid("irs_limits:\n  growth_rate: 1.5\n");
        assert!(e.contains("irs_limits.growth_rate"), "{e}");
        let e = invalid("irs_limits:\n  published:\n    soon: {elective_deferral: 1, catch_up: 1, catch_up_60_63: 1, compensation: 1, annual_additions: 1}\n");
        assert!(e.contains("irs_limits.published"), "{e}");
    }
}
