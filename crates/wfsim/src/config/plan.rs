//! The plan design in one line of words (issue 34): what a run or a scenario assumes about
//! enrollment, escalation, match, core, vesting and safe harbor, so the status quo a study is
//! measured against is never a surprise.

use super::{Config, EscalationScope, SafeHarbor};
use crate::config::AutoEnrollmentScope;

/// A fraction as a percentage with at most two decimals: 0.03 → `3 %`, 0.045 → `4.5 %`.
pub fn pct(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} %")
}

impl Config {
    /// `auto-enroll new hires at 6 %, escalate +1 %/yr to 10 %; match 100 % of 3 % + 50 % of
    /// the next 2 %; no core; vesting immediate`.
    pub fn plan_line(&self) -> String {
        let ae = &self.enrollment.auto_enrollment;
        let enroll = if ae.enabled {
            let who = match ae.scope {
                AutoEnrollmentScope::NewHiresOnly => "new hires",
                AutoEnrollmentScope::AllEligible => "all eligible",
            };
            format!(
                "auto-enroll {who} at {}",
                pct(ae.default_deferral_rate.get())
            )
        } else {
            "voluntary enrollment (no auto-enrollment)".into()
        };
        let e = &self.deferral_auto_escalation;
        let escalate = if e.enabled {
            let whom = match e.applies_to {
                EscalationScope::All => "",
                EscalationScope::AutoEnrolled => " (auto-enrolled only)",
            };
            format!(
                "escalate +{}/yr to {}{whom}",
                pct(e.increment_amount.get()),
                pct(e.maximum_rate.get())
            )
        } else {
            "no escalation".into()
        };
        let m = &self.employer_match;
        let mut matched = if let Some(s) = &m.by_service {
            let e = s.entries();
            format!(
                "match by service ({} from {} years: {})",
                e[0].tiers.describe(),
                e[e.len() - 1].min_years,
                e[e.len() - 1].tiers.describe()
            )
        } else if let Some(p) = &m.by_points {
            let e = p.entries();
            format!(
                "match by points ({} from {} points: {})",
                e[0].tiers.describe(),
                e[e.len() - 1].min_points,
                e[e.len() - 1].tiers.describe()
            )
        } else {
            match m.tiers.describe().as_str() {
                "nothing" => "no match".into(),
                d => format!("match {d}"),
            }
        };
        if m.true_up {
            matched.push_str(" with true-up");
        }
        if m.last_day_rule {
            matched.push_str(", last-day rule");
        }
        let c = &self.employer_core;
        let range = |rates: Vec<f64>| {
            let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{}–{}", pct(lo), pct(hi))
        };
        let mut core = if let Some(s) = &c.by_service {
            format!(
                "core by service {}",
                range(s.entries().iter().map(|e| e.rate).collect())
            )
        } else if let Some(a) = &c.by_age {
            format!(
                "core by age {}",
                range(a.entries().iter().map(|e| e.rate).collect())
            )
        } else if let Some(p) = &c.by_points {
            format!(
                "core by points {}",
                range(p.entries().iter().map(|e| e.rate).collect())
            )
        } else if c.rate.get() > 0.0 {
            format!("core {}", pct(c.rate.get()))
        } else {
            "no core".into()
        };
        if let Some(i) = &c.integration {
            core.push_str(&format!(
                " + {} above the integration level",
                pct(i.excess_rate.get())
            ));
        }
        if c.last_day_rule && core != "no core" {
            core.push_str(", last-day rule");
        }
        let v = &self.vesting;
        let (ms, cs) = (v.match_schedule().describe(), v.core_schedule().describe());
        let vesting = if ms == cs {
            format!("vesting {ms}")
        } else {
            format!("match vesting {ms}, core vesting {cs}")
        };
        let mut line = format!("{enroll}, {escalate}; {matched}; {core}; {vesting}");
        match self.ndt.safe_harbor {
            SafeHarbor::None => {}
            SafeHarbor::Adp => line.push_str("; ADP safe harbor"),
            SafeHarbor::AdpAcp => line.push_str("; ADP and ACP safe harbor"),
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_str;

    fn line(yaml: &str) -> String {
        parse_str(yaml).unwrap().plan_line()
    }

    #[test]
    fn the_default_plan_in_words() {
        assert_eq!(
            line(""),
            "auto-enroll new hires at 6 %, escalate +1 %/yr to 10 %; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate"
        );
    }

    #[test]
    fn other_designs_in_words() {
        assert_eq!(
            line(
                "enrollment: {auto_enrollment: {enabled: false}}\n\
                 deferral_auto_escalation: {enabled: false}\n\
                 employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}], true_up: true}\n\
                 employer_core: {rate: 0.03, integration: {excess_rate: 0.03, level: wage_base}}\n\
                 vesting: {match_schedule: [0, 0, 0, 1], core_schedule: [0, 0.2, 0.4, 0.6, 0.8, 1]}\n\
                 ndt: {safe_harbor: adp}\n"
            ),
            "voluntary enrollment (no auto-enrollment), no escalation; match 25 % of 12 % with true-up; core 3 % + 3 % above the integration level; match vesting 3-year cliff, core vesting graded over 5 years; ADP safe harbor"
        );
        assert_eq!(
            line(
                "employer_match: {tiers: []}\n\
                 employer_core: {by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.045}], last_day_rule: true}\n\
                 enrollment: {auto_enrollment: {scope: all_eligible, default_deferral_rate: 0.03}}\n\
                 deferral_auto_escalation: {applies_to: auto_enrolled}\n"
            ),
            "auto-enroll all eligible at 3 %, escalate +1 %/yr to 10 % (auto-enrolled only); no match; core by age 2 %–4.5 %, last-day rule; vesting immediate"
        );
    }
}

#[cfg(test)]
mod named_plans {
    use super::super::tests::parse_str;

    /// The status-quo designs under config/plans/ load and say what their names promise.
    #[test]
    fn named_plans_load_and_read_as_named() {
        for (text, want) in [
            (
                include_str!("../../../../config/plans/voluntary.yaml"),
                "voluntary enrollment (no auto-enrollment), no escalation; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate",
            ),
            (
                include_str!("../../../../config/plans/safe-harbor-basic.yaml"),
                "voluntary enrollment (no auto-enrollment), no escalation; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate; ADP and ACP safe harbor",
            ),
            (
                include_str!("../../../../config/plans/auto-enrollment.yaml"),
                "auto-enroll new hires at 6 %, escalate +1 %/yr to 10 %; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate",
            ),
        ] {
            let c = parse_str(text).unwrap();
            super::super::validate(c.clone(), "plan.yaml").unwrap();
            assert_eq!(c.plan_line(), want);
        }
    }
}
