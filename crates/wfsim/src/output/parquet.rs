//! The Parquet files of spec §5: one events file and one snapshot file per year, zstd,
//! statistics on, sorted by employee (and event sequence).

use crate::bands::{age_band, tenure_band, AGE_BAND_LABELS, TENURE_BAND_LABELS};
use crate::error::{Error, Result};
use crate::event::{Event, SnapshotRow, YearOutput};
use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_writer::compute_leaves;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::format::SortingColumn;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Labels that every row of a run carries.
#[derive(Clone, Debug)]
pub struct RunLabels {
    pub scenario_id: String,
    pub plan_design_id: String,
    /// `created_at` in microseconds since the Unix epoch (never the wall clock).
    pub created_at_micros: i64,
}

fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

pub fn events_schema() -> SchemaRef {
    use DataType::*;
    let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
    Arc::new(Schema::new(vec![
        f("event_id", Utf8, false),
        f("scenario_id", Utf8, false),
        f("plan_design_id", Utf8, false),
        f("employee_id", Utf8, false),
        f("event_type", Utf8, false),
        f("event_category", Utf8, false),
        f("event_date", Date32, false),
        f("simulation_year", Int32, false),
        f("event_sequence", Int32, false),
        f("level_id", Int32, false),
        f("previous_level_id", Int32, true),
        f("compensation_amount", Float64, false),
        f("previous_compensation", Float64, true),
        f("employee_deferral_rate", Float64, false),
        f("prev_employee_deferral_rate", Float64, true),
        f("employee_age", Int32, false),
        f("employee_tenure", Int32, false),
        f("event_probability", Float64, true),
        f("random_draw", Float64, true),
        f("created_at", timestamp_type(), false),
    ]))
}

pub fn snapshots_schema() -> SchemaRef {
    use DataType::*;
    let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
    Arc::new(Schema::new(vec![
        f("scenario_id", Utf8, false),
        f("plan_design_id", Utf8, false),
        f("employee_id", Utf8, false),
        f("simulation_year", Int32, false),
        f("birth_date", Date32, false),
        f("hire_date", Date32, false),
        f("termination_date", Date32, true),
        f("employment_status", Utf8, false),
        f("detailed_status_code", Utf8, false),
        f("level_id", Int32, false),
        f("annual_salary", Float64, false),
        f("prorated_compensation", Float64, false),
        f("age", Int32, false),
        f("tenure_years", Int32, false),
        f("age_band", Utf8, false),
        f("tenure_band", Utf8, false),
        f("plan_eligible", Boolean, false),
        f("eligibility_date", Date32, true),
        f("is_enrolled", Boolean, false),
        f("enrollment_date", Date32, true),
        f("enrollment_method", Utf8, true),
        f("ever_opted_out", Boolean, false),
        f("deferral_rate", Float64, false),
        f("auto_escalation_opt_out", Boolean, false),
        f("escalations_received", Int32, false),
    ]))
}

/// `EVT_` + the first 24 hex digits of `md5("{scenario}|{plan}|{employee}|{N}|{sequence}")`.
pub fn event_id(
    scenario: &str,
    plan: &str,
    employee_id: &str,
    year: i32,
    sequence: i32,
) -> [u8; 28] {
    let mut y = itoa::Buffer::new();
    let mut s = itoa::Buffer::new();
    let digest = crate::rng::md5_joined(&[
        scenario.as_bytes(),
        plan.as_bytes(),
        employee_id.as_bytes(),
        y.format(year).as_bytes(),
        s.format(sequence).as_bytes(),
    ]);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = *b"EVT_000000000000000000000000";
    for (i, byte) in digest[..12].iter().enumerate() {
        out[4 + 2 * i] = HEX[usize::from(byte >> 4)];
        out[5 + 2 * i] = HEX[usize::from(byte & 15)];
    }
    out
}

/// One row group of the events file (also used by the floor benchmark).
pub fn events_batch(
    labels: &RunLabels,
    year: i32,
    events: &[Event],
    rows: &[SnapshotRow],
) -> RecordBatch {
    let n = events.len();
    let ids: Vec<[u8; 28]> = events
        .par_iter()
        .with_min_len(4096)
        .map(|e| {
            event_id(
                &labels.scenario_id,
                &labels.plan_design_id,
                &rows[e.row as usize].employee_id,
                year,
                e.sequence,
            )
        })
        .collect();
    let mut event_id = StringBuilder::with_capacity(n, n * 28);
    for id in &ids {
        event_id.append_value(std::str::from_utf8(id).expect("ascii"));
    }
    let constant = |v: &str| {
        let mut b = StringBuilder::with_capacity(n, n * v.len());
        (0..n).for_each(|_| b.append_value(v));
        Arc::new(b.finish()) as ArrayRef
    };
    let mut employee_id = StringBuilder::with_capacity(n, n * 12);
    let mut event_type = StringBuilder::with_capacity(n, n * 10);
    let mut category = StringBuilder::with_capacity(n, n * 16);
    let mut date = Date32Builder::with_capacity(n);
    let mut seq = Int32Builder::with_capacity(n);
    let mut level = Int32Builder::with_capacity(n);
    let mut prev_level = Int32Builder::with_capacity(n);
    let mut comp = Float64Builder::with_capacity(n);
    let mut prev_comp = Float64Builder::with_capacity(n);
    let mut rate = Float64Builder::with_capacity(n);
    let mut prev_rate = Float64Builder::with_capacity(n);
    let mut age = Int32Builder::with_capacity(n);
    let mut tenure = Int32Builder::with_capacity(n);
    let mut prob = Float64Builder::with_capacity(n);
    let mut draw = Float64Builder::with_capacity(n);
    let mut created = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    for e in events {
        employee_id.append_value(&rows[e.row as usize].employee_id);
        event_type.append_value(e.event_type.label());
        category.append_value(e.category.label());
        date.append_value(e.date.0);
        seq.append_value(e.sequence);
        level.append_value(i32::from(e.level));
        prev_level.append_option(e.previous_level.map(i32::from));
        comp.append_value(e.compensation);
        prev_comp.append_option(e.previous_compensation);
        rate.append_value(e.deferral_rate);
        prev_rate.append_option(e.previous_deferral_rate);
        age.append_value(e.age);
        tenure.append_value(e.tenure);
        prob.append_option(e.probability);
        draw.append_option(e.draw);
        created.append_value(labels.created_at_micros);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(event_id.finish()),
        constant(&labels.scenario_id),
        constant(&labels.plan_design_id),
        Arc::new(employee_id.finish()),
        Arc::new(event_type.finish()),
        Arc::new(category.finish()),
        Arc::new(date.finish()),
        Arc::new(Int32Array::from_value(year, n)),
        Arc::new(seq.finish()),
        Arc::new(level.finish()),
        Arc::new(prev_level.finish()),
        Arc::new(comp.finish()),
        Arc::new(prev_comp.finish()),
        Arc::new(rate.finish()),
        Arc::new(prev_rate.finish()),
        Arc::new(age.finish()),
        Arc::new(tenure.finish()),
        Arc::new(prob.finish()),
        Arc::new(draw.finish()),
        Arc::new(created.finish()),
    ];
    RecordBatch::try_new(events_schema(), columns).expect("columns match the events schema")
}

/// One row group of the snapshot file (also used by the floor benchmark).
pub fn snapshots_batch(labels: &RunLabels, year: i32, rows: &[SnapshotRow]) -> RecordBatch {
    let n = rows.len();
    let constant = |v: &str| {
        let mut b = StringBuilder::with_capacity(n, n * v.len());
        (0..n).for_each(|_| b.append_value(v));
        Arc::new(b.finish()) as ArrayRef
    };
    let mut employee_id = StringBuilder::with_capacity(n, n * 12);
    let mut birth = Date32Builder::with_capacity(n);
    let mut hire = Date32Builder::with_capacity(n);
    let mut term = Date32Builder::with_capacity(n);
    let mut status = StringBuilder::with_capacity(n, n * 10);
    let mut detailed = StringBuilder::with_capacity(n, n * 20);
    let mut level = Int32Builder::with_capacity(n);
    let mut salary = Float64Builder::with_capacity(n);
    let mut prorated = Float64Builder::with_capacity(n);
    let mut age = Int32Builder::with_capacity(n);
    let mut tenure = Int32Builder::with_capacity(n);
    let mut age_b = StringBuilder::with_capacity(n, n * 5);
    let mut tenure_b = StringBuilder::with_capacity(n, n * 5);
    let mut eligible = BooleanBuilder::with_capacity(n);
    let mut elig_date = Date32Builder::with_capacity(n);
    let mut enrolled = BooleanBuilder::with_capacity(n);
    let mut enroll_date = Date32Builder::with_capacity(n);
    let mut method = StringBuilder::with_capacity(n, n * 6);
    let mut opted_out = BooleanBuilder::with_capacity(n);
    let mut rate = Float64Builder::with_capacity(n);
    let mut esc_opt_out = BooleanBuilder::with_capacity(n);
    let mut escalations = Int32Builder::with_capacity(n);
    for r in rows {
        employee_id.append_value(&r.employee_id);
        birth.append_value(r.birth_date.0);
        hire.append_value(r.hire_date.0);
        term.append_option(r.termination_date.map(|d| d.0));
        status.append_value(if r.termination_date.is_some() {
            "terminated"
        } else {
            "active"
        });
        detailed.append_value(r.status.label());
        level.append_value(i32::from(r.level));
        salary.append_value(r.annual_salary);
        prorated.append_value(r.prorated_compensation);
        age.append_value(r.age);
        tenure.append_value(r.tenure);
        age_b.append_value(AGE_BAND_LABELS[age_band(r.age)]);
        tenure_b.append_value(TENURE_BAND_LABELS[tenure_band(r.tenure)]);
        eligible.append_value(r.plan_eligible);
        elig_date.append_option(r.eligibility_date.map(|d| d.0));
        enrolled.append_value(r.is_enrolled);
        enroll_date.append_option(r.enrollment_date.map(|d| d.0));
        method.append_option(r.enrollment_method.map(|m| m.label()));
        opted_out.append_value(r.ever_opted_out);
        rate.append_value(r.deferral_rate);
        esc_opt_out.append_value(r.auto_escalation_opt_out);
        escalations.append_value(r.escalations_received);
    }
    let columns: Vec<ArrayRef> = vec![
        constant(&labels.scenario_id),
        constant(&labels.plan_design_id),
        Arc::new(employee_id.finish()),
        Arc::new(Int32Array::from_value(year, n)),
        Arc::new(birth.finish()),
        Arc::new(hire.finish()),
        Arc::new(term.finish()),
        Arc::new(status.finish()),
        Arc::new(detailed.finish()),
        Arc::new(level.finish()),
        Arc::new(salary.finish()),
        Arc::new(prorated.finish()),
        Arc::new(age.finish()),
        Arc::new(tenure.finish()),
        Arc::new(age_b.finish()),
        Arc::new(tenure_b.finish()),
        Arc::new(eligible.finish()),
        Arc::new(elig_date.finish()),
        Arc::new(enrolled.finish()),
        Arc::new(enroll_date.finish()),
        Arc::new(method.finish()),
        Arc::new(opted_out.finish()),
        Arc::new(rate.finish()),
        Arc::new(esc_opt_out.finish()),
        Arc::new(escalations.finish()),
    ];
    RecordBatch::try_new(snapshots_schema(), columns).expect("columns match the snapshots schema")
}

/// zstd level 1 keeps most of the size win of higher levels at a fraction of the time. Unique
/// strings (ids) skip dictionary encoding, which only costs time when nothing repeats.
fn properties(sorted_by: Vec<SortingColumn>, unique_columns: &[&str]) -> WriterProperties {
    let mut builder = WriterProperties::builder();
    for column in unique_columns {
        builder = builder.set_column_dictionary_enabled((*column).into(), false);
    }
    builder
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("valid level"),
        ))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_sorting_columns(Some(sorted_by))
        .set_created_by(format!("wfsim {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Writer settings of the events file: sorted by employee_id (column 3), event_sequence (8).
pub fn events_properties() -> WriterProperties {
    properties(
        vec![
            SortingColumn {
                column_idx: 3,
                descending: false,
                nulls_first: false,
            },
            SortingColumn {
                column_idx: 8,
                descending: false,
                nulls_first: false,
            },
        ],
        &["event_id", "employee_id"],
    )
}

/// Writer settings of the snapshot file: sorted by employee_id (column 2).
pub fn snapshots_properties() -> WriterProperties {
    properties(
        vec![SortingColumn {
            column_idx: 2,
            descending: false,
            nulls_first: false,
        }],
        &["employee_id"],
    )
}

/// Rows per row group: big enough for good compression, small enough for readers to split
/// a large year across threads.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Writes one row group per batch, each built only when it is written so a year's Arrow data
/// is never all in memory. The columns of a row group are encoded in parallel; the bytes are
/// the same as a sequential write because each column chunk is encoded independently.
fn write_file(
    path: &Path,
    schema: SchemaRef,
    props: WriterProperties,
    row_groups: impl Iterator<Item = RecordBatch>,
) -> Result<()> {
    let dir = path.parent().expect("partition files live in a directory");
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let fail =
        |e: parquet::errors::ParquetError| Error::write(path, format!("cannot write Parquet: {e}"));
    let (mut writer, factory) = ArrowWriter::try_new(file, schema.clone(), Some(props))
        .and_then(ArrowWriter::into_serialized_writer)
        .map_err(fail)?;
    for (index, batch) in row_groups.enumerate() {
        let writers = factory.create_column_writers(index).map_err(fail)?;
        let chunks = writers
            .into_par_iter()
            .zip(schema.fields().par_iter().zip(batch.columns().par_iter()))
            .map(|(mut writer, (field, column))| {
                for leaf in compute_leaves(field, column)? {
                    writer.write(&leaf)?;
                }
                writer.close()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?;
        let mut row_group = writer.next_row_group().map_err(fail)?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut row_group).map_err(fail)?;
        }
        row_group.close().map_err(fail)?;
    }
    let file = writer.into_inner().map_err(fail)?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

/// `items` in row-group-sized pieces; an empty year still gets one (empty) row group.
fn row_group_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    let empty = items.is_empty().then_some(items);
    items.chunks(ROW_GROUP_ROWS).chain(empty)
}

/// Paths of one year's files under `root`.
pub fn year_paths(root: &Path, year: i32) -> (PathBuf, PathBuf) {
    (
        root.join("events")
            .join(format!("simulation_year={year}"))
            .join(format!("events_{year}.parquet")),
        root.join("snapshots")
            .join(format!("simulation_year={year}"))
            .join(format!("snapshot_{year}.parquet")),
    )
}

/// Writes one year's events and snapshot under `root`; returns the bytes written.
pub fn write_year(root: &Path, labels: &RunLabels, out: &YearOutput) -> Result<u64> {
    let (events_path, snapshot_path) = year_paths(root, out.year);
    // One file at a time: the columns of a row group already keep every core busy, and two
    // row groups' Arrow data at once is what set the peak memory of large runs.
    write_file(
        &events_path,
        events_schema(),
        events_properties(),
        row_group_chunks(&out.events)
            .map(|chunk| events_batch(labels, out.year, chunk, &out.snapshots)),
    )?;
    write_file(
        &snapshot_path,
        snapshots_schema(),
        snapshots_properties(),
        row_group_chunks(&out.snapshots).map(|chunk| snapshots_batch(labels, out.year, chunk)),
    )?;
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| Error::io(p, e))
    };
    Ok(size(&events_path)? + size(&snapshot_path)?)
}
