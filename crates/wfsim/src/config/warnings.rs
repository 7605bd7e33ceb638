//! Values that are valid but implausible: a match tier `rate: 100` (meant 100 %) or a growth
//! rate of 3 (meant 3 %) run without complaint and give absurd results. Each is a warning
//! naming its key path; `--strict` makes them errors. Thresholds are far outside what plan
//! designs and workforce studies use, so a warning is worth reading.

use super::Config;

/// One implausible value: its key path and why it looks wrong.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Warning {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "key `{}`: {}", self.key, self.message)
    }
}

/// A match tier paying more than 200 % of what is deferred in it.
const MATCH_RATE: f64 = 2.0;
/// A core contribution above 25 % of pay (the 404 deduction limit of the whole plan).
const CORE_RATE: f64 = 0.25;
const GROWTH: f64 = 0.5;
const TERMINATION: f64 = 0.5;
const RAISE: f64 = 0.25;
const DEFAULT_DEFERRAL: f64 = 0.15;

/// The implausible values of `c`, in key order of the config file.
pub fn of(c: &Config) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut warn = |key: String, message: String| out.push(Warning { key, message });

    let growth = c.simulation.target_growth_rate.get();
    if !(-GROWTH..=GROWTH).contains(&growth) {
        warn(
            "simulation.target_growth_rate".into(),
            format!(
                "{growth} changes the headcount by {:.0} % a year; a rate is a fraction (3 % is 0.03)",
                growth * 100.0
            ),
        );
    }
    for (key, rate) in [
        (
            "workforce.total_termination_rate",
            c.workforce.total_termination_rate.get(),
        ),
        (
            "workforce.new_hire_termination_rate",
            c.workforce.new_hire_termination_rate.get(),
        ),
    ] {
        if rate > TERMINATION {
            warn(
                key.into(),
                format!("{rate}: more than half of the employees leave each year"),
            );
        }
    }
    let cola = c.compensation.cola_rate.get();
    if cola > RAISE {
        warn(
            "compensation.cola_rate".into(),
            format!(
                "{cola}: a cost-of-living raise above {:.0} %",
                RAISE * 100.0
            ),
        );
    }
    for (i, m) in c.compensation.merit_rate_by_level.iter().enumerate() {
        if m.get() > RAISE {
            warn(
                format!("compensation.merit_rate_by_level[{i}]"),
                format!("{}: a merit raise above {:.0} %", m.get(), RAISE * 100.0),
            );
        }
    }
    let ae = &c.enrollment.auto_enrollment;
    if ae.enabled && ae.default_deferral_rate.get() > DEFAULT_DEFERRAL {
        warn(
            "enrollment.auto_enrollment.default_deferral_rate".into(),
            format!(
                "{}: a default above {:.0} % of pay",
                ae.default_deferral_rate.get(),
                DEFAULT_DEFERRAL * 100.0
            ),
        );
    }
    let m = &c.employer_match;
    let mut tiers = |prefix: String, t: &super::Tiers| {
        for (i, rate) in t.rates().enumerate() {
            if rate > MATCH_RATE {
                warn(
                    format!("{prefix}.tiers[{i}].rate"),
                    format!(
                        "{rate} pays {:.0} % of what is deferred in the tier; a rate is a fraction (100 % is 1.0)",
                        rate * 100.0
                    ),
                );
            }
        }
    };
    if let Some(s) = &m.by_service {
        for (j, e) in s.entries().iter().enumerate() {
            tiers(format!("employer_match.by_service[{j}]"), &e.tiers);
        }
    } else if let Some(p) = &m.by_points {
        for (j, e) in p.entries().iter().enumerate() {
            tiers(format!("employer_match.by_points[{j}]"), &e.tiers);
        }
    } else {
        tiers("employer_match".into(), &m.tiers);
    }
    let core = &c.employer_core;
    let mut core_rate = |key: String, rate: f64| {
        if rate > CORE_RATE {
            warn(
                key,
                format!(
                    "{rate}: a core contribution of {:.0} % of pay (the plan's whole deduction limit is 25 %)",
                    rate * 100.0
                ),
            );
        }
    };
    core_rate("employer_core.rate".into(), core.rate.get());
    for (j, e) in core.by_service.iter().flat_map(|s| s.entries()).enumerate() {
        core_rate(format!("employer_core.by_service[{j}].rate"), e.rate);
    }
    for (j, e) in core.by_age.iter().flat_map(|s| s.entries()).enumerate() {
        core_rate(format!("employer_core.by_age[{j}].rate"), e.rate);
    }
    for (j, e) in core.by_points.iter().flat_map(|s| s.entries()).enumerate() {
        core_rate(format!("employer_core.by_points[{j}].rate"), e.rate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_str;
    use super::*;

    fn keys(yaml: &str) -> Vec<String> {
        of(&parse_str(yaml).unwrap())
            .into_iter()
            .map(|w| w.key)
            .collect()
    }

    #[test]
    fn the_defaults_and_the_example_raise_none() {
        assert_eq!(keys(""), Vec::<String>::new());
        assert_eq!(keys(super::super::tests::EXAMPLE), Vec::<String>::new());
    }

    #[test]
    fn percents_written_as_whole_numbers_are_caught() {
        // the two mistakes a consultant made: 100 for 100 %, 3 for 3 %
        assert_eq!(
            keys("employer_match: {tiers: [{from: 0, to: 0.06, rate: 100}]}\nsimulation: {target_growth_rate: 3}\n"),
            ["simulation.target_growth_rate", "employer_match.tiers[0].rate"]
        );
        let w =
            of(&parse_str("employer_match: {tiers: [{from: 0, to: 0.06, rate: 100}]}").unwrap());
        assert_eq!(
            w[0].to_string(),
            "key `employer_match.tiers[0].rate`: 100 pays 10000 % of what is deferred in the tier; a rate is a fraction (100 % is 1.0)"
        );
        // 200 % of the first 1 % is a real design: not a warning
        assert_eq!(
            keys("employer_match: {tiers: [{from: 0, to: 0.01, rate: 2.0}]}"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_rule_has_its_key() {
        assert_eq!(
            keys(
                "simulation: {target_growth_rate: -0.6}\n\
                 workforce: {total_termination_rate: 0.6, new_hire_termination_rate: 0.7}\n\
                 compensation: {cola_rate: 0.3, merit_rate_by_level: [0.03, 0.5, 0.03, 0.03, 0.03]}\n\
                 enrollment: {auto_enrollment: {default_deferral_rate: 0.2}}\n\
                 employer_core: {by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.3}]}\n"
            ),
            [
                "simulation.target_growth_rate",
                "workforce.total_termination_rate",
                "workforce.new_hire_termination_rate",
                "compensation.cola_rate",
                "compensation.merit_rate_by_level[1]",
                "enrollment.auto_enrollment.default_deferral_rate",
                "employer_core.by_age[1].rate",
            ]
        );
        assert_eq!(
            keys("employer_match: {by_service: [{min_years: 0, tiers: [{from: 0, to: 0.03, rate: 5}]}]}\nemployer_core: {rate: 0.3}\n"),
            ["employer_match.by_service[0].tiers[0].rate", "employer_core.rate"]
        );
    }
}
