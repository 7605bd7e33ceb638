//! The written files: spec §5 layout and types, atomic replacement and leftover cleanup.

mod common;

use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wfsim::census::{self, synthetic, CensusRow};
use wfsim::config::Model;
use wfsim::date::Date;
use wfsim::event::Category;
use wfsim::output::diff::diff_dirs;
use wfsim::output::directory::{Staging, MARKER};
use wfsim::RunReport;

fn read(path: &Path) -> RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

/// A synthetic census of 500 rows, leavers included.
fn synthetic_census(model: &Model) -> Vec<CensusRow> {
    synthetic::generate(
        model,
        &synthetic::Spec {
            employees: 500,
            seed: 4,
            census_date: Date::dec31(2024),
        },
    )
}

fn run_census(out: &Path, model: &Model, census: Vec<CensusRow>, threads: usize) -> RunReport {
    let inputs = wfsim::RunInputs {
        model: model.clone(),
        census,
        census_label: "test".into(),
        census_path: None,
        census_sha256: String::new(),
        census_deferral_rate_unit: None,
        census_rejects: Vec::new(),
        config_label: None,
        config_sha256: String::new(),
        out: out.to_path_buf(),
        threads,
        created_at_micros: 0,
    };
    wfsim::run(inputs, &()).unwrap()
}

fn run_into(out: &Path, yaml: &str) -> RunReport {
    let model = common::model(yaml);
    run_census(out, &model, synthetic_census(&model), 2)
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
        assert_eq!(
            snaps.num_rows() as i64,
            counts.n_start + counts.of(Category::NewHire)
        );
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
        assert_eq!(snaps.schema().fields().len(), 39);
        assert_eq!(ty(&snaps, "is_hce"), DataType::Boolean);
        assert_eq!(ty(&snaps, "is_key_employee"), DataType::Boolean);
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

fn column<'b, T: 'static>(batch: &'b RecordBatch, name: &str) -> &'b T {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap()
}

/// `census.parquet` is the census as loaded (spec §5): wfsim's names whatever the input used,
/// levels resolved, percent rates as fractions, leavers kept and marked, sorted by id, the same
/// bytes for any thread count; loading it again gives the same rows.
#[test]
fn the_census_is_written_as_loaded() {
    use arrow_array::{BooleanArray, Int32Array, StringArray};
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "employee_id,employee_birth_date,employee_hire_date,employee_gross_compensation,\
         employee_termination_date,level_id,employee_deferral_rate,eligibility_override,ssn\n\
         B,1980-01-01,2010-01-01,130000.5,,,6,,x\n\
         A,1975-05-05,2001-02-03,90000,2024-06-30,2,3.1,false,y\n\
         C,1990-02-28T00:00:00,2015-03-01,300000,,,,true,z\n",
    )
    .unwrap();
    let model = common::model("simulation: {end_year: 2025}");
    let pool = wfsim::settings::worker_pool(2).unwrap();
    let loaded = census::load(&csv, &model, &pool).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let report = run_census(&a, &model, loaded.rows.clone(), 1);
    run_census(&b, &model, loaded.rows.clone(), 3);
    assert_eq!(
        report.summary.years[0].n_start, 2,
        "the leaver is not simulated"
    );

    let written = a.join("census.parquet");
    let bytes = std::fs::read(&written).unwrap();
    assert_eq!(bytes, std::fs::read(b.join("census.parquet")).unwrap());
    let again = census::load(&written, &model, &pool).unwrap();
    assert_eq!(again.rows, loaded.rows);
    assert_eq!((again.leavers, again.derived_levels), (1, 0));
    assert_eq!(again.ignored_columns, ["is_leaver"]);

    let batch = read(&written);
    let fields: Vec<_> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
        .collect();
    let field = |name: &str, data_type, nullable| (name.to_string(), data_type, nullable);
    assert_eq!(
        fields,
        [
            field("employee_id", DataType::Utf8, false),
            field("birth_date", DataType::Date32, false),
            field("hire_date", DataType::Date32, false),
            field("termination_date", DataType::Date32, true),
            field("annual_salary", DataType::Float64, false),
            field("level_id", DataType::Int32, false),
            field("deferral_rate", DataType::Float64, false),
            field("auto_escalation_opt_out", DataType::Boolean, false),
            field("eligibility_override", DataType::Boolean, true),
            field("employer_balance", DataType::Float64, false),
            field("employee_balance", DataType::Float64, false),
            field("core_balance", DataType::Float64, false),
            field("prior_year_compensation", DataType::Float64, true),
            field("ownership_pct", DataType::Float64, false),
            field("officer", DataType::Boolean, false),
            field("is_leaver", DataType::Boolean, false),
        ]
    );
    let ids: Vec<_> = column::<StringArray>(&batch, "employee_id")
        .iter()
        .flatten()
        .collect();
    assert_eq!(ids, ["A", "B", "C"]);
    let levels: Vec<_> = column::<Int32Array>(&batch, "level_id")
        .iter()
        .flatten()
        .collect();
    assert_eq!(levels, [2, 3, 5]);
    let leavers: Vec<_> = column::<BooleanArray>(&batch, "is_leaver").iter().collect();
    assert_eq!(leavers, [Some(true), Some(false), Some(false)]);
    let overrides: Vec<_> = column::<BooleanArray>(&batch, "eligibility_override")
        .iter()
        .collect();
    assert_eq!(overrides, [Some(false), None, Some(true)]);
    let rates: Vec<_> = column::<arrow_array::Float64Array>(&batch, "deferral_rate")
        .iter()
        .flatten()
        .collect();
    assert_eq!(rates, [0.031, 0.06, 0.0]);
}

/// The built-in example and library callers' rows go through the same file: leavers are
/// written and marked, and only the others are simulated.
#[test]
fn a_census_built_in_memory_is_written_with_its_leavers() {
    use arrow_array::BooleanArray;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let model = common::model("simulation: {end_year: 2025}");
    let rows = synthetic_census(&model);
    let leavers = rows.iter().filter(|r| r.termination_date.is_some()).count();
    assert!(leavers > 0, "the synthetic census has leavers");
    let report = run_census(&out, &model, rows, 2);
    assert_eq!(report.summary.years[0].n_start, (500 - leavers) as i64);
    let batch = read(&out.join("census.parquet"));
    assert_eq!(batch.num_rows(), 500);
    let marked = column::<BooleanArray>(&batch, "is_leaver")
        .iter()
        .filter(|l| *l == Some(true))
        .count();
    assert_eq!(marked, leavers);
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

/// Every Parquet file under `dir`.
fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(parquet_files(&path));
        } else if path.extension().is_some_and(|e| e == "parquet") {
            files.push(path);
        }
    }
    files
}

/// Writes `batch` over `path` with the writer's default properties.
fn write(path: &Path, batch: &RecordBatch) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
}

/// A run into `a` and a copy of it in `b`, for `b` to be edited.
fn run_and_copy(dir: &Path) -> (PathBuf, PathBuf) {
    let (a, b) = (dir.join("a"), dir.join("b"));
    run_into(&a, "simulation: {end_year: 2026}");
    for file in parquet_files(&a) {
        let copy = b.join(file.strip_prefix(&a).unwrap());
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::copy(&file, &copy).unwrap();
    }
    (a, b)
}

/// `batch` with column `name` replaced.
fn with_column(batch: &RecordBatch, name: &str, column: ArrayRef) -> RecordBatch {
    let i = batch.schema().index_of(name).unwrap();
    let mut columns = batch.columns().to_vec();
    columns[i] = column;
    RecordBatch::try_new(batch.schema(), columns).unwrap()
}

/// The same data written the way pyarrow writes it, every field nullable and with metadata of
/// its own, is identical to the run; a changed value in such a copy is still found.
#[test]
fn diff_compares_values_whatever_the_nullability() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = run_and_copy(dir.path());
    let mut not_null = 0;
    for file in parquet_files(&b) {
        let batch = read(&file);
        let fields: Vec<Field> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| {
                not_null += usize::from(!f.is_nullable());
                let metadata = HashMap::from([("origin".to_string(), "rewritten".to_string())]);
                f.as_ref()
                    .clone()
                    .with_nullable(true)
                    .with_metadata(metadata)
            })
            .collect();
        let metadata = HashMap::from([("writer".to_string(), "pyarrow-like".to_string())]);
        let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
        write(
            &file,
            &RecordBatch::try_new(schema, batch.columns().to_vec()).unwrap(),
        );
        assert!(read(&file)
            .schema()
            .fields()
            .iter()
            .all(|f| f.is_nullable()));
    }
    assert!(not_null > 0, "the run wrote no non-nullable field to relax");

    let report = diff_dirs(&a, &b).unwrap();
    assert!(report.identical, "{}", report.report);
    assert_eq!(report.differing_rows, 0);
    assert!(!report.report.contains("schema"), "{}", report.report);

    let snapshot = b.join("snapshots/simulation_year=2025/snapshot_2025.parquet");
    let batch = read(&snapshot);
    let salary = batch.column_by_name("annual_salary").unwrap();
    let salary = salary.as_any().downcast_ref::<Float64Array>().unwrap();
    let raised: Float64Array = salary
        .iter()
        .enumerate()
        .map(|(i, v)| v.map(|v| if i == 0 { v + 1.0 } else { v }))
        .collect();
    write(
        &snapshot,
        &with_column(&batch, "annual_salary", Arc::new(raised)),
    );
    let report = diff_dirs(&a, &b).unwrap();
    assert!(!report.identical);
    assert_eq!(report.differing_rows, 1, "{}", report.report);
    assert!(
        report.report.contains("  * annual_salary"),
        "{}",
        report.report
    );
}

/// A column of another type, or missing on one side, is one line naming it with both sides, not
/// a dump of both schemas; so is a column order that differs.
#[test]
fn diff_reports_a_schema_difference_as_one_line_per_column() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = run_and_copy(dir.path());
    let snapshot = b.join("snapshots/simulation_year=2025/snapshot_2025.parquet");
    let batch = read(&snapshot);
    let level =
        arrow_cast::cast(batch.column_by_name("level_id").unwrap(), &DataType::Int64).unwrap();
    let i = batch.schema().index_of("level_id").unwrap();
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields[i] = fields[i].clone().with_data_type(DataType::Int64);
    let mut columns = batch.columns().to_vec();
    columns[i] = level;
    write(
        &snapshot,
        &RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap(),
    );
    let events = b.join("events/simulation_year=2026/events_2026.parquet");
    let mut batch = read(&events);
    batch.remove_column(batch.schema().index_of("random_draw").unwrap());
    write(&events, &batch);
    let snapshot = b.join("snapshots/simulation_year=2026/snapshot_2026.parquet");
    let batch = read(&snapshot);
    let (second, third) = {
        let schema = batch.schema();
        (
            schema.field(1).name().clone(),
            schema.field(2).name().clone(),
        )
    };
    let mut order: Vec<usize> = (0..batch.num_columns()).collect();
    order.swap(1, 2);
    write(&snapshot, &batch.project(&order).unwrap());

    let report = diff_dirs(&a, &b).unwrap();
    assert!(!report.identical);
    assert_eq!(report.differing_rows, 3, "{}", report.report);
    let text = &report.report;
    for expected in [
        "  snapshots 2025: schemas differ\n    level_id: A Int32 not null  |  B Int64 not null\n",
        "  events 2026: schemas differ\n    random_draw: A Float64 nullable  |  B missing\n    rows compared on the 19 shared columns\n",
        &format!("  snapshots 2026: schemas differ\n    column order differs from column 2: A {second}  |  B {third}\n"),
    ] {
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("Field {") && !text.contains("dict_id") && !text.contains("metadata"),
        "a Debug dump of the schema:\n{text}"
    );
    assert!(text.len() < 2000, "{} bytes:\n{text}", text.len());
}
