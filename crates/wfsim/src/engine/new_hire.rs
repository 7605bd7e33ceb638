//! §4.3 new hires: ids, levels by headcount (or fixed) shares, dates, ages and salaries.

use super::context::YearContext;
use super::eligibility;
use super::employee::{Accounts, Employee};
use crate::date::Date;
use crate::numerics::{round_cents, Cumulative};
use crate::rng::{Draw, Stream};
use std::sync::Arc;

pub fn hire_id(year: i32, k: i64) -> String {
    format!("NH_{year}_{k:06}")
}

/// Running level counts `C_l` and total `T` that split the hires across levels.
pub struct LevelSplit {
    running: Vec<u64>,
    total: u64,
}

impl LevelSplit {
    /// `start_levels` are the levels of the start-of-year workforce.
    pub fn new(ctx: &YearContext, start_levels: impl Iterator<Item = u8>) -> LevelSplit {
        match &ctx.model.config.new_hire.level_shares {
            Some(shares) => {
                let c = Cumulative::from_weights(shares.iter().map(|s| s.get()));
                LevelSplit {
                    total: c.total(),
                    running: c.running().to_vec(),
                }
            }
            None => {
                let mut counts = vec![0u64; usize::from(ctx.model.max_level())];
                for l in start_levels {
                    counts[usize::from(l) - 1] += 1;
                }
                let running: Vec<u64> = counts
                    .iter()
                    .scan(0, |acc, c| {
                        *acc += c;
                        Some(*acc)
                    })
                    .collect();
                LevelSplit {
                    total: running.last().copied().unwrap_or(0),
                    running,
                }
            }
        }
    }

    /// The smallest level l with `(2k - 1) * T <= 2 * hires * C_l`.
    pub fn level_of(&self, k: i64, hires: i64) -> u8 {
        let lhs = (2 * k as u128 - 1) * u128::from(self.total);
        let l = self
            .running
            .iter()
            .position(|&c| lhs <= 2 * hires as u128 * u128::from(c))
            .unwrap_or(self.running.len() - 1);
        l as u8 + 1
    }
}

/// Hire `k` of year N (1-based).
pub fn hire(ctx: &YearContext, k: i64, level: u8) -> Employee {
    hire_each(ctx, &[(k, level)])
        .pop()
        .expect("one hire per key")
}

/// Hire `k` at `level` for each `(k, level)` of `hires`, with their draws made together.
pub fn hire_each(ctx: &YearContext, hires: &[(i64, u8)]) -> Vec<Employee> {
    const STREAMS: [Stream; 3] = [Stream::HireDate, Stream::HireAge, Stream::HireSalary];
    let ids: Vec<String> = hires.iter().map(|&(k, _)| hire_id(ctx.year, k)).collect();
    let mut draws = Vec::with_capacity(STREAMS.len() * ids.len());
    ctx.rng.draws_into(
        ctx.year,
        ids.iter().flat_map(|id| STREAMS.map(|s| (id.as_str(), s))),
        &mut draws,
    );
    let p_ineligible = ctx.model.config.eligibility.new_hire_ineligible_pct.get();
    let keys: Vec<(&str, f64)> = ids.iter().map(|id| (id.as_str(), p_ineligible)).collect();
    let ineligible = ctx.fires_each(Stream::HireIneligible, &keys);
    ids.into_iter()
        .zip(hires)
        .zip(draws.chunks_exact(STREAMS.len()))
        .zip(ineligible)
        .map(|(((id, &(_, level)), u), inel)| new_hire(ctx, id, level, u, inel.is_some()))
        .collect()
}

/// A hire from its draws `u` on `hire_date`, `hire_age` and `hire_salary`.
fn new_hire(
    ctx: &YearContext,
    id: String,
    level: u8,
    u: &[Draw],
    plan_ineligible: bool,
) -> Employee {
    let cfg = &ctx.model.config;
    let hire_date = ctx.day_of_year(u[0]);
    let age = cfg.new_hire.age_distribution[ctx.model.hire_ages.pick(u[1])]
        .age
        .get();
    let birth_date = Date::from_ymd(hire_date.year() - age, 7, 1).expect("July 1 exists");
    let band = ctx.model.level(level);
    let spread = cfg.new_hire.salary_spread.get();
    let salary = round_cents(
        (band.min_salary + (band.max_salary - band.min_salary) * band.hire_percentile)
            * (1.0 - spread + 2.0 * spread * u[2].u()),
    );
    Employee {
        id: Arc::from(id),
        birth_date,
        hire_date,
        birth_ymd: birth_date.ymd(),
        hire_ymd: hire_date.ymd(),
        level,
        salary,
        plan_ineligible,
        eligibility_rule_date: eligibility::rule_date(ctx.model, birth_date, hire_date),
        eligibility_date: None,
        enrollment: None,
        deferral_rate: 0.0,
        ever_opted_out: false,
        auto_escalation_opt_out: false,
        escalations_received: 0,
        accounts: Accounts::default(),
        ownership_pct: 0.0,
        officer: false,
        lookback_pay: 0.0,
        termination: None,
    }
}
