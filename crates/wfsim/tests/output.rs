//! The written files: spec §5 layout and types, atomic replacement and leftover cleanup.

mod common;

use arrow_array::RecordBatch;
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;
use wfsim::census::synthetic;
use wfsim::date::Date;
use wfsim::output::directory::{Staging, MARKER};

fn read(path: &Path) -> RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

fn run_into(out: &Path, yaml: &str) -> wfsim::RunReport {
    let rows: Vec<_> = synthetic::generate(&synthetic::Spec {
        employees: 500,
        seed: 4,
        census_date: Date::dec31(2024),
    })
    .into_iter()
    .filter(|r| r.termination_date.is_none())
    .collect();
    let inputs = wfsim::RunInputs {
        model: common::model(yaml),
        census: rows,
        census_label: "test".into(),
        census_path: None,
        census_sha256: String::new(),
        config_label: None,
        config_sha256: String::new(),
        out: out.to_path_buf(),
        threads: 2,
        created_at_micros: 0,
    };
    wfsim::run(inputs, &()).unwrap()
}

#[test]
fn files_have_the_spec_types_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let report = run_into(&out, "simulation: {end_year: 2026}");
    for counts in &report.summary.years {
        let y = counts.year;
        let events = read(&out.join(format!("events/simulation_year={y}/events_{y}.parquet")));
        let snaps = read(&out.join(format!(
            "snapshots/simulation_year={y}/snapshot_{y}.parquet"
        )));
        assert_eq!(events.num_rows() as i64, counts.events);
        assert_eq!(snaps.num_rows() as i64, counts.n_start + counts.hires);
        let ty =
            |b: &RecordBatch, c: &str| b.schema().field_with_name(c).unwrap().data_type().clone();
        assert_eq!(ty(&events, "event_date"), DataType::Date32);
        assert_eq!(ty(&events, "simulation_year"), DataType::Int32);
        assert_eq!(ty(&events, "random_draw"), DataType::Float64);
        assert_eq!(
            ty(&events, "created_at"),
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        );
        assert_eq!(ty(&snaps, "plan_eligible"), DataType::Boolean);
        assert_eq!(ty(&snaps, "termination_date"), DataType::Date32);
        assert_eq!(events.schema().fields().len(), 20);
        assert_eq!(snaps.schema().fields().len(), 25);
        let ids = events.column_by_name("event_id").unwrap();
        let ids = ids
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        assert!(ids
            .iter()
            .all(|id| id.is_some_and(|id| id.len() == 28 && id.starts_with("EVT_"))));
    }
    assert!(out.join(MARKER).is_file());
    assert!(out.join("generation_summary.json").is_file());
}

#[test]
fn event_id_is_md5_of_its_key() {
    // printf '%s' 'default|default|EMP_000001|2025|1' | md5sum
    let id = wfsim::output::parquet::event_id("default", "default", "EMP_000001", 2025, 1);
    assert_eq!(
        std::str::from_utf8(&id).unwrap(),
        "EVT_cc794e5075a3911317fe6dfa"
    );
}

#[test]
fn a_year_without_events_still_gets_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let quiet = "simulation: {end_year: 2025, target_growth_rate: 0.0}\nworkforce: {total_termination_rate: 0.0}\ncompensation: {merit_min_tenure_years: 99}\npromotion: {base_rate: 0.0}\neligibility: {minimum_age: 99}\nenrollment: {conversion: {base_by_age: [0, 0, 0, 0]}}\ndeferral_auto_escalation: {enabled: false}\n";
    let report = run_into(&out, quiet);
    assert_eq!(report.summary.total_events, 0);
    let events = read(&out.join("events/simulation_year=2025/events_2025.parquet"));
    assert_eq!(events.num_rows(), 0);
    assert_eq!(events.schema().fields().len(), 20);
}

#[test]
fn leftovers_of_interrupted_runs_are_removed_but_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A staging directory of a dead process, with the marker: removed by the next run.
    let stale = dir.path().join(".out.wfsim-tmp-999999999");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join(MARKER), "x").unwrap();
    std::fs::write(stale.join("half.parquet"), "x").unwrap();
    // Same name pattern but not ours (no marker): left alone.
    let foreign = dir.path().join(".out.wfsim-tmp-999999998");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "x").unwrap();
    let staging = Staging::create(&out).unwrap();
    assert!(!stale.exists());
    assert!(foreign.join("keep.txt").is_file());
    staging.commit().unwrap();
    assert!(out.join(MARKER).is_file());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn a_dropped_staging_directory_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_into(&out, "simulation: {end_year: 2025}");
    let before =
        std::fs::read(out.join("events/simulation_year=2025/events_2025.parquet")).unwrap();
    {
        let staging = Staging::create(&out).unwrap();
        std::fs::write(staging.path().join("partial"), "x").unwrap();
    }
    assert_eq!(
        std::fs::read(out.join("events/simulation_year=2025/events_2025.parquet")).unwrap(),
        before
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
