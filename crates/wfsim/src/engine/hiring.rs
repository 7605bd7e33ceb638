//! §4.2 exact-growth headcount targeting: how many to hire, lose as new hires, or cut.

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HiringPlan {
    pub target: i64,
    pub hires: i64,
    pub new_hire_terminations: i64,
    pub reduction_in_force: i64,
}

pub fn plan(
    year: i32,
    n_start: i64,
    experienced_terminations: i64,
    growth_rate: f64,
    new_hire_termination_rate: f64,
) -> Result<HiringPlan> {
    let target = (n_start as f64 * (1.0 + growth_rate)).round() as i64;
    let net = target - (n_start - experienced_terminations);
    let plan = if net > 0 {
        let hires = (net as f64 / (1.0 - new_hire_termination_rate)).ceil() as i64;
        HiringPlan {
            target,
            hires,
            new_hire_terminations: hires - net,
            reduction_in_force: 0,
        }
    } else {
        HiringPlan {
            target,
            hires: 0,
            new_hire_terminations: 0,
            reduction_in_force: -net,
        }
    };
    if plan.hires > 99_999_999 {
        return Err(Error::Engine {
            year,
            message: format!(
                "{} hires needed; check target_growth_rate and new_hire_termination_rate",
                plan.hires
            ),
        });
    }
    debug_assert_eq!(
        n_start - experienced_terminations - plan.reduction_in_force + plan.hires
            - plan.new_hire_terminations,
        target
    );
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(n: i64, t: i64, p: &HiringPlan) -> i64 {
        n - t - p.reduction_in_force + p.hires - p.new_hire_terminations
    }

    #[test]
    fn growth_hires_and_new_hire_losses() {
        let p = plan(2025, 5000, 600, 0.03, 0.25).unwrap();
        assert_eq!(p.target, 5150);
        // net 750, hires ceil(750 / 0.75) = 1000, nh terms 250
        assert_eq!(
            (p.hires, p.new_hire_terminations, p.reduction_in_force),
            (1000, 250, 0)
        );
        assert_eq!(identity(5000, 600, &p), p.target);
    }

    #[test]
    fn ceil_rounds_up_partial_hires() {
        let p = plan(2025, 100, 10, 0.0, 0.25).unwrap();
        assert_eq!((p.target, p.hires, p.new_hire_terminations), (100, 14, 4));
    }

    #[test]
    fn negative_growth_becomes_reduction_in_force() {
        let p = plan(2025, 1000, 50, -0.10, 0.25).unwrap();
        assert_eq!(p.target, 900);
        assert_eq!(
            (p.hires, p.new_hire_terminations, p.reduction_in_force),
            (0, 0, 50)
        );
        assert_eq!(identity(1000, 50, &p), 900);
    }

    #[test]
    fn exact_replacement_needs_no_action() {
        let p = plan(2025, 1000, 0, 0.0, 0.25).unwrap();
        assert_eq!(
            (p.hires, p.new_hire_terminations, p.reduction_in_force),
            (0, 0, 0)
        );
    }

    #[test]
    fn target_rounds_half_away() {
        // 10 * 1.05 = 10.5 -> 11
        assert_eq!(plan(2025, 10, 0, 0.05, 0.0).unwrap().target, 11);
    }
}
