//! `census`: how the census file is read. Kept out of the model's sections: it describes the
//! file, not the workforce, so scenarios do not vary it.

use serde::{Deserialize, Serialize};

/// The unit of the census `deferral_rate` column (spec §6). A census coded in percent is
/// common, and a `1` in it means 1 %, not 100 %: the unit is decided once per file, never per
/// value.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeferralRateUnit {
    /// Percent when any value is above 1 (or carries a `%`), an error when the largest value is
    /// exactly 1, else fraction.
    #[default]
    Auto,
    Fraction,
    Percent,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CensusInput {
    pub deferral_rate_unit: DeferralRateUnit,
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};
    use super::DeferralRateUnit;

    #[test]
    fn unit_is_one_of_three_words() {
        let c = parse_str("census:\n  deferral_rate_unit: percent\n").unwrap();
        assert_eq!(c.census.deferral_rate_unit, DeferralRateUnit::Percent);
        let e = invalid("census:\n  deferral_rate_unit: percents\n");
        assert!(
            e.contains("key `census.deferral_rate_unit`") && e.contains("unknown variant"),
            "{e}"
        );
    }
}
