//! `employer_core`: the non-elective contribution (spec §4.11): a flat rate of eligible pay,
//! or a rate graded by service, by age or by points (age + service), optionally integrated with
//! Social Security (permitted disparity, 401(l)).

use super::values::{checked, lit, Fraction, PositiveFraction, Step, Steps};
use super::{Checker, IrsLimits};
use crate::error::Result;
use crate::numerics::round_cents;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServiceRate {
    pub min_years: i32,
    #[serde(deserialize_with = "checked::<Fraction, _>")]
    pub rate: f64,
}

impl Step for ServiceRate {
    const KEY: &'static str = "min_years";

    fn threshold(&self) -> i32 {
        self.min_years
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgeRate {
    pub min_age: i32,
    #[serde(deserialize_with = "checked::<Fraction, _>")]
    pub rate: f64,
}

impl Step for AgeRate {
    const KEY: &'static str = "min_age";

    fn threshold(&self) -> i32 {
        self.min_age
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PointsRate {
    pub min_points: i32,
    #[serde(deserialize_with = "checked::<Fraction, _>")]
    pub rate: f64,
}

impl Step for PointsRate {
    const KEY: &'static str = "min_points";

    fn threshold(&self) -> i32 {
        self.min_points
    }
}

/// The integration level of a Social-Security-integrated core: pay above it earns the excess
/// rate on top of the base rate. Written `wage_base`, `{fraction: f}` or `{amount: a}` (read by
/// hand: the YAML reader wants `!tags` for enums).
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationLevel {
    /// The year's Social Security taxable wage base.
    WageBase,
    /// A fraction of the year's wage base, rounded to cents.
    Fraction(f64),
    /// A fixed dollar amount.
    Amount(f64),
}

const LEVEL_FORMS: &str =
    "expected wage_base, {fraction: f} (a share of the wage base) or {amount: a} (dollars)";

impl<'de> Deserialize<'de> for IntegrationLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Level;
        impl<'de> serde::de::Visitor<'de> for Level {
            type Value = IntegrationLevel;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(LEVEL_FORMS)
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntegrationLevel, E> {
                match v {
                    "wage_base" => Ok(IntegrationLevel::WageBase),
                    _ => Err(E::custom(format!("unknown level `{v}`: {LEVEL_FORMS}"))),
                }
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<IntegrationLevel, A::Error> {
                use serde::de::Error;
                let one = |key: &str, value: f64| match key {
                    "fraction" => Ok(IntegrationLevel::Fraction(value)),
                    "amount" => Ok(IntegrationLevel::Amount(value)),
                    _ => Err(A::Error::custom(format!(
                        "unknown level `{key}`: {LEVEL_FORMS}"
                    ))),
                };
                let level = match map.next_entry::<String, f64>()? {
                    Some((key, value)) => one(&key, value)?,
                    None => return Err(A::Error::custom(format!("an empty level: {LEVEL_FORMS}"))),
                };
                if map.next_key::<String>()?.is_some() {
                    return Err(A::Error::custom(format!("give one level: {LEVEL_FORMS}")));
                }
                Ok(level)
            }
        }
        d.deserialize_any(Level)
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// The extra rate on pay above the integration level.
    pub excess_rate: PositiveFraction,
    pub level: IntegrationLevel,
}

impl Integration {
    /// The integration level `IL` of a year whose wage base is `wage_base`.
    pub fn level_for(&self, wage_base: f64) -> f64 {
        match self.level {
            IntegrationLevel::WageBase => wage_base,
            IntegrationLevel::Fraction(f) => round_cents(wage_base * f),
            IntegrationLevel::Amount(a) => a,
        }
    }

    /// The 401(l) maximum excess rate for a level that is `f` of the wage base, or why `f` is
    /// not a level.
    fn max_excess_rate(f: f64) -> Result<f64, String> {
        if !(f > 0.0 && f < 1.0) {
            Err(format!(
                "an integration level must be more than 0 and less than the wage base, found {f} of it"
            ))
        } else if f <= 0.2 {
            Ok(0.057)
        } else if f <= 0.8 {
            Ok(0.043)
        } else {
            Ok(0.054)
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EmployerCore {
    pub rate: Fraction,
    /// By tenure at Jan 1 (this year's hires: 0).
    pub by_service: Option<Steps<ServiceRate>>,
    /// By age at Jan 1.
    pub by_age: Option<Steps<AgeRate>>,
    /// By points: age + tenure at Jan 1 (this year's hires: tenure 0).
    pub by_points: Option<Steps<PointsRate>>,
    /// Permitted disparity: an extra rate on pay above an integration level.
    pub integration: Option<Integration>,
    /// No core contribution for an employee terminated in the year.
    pub last_day_rule: bool,
}

impl Default for EmployerCore {
    fn default() -> Self {
        EmployerCore {
            rate: lit(0.0),
            by_service: None,
            by_age: None,
            by_points: None,
            integration: None,
            last_day_rule: false,
        }
    }
}

impl EmployerCore {
    /// The core rate for tenure, age and points (age + tenure) at Jan 1.
    pub fn rate_for(&self, tenure: i32, age: i32, points: i32) -> f64 {
        if let Some(s) = &self.by_service {
            s.at(tenure).rate
        } else if let Some(a) = &self.by_age {
            a.at(age).rate
        } else if let Some(p) = &self.by_points {
            p.at(points).rate
        } else {
            self.rate.get()
        }
    }

    /// The smallest base rate the design can give: the flat rate, or the smallest table entry.
    fn smallest_rate(&self) -> f64 {
        let service = self
            .by_service
            .iter()
            .flat_map(|s| s.entries().iter().map(|e| e.rate));
        let age = self
            .by_age
            .iter()
            .flat_map(|s| s.entries().iter().map(|e| e.rate));
        let points = self
            .by_points
            .iter()
            .flat_map(|s| s.entries().iter().map(|e| e.rate));
        service
            .chain(age)
            .chain(points)
            .reduce(f64::min)
            .unwrap_or(self.rate.get())
    }

    pub(super) fn check(&self, c: &Checker, limits: &IrsLimits, start_year: i32) -> Result<()> {
        let ways = [
            self.rate.get() != 0.0,
            self.by_service.is_some(),
            self.by_age.is_some(),
            self.by_points.is_some(),
        ];
        if ways.iter().filter(|&&w| w).count() > 1 {
            return Err(c.fail(
                "employer_core",
                "set at most one of rate (other than 0), by_service, by_age and by_points".into(),
            ));
        }
        if let Some(i) = &self.integration {
            let excess = i.excess_rate.get();
            let wage_base = limits.for_year(start_year).ss_wage_base;
            // the level as a share of the wage base (the wage base itself: 5.7 %)
            let f = match i.level {
                IntegrationLevel::WageBase => None,
                IntegrationLevel::Fraction(f) => Some(f),
                IntegrationLevel::Amount(a) => Some(a / wage_base),
            };
            let max = f
                .map_or(Ok(0.057), Integration::max_excess_rate)
                .map_err(|m| c.fail("employer_core.integration.level", m))?;
            let f = f.unwrap_or(1.0);
            if excess > max {
                let level = match i.level {
                    IntegrationLevel::WageBase => "at the wage base".to_string(),
                    IntegrationLevel::Fraction(f) => format!("at {f} of the wage base"),
                    IntegrationLevel::Amount(a) => {
                        format!("at {a} ({f:.4} of the {start_year} wage base of {wage_base})")
                    }
                };
                return Err(c.fail(
                    "employer_core.integration.excess_rate",
                    format!(
                        "{excess} is above the 401(l) maximum of {max} for a level {level} \
                         (0.057 up to 20 % of the wage base or at it, 0.043 above 20 % up to \
                         80 %, 0.054 above 80 %)"
                    ),
                ));
            }
            let smallest = self.smallest_rate();
            if excess > smallest {
                return Err(c.fail(
                    "employer_core.integration.excess_rate",
                    format!(
                        "{excess} is above the smallest base core rate of the design, \
                         {smallest}: 401(l) lets the excess rate be at most the base rate \
                         (set employer_core.rate or a table)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn graded_rates_pick_their_step() {
        let c = parse_str(
            "employer_core:\n  by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.04}]\n",
        )
        .unwrap()
        .employer_core;
        assert_eq!(c.rate_for(10, 49, 0), 0.02);
        assert_eq!(c.rate_for(0, 50, 0), 0.04);
        let c = parse_str("employer_core:\n  by_service: [{min_years: 0, rate: 0.01}, {min_years: 3, rate: 0.03}]\n")
            .unwrap()
            .employer_core;
        assert_eq!(c.rate_for(2, 60, 0), 0.01);
        assert_eq!(c.rate_for(3, 20, 0), 0.03);
        assert_eq!(
            parse_str("").unwrap().employer_core.rate_for(5, 40, 45),
            0.0
        );
        // 2 % under 50 points, 4 % under 70, 6 % from 70: the band edges
        let c = parse_str("employer_core:\n  by_points: [{min_points: 0, rate: 0.02}, {min_points: 50, rate: 0.04}, {min_points: 70, rate: 0.06}]\n")
            .unwrap()
            .employer_core;
        assert_eq!(c.rate_for(0, 0, 49), 0.02);
        assert_eq!(c.rate_for(0, 0, 50), 0.04);
        assert_eq!(c.rate_for(0, 0, 69), 0.04);
        assert_eq!(c.rate_for(0, 0, 70), 0.06);
    }

    #[test]
    fn integration_levels_and_their_401l_caps() {
        use super::{Integration, IntegrationLevel};
        let c = parse_str(
            "employer_core:\n  rate: 0.03\n  integration: {excess_rate: 0.03, level: wage_base}\n",
        )
        .unwrap()
        .employer_core;
        let i = c.integration.unwrap();
        assert_eq!(i.level, IntegrationLevel::WageBase);
        assert_eq!(i.level_for(176_100.0), 176_100.0);
        let c = parse_str("employer_core:\n  rate: 0.05\n  integration: {excess_rate: 0.043, level: {fraction: 0.8}}\n")
            .unwrap()
            .employer_core;
        // 80 % of 176,100 = 140,880
        assert_eq!(c.integration.unwrap().level_for(176_100.0), 140_880.0);
        let i: Integration =
            serde_norway::from_str("{excess_rate: 0.03, level: {amount: 50000}}").unwrap();
        assert_eq!(i.level_for(176_100.0), 50_000.0);
        // the resolved config (JSON) reads back
        let json = serde_json::to_string(&i).unwrap();
        assert_eq!(serde_json::from_str::<Integration>(&json).unwrap(), i);
    }

    #[test]
    fn integration_is_checked_against_401l_and_the_base_rate() {
        // at the wage base: 5.7 % at most
        let e = invalid(
            "employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.06, level: wage_base}\n",
        );
        assert!(
            e.contains("employer_core.integration.excess_rate") && e.contains("maximum of 0.057"),
            "{e}"
        );
        // 80 % of the wage base: 4.3 %; above 80 %: 5.4 %
        let e = invalid("employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.05, level: {fraction: 0.8}}\n");
        assert!(e.contains("maximum of 0.043"), "{e}");
        parse_str("employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.054, level: {fraction: 0.81}}\n")
            .and_then(|c| super::super::validate(c, "t"))
            .unwrap();
        // an amount is a fraction of the start year's wage base: 150,000 / 176,100 = 0.85
        let e = invalid("employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.055, level: {amount: 150000}}\n");
        assert!(
            e.contains("maximum of 0.054") && e.contains("150000"),
            "{e}"
        );
        let e = invalid("employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.03, level: {fraction: 1.0}}\n");
        assert!(
            e.contains("employer_core.integration.level") && e.contains("less than the wage base"),
            "{e}"
        );
        let e = invalid("employer_core:\n  rate: 0.08\n  integration: {excess_rate: 0.03, level: {amount: 0}}\n");
        assert!(e.contains("employer_core.integration.level"), "{e}");
        // the excess rate may not exceed the smallest base rate
        let e = invalid("employer_core:\n  by_points: [{min_points: 0, rate: 0.02}, {min_points: 50, rate: 0.06}]\n  integration: {excess_rate: 0.03, level: wage_base}\n");
        assert!(
            e.contains("employer_core.integration.excess_rate")
                && e.contains("smallest base core rate"),
            "{e}"
        );
        let e = invalid("employer_core:\n  integration: {excess_rate: 0.03, level: wage_base}\n");
        assert!(
            e.contains("smallest base core rate of the design, 0"),
            "{e}"
        );
        let e = invalid(
            "employer_core:\n  rate: 0.03\n  integration: {excess_rate: 0, level: wage_base}\n",
        );
        assert!(e.contains("employer_core.integration.excess_rate"), "{e}");
        let e = invalid("employer_core:\n  rate: 0.03\n  integration: {level: wage_base}\n");
        assert!(
            e.contains("employer_core.integration") && e.contains("excess_rate"),
            "{e}"
        );
        let e = invalid(
            "employer_core:\n  rate: 0.03\n  integration: {excess_rate: 0.03, level: table_base}\n",
        );
        assert!(
            e.contains("employer_core.integration.level")
                && e.contains("unknown level `table_base`"),
            "{e}"
        );
        let e = invalid("employer_core:\n  rate: 0.03\n  integration: {excess_rate: 0.03, level: {fraction: 0.5, amount: 9}}\n");
        assert!(e.contains("give one level"), "{e}");
        let e = invalid("employer_core:\n  rate: 0.03\n  integration: {excess_rate: 0.03, level: {share: 0.5}}\n");
        assert!(e.contains("unknown level `share`"), "{e}");
    }

    #[test]
    fn one_way_at_a_time_and_rates_in_range() {
        let e = invalid("employer_core:\n  rate: 0.03\n  by_age: [{min_age: 0, rate: 0.02}]\n");
        assert!(
            e.contains("key `employer_core`") && e.contains("at most one"),
            "{e}"
        );
        let e = invalid("employer_core:\n  rate: -0.01\n");
        assert!(
            e.contains("employer_core.rate") && e.contains("-0.01"),
            "{e}"
        );
        let e = invalid("employer_core:\n  by_service: [{min_years: 0, rate: 1.5}]\n");
        assert!(e.contains("employer_core.by_service"), "{e}");
        let e =
            invalid("employer_core:\n  rate: 0.03\n  by_points: [{min_points: 0, rate: 0.02}]\n");
        assert!(e.contains("at most one"), "{e}");
        let e = invalid("employer_core:\n  by_age: [{min_age: 21, rate: 0.02}]\n");
        assert!(e.contains("min_age thresholds must start at 0"), "{e}");
    }
}
