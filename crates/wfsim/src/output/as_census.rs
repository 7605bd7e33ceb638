//! `wfsim census --from-run`: one year-end snapshot of a run as a census (spec §10): the year's
//! actives and its leavers, as an HR export of Dec 31 would list them. A history made this way
//! from a run with a known config lets a fit or a backtest be tried on known truth.
//!
//! The snapshot is read by the census loader itself (its columns carry the census names), so
//! the rows are exactly what `run --census` would read from the file written. The year's paid
//! pay (`prorated_compensation`) becomes `prior_year_compensation`, the look-back pay of the next
//! year's HCE test; ownership and officer status are not in a snapshot and are 0 and false; the
//! run's hires are `RUN_NH_…`, as a census may not use the simulated hires' `NH_` ids.

use super::parquet::year_paths;
use crate::census::{load_with, CensusRow, LoadOptions};
use crate::config::{self, CensusInput, ColumnMap, Config, DeferralRateUnit};
use crate::date::Date;
use crate::error::{Error, Result};
use std::path::Path;

/// What a run's hire's id (`NH_2025_000001`) becomes in a census made from the run.
pub const RUN_HIRE_PREFIX: &str = "RUN_";

/// The rows of `dir`'s snapshot of `year`, sorted by id, with Dec 31 of `year` as their date.
pub fn from_run(dir: &Path, year: i32, pool: &rayon::ThreadPool) -> Result<Vec<CensusRow>> {
    let summary = dir.join("generation_summary.json");
    let text = std::fs::read_to_string(&summary).map_err(|e| Error::input(&summary, e))?;
    let bad = |what: String| {
        Error::input(
            &summary,
            std::io::Error::new(std::io::ErrorKind::InvalidData, what),
        )
    };
    #[derive(serde::Deserialize)]
    struct Run {
        start_year: i32,
        end_year: i32,
        resolved_config: serde_json::Value,
    }
    let run: Run =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a wfsim run summary: {e}")))?;
    if !(run.start_year..=run.end_year).contains(&year) {
        return Err(Error::Usage {
            message: format!(
                "--year {year}: the run in {} simulated {}–{}",
                dir.display(),
                run.start_year,
                run.end_year
            ),
        });
    }
    let mut config: Config = serde_json::from_value(run.resolved_config)
        .map_err(|e| bad(format!("resolved_config does not read as a config: {e}")))?;
    // a census as of Dec 31 of `year` (the year after it is the first a run from it simulates)
    config.simulation.start_year = year + 1;
    config.simulation.end_year = year + 1;
    config.simulation.census_date = Some(Date::dec31(year));
    config.census = CensusInput {
        deferral_rate_unit: DeferralRateUnit::Fraction,
        columns: ColumnMap::new([("prior_year_compensation", "prorated_compensation")])
            .expect("a valid column map"),
        ..CensusInput::default()
    };
    let model = config::validate(config, &summary.display().to_string())?;
    let (_, snapshot) = year_paths(dir, year);
    let census = load_with(
        &snapshot,
        &model,
        pool,
        LoadOptions {
            run_hires: true,
            ..LoadOptions::default()
        },
    )?;
    // a census may not hold `NH_` ids (spec §6: they are the simulated hires'); the run's hires
    // keep theirs behind a prefix, the same in every year's file
    let mut rows = census.rows;
    for r in &mut rows {
        if r.employee_id.starts_with("NH_") {
            r.employee_id.insert_str(0, RUN_HIRE_PREFIX);
        }
    }
    rows.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    Ok(rows)
}
