//! The contract between an engine and the year loop that drives it: the [`YearEngine`] trait,
//! the [`YearOutput`] one simulated year hands over, and its [`YearCounts`]. Kept apart from
//! the engines and the loop so both depend on it and neither on the other.

use crate::error::Result;
use crate::event::{Category, Event, EventType, SnapshotRow, KINDS};
use crate::ndt;
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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YearCounts {
    pub year: i32,
    pub n_start: i64,
    pub target: i64,
    pub by_kind: [i64; KINDS.len()],
    pub n_end: i64,
    pub events: i64,
    /// The year's plan figures from its snapshot rows.
    pub totals: YearTotals,
    /// The engine's tally of the nondiscrimination tests, until the year loop finishes it
    /// into `ndt` (it knows the year before).
    pub ndt_tally: ndt::Tally,
    pub ndt: ndt::Results,
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
        let mut ndt_tally = ndt::Tally::default();
        ndt_tally.add_rows(year, snapshots);
        YearCounts {
            year,
            n_start,
            target,
            by_kind,
            n_end,
            events: events.len() as i64,
            totals: YearTotals::of(snapshots),
            ndt_tally,
            ndt: ndt::Results::default(),
        }
    }

    /// Adds the event counts, totals and test tally of `part`, a tally of some of the year's
    /// rows (the headcounts are the caller's).
    pub fn add(&mut self, part: YearCounts) {
        for (n, p) in self.by_kind.iter_mut().zip(part.by_kind) {
            *n += p;
        }
        self.events += part.events;
        self.totals.add(&part.totals);
        self.ndt_tally.merge(part.ndt_tally);
    }

    /// Turns the tally into the year's test results; `prior` holds the year before's NHCE
    /// averages (none before the first simulated year) and becomes this year's.
    pub fn finish_ndt(
        &mut self,
        rules: &crate::config::Ndt,
        prior: &mut Option<ndt::NhceAverages>,
    ) {
        self.ndt = std::mem::take(&mut self.ndt_tally).finish(rules, *prior);
        *prior = Some(self.ndt.nhce_averages());
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
        m.serialize_entry("ndt", &self.ndt)?;
        m.end()
    }
}

/// Reads a year back from `generation_summary.json` (what [`YearCounts`]'s `Serialize` wrote):
/// counts and counters by name, money from dollars to cents, and the deferral basis points
/// from the average rate (exact: the rounding error is far below half a basis point).
impl<'de> serde::Deserialize<'de> for YearCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let number = |key: &str| -> Result<Option<f64>, D::Error> {
            match map.get(key) {
                None => Err(D::Error::custom(format!("a year has no `{key}`"))),
                Some(serde_json::Value::Null) => Ok(None),
                Some(v) => v
                    .as_f64()
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("`{key}` is not a number"))),
            }
        };
        let int = |key: &str| -> Result<i64, D::Error> {
            match map.get(key).and_then(serde_json::Value::as_i64) {
                Some(n) => Ok(n),
                None => Err(D::Error::custom(format!(
                    "`{key}` is missing or not an integer"
                ))),
            }
        };
        let money = |key: &str| -> Result<i64, D::Error> {
            Ok(crate::totals::cents(number(key)?.unwrap_or(0.0)))
        };
        let mut by_kind = [0; KINDS.len()];
        for (n, k) in by_kind.iter_mut().zip(&KINDS) {
            *n = int(k.counter)?;
        }
        let enrolled_end = int("enrolled_end")?;
        let avg = number("avg_deferral_rate")?.unwrap_or(0.0);
        Ok(YearCounts {
            year: int("year")? as i32,
            n_start: int("n_start")?,
            target: int("target")?,
            by_kind,
            n_end: int("n_end")?,
            events: int("events")?,
            totals: YearTotals {
                eligible_end: int("eligible_end")?,
                enrolled_end,
                deferral_bp: crate::numerics::round_half_away(avg * 10_000.0 * enrolled_end as f64)
                    as i64,
                payroll: money("payroll")?,
                employee_deferrals: money("employee_deferrals")?,
                employer_match: money("employer_match")?,
                employer_core: money("employer_core")?,
                forfeitures: money("forfeitures")?,
                employee_balances: money("employee_balances")?,
                employer_balances: money("employer_balances")?,
            },
            ndt_tally: ndt::Tally::default(),
            // absent from the summaries of versions before spec v1.4
            ndt: match map.get("ndt") {
                None => ndt::Results::default(),
                Some(v) => ndt::Results::deserialize(v).map_err(D::Error::custom)?,
            },
        })
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
    fn counts_read_back_as_written() {
        let c = YearCounts {
            year: 2026,
            n_start: 5000,
            target: 5150,
            by_kind: std::array::from_fn(|i| 7 * i as i64 + 1),
            n_end: 5150,
            events: 12_345,
            totals: YearTotals {
                eligible_end: 4000,
                enrolled_end: 3217,
                deferral_bp: 3217 * 612 + 5,
                payroll: 41_234_567_891,
                employee_deferrals: 2_345_678_901,
                employer_match: 1_234_567_890,
                employer_core: 0,
                forfeitures: 12_345,
                employee_balances: 987_654_321,
                employer_balances: 123_456_789,
            },
            ndt_tally: ndt::Tally::default(),
            ndt: ndt::Results {
                hce_count: 17,
                key_count: 3,
                ..ndt::Results::default()
            },
        };
        let json = serde_json::to_string(&c).unwrap();
        let back: YearCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let e = serde_json::from_str::<YearCounts>(r#"{"year": 2026}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("`experienced_terminations` is missing"),
            "{e}"
        );
    }

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
        // every counter, in KINDS order, then the headcount and the totals
        let counters: String = KINDS
            .iter()
            .enumerate()
            .map(|(i, k)| format!(r#""{}":{i},"#, k.counter))
            .collect();
        let middle = format!(r#""target":0,{counters}"n_end":0,"events":0,"eligible_end":0,"#);
        assert!(json.contains(&middle), "{json}");
        assert!(
            json.contains(r#""employer_cost":0.0,"employer_cost_pct_of_payroll":null,"employee_balances":0.0,"employer_balances":0.0,"ndt":{"hce_count":0,"#),
            "{json}"
        );
    }
}
