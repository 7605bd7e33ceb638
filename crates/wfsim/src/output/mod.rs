//! Writers: Hive-partitioned Parquet per year, `generation_summary.json`, and the atomic
//! output directory they are written into.

pub mod diff;
pub mod directory;
pub mod parquet;
pub mod summary;
