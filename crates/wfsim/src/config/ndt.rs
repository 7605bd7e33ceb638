//! `ndt`: how the nondiscrimination tests of every simulated year are run (spec §9).

use super::values::{lit, Fraction};
use serde::{Deserialize, Serialize};

/// Which NHCE average the HCE average is tested against.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TestingMethod {
    /// The NHCEs of the same year.
    Current,
    /// The NHCEs of the year before (the first simulated year uses `first_year_nhce_*`).
    Prior,
}

/// A safe-harbor design deems the ADP test (and with `adp_acp` the ACP test) passed.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SafeHarbor {
    None,
    Adp,
    AdpAcp,
}

impl SafeHarbor {
    pub fn covers_adp(self) -> bool {
        self != SafeHarbor::None
    }

    pub fn covers_acp(self) -> bool {
        self == SafeHarbor::AdpAcp
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Ndt {
    pub testing_method: TestingMethod,
    pub safe_harbor: SafeHarbor,
    /// The NHCE deferral average assumed for the year before the first simulated year under
    /// the prior-year method (the 3 % of a plan's first year).
    pub first_year_nhce_adp: Fraction,
    pub first_year_nhce_acp: Fraction,
}

impl Default for Ndt {
    fn default() -> Self {
        Ndt {
            testing_method: TestingMethod::Current,
            safe_harbor: SafeHarbor::None,
            first_year_nhce_adp: lit(0.03),
            first_year_nhce_acp: lit(0.03),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};
    use super::*;

    #[test]
    fn methods_and_safe_harbors_parse_by_name() {
        let n = parse_str(
            "ndt:\n  testing_method: prior\n  safe_harbor: adp_acp\n  first_year_nhce_adp: 0.05\n",
        )
        .unwrap()
        .ndt;
        assert_eq!(n.testing_method, TestingMethod::Prior);
        assert_eq!(n.safe_harbor, SafeHarbor::AdpAcp);
        assert_eq!(n.first_year_nhce_adp.get(), 0.05);
        assert_eq!(n.first_year_nhce_acp.get(), 0.03);
        let e = invalid("ndt:\n  safe_harbor: acp\n");
        assert!(e.contains("ndt.safe_harbor"), "{e}");
        let e = invalid("ndt:\n  first_year_nhce_acp: 1.5\n");
        assert!(
            e.contains("ndt.first_year_nhce_acp") && e.contains("[0, 1]"),
            "{e}"
        );
    }
}
