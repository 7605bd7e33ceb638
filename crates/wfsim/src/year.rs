//! The contract between an engine and the year loop that drives it: the [`YearEngine`] trait,
//! the [`YearOutput`] one simulated year hands over, and its [`YearCounts`]. Kept apart from
//! the engines and the loop so both depend on it and neither on the other.

use crate::error::Result;
use crate::event::{Category, Event, EventType, SnapshotRow, KINDS};
use crate::totals::YearTotals;
use serde::ser::SerializeMap;

/// Generates the years of a run in order: the native engine ([`crate::engine::Engine`]) or a
/// plug-in such as the SQL reference engine (crate `wfsim-sql`). Every engine must produce
/// identical [`YearOutput`]s.
pub trait YearEngine {
    /// Active employees at the start of the next year to generate.
    fn headcount(&self) -> usize;
    /// Generates year `year` (years must be stepped in order).
    fn step(&mut self, year: i32) -> Result<YearOutput>;
    /// [`YearEngine::step`] for a caller that needs only the year's counts (a metrics-only
    /// batch); an engine that can count without building the rows overrides it.
    fn step_counts(&mut self, year: i32) -> Result<YearCounts> {
        self.step(year).map(|out| out.counts)
    }
}

/// Per-year counts for the summary table and `generation_summary.json`: the headcount flow and
/// one counter per event kind (in [`KINDS`] order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearCounts {
    pub year: i32,
    pub n_start: i64,
    pub target: i64,
    pub by_kind: [i64; KINDS.len()],
    pub n_end: i64,
    pub events: i64,
    /// The year's plan figures from its snapshot rows.
    pub totals: YearTotals,
}

impl YearCounts {
    /// Tallies a year's events (every engine counts the same way).
    pub fn tally(
        year: i32,
        n_start: i64,
        target: i64,
        events: &[Event],
        snapshots: &[SnapshotRow],
        n_end: i64,
    ) -> Self {
        let mut by_kind = [0; KINDS.len()];
        for e in events {
            by_kind[e.category as usize] += 1;
        }
        YearCounts {
            year,
            n_start,
            target,
            by_kind,
            n_end,
            events: events.len() as i64,
            totals: YearTotals::of(snapshots),
        }
    }

    /// Adds the event counts and totals of `part`, a tally of some of the year's rows (the
    /// headcounts are the caller's).
    pub fn add(&mut self, part: &YearCounts) {
        for (n, p) in self.by_kind.iter_mut().zip(part.by_kind) {
            *n += p;
        }
        self.events += part.events;
        self.totals.add(&part.totals);
    }

    pub fn of(&self, category: Category) -> i64 {
        self.by_kind[category as usize]
    }

    pub fn of_type(&self, event_type: EventType) -> i64 {
        KINDS
            .iter()
            .zip(self.by_kind)
            .filter(|(k, _)| k.event_type == event_type)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn growth_pct(&self) -> f64 {
        if self.n_start == 0 {
            0.0
        } else {
            (self.n_end - self.n_start) as f64 * 100.0 / self.n_start as f64
        }
    }
}

impl serde::Serialize for YearCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("year", &self.year)?;
        m.serialize_entry("n_start", &self.n_start)?;
        m.serialize_entry("target", &self.target)?;
        for (k, n) in KINDS.iter().zip(&self.by_kind) {
            m.serialize_entry(k.counter, n)?;
        }
        m.serialize_entry("n_end", &self.n_end)?;
        m.serialize_entry("events", &self.events)?;
        self.totals.serialize_entries(&mut m)?;
        m.end()
    }
}

/// Everything one simulated year hands to the writer.
#[derive(Debug)]
pub struct YearOutput {
    pub year: i32,
    pub events: Vec<Event>,
    pub snapshots: Vec<SnapshotRow>,
    pub counts: YearCounts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_serialise_in_flow_order() {
        let c = YearCounts {
            year: 2025,
            by_kind: std::array::from_fn(|i| i as i64),
            ..YearCounts::default()
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            json.starts_with(r#"{"year":2025,"n_start":0,"target":0,"experienced_terminations":0,"rif_terminations":1,"hires":2,"#),
            "{json}"
        );
        assert!(
            json.contains(r#""escalations":10,"n_end":0,"events":0,"eligible_end":0,"#),
            "{json}"
        );
        assert!(
            json.ends_with(r#""employer_cost":0.0,"employer_cost_pct_of_payroll":null}"#),
            "{json}"
        );
    }
}
