//! `accounts`: the investment return credited to every account once a year (spec §4.12).

use super::values::{lit, AnnualReturn};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Accounts {
    /// The return on the opening balance of each account, in [-0.5, 0.5]; 0 leaves balances
    /// as they are.
    pub annual_return: AnnualReturn,
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts {
            annual_return: lit(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn the_return_is_bounded() {
        let a = parse_str("accounts:\n  annual_return: -0.2\n")
            .unwrap()
            .accounts;
        assert_eq!(a.annual_return.get(), -0.2);
        let e = invalid("accounts:\n  annual_return: 0.6\n");
        assert!(
            e.contains("key `accounts.annual_return`") && e.contains("[-0.5, 0.5]"),
            "{e}"
        );
    }
}
