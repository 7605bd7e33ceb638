//! The unit of the census deferral-rate column (spec §6). It is decided once per file from
//! every row, leavers included: a value alone cannot say whether `1` means 1 % or 100 %, but
//! the column as a whole usually can. Rows keep the number as written ([`Written`]) while they
//! are typed in parallel; [`Evidence`] gathers what the unit needs in the serial pass that
//! follows, and [`to_fraction`] then scales each value.

use crate::config::DeferralRateUnit;
use crate::numerics::round_bp;
use serde::{Deserialize, Serialize};

/// The unit a census file's deferral rates were read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    Fraction,
    Percent,
}

impl RateUnit {
    pub const fn name(self) -> &'static str {
        match self {
            RateUnit::Fraction => "fraction",
            RateUnit::Percent => "percent",
        }
    }
}

/// A deferral cell as written: a finite number ≥ 0, and whether it ended in `%`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Written {
    pub value: f64,
    pub percent_sign: bool,
}

impl Written {
    /// `0.07`, `7`, `7%` or `7 %` (the text comes trimmed). `None` when it is no number; range
    /// checks are the caller's.
    pub fn parse(text: &str) -> Option<Written> {
        let (number, percent_sign) = match text.strip_suffix('%') {
            Some(number) => (number.trim_end(), true),
            None => (text, false),
        };
        let value = number.parse().ok()?;
        Some(Written {
            value,
            percent_sign,
        })
    }
}

/// What the column's values say about its unit.
#[derive(Debug, Default)]
pub(super) struct Evidence {
    /// The largest value written without `%`, and the first row (0-based) holding it.
    largest: Option<(f64, usize)>,
    /// A value ended in `%`: the file is written in percent.
    percent_sign: bool,
}

impl Evidence {
    /// Adds the value of row `i` (0-based); rows come in order.
    pub fn see(&mut self, i: usize, w: Written) {
        if w.percent_sign {
            self.percent_sign = true;
            return;
        }
        match self.largest {
            Some((v, _)) if v >= w.value => {}
            _ => self.largest = Some((w.value, i)),
        }
    }

    /// The unit `setting` gives this column, or `Err(i)` when `auto` cannot tell: the largest
    /// value, first on row `i` (0-based), is exactly 1 and nothing else says percent.
    pub fn unit(&self, setting: DeferralRateUnit) -> Result<RateUnit, usize> {
        match setting {
            DeferralRateUnit::Fraction => Ok(RateUnit::Fraction),
            DeferralRateUnit::Percent => Ok(RateUnit::Percent),
            DeferralRateUnit::Auto => match self.largest {
                _ if self.percent_sign => Ok(RateUnit::Percent),
                Some((v, _)) if v > 1.0 => Ok(RateUnit::Percent),
                Some((1.0, i)) => Err(i),
                _ => Ok(RateUnit::Fraction),
            },
        }
    }
}

/// The message when `auto` cannot tell the unit.
pub(super) const AMBIGUOUS: &str = "the largest deferral rate is exactly 1: 1 % or 100 %? Set census.deferral_rate_unit to percent or fraction (e.g. `--set census.deferral_rate_unit=percent`)";

/// The value as a fraction in basis points; `Err` is the message when it is above 100 %. A
/// value ending in `%` is percent whatever the column's unit: the sign is unambiguous.
pub(super) fn to_fraction(w: Written, unit: RateUnit) -> Result<f64, &'static str> {
    let rate = if w.percent_sign || unit == RateUnit::Percent {
        w.value / 100.0
    } else {
        w.value
    };
    if rate <= 1.0 {
        return Ok(round_bp(rate));
    }
    Err(match unit {
        _ if w.percent_sign => "deferral rate above 100 %",
        RateUnit::Percent => "deferral rate above 100 % (the column is read in percent: census.deferral_rate_unit is percent, or auto and the column holds values above 1)",
        RateUnit::Fraction => "deferral rate above 1 (census.deferral_rate_unit is fraction: write 0.07 for 7 %, or set it to percent or auto)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Written {
        Written::parse(text).unwrap()
    }

    fn unit_of(values: &[&str], setting: DeferralRateUnit) -> Result<RateUnit, usize> {
        let mut e = Evidence::default();
        for (i, v) in values.iter().enumerate() {
            e.see(i, w(v));
        }
        e.unit(setting)
    }

    #[test]
    fn percent_sign_is_read_with_or_without_a_space() {
        for text in ["7%", "7 %", "7"] {
            let v = w(text);
            assert_eq!(v.value, 7.0, "{text}");
            assert_eq!(v.percent_sign, text != "7", "{text}");
        }
        assert!(Written::parse("%").is_none());
        assert!(Written::parse("7%%").is_none());
        assert!(Written::parse("seven").is_none());
    }

    #[test]
    fn auto_decides_from_the_whole_column() {
        use DeferralRateUnit::Auto;
        assert_eq!(unit_of(&["0.06", "0.1"], Auto), Ok(RateUnit::Fraction));
        assert_eq!(unit_of(&["1", "7"], Auto), Ok(RateUnit::Percent));
        assert_eq!(unit_of(&["0.5", "1%"], Auto), Ok(RateUnit::Percent));
        assert_eq!(unit_of(&[], Auto), Ok(RateUnit::Fraction));
        // The first row holding the largest value is named.
        assert_eq!(unit_of(&["0.5", "1", "1.0"], Auto), Err(1));
    }

    #[test]
    fn an_explicit_unit_wins_over_the_values() {
        assert_eq!(
            unit_of(&["1"], DeferralRateUnit::Fraction),
            Ok(RateUnit::Fraction)
        );
        assert_eq!(
            unit_of(&["0.5"], DeferralRateUnit::Percent),
            Ok(RateUnit::Percent)
        );
    }

    #[test]
    fn values_are_scaled_rounded_and_bounded() {
        assert_eq!(to_fraction(w("7"), RateUnit::Percent), Ok(0.07));
        assert_eq!(to_fraction(w("7%"), RateUnit::Fraction), Ok(0.07));
        assert_eq!(to_fraction(w("0.0612345"), RateUnit::Fraction), Ok(0.0612));
        assert_eq!(to_fraction(w("100"), RateUnit::Percent), Ok(1.0));
        assert!(to_fraction(w("7"), RateUnit::Fraction)
            .unwrap_err()
            .contains("is fraction"));
        assert!(to_fraction(w("150"), RateUnit::Percent).is_err());
        assert!(to_fraction(w("101 %"), RateUnit::Fraction).is_err());
    }
}
