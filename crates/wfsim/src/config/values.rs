//! The config's value types. Each deserializes only from a value it can hold, so a bad value is
//! rejected while parsing, with its key path, and the engines read values without re-checking.

use crate::bands::{
    AGE_BANDS, CONVERSION_TENURE_GROUPS, ENROLLMENT_AGE_GROUPS, INCOME_BANDS, OPT_OUT_AGE_GROUPS,
    TENURE_BANDS,
};
use crate::date::Date;
use crate::numerics::round_bp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::path::PathBuf;

/// One value per age band `<25 25-34 35-44 45-54 55-64 65+`.
pub type ByAgeBand<T> = [T; AGE_BANDS];
/// One value per tenure band `<2 2-4 5-9 10-19 20+`.
pub type ByTenureBand<T> = [T; TENURE_BANDS];
/// One value per income band: low, moderate, high, executive.
pub type ByIncomeBand<T> = [T; INCOME_BANDS];
/// One value per age group of the voluntary and conversion studies `<31 <46 <56 else`.
pub type ByEnrollmentAge<T> = [T; ENROLLMENT_AGE_GROUPS];
/// One value per age group of the opt-out study `<30 <45 <60 else`.
pub type ByOptOutAge<T> = [T; OPT_OUT_AGE_GROUPS];
/// One value per tenure group of the conversion study `<2 <5 else`.
pub type ByConversionTenure<T> = [T; CONVERSION_TENURE_GROUPS];

/// A finite `f64` newtype that holds only the values `ok` admits; `range` tells the user which.
macro_rules! bounded_f64 {
    ($(#[$doc:meta])* $name:ident, $range:literal, |$v:ident| $ok:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Deserialize, Serialize)]
        #[serde(try_from = "f64", into = "f64")]
        pub struct $name(f64);

        impl $name {
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl TryFrom<f64> for $name {
            type Error = String;

            fn try_from($v: f64) -> Result<Self, String> {
                if $v.is_finite() && $ok {
                    Ok($name($v))
                } else {
                    Err(format!("value {} is out of range: {}", $v, $range))
                }
            }
        }

        impl From<$name> for f64 {
            fn from(v: $name) -> f64 {
                v.0
            }
        }
    };
}

bounded_f64!(
    /// A probability or a share of people.
    Probability,
    "a probability must be in [0, 1]",
    |v| (0.0..=1.0).contains(&v)
);
bounded_f64!(
    /// A fraction that is not a probability (an increment, a spread).
    Fraction,
    "must be in [0, 1]",
    |v| (0.0..=1.0).contains(&v)
);
bounded_f64!(
    /// The share of hires who leave in their hire year: 1 would leave no hire to fill a target.
    ProbabilityBelowOne,
    "must be in [0, 1)",
    |v| (0.0..1.0).contains(&v)
);
bounded_f64!(
    /// A factor on a probability; the cap keeps products of several factors finite.
    Multiplier,
    "a multiplier must be in [0, 1000000]",
    |v| (0.0..=1e6).contains(&v)
);
bounded_f64!(
    /// Year-over-year headcount growth: -1 would empty the workforce.
    GrowthRate,
    "must be > -1 and <= 10",
    |v| v > -1.0 && v <= 10.0
);
bounded_f64!(
    /// A merit or cost-of-living raise; negative is a pay cut.
    RaiseRate,
    "must be in [-0.5, 1]",
    |v| (-0.5..=1.0).contains(&v)
);
bounded_f64!(
    /// A promotion raise or cap as a share of salary.
    PayShare,
    "must be in [0, 10]",
    |v| (0.0..=10.0).contains(&v)
);
bounded_f64!(
    /// A money amount that may be zero (a cap, a salary threshold).
    Amount,
    "must be in [0, 1000000000]",
    |v| (0.0..=1e9).contains(&v)
);
bounded_f64!(
    /// An annual salary.
    Salary,
    "a salary must be in [0.01, 1000000000]",
    |v| (0.01..=1e9).contains(&v)
);

bounded_f64!(
    /// A rate with no natural upper bound (a match tier's rate: 200 % of the first 1 % is a
    /// real design).
    NonNegative,
    "must be a finite number >= 0",
    |v| v >= 0.0
);
bounded_f64!(
    /// A sensitivity: any finite number (its sign says the direction).
    Finite,
    "must be a finite number",
    |v| v.is_finite()
);
bounded_f64!(
    /// An annual investment return on account balances: a loss of half or a gain of half at
    /// most in one year.
    AnnualReturn,
    "must be in [-0.5, 0.5]",
    |v| (-0.5..=0.5).contains(&v)
);
bounded_f64!(
    /// A rate that must be positive (the excess rate of an integrated core).
    PositiveFraction,
    "must be in (0, 1]",
    |v| v > 0.0 && v <= 1.0
);
bounded_f64!(
    /// A published IRS limit.
    PositiveAmount,
    "must be > 0 and <= 1000000000",
    |v| v > 0.0 && v <= 1e9
);

/// An entry of a table keyed by a whole-number threshold (`min_years`, `min_age`).
pub trait Step {
    /// The threshold's key name, for messages.
    const KEY: &'static str;
    fn threshold(&self) -> i32;
}

/// A threshold table: thresholds start at 0 and strictly increase, so every value from 0 up
/// has exactly one entry (the one with the largest threshold not above it).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(try_from = "Vec<E>", into = "Vec<E>")]
#[serde(bound(
    deserialize = "E: Deserialize<'de> + Step",
    serialize = "E: Serialize + Clone"
))]
pub struct Steps<E>(Vec<E>);

impl<E: Step> TryFrom<Vec<E>> for Steps<E> {
    type Error = String;

    fn try_from(entries: Vec<E>) -> Result<Self, String> {
        let thresholds: Vec<String> = entries.iter().map(|e| e.threshold().to_string()).collect();
        let increasing = entries
            .windows(2)
            .all(|w| w[0].threshold() < w[1].threshold());
        if entries.first().map(Step::threshold) != Some(0) {
            Err(format!(
                "{} thresholds must start at 0, found [{}]",
                E::KEY,
                thresholds.join(", ")
            ))
        } else if !increasing {
            Err(format!(
                "{} thresholds must strictly increase, found [{}]",
                E::KEY,
                thresholds.join(", ")
            ))
        } else {
            Ok(Steps(entries))
        }
    }
}

impl<E> From<Steps<E>> for Vec<E> {
    fn from(s: Steps<E>) -> Vec<E> {
        s.0
    }
}

impl<E: Step> Steps<E> {
    /// The entry with the largest threshold not above `x` (the first entry below 0).
    pub fn at(&self, x: i32) -> &E {
        let i = self.0.partition_point(|e| e.threshold() <= x);
        &self.0[i.saturating_sub(1)]
    }

    pub fn entries(&self) -> &[E] {
        &self.0
    }
}

/// A deferral rate, rounded to basis points when read (spec §3: every rate that is read).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Deserialize, Serialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct DeferralRate(f64);

impl DeferralRate {
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for DeferralRate {
    type Error = String;

    fn try_from(v: f64) -> Result<Self, String> {
        let rounded = round_bp(v);
        if (0.0..=1.0).contains(&rounded) {
            Ok(DeferralRate(rounded))
        } else {
            Err(format!(
                "value {v} is out of range: a deferral rate must be in [0, 1]"
            ))
        }
    }
}

impl From<DeferralRate> for f64 {
    fn from(v: DeferralRate) -> f64 {
        v.0
    }
}

/// Builds a value of the defaults, which are within range by construction (the defaults test
/// would fail otherwise).
pub(super) fn lit<S, T: TryFrom<S, Error = String>>(v: S) -> T {
    T::try_from(v).expect("a default is within its range")
}

/// Reads an `f64` field through a checked value type, for fields that stay plain `f64`.
pub(super) fn checked<'de, T, D>(d: D) -> Result<f64, D::Error>
where
    T: Deserialize<'de> + Into<f64>,
    D: Deserializer<'de>,
{
    T::deserialize(d).map(Into::into)
}

/// An integer in `LO..=HI` (days, years, ages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IntIn<const LO: i32, const HI: i32>(i32);

impl<const LO: i32, const HI: i32> IntIn<LO, HI> {
    pub fn get(self) -> i32 {
        self.0
    }
}

impl<const LO: i32, const HI: i32> TryFrom<i32> for IntIn<LO, HI> {
    type Error = String;

    fn try_from(v: i32) -> Result<Self, String> {
        if (LO..=HI).contains(&v) {
            Ok(IntIn(v))
        } else {
            Err(format!("value {v} is out of range: must be in {LO}..={HI}"))
        }
    }
}

impl<'de, const LO: i32, const HI: i32> Deserialize<'de> for IntIn<LO, HI> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IntIn::try_from(i32::deserialize(d)?).map_err(D::Error::custom)
    }
}

impl<const LO: i32, const HI: i32> Serialize for IntIn<LO, HI> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(self.0)
    }
}

/// A month and day that exists in every year (`MM-DD`; Feb 29 is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        // 2023 is a common year: Feb 29 fails here.
        Date::from_ymd(2023, month, day).map(|_| MonthDay { month, day })
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn day(self) -> u32 {
        self.day
    }

    pub fn in_year(self, year: i32) -> Date {
        Date::from_ymd(year, self.month, self.day).expect("a MonthDay exists in every year")
    }
}

impl TryFrom<String> for MonthDay {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.trim()
            .split_once('-')
            .filter(|(m, d)| m.len() == 2 && d.len() == 2)
            .and_then(|(m, d)| MonthDay::new(m.parse().ok()?, d.parse().ok()?))
            .ok_or_else(|| {
                format!("value {text:?} is not a valid MM-DD date (Feb 29 is not allowed)")
            })
    }
}

impl From<MonthDay> for String {
    fn from(md: MonthDay) -> String {
        md.to_string()
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse_iso(&text).ok_or_else(|| {
            D::Error::custom(format!("value {text:?} is not a valid YYYY-MM-DD date"))
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Paths are written as text even when they are not UTF-8 (the summary must always be written).
pub(super) fn lossy_path<S: Serializer>(path: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match path {
        Some(p) => s.collect_str(&p.display()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_values_reject_out_of_range_and_non_finite() {
        assert!(Probability::try_from(1.0).is_ok());
        for bad in [-0.01, 1.01, f64::NAN, f64::INFINITY] {
            assert!(Probability::try_from(bad).is_err(), "{bad}");
        }
        assert!(ProbabilityBelowOne::try_from(1.0).is_err());
        assert!(GrowthRate::try_from(-1.0).is_err());
        assert!(Multiplier::try_from(-0.5)
            .unwrap_err()
            .contains("value -0.5 is out of range"));
    }

    #[test]
    fn deferral_rates_round_to_basis_points_before_the_range_check() {
        assert_eq!(DeferralRate::try_from(0.061_26).unwrap().get(), 0.0613);
        assert_eq!(DeferralRate::try_from(1.000_04).unwrap().get(), 1.0);
        assert!(DeferralRate::try_from(1.000_06).is_err());
        assert!(DeferralRate::try_from(f64::NAN).is_err());
    }

    #[test]
    fn month_day_parses_and_prints_mm_dd() {
        let md = MonthDay::try_from("07-15".to_string()).unwrap();
        assert_eq!((md.month(), md.day()), (7, 15));
        assert_eq!(md.to_string(), "07-15");
        for bad in ["02-29", "13-01", "7-15", "07/15", ""] {
            assert!(MonthDay::try_from(bad.to_string()).is_err(), "{bad}");
        }
    }

    #[test]
    fn int_in_keeps_its_bounds() {
        assert!(IntIn::<1, 366>::try_from(1).is_ok());
        assert!(IntIn::<1, 366>::try_from(0)
            .unwrap_err()
            .contains("must be in 1..=366"));
    }
}
