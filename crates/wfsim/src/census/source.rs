//! Where a run's or a batch's census comes from: a file, or the built-in example.

use super::synthetic;
use crate::config::Model;
use crate::error::Result;
use std::path::{Path, PathBuf};

/// Where the census comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CensusSource {
    File(PathBuf),
    /// The built-in synthetic example (`census::synthetic::example`).
    Example,
}

impl CensusSource {
    pub fn path(&self) -> Option<&Path> {
        match self {
            CensusSource::File(path) => Some(path),
            CensusSource::Example => None,
        }
    }

    /// How the census is named in summaries (a path, or the built-in example).
    pub fn label(&self) -> String {
        match self {
            CensusSource::File(path) => path.display().to_string(),
            CensusSource::Example => format!(
                "built-in example: wfsim census --employees {} --seed {}",
                synthetic::EXAMPLE_EMPLOYEES,
                synthetic::EXAMPLE_SEED
            ),
        }
    }

    /// Loads the census for `model` on `pool`; the built-in example is generated there.
    pub fn load(
        &self,
        model: &Model,
        pool: &rayon::ThreadPool,
        options: super::LoadOptions,
    ) -> Result<super::Census> {
        match self {
            CensusSource::File(path) => super::load_with(path, model, pool, options),
            CensusSource::Example => {
                let rows = pool.install(|| synthetic::example(model));
                Ok(super::Census {
                    leavers: rows
                        .iter()
                        .filter(|r| r.is_leaver(model.census_date))
                        .count(),
                    rows_read: rows.len(),
                    rows,
                    columns_used: Vec::new(),
                    ignored_columns: Vec::new(),
                    derived_levels: 0,
                    deferral_rate_unit: None,
                    rejects: Vec::new(),
                    sha256: String::new(),
                })
            }
        }
    }
}
