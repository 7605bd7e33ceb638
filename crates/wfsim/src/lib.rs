//! wfsim: projects a workforce and its retirement-plan behaviour year by year from an employee
//! census and a YAML of assumptions, writing every event and year-end snapshot as Parquet.
//!
//! The model is `docs/MODEL.md`; inputs flow one way: [`census`] and [`config`] → the
//! [`engine`]'s year loop → the [`output`] writers.

pub mod bands;
pub mod batch;
pub mod census;
pub mod config;
pub mod date;
pub mod digest;
pub mod engine;
pub mod error;
pub mod event;
pub mod md5_lanes;
pub mod ndt;
pub mod numerics;
pub mod optimize;
pub mod output;
pub mod pool;
pub mod rng;
mod run;
pub mod settings;
pub mod totals;
pub mod year;

pub use error::{Error, Result};
/// The thread pools the library takes ([`census::load`]) are rayon's: callers build them with
/// this version.
pub use rayon;
pub use run::{run, run_in_memory, run_with_engine, EngineChoice, Progress, RunInputs, RunReport};
pub use year::YearEngine;
