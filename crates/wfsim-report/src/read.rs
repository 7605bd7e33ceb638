//! Reading the files of a run or batch directory: JSON summaries and Parquet columns by name.
//! Every failure names the file.

use arrow_array::{
    Array, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use std::path::Path;
use wfsim::Error;

/// A problem with an input file's content, as an input error naming the file.
pub fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::input(
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidData, message.into()),
    )
}

pub fn json<T: serde::de::DeserializeOwned>(path: &Path) -> wfsim::Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(path, e))?;
    serde_json::from_str(&text).map_err(|e| bad(path, format!("not the expected JSON: {e}")))
}

/// The named columns of a Parquet file, all rows, in file order.
pub struct Columns {
    path: std::path::PathBuf,
    batches: Vec<RecordBatch>,
}

pub fn parquet(path: &Path, names: &[&str]) -> wfsim::Result<Columns> {
    let file = std::fs::File::open(path).map_err(|e| Error::input(path, e))?;
    let fail =
        |e: parquet::errors::ParquetError| bad(path, format!("not a readable Parquet file: {e}"));
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(fail)?;
    let fields = builder.schema().fields().clone();
    let mut roots = Vec::with_capacity(names.len());
    for name in names {
        let i = fields
            .iter()
            .position(|f| f.name() == name)
            .ok_or_else(|| bad(path, format!("no column `{name}`")))?;
        roots.push(i);
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder.with_projection(mask).build().map_err(fail)?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(path, format!("cannot read: {e}")))?;
    Ok(Columns {
        path: path.to_path_buf(),
        batches,
    })
}

impl Columns {
    fn each<A: Array + 'static, T>(
        &self,
        name: &str,
        kind: &str,
        get: impl Fn(&A, usize) -> T,
    ) -> wfsim::Result<Vec<T>> {
        let mut out = Vec::new();
        for b in &self.batches {
            let column = b
                .column_by_name(name)
                .ok_or_else(|| bad(&self.path, format!("no column `{name}`")))?;
            let a = column.as_any().downcast_ref::<A>().ok_or_else(|| {
                bad(
                    &self.path,
                    format!("column `{name}` is {}, expected {kind}", column.data_type()),
                )
            })?;
            out.extend((0..a.len()).map(|i| get(a, i)));
        }
        Ok(out)
    }

    pub fn f64(&self, name: &str) -> wfsim::Result<Vec<Option<f64>>> {
        self.each(name, "float64", |a: &Float64Array, i| {
            a.is_valid(i).then(|| a.value(i))
        })
    }

    pub fn i32(&self, name: &str) -> wfsim::Result<Vec<i32>> {
        self.each(name, "int32", |a: &Int32Array, i| a.value(i))
    }

    /// An int32 column that may hold nulls (the test flags), as float64.
    pub fn i32_opt(&self, name: &str) -> wfsim::Result<Vec<Option<f64>>> {
        self.each(name, "int32", |a: &Int32Array, i| {
            a.is_valid(i).then(|| f64::from(a.value(i)))
        })
    }

    pub fn i64(&self, name: &str) -> wfsim::Result<Vec<i64>> {
        self.each(name, "int64", |a: &Int64Array, i| a.value(i))
    }

    pub fn bool(&self, name: &str) -> wfsim::Result<Vec<bool>> {
        self.each(name, "boolean", |a: &BooleanArray, i| a.value(i))
    }

    pub fn string(&self, name: &str) -> wfsim::Result<Vec<String>> {
        self.each(name, "string", |a: &StringArray, i| a.value(i).to_string())
    }

    /// Whether each value of the column is null (any type).
    pub fn is_null(&self, name: &str) -> wfsim::Result<Vec<bool>> {
        let mut out = Vec::new();
        for b in &self.batches {
            let a = b
                .column_by_name(name)
                .ok_or_else(|| bad(&self.path, format!("no column `{name}`")))?;
            out.extend((0..a.len()).map(|i| a.is_null(i)));
        }
        Ok(out)
    }
}
