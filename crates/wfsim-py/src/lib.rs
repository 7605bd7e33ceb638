//! `wfsim._wfsim`: the Python package's native module. It wraps the `wfsim` library (never the
//! CLI): settings are resolved by `wfsim::settings`, runs and batches go through the same library
//! functions as `wfsim run` and `wfsim batch`, and results leave as Arrow C streams, so pyarrow
//! (and from it Polars or pandas) takes the engine's buffers without a copy. The Python layer
//! (`python/wfsim`) turns arguments into the calls below and the streams into tables.

use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::SchemaRef;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use wfsim::batch::metrics::{self, Value};
use wfsim::batch::{self, MetricsRow, YearMetrics};
use wfsim::census::LoadOptions;
use wfsim::output::directory::Staging;
use wfsim::output::parquet::{
    events_batch, events_schema, snapshots_batch, snapshots_schema, EventRows, RunLabels,
    SnapshotRows,
};
use wfsim::settings::{
    worker_pool, BatchRequest, BatchSettings, CensusSource, Environment, Request, Settings,
};
use wfsim::year::YearOutput;
use wfsim::Error;

create_exception!(wfsim, WfsimError, PyException, "Any wfsim failure.");
create_exception!(
    wfsim,
    UsageError,
    WfsimError,
    "An argument out of its range."
);
create_exception!(
    wfsim,
    InputError,
    WfsimError,
    "An input that cannot be read."
);
create_exception!(
    wfsim,
    ConfigError,
    InputError,
    "A config key that is wrong."
);
create_exception!(
    wfsim,
    CensusError,
    InputError,
    "A census file, row or value that is wrong."
);
create_exception!(
    wfsim,
    OutputError,
    WfsimError,
    "An output location wfsim refuses."
);
create_exception!(
    wfsim,
    EngineError,
    WfsimError,
    "A year the model cannot generate."
);
create_exception!(
    wfsim,
    WriteError,
    WfsimError,
    "Output that could not be written."
);

/// The library error as the matching Python exception, with the CLI's message (the error and
/// its causes, as `wfsim` prints them) and the parts a caller may want by name.
fn to_py(e: Error) -> PyErr {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    let err = match &e {
        Error::Usage { .. } => UsageError::new_err(message),
        Error::Input { .. } => InputError::new_err(message),
        Error::Config { .. } => ConfigError::new_err(message),
        Error::Census { .. } => CensusError::new_err(message),
        Error::Refused { .. } => OutputError::new_err(message),
        Error::Engine { .. } => EngineError::new_err(message),
        Error::Write { .. } => WriteError::new_err(message),
        // The machine would not start the threads: no subclass says who can fix that.
        Error::Threads { .. } => WfsimError::new_err(message),
    };
    Python::attach(|py| {
        let value = err.value(py);
        let set =
            |k: &str, v: Option<String>| value.setattr(k, v).expect("exceptions take attributes");
        match e {
            Error::Config { file, key, .. } => {
                set("file", Some(file));
                set("key", Some(key));
            }
            Error::Census {
                file,
                row,
                column,
                value: v,
                ..
            } => {
                set("file", Some(file));
                set("row", row.map(|r| r.to_string()));
                set("column", column);
                set("value", v);
            }
            Error::Input { path, .. } => set("file", Some(path)),
            _ => {}
        }
    });
    err
}

/// Batches handed to Python as an Arrow C stream (`__arrow_c_stream__`), once.
#[pyclass(module = "wfsim._wfsim")]
struct ArrowStream {
    schema: SchemaRef,
    batches: Option<Vec<RecordBatch>>,
}

#[pymethods]
impl ArrowStream {
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &mut self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // The schema is the engine's; a requested one is a hint the protocol lets us ignore.
        let _ = requested_schema;
        let batches = self
            .batches
            .take()
            .ok_or_else(|| WfsimError::new_err("this Arrow stream was already consumed"))?;
        let reader: Box<dyn RecordBatchReader + Send> = Box::new(RecordBatchIterator::new(
            batches.into_iter().map(Ok),
            self.schema.clone(),
        ));
        const NAME: &CStr = c"arrow_array_stream";
        PyCapsule::new_with_value(py, FFI_ArrowArrayStream::new(reader), NAME)
    }
}

fn stream(schema: SchemaRef, batches: Vec<RecordBatch>) -> ArrowStream {
    ArrowStream {
        schema,
        batches: Some(batches),
    }
}

/// Reads an Arrow C stream capsule (from any producer's `__arrow_c_stream__`) to its batches.
fn read_stream(capsule: &Bound<'_, PyCapsule>) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: the capsule holds an ArrowArrayStream (its name says so); `from_raw` moves it
    // out and leaves a released stream behind, which the capsule's destructor skips.
    let reader = unsafe { RecordBatchStreamReader::from_raw(ptr.as_ptr().cast()) }
        .map_err(|e| CensusError::new_err(format!("census table: cannot import: {e}")))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CensusError::new_err(format!("census table: cannot read: {e}")))?;
    Ok((schema, batches))
}

/// An in-memory census written as Parquet into `dir`, so it is checked by the same loader, with
/// the same messages, as a census file.
fn census_file(dir: &Path, schema: SchemaRef, batches: &[RecordBatch]) -> Result<PathBuf, Error> {
    let path = dir.join("census.parquet");
    let fail = |e: parquet::errors::ParquetError| {
        Error::write(&path, format!("cannot write Parquet: {e}"))
    };
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).map_err(fail)?;
    for b in batches {
        w.write(b).map_err(fail)?;
    }
    w.close().map_err(fail)?;
    Ok(path)
}

/// Collects each year's events and snapshot as Arrow batches while the run goes on.
#[derive(Default)]
struct Collect {
    years: Mutex<Vec<(RecordBatch, RecordBatch)>>,
}

impl wfsim::Progress for Collect {
    fn year_output(&self, labels: &RunLabels, out: &YearOutput) {
        let (events, snapshots) = wfsim::rayon::join(
            || {
                events_batch(&EventRows {
                    labels,
                    year: out.year,
                    events: &out.events,
                    rows: &out.snapshots,
                })
            },
            || {
                snapshots_batch(&SnapshotRows {
                    labels,
                    year: out.year,
                    rows: &out.snapshots,
                })
            },
        );
        self.years
            .lock()
            .expect("no panics while holding the lock")
            .push((events, snapshots));
    }
}

/// Where the census of a run comes from, as the Python layer passes it.
#[derive(FromPyObject)]
enum CensusArg<'py> {
    Table(Bound<'py, PyCapsule>),
    Path(PathBuf),
}

/// One run; returns (events, snapshots, metrics, summary JSON).
#[pyfunction]
#[pyo3(signature = (census, census_label, config_path, config_text, seed, scenario, start, end, out, threads))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    census: Option<CensusArg<'_>>,
    census_label: String,
    config_path: Option<PathBuf>,
    config_text: Option<String>,
    seed: Option<u64>,
    scenario: Option<String>,
    start: Option<i32>,
    end: Option<i32>,
    out: Option<PathBuf>,
    threads: Option<usize>,
) -> PyResult<(ArrowStream, ArrowStream, ArrowStream, String)> {
    let (census_path, table) = match census {
        Some(CensusArg::Path(p)) => (Some(p), None),
        Some(CensusArg::Table(capsule)) => (None, Some(read_stream(&capsule)?)),
        None => (None, None),
    };
    let request = Request {
        config: config_path,
        census: census_path,
        start,
        end,
        seed,
        scenario,
        out: out.clone(),
        threads,
        ..Request::default()
    };
    let env = Environment::of_process();
    let collect = Collect::default();
    let report = py.detach(|| -> Result<_, Error> {
        let mut settings = match &config_text {
            Some(text) => Settings::resolve_inline(&request, &env, "config dict", text)?,
            None => Settings::resolve(&request, &env)?,
        };
        let scratch = tempfile::tempdir().map_err(|e| Error::io(&std::env::temp_dir(), e))?;
        if let Some((schema, batches)) = &table {
            settings.census =
                CensusSource::File(census_file(scratch.path(), schema.clone(), batches)?);
        }
        let pool = worker_pool(settings.threads)?;
        let scratch_file = settings.census.path().map(|p| p.display().to_string());
        let loaded = settings
            .load_census(&pool, LoadOptions::default())
            .map_err(|e| match (e, &table) {
                (
                    Error::Census {
                        file,
                        row,
                        column,
                        value,
                        message,
                        ..
                    },
                    Some(_),
                ) if Some(&file) == scratch_file.as_ref() => Error::Census {
                    file: census_label.clone(),
                    row,
                    line: None,
                    column,
                    value,
                    message,
                },
                (e, _) => e,
            })?;
        let mut inputs = settings.into_inputs(loaded);
        if table.is_some() {
            inputs.census_label = census_label.clone();
            inputs.census_path = None;
        }
        match out {
            Some(_) => wfsim::run(inputs, &collect),
            None => wfsim::run_in_memory(inputs, &collect),
        }
    });
    let report = report.map_err(to_py)?;
    let s = &report.summary;
    let (events, snapshots): (Vec<_>, Vec<_>) = collect
        .years
        .into_inner()
        .expect("no panics while holding the lock")
        .into_iter()
        .unzip();
    let rows: Vec<MetricsRow> = s
        .years
        .iter()
        .map(|y| MetricsRow {
            scenario_id: &s.scenario_id,
            random_seed: s.random_seed,
            year: y.year,
            values: metrics::of_year(y),
        })
        .collect();
    let metrics = batch::metrics_batch(&rows);
    let summary = serde_json::to_string(s).expect("the summary serialises");
    Ok((
        stream(events_schema(), events),
        stream(snapshots_schema(), snapshots),
        stream(metrics.schema(), vec![metrics]),
        summary,
    ))
}

fn keep(events: bool, snapshots: bool) -> batch::Keep {
    batch::Keep { events, snapshots }
}

/// A batch's inputs as `wfsim batch` builds them, through the same
/// [`wfsim::settings::BatchSettings`]: the thread count and `created_at` resolved there (unless
/// given), the census map applied to every scenario, the census loaded for the first scenario.
fn batch_inputs(request: &BatchRequest) -> Result<batch::BatchInputs, Error> {
    let settings = BatchSettings::resolve(request, &Environment::of_process())?;
    let pool = worker_pool(settings.threads)?;
    let census = settings.load_census(&pool, LoadOptions::default())?;
    Ok(settings.into_inputs(census))
}

/// `wfsim batch BATCH --out OUT [--census-map MAP]`; returns the batch summary as JSON.
#[pyfunction]
#[pyo3(signature = (path, out, keep_events, keep_snapshots, threads = None, census_map = None))]
fn run_batch(
    py: Python<'_>,
    path: PathBuf,
    out: PathBuf,
    keep_events: bool,
    keep_snapshots: bool,
    threads: Option<usize>,
    census_map: Option<PathBuf>,
) -> PyResult<String> {
    let request = BatchRequest {
        file: path,
        out,
        keep: keep(keep_events, keep_snapshots),
        threads,
        census_map,
        created_at_micros: None,
        strict: false,
    };
    let report = py
        .detach(|| batch::run(batch_inputs(&request)?, &()))
        .map_err(to_py)?;
    Ok(serde_json::to_string(&report.summary).expect("the summary serialises"))
}

/// `wfsim optimize SPEC --out OUT [--census-map MAP]`, through the same
/// [`wfsim::settings::OptimizeSettings`]; returns the optimization summary as JSON.
#[pyfunction]
#[pyo3(signature = (path, out, threads = None, census_map = None))]
fn run_optimize(
    py: Python<'_>,
    path: PathBuf,
    out: PathBuf,
    threads: Option<usize>,
    census_map: Option<PathBuf>,
) -> PyResult<String> {
    let request = wfsim::settings::OptimizeRequest {
        file: path,
        out,
        threads,
        census_map,
    };
    let report = py
        .detach(|| {
            let settings =
                wfsim::settings::OptimizeSettings::resolve(&request, &Environment::of_process())?;
            let pool = worker_pool(settings.threads)?;
            let census = settings.load_census(&pool, LoadOptions::default())?;
            wfsim::optimize::run(settings.into_inputs(census), &())
        })
        .map_err(to_py)?;
    Ok(serde_json::to_string(&report.summary).expect("the summary serialises"))
}

/// A run's metrics as plain Python values, exact (a rate travels as its f64 bits), so Ray can
/// send them back: per year, `(year, [(kind, value)])`, kind 0 a count, 1 cents, 2 a rate, 3 a
/// null rate, 4 a flag (1/0), 5 a null flag.
type Encoded = Vec<(i32, Vec<(u8, i64)>)>;

fn encode(years: &[YearMetrics]) -> Encoded {
    years
        .iter()
        .map(|y| {
            let values = y
                .values
                .iter()
                .map(|v| match *v {
                    Value::Count(n) => (0, n),
                    Value::Cents(c) => (1, c),
                    Value::Rate(Some(r)) => (2, r.to_bits() as i64),
                    Value::Rate(None) => (3, 0),
                    Value::Flag(Some(f)) => (4, i64::from(f)),
                    Value::Flag(None) => (5, 0),
                })
                .collect();
            (y.year, values)
        })
        .collect()
}

fn decode(run: Encoded) -> PyResult<Vec<YearMetrics>> {
    let bad = || WfsimError::new_err("a run's metrics do not read back");
    run.into_iter()
        .map(|(year, values)| {
            let values: Vec<Value> = values
                .into_iter()
                .map(|(kind, v)| match kind {
                    0 => Ok(Value::Count(v)),
                    1 => Ok(Value::Cents(v)),
                    2 => Ok(Value::Rate(Some(f64::from_bits(v as u64)))),
                    3 => Ok(Value::Rate(None)),
                    4 => Ok(Value::Flag(Some(v != 0))),
                    5 => Ok(Value::Flag(None)),
                    _ => Err(bad()),
                })
                .collect::<PyResult<_>>()?;
            Ok(YearMetrics {
                year,
                values: values.try_into().map_err(|_| bad())?,
            })
        })
        .collect()
}

/// A batch planned for runs that go elsewhere (Ray tasks): the driver holds one to create the
/// staging directory and finish; each task holds one to run its share of the runs.
#[pyclass(module = "wfsim._wfsim")]
struct BatchPlan {
    plan: batch::Plan,
    staging: Option<Staging>,
    created_at_micros: i64,
}

#[pymethods]
impl BatchPlan {
    #[new]
    #[pyo3(signature = (path, out, keep_events, keep_snapshots, threads = None, created_at_micros = None, census_map = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        out: PathBuf,
        keep_events: bool,
        keep_snapshots: bool,
        threads: Option<usize>,
        created_at_micros: Option<i64>,
        census_map: Option<PathBuf>,
    ) -> PyResult<BatchPlan> {
        let request = BatchRequest {
            file: path,
            out,
            keep: keep(keep_events, keep_snapshots),
            threads,
            census_map,
            created_at_micros,
            strict: false,
        };
        py.detach(|| {
            let inputs = batch_inputs(&request)?;
            let created_at_micros = inputs.created_at_micros;
            Ok(BatchPlan {
                plan: batch::plan(inputs)?,
                staging: None,
                created_at_micros,
            })
        })
        .map_err(to_py)
    }

    /// Runs in the batch; run `r` is scenario `r // seeds`, seed `r % seeds`.
    #[getter]
    fn runs(&self) -> usize {
        self.plan.runs()
    }

    /// `created_at` of every event, as resolved here (the tasks must use the driver's).
    #[getter]
    fn created_at_micros(&self) -> i64 {
        self.created_at_micros
    }

    /// Creates the staging directory beside `out` (checked as `wfsim batch` checks it) and
    /// returns its path: the tasks write their parts there.
    fn begin(&mut self) -> PyResult<PathBuf> {
        let staging = Staging::create(self.plan.out()).map_err(to_py)?;
        let path = staging.path().to_path_buf();
        self.staging = Some(staging);
        Ok(path)
    }

    /// Runs run `r`, writing its kept files under `root`; returns its metrics (see [`Encoded`]).
    fn run(&self, py: Python<'_>, r: usize, root: PathBuf) -> PyResult<Encoded> {
        if r >= self.plan.runs() {
            return Err(UsageError::new_err(format!(
                "run {r}: the batch has {} runs",
                self.plan.runs()
            )));
        }
        let years = py.detach(|| self.plan.run(r, &root)).map_err(to_py)?;
        Ok(encode(&years))
    }

    /// Writes the batch's own files from every run's metrics (in run order) and swaps the
    /// staging directory into place; returns the batch summary as JSON.
    fn finish(&mut self, py: Python<'_>, results: Vec<Encoded>) -> PyResult<String> {
        let staging = self
            .staging
            .take()
            .ok_or_else(|| UsageError::new_err("finish before begin"))?;
        if results.len() != self.plan.runs() {
            return Err(UsageError::new_err(format!(
                "{} results for {} runs",
                results.len(),
                self.plan.runs()
            )));
        }
        let results = results
            .into_iter()
            .map(decode)
            .collect::<PyResult<Vec<_>>>()?;
        let plan = &self.plan;
        let report = py
            .detach(|| {
                let report = plan.finish(&results, staging.path())?;
                staging.commit()?;
                Ok(report)
            })
            .map_err(to_py)?;
        Ok(serde_json::to_string(&report.summary).expect("the summary serialises"))
    }
}

#[pymodule]
fn _wfsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("WfsimError", py.get_type::<WfsimError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("CensusError", py.get_type::<CensusError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add("EngineError", py.get_type::<EngineError>())?;
    m.add("WriteError", py.get_type::<WriteError>())?;
    m.add_class::<ArrowStream>()?;
    m.add_class::<BatchPlan>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(run_batch, m)?)?;
    m.add_function(wrap_pyfunction!(run_optimize, m)?)?;
    Ok(())
}
