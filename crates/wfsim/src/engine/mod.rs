//! The native engine: the yearly algorithm of spec §4, one module per rule.
//!
//! A year runs in phases. Phases that need the whole workforce (how many to hire, who is cut in
//! a reduction in force, which hires leave) are serial over integer counts; everything else is
//! a pure function of one employee and runs in parallel. Results never depend on scheduling:
//! every draw is keyed by employee, and chunks are concatenated in employee-id order.

pub mod context;
pub mod contributions;
pub mod deferral_change;
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
pub mod vesting;

use crate::census::CensusRow;
use crate::config::Model;
use crate::error::Result;
use crate::event::{Event, SnapshotRow};
use crate::rng::Rng;
use crate::year::{YearCounts, YearEngine, YearOutput};
use context::YearContext;
use employee::Employee;
use rayon::prelude::*;

/// Employees per parallel work unit: large enough to amortise scheduling, small enough to
/// balance two to dozens of cores.
const CHUNK: usize = 2048;

/// Chunks per group of the timeline phase (see `Engine::step`).
const GROUP_CHUNKS: usize = 32;

impl YearEngine for Engine {
    fn headcount(&self) -> usize {
        Engine::headcount(self)
    }

    fn step(&mut self, year: i32) -> Result<YearOutput> {
        Engine::step(self, year)
    }

    fn step_counts(&mut self, year: i32) -> Result<YearCounts> {
        Engine::step_counts(self, year)
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
        let (mut events, mut snapshots) = (Vec::new(), Vec::new());
        let (n_start, target) = self.simulate(
            year,
            |events, snapshots| (events, snapshots),
            |rows, (e, s)| {
                // The year's rows in one allocation: doubling would briefly hold them twice.
                snapshots.reserve_exact(rows - snapshots.len());
                events.extend(e);
                snapshots.extend(s);
            },
        )?;
        let counts = YearCounts::tally(
            year,
            n_start,
            target,
            &events,
            &snapshots,
            self.workforce.len() as i64,
        );
        Ok(YearOutput {
            year,
            events,
            snapshots,
            counts,
        })
    }

    /// [`Engine::step`] for a caller that needs only the year's counts (a metrics-only batch):
    /// each chunk's rows are tallied where they are made and dropped, so no year-long event
    /// and snapshot vectors are built.
    pub fn step_counts(&mut self, year: i32) -> Result<YearCounts> {
        let mut counts = YearCounts {
            year,
            ..YearCounts::default()
        };
        let (n_start, target) = self.simulate(
            year,
            |events, snapshots| YearCounts::tally(year, 0, 0, &events, &snapshots, 0),
            |_, part| counts.add(part),
        )?;
        counts.n_start = n_start;
        counts.target = target;
        counts.n_end = self.workforce.len() as i64;
        Ok(counts)
    }

    /// Runs year `year` over the workforce. `part` turns each chunk's events and snapshot rows
    /// into a `P` (in parallel); `take` receives the parts in employee-id order, with the
    /// year's number of snapshot rows. Returns the year's starting headcount and target.
    fn simulate<P: Send>(
        &mut self,
        year: i32,
        part: impl Fn(Vec<Event>, Vec<SnapshotRow>) -> P + Sync,
        mut take: impl FnMut(usize, P),
    ) -> Result<(i64, i64)> {
        let ctx = YearContext::new(&self.model, &self.rng, year);
        let wf = &self.model.config.workforce;
        let n_start = self.workforce.len() as i64;

        self.workforce
            .par_chunks_mut(CHUNK)
            .for_each(|chunk| termination::experienced_each(&ctx, chunk));
        let exp_terms = self
            .workforce
            .iter()
            .filter(|e| e.termination.is_some())
            .count() as i64;
        let plan = hiring::plan(
            year,
            n_start,
            exp_terms,
            self.model.config.simulation.target_growth_rate.get(),
            wf.new_hire_termination_rate.get(),
        )?;
        termination::reduction_in_force(
            &ctx,
            &mut self.workforce,
            plan.reduction_in_force as usize,
        );

        let split = new_hire::LevelSplit::new(&ctx, self.workforce.iter().map(|e| e.level));
        let planned: Vec<(i64, u8)> = (1..plan.hires + 1)
            .map(|k| (k, split.level_of(k, plan.hires)))
            .collect();
        let mut hires: Vec<Employee> = planned
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| new_hire::hire_each(&ctx, chunk))
            .collect();
        new_hire_termination::select(&ctx, &mut hires, plan.new_hire_terminations as usize)?;

        let mut roster = std::mem::take(&mut self.workforce);
        roster.append(&mut hires);
        roster.sort_by(|a, b| a.id.cmp(&b.id));
        let rows = roster.len();

        // Chunks run in parallel a group at a time, and each group's parts are taken (and its
        // chunk buffers freed) before the next group starts: a year's events are never held
        // twice, which set the peak memory of large runs.
        for (g, group) in roster.chunks_mut(CHUNK * GROUP_CHUNKS).enumerate() {
            let first_row = g * CHUNK * GROUP_CHUNKS;
            let parts: Vec<P> = group
                .par_chunks_mut(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut events = Vec::with_capacity(chunk.len() * 3);
                    let mut snapshots = Vec::with_capacity(chunk.len());
                    let decided = timeline::decide_each(&ctx, chunk);
                    for (i, (emp, decided)) in chunk.iter_mut().zip(decided).enumerate() {
                        let row = (first_row + c * CHUNK + i) as u32;
                        snapshots.push(timeline::run_decided(&ctx, emp, decided, row, &mut events));
                    }
                    part(events, snapshots)
                })
                .collect();
            parts.into_iter().for_each(|p| take(rows, p));
        }

        roster.retain(|e| e.termination.is_none());
        self.workforce = roster;
        Ok((n_start, plan.target))
    }
}
