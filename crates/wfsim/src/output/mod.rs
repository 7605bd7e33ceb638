//! Writers: Hive-partitioned Parquet per year, `generation_summary.json`, and the atomic
//! output directory they are written into; and what reads an output back (`diff`, a snapshot as
//! a census).

pub mod as_census;
pub mod diff;
pub mod directory;
pub mod parquet;
pub mod summary;
