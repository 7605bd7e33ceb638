//! The Parquet files of spec §5: one events file and one snapshot file per year, and the census
//! as loaded; zstd, statistics on, sorted by employee (and event sequence).
//!
//! Each file is described by a table of columns (name, type, nullability, encoding, and how a
//! row group builds it), so the schema, the writer settings and the data come from one place.
//! A row group's columns are built and encoded one per task: they run in parallel and only the
//! columns being encoded are in memory, never a whole row group of Arrow data.

use crate::bands::{age_band, tenure_band, AGE_BAND_LABELS, TENURE_BAND_LABELS};
use crate::census::{CensusRow, Column as CensusColumn};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::event::{Event, SnapshotRow};
use crate::year::YearOutput;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_buffer::{Buffer, OffsetBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::arrow_writer::compute_leaves;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
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

/// The rows of one events row group; events find their employee id through `rows`, the
/// year's snapshot rows.
pub struct EventRows<'a> {
    pub labels: &'a RunLabels,
    pub year: i32,
    pub events: &'a [Event],
    pub rows: &'a [SnapshotRow],
}

/// The rows of one snapshot row group.
pub struct SnapshotRows<'a> {
    pub labels: &'a RunLabels,
    pub year: i32,
    pub rows: &'a [SnapshotRow],
}

/// The rows of one row group of `census.parquet`.
pub struct CensusRows<'a> {
    pub rows: &'a [CensusRow],
    /// Marks the leavers.
    pub census_date: Date,
}

/// Whether the writer tries dictionary encoding. Values that rarely repeat (ids, pay, draws,
/// birth and hire dates) go plain: hashing every value costs time, and under zstd plain
/// values come out smaller than a dictionary that holds nearly every value. Hashes go plain
/// and without statistics: the min and max of a hash prune nothing, and comparing every
/// 28-byte id costs more than the rest of its column's encoding but zstd.
#[derive(Clone, Copy, PartialEq)]
enum Values {
    Repeating,
    MostlyUnique,
    Hashes,
}
use Values::{Hashes, MostlyUnique, Repeating};

/// One column of an output file.
struct Column<R> {
    name: &'static str,
    data_type: DataType,
    nullable: bool,
    values: Values,
    build: fn(&R) -> ArrayRef,
}

fn col<R>(
    name: &'static str,
    data_type: DataType,
    nullable: bool,
    values: Values,
    build: fn(&R) -> ArrayRef,
) -> Column<R> {
    Column {
        name,
        data_type,
        nullable,
        values,
        build,
    }
}

fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn constant(value: &str, n: usize) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(std::iter::repeat_n(value, n)))
}

fn strings<'s>(values: impl Iterator<Item = &'s str>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

fn int32s(values: impl Iterator<Item = i32>) -> ArrayRef {
    Arc::new(Int32Array::from_iter_values(values))
}

fn float64s(values: impl Iterator<Item = f64>) -> ArrayRef {
    Arc::new(Float64Array::from_iter_values(values))
}

fn dates(values: impl Iterator<Item = Date>) -> ArrayRef {
    Arc::new(Date32Array::from_iter_values(values.map(|d| d.0)))
}

fn bools(values: impl Iterator<Item = bool>) -> ArrayRef {
    Arc::new(values.map(Some).collect::<BooleanArray>())
}

fn opt_int32s(values: impl Iterator<Item = Option<i32>>) -> ArrayRef {
    Arc::new(values.collect::<Int32Array>())
}

fn opt_float64s(values: impl Iterator<Item = Option<f64>>) -> ArrayRef {
    Arc::new(values.collect::<Float64Array>())
}

fn opt_dates(values: impl Iterator<Item = Option<Date>>) -> ArrayRef {
    Arc::new(values.map(|d| d.map(|d| d.0)).collect::<Date32Array>())
}

/// Event ids, hashed in parallel and several per md5 call: they are the costliest column.
fn event_ids(g: &EventRows) -> ArrayRef {
    const PART: usize = 4096;
    let mut ids = vec![[0u8; EVENT_ID_LEN]; g.events.len()];
    ids.par_chunks_mut(PART)
        .zip(g.events.par_chunks(PART))
        .for_each(|(ids, events)| {
            let mut slots = ids.iter_mut();
            event_ids_each(
                &g.labels.scenario_id,
                &g.labels.plan_design_id,
                g.year,
                events
                    .iter()
                    .map(|e| (&*g.rows[e.row as usize].employee_id, e.sequence)),
                |id| *slots.next().expect("a slot per event") = id,
            )
        });
    // Every id is 28 ASCII bytes: the hashed ids are the value buffer as they stand.
    let n = ids.len();
    let offsets = OffsetBuffer::from_lengths(std::iter::repeat_n(EVENT_ID_LEN, n));
    Arc::new(
        StringArray::try_new(offsets, Buffer::from_vec(ids.into_flattened()), None)
            .expect("event ids are ASCII"),
    )
}

fn event_columns<'a>() -> Vec<Column<EventRows<'a>>> {
    use DataType::*;
    vec![
        col("event_id", Utf8, false, Hashes, event_ids),
        col("scenario_id", Utf8, false, Repeating, |g| {
            constant(&g.labels.scenario_id, g.events.len())
        }),
        col("plan_design_id", Utf8, false, Repeating, |g| {
            constant(&g.labels.plan_design_id, g.events.len())
        }),
        col("employee_id", Utf8, false, MostlyUnique, |g| {
            strings(
                g.events
                    .iter()
                    .map(|e| &*g.rows[e.row as usize].employee_id),
            )
        }),
        col("event_type", Utf8, false, Repeating, |g| {
            strings(g.events.iter().map(|e| e.event_type.label()))
        }),
        col("event_category", Utf8, false, Repeating, |g| {
            strings(g.events.iter().map(|e| e.category.label()))
        }),
        col("event_date", Date32, false, Repeating, |g| {
            dates(g.events.iter().map(|e| e.date))
        }),
        col("simulation_year", Int32, false, Repeating, |g| {
            Arc::new(Int32Array::from_value(g.year, g.events.len()))
        }),
        col("event_sequence", Int32, false, Repeating, |g| {
            int32s(g.events.iter().map(|e| e.sequence))
        }),
        col("level_id", Int32, false, Repeating, |g| {
            int32s(g.events.iter().map(|e| i32::from(e.level)))
        }),
        col("previous_level_id", Int32, true, Repeating, |g| {
            opt_int32s(g.events.iter().map(|e| e.previous_level().map(i32::from)))
        }),
        col("compensation_amount", Float64, false, MostlyUnique, |g| {
            float64s(g.events.iter().map(|e| e.compensation))
        }),
        col("previous_compensation", Float64, true, MostlyUnique, |g| {
            opt_float64s(g.events.iter().map(Event::previous_compensation))
        }),
        col("employee_deferral_rate", Float64, false, Repeating, |g| {
            float64s(g.events.iter().map(|e| e.deferral_rate))
        }),
        col(
            "prev_employee_deferral_rate",
            Float64,
            true,
            Repeating,
            |g| opt_float64s(g.events.iter().map(Event::previous_deferral_rate)),
        ),
        col("employee_age", Int32, false, Repeating, |g| {
            int32s(g.events.iter().map(|e| e.age))
        }),
        col("employee_tenure", Int32, false, Repeating, |g| {
            int32s(g.events.iter().map(|e| e.tenure))
        }),
        col("event_probability", Float64, true, Repeating, |g| {
            opt_float64s(g.events.iter().map(Event::probability))
        }),
        col("random_draw", Float64, true, MostlyUnique, |g| {
            opt_float64s(g.events.iter().map(Event::draw))
        }),
        col("created_at", timestamp_type(), false, Repeating, |g| {
            Arc::new(
                TimestampMicrosecondArray::from_value(g.labels.created_at_micros, g.events.len())
                    .with_timezone("UTC"),
            )
        }),
    ]
}

fn snapshot_columns<'a>() -> Vec<Column<SnapshotRows<'a>>> {
    use DataType::*;
    vec![
        col("scenario_id", Utf8, false, Repeating, |g| {
            constant(&g.labels.scenario_id, g.rows.len())
        }),
        col("plan_design_id", Utf8, false, Repeating, |g| {
            constant(&g.labels.plan_design_id, g.rows.len())
        }),
        col("employee_id", Utf8, false, MostlyUnique, |g| {
            strings(g.rows.iter().map(|r| &*r.employee_id))
        }),
        col("simulation_year", Int32, false, Repeating, |g| {
            Arc::new(Int32Array::from_value(g.year, g.rows.len()))
        }),
        col("birth_date", Date32, false, MostlyUnique, |g| {
            dates(g.rows.iter().map(|r| r.birth_date))
        }),
        col("hire_date", Date32, false, MostlyUnique, |g| {
            dates(g.rows.iter().map(|r| r.hire_date))
        }),
        col("termination_date", Date32, true, Repeating, |g| {
            opt_dates(g.rows.iter().map(|r| r.termination_date))
        }),
        col("employment_status", Utf8, false, Repeating, |g| {
            strings(g.rows.iter().map(|r| {
                if r.termination_date.is_some() {
                    "terminated"
                } else {
                    "active"
                }
            }))
        }),
        col("detailed_status_code", Utf8, false, Repeating, |g| {
            strings(g.rows.iter().map(|r| r.status.label()))
        }),
        col("level_id", Int32, false, Repeating, |g| {
            int32s(g.rows.iter().map(|r| i32::from(r.level)))
        }),
        col("annual_salary", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.annual_salary))
        }),
        col("prorated_compensation", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.prorated_compensation))
        }),
        col("age", Int32, false, Repeating, |g| {
            int32s(g.rows.iter().map(|r| r.age))
        }),
        col("tenure_years", Int32, false, Repeating, |g| {
            int32s(g.rows.iter().map(|r| r.tenure))
        }),
        col("age_band", Utf8, false, Repeating, |g| {
            strings(g.rows.iter().map(|r| AGE_BAND_LABELS[age_band(r.age)]))
        }),
        col("tenure_band", Utf8, false, Repeating, |g| {
            strings(
                g.rows
                    .iter()
                    .map(|r| TENURE_BAND_LABELS[tenure_band(r.tenure)]),
            )
        }),
        col("plan_eligible", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.plan_eligible))
        }),
        col("eligibility_date", Date32, true, MostlyUnique, |g| {
            opt_dates(g.rows.iter().map(|r| r.eligibility_date))
        }),
        col("is_enrolled", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.is_enrolled))
        }),
        col("enrollment_date", Date32, true, Repeating, |g| {
            opt_dates(g.rows.iter().map(|r| r.enrollment_date))
        }),
        col("enrollment_method", Utf8, true, Repeating, |g| {
            Arc::new(
                g.rows
                    .iter()
                    .map(|r| r.enrollment_method.map(|m| m.label()))
                    .collect::<StringArray>(),
            )
        }),
        col("ever_opted_out", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.ever_opted_out))
        }),
        col("deferral_rate", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.deferral_rate))
        }),
        col("auto_escalation_opt_out", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.auto_escalation_opt_out))
        }),
        col("escalations_received", Int32, false, Repeating, |g| {
            int32s(g.rows.iter().map(|r| r.escalations_received))
        }),
        col("eligible_compensation", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.eligible_compensation))
        }),
        col("elected_deferral", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.elected_deferral))
        }),
        col("employee_deferral", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.employee_deferral))
        }),
        col("catch_up_deferral", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.catch_up_deferral))
        }),
        col("employer_match", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.employer_match))
        }),
        col("employer_core", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.employer_core))
        }),
        col("vested_fraction", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.vested_fraction))
        }),
        col("forfeiture", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.forfeiture))
        }),
        col("employer_balance", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.employer_balance))
        }),
        col("employee_balance", Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.money.employee_balance))
        }),
        col("core_balance", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.core_balance))
        }),
        col("core_vested_fraction", Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.money.core_vested_fraction))
        }),
        col("is_hce", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.is_hce))
        }),
        col("is_key_employee", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.is_key_employee))
        }),
    ]
}

/// The census as loaded: wfsim's column names, levels resolved, leavers marked, so a replay
/// (the dbt project) starts from exactly what the run started from.
fn census_columns<'a>() -> Vec<Column<CensusRows<'a>>> {
    use CensusColumn::*;
    use DataType::*;
    let name = CensusColumn::name;
    vec![
        col(name(EmployeeId), Utf8, false, MostlyUnique, |g| {
            strings(g.rows.iter().map(|r| r.employee_id.as_str()))
        }),
        col(name(BirthDate), Date32, false, MostlyUnique, |g| {
            dates(g.rows.iter().map(|r| r.birth_date))
        }),
        col(name(HireDate), Date32, false, MostlyUnique, |g| {
            dates(g.rows.iter().map(|r| r.hire_date))
        }),
        col(name(TerminationDate), Date32, true, Repeating, |g| {
            opt_dates(g.rows.iter().map(|r| r.termination_date))
        }),
        col(name(AnnualSalary), Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.annual_salary))
        }),
        col(name(LevelId), Int32, false, Repeating, |g| {
            int32s(g.rows.iter().map(|r| i32::from(r.level_id.get())))
        }),
        col(name(DeferralRate), Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.deferral_rate))
        }),
        col(name(AutoEscalationOptOut), Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.auto_escalation_opt_out))
        }),
        col(name(EligibilityOverride), Boolean, true, Repeating, |g| {
            Arc::new(
                g.rows
                    .iter()
                    .map(|r| r.eligibility_override)
                    .collect::<BooleanArray>(),
            )
        }),
        col(name(EmployerBalance), Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.employer_balance))
        }),
        col(name(EmployeeBalance), Float64, false, MostlyUnique, |g| {
            float64s(g.rows.iter().map(|r| r.employee_balance))
        }),
        col(name(CoreBalance), Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.core_balance))
        }),
        col(
            name(PriorYearCompensation),
            Float64,
            true,
            MostlyUnique,
            |g| opt_float64s(g.rows.iter().map(|r| r.prior_year_compensation)),
        ),
        col(name(OwnershipPct), Float64, false, Repeating, |g| {
            float64s(g.rows.iter().map(|r| r.ownership_pct))
        }),
        col(name(Officer), Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.officer))
        }),
        col("is_leaver", Boolean, false, Repeating, |g| {
            bools(g.rows.iter().map(|r| r.is_leaver(g.census_date)))
        }),
    ]
}

fn schema_of<R>(columns: &[Column<R>]) -> SchemaRef {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c.name, c.data_type.clone(), c.nullable))
            .collect::<Vec<_>>(),
    ))
}

fn batch_of<R>(columns: &[Column<R>], rows: &R) -> RecordBatch {
    RecordBatch::try_new(
        schema_of(columns),
        columns.iter().map(|c| (c.build)(rows)).collect(),
    )
    .expect("each column builds the type of its schema field")
}

pub fn events_schema() -> SchemaRef {
    schema_of(&event_columns())
}

pub fn snapshots_schema() -> SchemaRef {
    schema_of(&snapshot_columns())
}

/// One row group of the events file as a whole batch (for benchmarks and tests).
pub fn events_batch(rows: &EventRows) -> RecordBatch {
    batch_of(&event_columns(), rows)
}

/// One row group of the snapshot file as a whole batch (for benchmarks and tests).
pub fn snapshots_batch(rows: &SnapshotRows) -> RecordBatch {
    batch_of(&snapshot_columns(), rows)
}

const EVENT_ID_LEN: usize = 28;

/// `EVT_` + the first 24 hex digits of `md5("{scenario}|{plan}|{employee}|{N}|{sequence}")`.
pub fn event_id(
    scenario: &str,
    plan: &str,
    employee_id: &str,
    year: i32,
    sequence: i32,
) -> [u8; EVENT_ID_LEN] {
    let mut id = [0; EVENT_ID_LEN];
    event_ids_each(scenario, plan, year, [(employee_id, sequence)], |d| id = d);
    id
}

/// [`event_id`] of each `(employee_id, sequence)` of `keys`, in order.
fn event_ids_each<'k>(
    scenario: &str,
    plan: &str,
    year: i32,
    keys: impl IntoIterator<Item = (&'k str, i32)>,
    mut id: impl FnMut([u8; EVENT_ID_LEN]),
) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // The key's constant parts, joined once: `{scenario}|{plan}|` and `|{N}|`.
    let prefix = [scenario.as_bytes(), b"|", plan.as_bytes(), b"|"].concat();
    let year = [b"|", itoa::Buffer::new().format(year).as_bytes(), b"|"].concat();
    let mut s = itoa::Buffer::new();
    crate::md5_lanes::md5_each(
        keys,
        |(employee_id, sequence), key| {
            key.push(&prefix);
            key.push(employee_id.as_bytes());
            key.push(&year);
            key.push(s.format(sequence).as_bytes());
        },
        |digest| {
            let mut out = *b"EVT_000000000000000000000000";
            for (i, byte) in digest[..12].iter().enumerate() {
                out[4 + 2 * i] = HEX[usize::from(byte >> 4)];
                out[5 + 2 * i] = HEX[usize::from(byte & 15)];
            }
            id(out)
        },
    );
}

/// zstd level 1 keeps most of the size win of higher levels at a fraction of the time.
fn properties<R>(columns: &[Column<R>], sorted_by: &[&str]) -> WriterProperties {
    let index = |name: &str| {
        columns
            .iter()
            .position(|c| c.name == name)
            .expect("sorting columns are in the table") as i32
    };
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("valid level"),
        ))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_sorting_columns(Some(
            sorted_by
                .iter()
                .map(|name| SortingColumn {
                    column_idx: index(name),
                    descending: false,
                    nulls_first: false,
                })
                .collect(),
        ))
        .set_created_by(format!("wfsim {}", env!("CARGO_PKG_VERSION")));
    for c in columns.iter().filter(|c| c.values != Repeating) {
        builder = builder.set_column_dictionary_enabled(c.name.into(), false);
    }
    for c in columns.iter().filter(|c| c.values == Hashes) {
        builder = builder.set_column_statistics_enabled(c.name.into(), EnabledStatistics::None);
    }
    builder.build()
}

/// Writer settings of the events file, sorted by employee and event sequence.
pub fn events_properties() -> WriterProperties {
    properties(&event_columns(), &["employee_id", "event_sequence"])
}

/// Writer settings of the snapshot file, sorted by employee.
pub fn snapshots_properties() -> WriterProperties {
    properties(&snapshot_columns(), &["employee_id"])
}

/// Writer settings of `census.parquet`, sorted by employee.
pub fn census_properties() -> WriterProperties {
    properties(&census_columns(), &[CensusColumn::EmployeeId.name()])
}

/// A complete file whose bytes may not be on the device yet. Flushing waits on the device, not
/// the CPU, so a run flushes off the worker pool ([`Written::sync`]) while the pool goes on.
#[must_use = "a written file is flushed with `sync`"]
pub struct Written {
    path: PathBuf,
    file: std::fs::File,
}

impl Written {
    /// Flushes the file to the device; returns its size in bytes.
    pub fn sync(self) -> Result<u64> {
        let io = |e| Error::io(&self.path, e);
        self.file.sync_all().map_err(io)?;
        Ok(self.file.metadata().map_err(io)?.len())
    }

    /// Flushes every file; returns their total size.
    pub fn sync_all(files: Vec<Written>) -> Result<u64> {
        files.into_iter().map(Written::sync).sum()
    }
}

/// Rows per row group: big enough for good compression, small enough for readers to split
/// a large year across threads.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Writes one row group per item of `row_groups`. Each column of a row group is built and
/// encoded by its own task; the bytes are those of a sequential write because every column
/// chunk is encoded independently and appended in schema order.
fn write_file<R: Sync>(
    path: &Path,
    columns: &[Column<R>],
    props: WriterProperties,
    row_groups: impl Iterator<Item = R>,
) -> Result<Written> {
    let dir = path.parent().expect("output files live in a directory");
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let fail =
        |e: parquet::errors::ParquetError| Error::write(path, format!("cannot write Parquet: {e}"));
    let schema = schema_of(columns);
    let (mut writer, factory) = ArrowWriter::try_new(file, schema.clone(), Some(props))
        .and_then(ArrowWriter::into_serialized_writer)
        .map_err(fail)?;
    for (index, rows) in row_groups.enumerate() {
        let writers = factory.create_column_writers(index).map_err(fail)?;
        let chunks = writers
            .into_par_iter()
            .zip(schema.fields().par_iter().zip(columns.par_iter()))
            .map(|(mut writer, (field, column))| {
                let array = (column.build)(&rows);
                for leaf in compute_leaves(field, &array)? {
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
    Ok(Written {
        path: path.to_path_buf(),
        file,
    })
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

pub const CENSUS_FILE: &str = "census.parquet";

/// Writes `root/census.parquet` from `rows`, which are sorted by id.
pub fn write_census(root: &Path, rows: &[CensusRow], census_date: Date) -> Result<Written> {
    write_file(
        &root.join(CENSUS_FILE),
        &census_columns(),
        census_properties(),
        row_group_chunks(rows).map(|rows| CensusRows { rows, census_date }),
    )
}

/// Writes one year's events and snapshot under `root`.
pub fn write_year(root: &Path, labels: &RunLabels, out: &YearOutput) -> Result<Vec<Written>> {
    let (events_path, snapshot_path) = year_paths(root, out.year);
    write_year_to(Some(&events_path), Some(&snapshot_path), labels, out)
}

/// Writes one year's events file and/or snapshot file at the paths given (a batch keeps
/// either).
pub fn write_year_to(
    events_path: Option<&Path>,
    snapshot_path: Option<&Path>,
    labels: &RunLabels,
    out: &YearOutput,
) -> Result<Vec<Written>> {
    // Both files at once: each is a series of per-column tasks, and running the two together
    // keeps every core busy through the serial ends of each file (setup, footer).
    let (events, snapshot) = rayon::join(
        || {
            events_path
                .map(|path| {
                    write_file(
                        path,
                        &event_columns(),
                        events_properties(),
                        row_group_chunks(&out.events).map(|events| EventRows {
                            labels,
                            year: out.year,
                            events,
                            rows: &out.snapshots,
                        }),
                    )
                })
                .transpose()
        },
        || {
            snapshot_path
                .map(|path| {
                    write_file(
                        path,
                        &snapshot_columns(),
                        snapshots_properties(),
                        row_group_chunks(&out.snapshots).map(|rows| SnapshotRows {
                            labels,
                            year: out.year,
                            rows,
                        }),
                    )
                })
                .transpose()
        },
    );
    Ok(events?.into_iter().chain(snapshot?).collect())
}
