//! `deferral_auto_escalation`: the yearly deferral increase up to a cap.

use super::values::{lit, DeferralRate, Fraction, IntIn, MonthDay};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EscalationScope {
    AutoEnrolled,
    All,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Escalation {
    pub enabled: bool,
    pub increment_amount: Fraction,
    pub maximum_rate: DeferralRate,
    pub first_escalation_delay_years: IntIn<0, 100>,
    pub applies_to: EscalationScope,
    pub escalation_date: MonthDay,
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation {
            enabled: true,
            increment_amount: lit(0.01),
            maximum_rate: lit(0.10),
            first_escalation_delay_years: lit(1),
            applies_to: EscalationScope::All,
            escalation_date: MonthDay::new(1, 1).expect("a valid month-day"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn cap_is_rounded_to_basis_points_and_checked() {
        let c = parse_str("deferral_auto_escalation:\n  maximum_rate: 0.123456\n").unwrap();
        assert_eq!(c.deferral_auto_escalation.maximum_rate.get(), 0.1235);
        assert!(invalid("deferral_auto_escalation:\n  maximum_rate: 1.5\n")
            .contains("deferral_auto_escalation.maximum_rate"));
        let e = invalid("deferral_auto_escalation:\n  applies_to: some\n");
        assert!(e.contains("unknown variant `some`"), "{e}");
    }
}
