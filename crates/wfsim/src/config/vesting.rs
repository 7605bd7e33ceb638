//! `vesting`: the share of each employer sub-account a leaver keeps, by completed years of
//! service (spec §4.12): one schedule for both, or one for the match and one for the core.

use serde::{Deserialize, Serialize};

/// Fractions by completed years of service: non-empty, each in [0, 1], non-decreasing; the
/// last value holds for every longer service.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(try_from = "Vec<f64>", into = "Vec<f64>")]
pub struct Schedule(Vec<f64>);

impl TryFrom<Vec<f64>> for Schedule {
    type Error = String;

    fn try_from(v: Vec<f64>) -> Result<Self, String> {
        if v.is_empty() {
            return Err("a vesting schedule needs at least one value ([1.0] is immediate)".into());
        }
        if let Some(x) = v.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Err(format!(
                "value {x} is out of range: each fraction must be in [0, 1]"
            ));
        }
        if let Some(i) = v.windows(2).position(|w| w[1] < w[0]) {
            return Err(format!(
                "a vesting schedule may not decrease: {} after {} at {} years",
                v[i + 1],
                v[i],
                i + 1
            ));
        }
        Ok(Schedule(v))
    }
}

impl From<Schedule> for Vec<f64> {
    fn from(s: Schedule) -> Vec<f64> {
        s.0
    }
}

impl Schedule {
    /// In words: `immediate`, `3-year cliff`, `graded over 6 years`.
    pub fn describe(&self) -> String {
        let v = &self.0;
        let full = v.iter().position(|&f| f >= 1.0).unwrap_or(v.len());
        if full == 0 {
            "immediate".into()
        } else if v[..full].iter().all(|&f| f == 0.0) && full < v.len() {
            format!("{full}-year cliff")
        } else if full < v.len() {
            format!("graded over {full} years")
        } else {
            format!("never full (at most {})", super::plan::pct(v[v.len() - 1]))
        }
    }

    /// The vested fraction after `years` completed years of service.
    pub fn vested(&self, years: i32) -> f64 {
        let last = self.0.len() - 1;
        self.0[usize::try_from(years).unwrap_or(0).min(last)]
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Vesting {
    pub schedule: Schedule,
    /// Overrides `schedule` for the match sub-account.
    pub match_schedule: Option<Schedule>,
    /// Overrides `schedule` for the core sub-account.
    pub core_schedule: Option<Schedule>,
}

impl Default for Vesting {
    fn default() -> Self {
        Vesting {
            schedule: Schedule(vec![1.0]),
            match_schedule: None,
            core_schedule: None,
        }
    }
}

impl Vesting {
    pub fn match_schedule(&self) -> &Schedule {
        self.match_schedule.as_ref().unwrap_or(&self.schedule)
    }

    pub fn core_schedule(&self) -> &Schedule {
        self.core_schedule.as_ref().unwrap_or(&self.schedule)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};

    #[test]
    fn schedules_index_by_completed_years() {
        let v = parse_str("vesting:\n  schedule: [0, 0, 0.2, 0.4, 0.6, 0.8, 1]\n")
            .unwrap()
            .vesting;
        assert_eq!(v.schedule.vested(0), 0.0);
        assert_eq!(v.schedule.vested(2), 0.2);
        assert_eq!(v.schedule.vested(6), 1.0);
        assert_eq!(v.schedule.vested(40), 1.0);
        assert_eq!(parse_str("").unwrap().vesting.schedule.vested(0), 1.0);
    }

    #[test]
    fn each_source_may_have_its_own_schedule() {
        let v = parse_str("vesting:\n  schedule: [0, 1]\n  core_schedule: [0, 0, 0, 1]\n")
            .unwrap()
            .vesting;
        assert_eq!(v.match_schedule().vested(1), 1.0);
        assert_eq!(v.core_schedule().vested(1), 0.0);
        assert_eq!(v.core_schedule().vested(3), 1.0);
        let v = parse_str("vesting:\n  match_schedule: [1.0]\n  core_schedule: [0, 0, 0, 1]\n")
            .unwrap()
            .vesting;
        assert_eq!(v.match_schedule().vested(0), 1.0);
        assert_eq!(v.core_schedule().vested(2), 0.0);
        let e = invalid("vesting:\n  core_schedule: [0.5, 0.2]\n");
        assert!(
            e.contains("key `vesting.core_schedule`") && e.contains("may not decrease"),
            "{e}"
        );
        let e = invalid("vesting:\n  match_schedule: []\n");
        assert!(e.contains("vesting.match_schedule"), "{e}");
    }

    #[test]
    fn bad_schedules_name_the_key() {
        let e = invalid("vesting:\n  schedule: [0, 0.5, 0.4, 1]\n");
        assert!(
            e.contains("key `vesting.schedule`") && e.contains("may not decrease"),
            "{e}"
        );
        let e = invalid("vesting:\n  schedule: []\n");
        assert!(
            e.contains("vesting.schedule") && e.contains("at least one"),
            "{e}"
        );
        let e = invalid("vesting:\n  schedule: [0, 1.2]\n");
        assert!(e.contains("vesting.schedule") && e.contains("1.2"), "{e}");
    }
}
