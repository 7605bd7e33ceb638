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

/// One year's limits, all eight required.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
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
    /// 414(q)(1)(B): the HCE pay threshold of that calendar year
    pub hce_compensation: PositiveAmount,
    /// 416(i)(1)(A)(i): the key-officer pay threshold
    pub key_officer_compensation: PositiveAmount,
    /// The Social Security taxable wage base (the integration level of §4.11)
    pub ss_wage_base: PositiveAmount,
}

/// A row as written: every limit optional, so that a row written for spec v1.3 (five limits)
/// gets a message naming its year and the limits it lacks instead of serde's first
/// `missing field`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimitRow {
    elective_deferral: Option<PositiveAmount>,
    catch_up: Option<PositiveAmount>,
    catch_up_60_63: Option<PositiveAmount>,
    compensation: Option<PositiveAmount>,
    annual_additions: Option<PositiveAmount>,
    hce_compensation: Option<PositiveAmount>,
    key_officer_compensation: Option<PositiveAmount>,
    ss_wage_base: Option<PositiveAmount>,
}

impl RawLimitRow {
    fn complete(self, year: LimitYear) -> Result<LimitRow, String> {
        let r = self;
        let missing: Vec<&str> = [
            ("elective_deferral", r.elective_deferral.is_none()),
            ("catch_up", r.catch_up.is_none()),
            ("catch_up_60_63", r.catch_up_60_63.is_none()),
            ("compensation", r.compensation.is_none()),
            ("annual_additions", r.annual_additions.is_none()),
            ("hce_compensation", r.hce_compensation.is_none()),
            (
                "key_officer_compensation",
                r.key_officer_compensation.is_none(),
            ),
            ("ss_wage_base", r.ss_wage_base.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        match r {
            RawLimitRow {
                elective_deferral: Some(elective_deferral),
                catch_up: Some(catch_up),
                catch_up_60_63: Some(catch_up_60_63),
                compensation: Some(compensation),
                annual_additions: Some(annual_additions),
                hce_compensation: Some(hce_compensation),
                key_officer_compensation: Some(key_officer_compensation),
                ss_wage_base: Some(ss_wage_base),
            } => Ok(LimitRow {
                elective_deferral,
                catch_up,
                catch_up_60_63,
                compensation,
                annual_additions,
                hce_compensation,
                key_officer_compensation,
                ss_wage_base,
            }),
            _ => Err(format!(
                "the row of {} lacks {}: every published row needs all eight limits \
                 (elective_deferral, catch_up, catch_up_60_63, compensation, annual_additions, \
                 hce_compensation, key_officer_compensation, ss_wage_base; the last three are \
                 new in spec v1.4)",
                year.0,
                missing.join(", ")
            )),
        }
    }
}

/// The published years, at least one.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(
    try_from = "BTreeMap<LimitYear, RawLimitRow>",
    into = "BTreeMap<LimitYear, LimitRow>"
)]
pub struct Published(BTreeMap<LimitYear, LimitRow>);

impl TryFrom<BTreeMap<LimitYear, RawLimitRow>> for Published {
    type Error = String;

    fn try_from(m: BTreeMap<LimitYear, RawLimitRow>) -> Result<Self, String> {
        if m.is_empty() {
            return Err("at least one published year is needed to project the others from".into());
        }
        m.into_iter()
            .map(|(year, raw)| raw.complete(year).map(|row| (year, row)))
            .collect::<Result<_, _>>()
            .map(Published)
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
        let row = |[a, b, c, d, e, f, g, h]: [f64; 8]| LimitRow {
            elective_deferral: lit(a),
            catch_up: lit(b),
            catch_up_60_63: lit(c),
            compensation: lit(d),
            annual_additions: lit(e),
            hce_compensation: lit(f),
            key_officer_compensation: lit(g),
            ss_wage_base: lit(h),
        };
        IrsLimits {
            published: Published(BTreeMap::from([
                (
                    LimitYear(2024),
                    row([
                        23_000.0, 7_500.0, 7_500.0, 345_000.0, 69_000.0, 155_000.0, 220_000.0,
                        168_600.0,
                    ]),
                ),
                (
                    LimitYear(2025),
                    row([
                        23_500.0, 7_500.0, 11_250.0, 350_000.0, 70_000.0, 160_000.0, 230_000.0,
                        176_100.0,
                    ]),
                ),
                (
                    LimitYear(2026),
                    row([
                        24_500.0, 8_000.0, 11_250.0, 360_000.0, 72_000.0, 160_000.0, 235_000.0,
                        184_500.0,
                    ]),
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
    pub hce_compensation: f64,
    pub key_officer_compensation: f64,
    pub ss_wage_base: f64,
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
            hce_compensation: project(row.hce_compensation, 5_000.0),
            key_officer_compensation: project(row.key_officer_compensation, 5_000.0),
            ss_wage_base: project(row.ss_wage_base, 300.0),
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
        assert_eq!(l.for_year(2020).annual_additions, 69_000.0);
        assert_eq!(l.for_year(2024).ss_wage_base, 168_600.0);
        assert_eq!(l.for_year(2025).hce_compensation, 160_000.0);
        // 24,500 * 1.025 = 25,112.5 -> 25,000; 360,000 * 1.025 = 369,000 -> 365,000
        let y = l.for_year(2027);
        assert_eq!(y.elective_deferral, 25_000.0);
        assert_eq!(y.compensation, 365_000.0);
        assert_eq!(y.annual_additions, 73_000.0);
        // 160,000 * 1.025 = 164,000 -> 160,000; 235,000 * 1.025 = 240,875 -> 240,000;
        // 184,500 * 1.025 = 189,112.5 -> 189,000 (steps of 5,000, 5,000, 300)
        assert_eq!(y.hce_compensation, 160_000.0);
        assert_eq!(y.key_officer_compensation, 240_000.0);
        assert_eq!(y.ss_wage_base, 189_000.0);
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
        let e = invalid("irs_limits:\n  published:\n    2025: {elective_deferral: 0, catch_up: 7500, catch_up_60_63: 11250, compensation: 350000, annual_additions: 70000, hce_compensation: 160000, key_officer_compensation: 230000, ss_wage_base: 176100}\n");
        assert!(
            e.contains("irs_limits.published") && e.contains("value 0 is out of range"),
            "{e}"
        );
        // a v1.3 row: five limits
        let e = invalid("irs_limits:\n  published:\n    2024: {elective_deferral: 23000, catch_up: 7500, catch_up_60_63: 7500, compensation: 345000, annual_additions: 69000, hce_compensation: 155000, key_officer_compensation: 220000, ss_wage_base: 168600}\n    2025: {elective_deferral: 23500, catch_up: 7500, catch_up_60_63: 11250, compensation: 350000, annual_additions: 70000}\n");
        assert!(
            e.contains("irs_limits.published")
                && e.contains("the row of 2025 lacks hce_compensation, key_officer_compensation, ss_wage_base"),
            "{e}"
        );
        let e = invalid("irs_limits:\n  published: {}\n");
        assert!(
            e.contains("irs_limits.published") && e.contains("at least one"),
            "{e}"
        );
        let e = invalid("irs_limits:\n  growth_rate: 1.5\n");
        assert!(e.contains("irs_limits.growth_rate"), "{e}");
        let e = invalid("irs_limits:\n  published:\n    soon: {elective_deferral: 1, catch_up: 1, catch_up_60_63: 1, compensation: 1, annual_additions: 1, hce_compensation: 1, key_officer_compensation: 1, ss_wage_base: 1}\n");
        assert!(e.contains("irs_limits.published"), "{e}");
    }
}
