//! The native engine: the yearly algorithm of spec §4, one module per rule.
//!
//! A year runs in phases. Phases that need the whole workforce (how many to hire, who is cut in
//! a reduction in force, which hires leave) are serial over integer counts; everything else is
//! a pure function of one employee and runs in parallel. Results never depend on scheduling:
//! every draw is keyed by employee, and chunks are concatenated in employee-id order.

pub mod context;
pub mod eligibility;
pub mod employee;
pub mod enrollment;
pub mod escalation;
pub mod hiring;
pub mod merit;
pub mod new_hire;
pub mod new_hire_termination;
pub mod promotion;
pub mod snapshot;
pub mod termination;
pub mod timeline;

use crate::census::CensusRow;
use crate::config::Model;
use crate::error::Result;
use crate::event::{Category, EventType, YearCounts, YearOutput};
use crate::rng::Rng;
use context::YearContext;
use employee::Employee;
use rayon::prelude::*;

/// Employees per parallel work unit: large enough to amortise scheduling, small enough to
/// balance two to dozens of cores.
const CHUNK: usize = 2048;

/// Chunks per group of the timeline phase (see `Engine::step`).
const GROUP_CHUNKS: usize = 32;

/// Generates the years of a run in order: the native [`Engine`] or a plug-in such as the SQL
/// reference engine (crate `wfsim-sql`). Both must produce identical [`YearOutput`]s.
pub trait YearEngine {
    /// Active employees at the start of the next year to generate.
    fn headcount(&self) -> usize;
    /// Generates year `year` (years must be stepped in order).
    fn step(&mut self, year: i32) -> Result<YearOutput>;
}

impl YearEngine for Engine {
    fn headcount(&self) -> usize {
        Engine::headcount(self)
    }

    fn step(&mut self, year: i32) -> Result<YearOutput> {
        Engine::step(self, year)
    }
}

pub struct Engine {
    model: Model,
    rng: Rng,
    /// Active employees, sorted by id.
    workforce: Vec<Employee>,
}

impl Engine {
    pub fn new(model: Model, census: &[CensusRow]) -> Engine {
        let rng = Rng::new(model.config.simulation.random_seed);
        let workforce = census
            .iter()
            .map(|c| Employee::from_census(&model, c))
            .collect();
        Engine {
            model,
            rng,
            workforce,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn headcount(&self) -> usize {
        self.workforce.len()
    }

    /// Generates year `year` (years must be stepped in order).
    pub fn step(&mut self, year: i32) -> Result<YearOutput> {
        let ctx = YearContext::new(&self.model, &self.rng, year);
        let wf = &self.model.config.workforce;
        let n_start = self.workforce.len() as i64;

        self.workforce
            .par_iter_mut()
            .with_min_len(CHUNK)
            .for_each(|e| e.termination = termination::experienced(&ctx, e));
        let exp_terms = self
            .workforce
            .iter()
            .filter(|e| e.termination.is_some())
            .count() as i64;
        let plan = hiring::plan(
            year,
            n_start,
            exp_terms,
            self.model.config.simulation.target_growth_rate,
            wf.new_hire_termination_rate,
        )?;
        termination::reduction_in_force(
            &ctx,
            &mut self.workforce,
            plan.reduction_in_force as usize,
        );

        let split = new_hire::LevelSplit::new(&ctx, self.workforce.iter().map(|e| e.level));
        let mut hires: Vec<Employee> = (1..plan.hires as usize + 1)
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|k| new_hire::hire(&ctx, k as i64, split.level_of(k as i64, plan.hires)))
            .collect();
        new_hire_termination::select(&ctx, &mut hires, plan.new_hire_terminations as usize)?;

        // Census employees are all hired before the first year, so "hired this year" is a date test.
        let mut roster = std::mem::take(&mut self.workforce);
        roster.append(&mut hires);
        roster.sort_by(|a, b| a.id.cmp(&b.id));

        // Chunks run in parallel a group at a time, and each group's events are appended (and
        // its chunk buffers freed) before the next group starts: a year's events are never
        // held twice, which set the peak memory of large runs.
        let mut events = Vec::new();
        let mut snapshots = Vec::with_capacity(roster.len());
        for (g, group) in roster.chunks_mut(CHUNK * GROUP_CHUNKS).enumerate() {
            let first_row = g * CHUNK * GROUP_CHUNKS;
            let parts: Vec<_> = group
                .par_chunks_mut(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut events = Vec::with_capacity(chunk.len() * 3);
                    let mut snapshots = Vec::with_capacity(chunk.len());
                    for (i, emp) in chunk.iter_mut().enumerate() {
                        let hired = emp.hire_date >= ctx.jan1;
                        let row = (first_row + c * CHUNK + i) as u32;
                        snapshots.push(timeline::run(&ctx, emp, hired, row, &mut events));
                    }
                    (events, snapshots)
                })
                .collect();
            for (e, s) in parts {
                events.extend(e);
                snapshots.extend(s);
            }
        }

        roster.retain(|e| e.termination.is_none());
        self.workforce = roster;
        let counts = count(
            year,
            n_start,
            plan.target,
            &events,
            self.workforce.len() as i64,
        );
        Ok(YearOutput {
            year,
            events,
            snapshots,
            counts,
        })
    }
}

/// The year's counts, tallied from its events (shared with plug-in engines).
pub fn count(
    year: i32,
    n_start: i64,
    target: i64,
    events: &[crate::event::Event],
    n_end: i64,
) -> YearCounts {
    let mut c = YearCounts {
        year,
        n_start,
        target,
        n_end,
        events: events.len() as i64,
        ..YearCounts::default()
    };
    for e in events {
        let slot = match (e.event_type, e.category) {
            (EventType::Hire, _) => &mut c.hires,
            (EventType::Termination, Category::ExperiencedTermination) => {
                &mut c.experienced_terminations
            }
            (EventType::Termination, Category::ReductionInForce) => &mut c.rif_terminations,
            (EventType::Termination, _) => &mut c.new_hire_terminations,
            (EventType::Promotion, _) => &mut c.promotions,
            (EventType::Raise, _) => &mut c.raises,
            (EventType::Eligibility, _) => &mut c.eligibilities,
            (EventType::Enrollment, Category::AutoEnrollment) => &mut c.auto_enrollments,
            (EventType::Enrollment, _) => &mut c.voluntary_enrollments,
            (EventType::OptOut, _) => &mut c.opt_outs,
            (EventType::DeferralEscalation, _) => &mut c.escalations,
        };
        *slot += 1;
    }
    c
}
