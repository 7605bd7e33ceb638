//! `enrollment`: auto-enrollment and opt-out, voluntary enrollment, and year-over-year conversion.

use super::values::{
    lit, ByConversionTenure, ByEnrollmentAge, ByIncomeBand, ByOptOutAge, DeferralRate, Finite,
    IntIn, Multiplier, Probability,
};
use super::Checker;
use crate::date::Date;
use crate::error::Result;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Enrollment {
    pub auto_enrollment: AutoEnrollment,
    pub voluntary: Voluntary,
    pub conversion: Conversion,
    pub match_response: MatchResponse,
}

/// The "match magnet" (spec §4.8 step 5): a share of voluntary enrollees who would choose a
/// rate below the full-match rate choose the full-match rate instead.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MatchResponse {
    pub probability: Probability,
    /// Step 6: the share of the census's participants below the full-match rate who move to it
    /// on Jan 1 of the first year, the design being new then.
    pub existing_participants: Probability,
}

impl Default for MatchResponse {
    fn default() -> Self {
        MatchResponse {
            probability: lit(0.0),
            existing_participants: lit(0.0),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AutoEnrollmentScope {
    NewHiresOnly,
    AllEligible,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AutoEnrollment {
    pub enabled: bool,
    pub scope: AutoEnrollmentScope,
    /// Default Jan 1 of `start_year` ([`super::Model::hire_date_cutoff`]).
    pub hire_date_cutoff: Option<Date>,
    pub window_days: IntIn<0, 366>,
    pub default_deferral_rate: DeferralRate,
    pub opt_out_grace_period_days: IntIn<1, 366>,
    pub opt_out_rates: ByOptOutAge<ByIncomeBand<Probability>>,
    /// Relative change of the opt-out probability per percentage point of default rate above
    /// `opt_out_reference_rate` (spec §4.8 step 3); 0 = the default rate does not move opt-outs.
    pub opt_out_default_sensitivity: Finite,
    pub opt_out_reference_rate: DeferralRate,
}

impl Default for AutoEnrollment {
    fn default() -> Self {
        AutoEnrollment {
            enabled: true,
            scope: AutoEnrollmentScope::NewHiresOnly,
            hire_date_cutoff: None,
            window_days: lit(45),
            default_deferral_rate: lit(0.06),
            opt_out_grace_period_days: lit(30),
            opt_out_rates: [
                [0.2106, 0.1620, 0.1296, 0.0810],
                [0.1287, 0.0990, 0.0792, 0.0495],
                [0.0819, 0.0630, 0.0504, 0.0315],
                [0.0468, 0.0360, 0.0288, 0.0180],
            ]
            .map(|row| row.map(lit)),
            opt_out_default_sensitivity: lit(0.0),
            opt_out_reference_rate: lit(0.06),
        }
    }
}

impl AutoEnrollment {
    pub(super) fn hire_date_cutoff(&self, start_year: i32) -> Date {
        self.hire_date_cutoff
            .unwrap_or_else(|| Date::jan1(start_year))
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Voluntary {
    pub voluntary_enrollment_rate: Multiplier,
    pub base_by_age: ByEnrollmentAge<Probability>,
    pub income_multipliers: ByIncomeBand<Multiplier>,
    /// By level.
    pub level_multipliers: Vec<Multiplier>,
    pub deferral_rates: ByEnrollmentAge<ByIncomeBand<DeferralRate>>,
    pub min_rate: DeferralRate,
    pub max_rate: DeferralRate,
}

impl Default for Voluntary {
    fn default() -> Self {
        Voluntary {
            voluntary_enrollment_rate: lit(1.0),
            base_by_age: [0.30, 0.55, 0.70, 0.80].map(lit),
            income_multipliers: [0.70, 1.00, 1.15, 1.25].map(lit),
            level_multipliers: [0.90, 0.90, 1.00, 1.00, 1.10].map(lit).to_vec(),
            deferral_rates: [
                [0.03, 0.03, 0.04, 0.06],
                [0.04, 0.06, 0.08, 0.10],
                [0.05, 0.08, 0.10, 0.12],
                [0.06, 0.10, 0.12, 0.15],
            ]
            .map(|row| row.map(lit)),
            min_rate: lit(0.01),
            max_rate: lit(0.10),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Conversion {
    pub base_by_age: ByEnrollmentAge<Probability>,
    pub income_multipliers: ByIncomeBand<Multiplier>,
    pub tenure_multipliers: ByConversionTenure<Multiplier>,
    pub deferral_rate_by_age: ByEnrollmentAge<DeferralRate>,
}

impl Default for Conversion {
    fn default() -> Self {
        Conversion {
            base_by_age: [0.03, 0.05, 0.07, 0.08].map(lit),
            income_multipliers: [0.8, 1.0, 1.2, 1.3].map(lit),
            tenure_multipliers: [0.7, 1.0, 1.1].map(lit),
            deferral_rate_by_age: [0.03, 0.04, 0.05, 0.06].map(lit),
        }
    }
}

impl Enrollment {
    /// The behavioural assumptions in force, in words (spec §4.8 steps 3 and 5): a reader who
    /// sees the same participation under two defaults must be able to tell why.
    pub fn behaviour(&self) -> String {
        let ae = &self.auto_enrollment;
        let sens = ae.opt_out_default_sensitivity.get();
        let opt_out = if sens == 0.0 {
            "opt-outs do not depend on the default rate (opt_out_default_sensitivity 0)".to_string()
        } else {
            format!(
                "opt-outs change by {:+}% per point of default rate above {}% (opt_out_default_sensitivity {sens})",
                sens * 100.0,
                ae.opt_out_reference_rate.get() * 100.0
            )
        };
        let q = self.match_response.probability.get();
        let magnet = if q == 0.0 {
            "no match response (match_response.probability 0)".to_string()
        } else {
            format!(
                "{}% of voluntary enrollees below the full-match rate defer it (match_response.probability {q})",
                q * 100.0
            )
        };
        let q_e = self.match_response.existing_participants.get();
        let existing = if q_e == 0.0 {
            String::new()
        } else {
            format!(
                "; {}% of the census's participants below the full-match rate move to it on Jan 1 of the first year (match_response.existing_participants {q_e})",
                q_e * 100.0
            )
        };
        format!("{opt_out}; {magnet}{existing}")
    }

    pub(super) fn check(&self, c: &Checker, levels: usize) -> Result<()> {
        let v = &self.voluntary;
        c.per_level(
            "enrollment.voluntary.level_multipliers",
            &v.level_multipliers,
            levels,
        )?;
        if v.max_rate < v.min_rate {
            return Err(c.fail(
                "enrollment.voluntary.max_rate",
                format!(
                    "value {} is out of range: must be in [min_rate {}, 1]",
                    v.max_rate.get(),
                    v.min_rate.get()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn table_cells_name_their_row_and_column() {
        let e = invalid(
            "enrollment:\n  auto_enrollment:\n    opt_out_rates: \
             [[0, 0, 0, 0], [0, 0, 0, 0], [0, 1.2, 0, 0], [0, 0, 0, 0]]\n",
        );
        assert!(
            e.contains("enrollment.auto_enrollment.opt_out_rates[2][1]") && e.contains("1.2"),
            "{e}"
        );
        let e = invalid("enrollment:\n  voluntary:\n    deferral_rates: [[0.1, 0.1, 0.1, 0.1]]\n");
        assert!(e.contains("enrollment.voluntary.deferral_rates"), "{e}");
    }

    #[test]
    fn behaviour_says_which_responses_are_on() {
        let c = parse_str("").unwrap();
        assert_eq!(
            c.enrollment.behaviour(),
            "opt-outs do not depend on the default rate (opt_out_default_sensitivity 0); no match response (match_response.probability 0)"
        );
        let c = parse_str(
            "enrollment:\n  auto_enrollment: {opt_out_default_sensitivity: 0.05}\n  match_response: {probability: 0.5}\n",
        )
        .unwrap();
        let b = c.enrollment.behaviour();
        assert!(b.contains("+5% per point of default rate above 6%"), "{b}");
        assert!(b.contains("50% of voluntary enrollees"), "{b}");
    }

    #[test]
    fn unknown_enum_value_names_its_path() {
        let e = invalid("enrollment:\n  auto_enrollment:\n    scope: everyone\n");
        assert!(
            e.contains("enrollment.auto_enrollment.scope") && e.contains("everyone"),
            "{e}"
        );
    }

    #[test]
    fn deferral_rates_are_rounded_to_basis_points_when_read() {
        let c = parse_str(
            "enrollment:\n  auto_enrollment:\n    default_deferral_rate: 0.061234\n  \
             conversion:\n    deferral_rate_by_age: [0.03333, 0.04, 0.05, 0.06]\n",
        )
        .unwrap();
        assert_eq!(
            c.enrollment.auto_enrollment.default_deferral_rate.get(),
            0.0612
        );
        assert_eq!(
            c.enrollment.conversion.deferral_rate_by_age[0].get(),
            0.0333
        );
    }

    #[test]
    fn voluntary_max_rate_is_at_least_min_rate() {
        let e = invalid("enrollment:\n  voluntary:\n    min_rate: 0.2\n    max_rate: 0.1\n");
        assert!(
            e.contains("enrollment.voluntary.max_rate") && e.contains("value 0.1 is out of range"),
            "{e}"
        );
    }
}
