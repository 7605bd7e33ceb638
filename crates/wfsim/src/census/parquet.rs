//! Parquet → [`Table`]: the columns wfsim reads are cast to text (whatever their type), so they
//! go through the same checks as a CSV field. The decoder runs under a panic guard.

use super::columns::is_used;
use super::table::Table;
use super::{census_error, file_error};
use crate::config::ColumnMap;
use crate::error::Result;
use arrow_array::{Array, StringArray};
use arrow_schema::DataType;

pub(super) fn read(bytes: Vec<u8>, file: &str, map: &ColumnMap) -> Result<Table> {
    catch_decoder_panic(|| read_unguarded(bytes, file, map)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        Err(file_error(
            file,
            format!("cannot read as Parquet: the file is corrupt (the decoder failed: {why})"),
        ))
    })
}

/// Runs `f`, turning a panic into `Err` without printing it. The parquet crate has panicked on
/// corrupt files (56 on an out-of-bounds dictionary index in its RLE decoder, a file that 60
/// reports as an error), and a census file must never crash wfsim. The panic hook is wrapped once so that it stays silent
/// only on this thread and only while `f` runs; other panics are reported as before.
pub(super) fn catch_decoder_panic<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    use std::cell::Cell;
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static WRAP_HOOK: std::sync::Once = std::sync::Once::new();
    WRAP_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

fn read_unguarded(bytes: Vec<u8>, file: &str, map: &ColumnMap) -> Result<Table> {
    use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: &dyn std::fmt::Display| file_error(file, format!("cannot read as Parquet: {e}"));
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).map_err(|e| bad(&e))?;
    let schema = builder.schema().clone();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let reader = builder.build().map_err(|e| bad(&e))?;
    let mut table = Table::new(header.clone(), 1);
    table.numbered = false;
    for batch in reader {
        let batch = batch.map_err(|e| bad(&e))?;
        let mut columns = Vec::with_capacity(batch.num_columns());
        for (j, col) in batch.columns().iter().enumerate() {
            if !is_used(&header[j], map) {
                columns.push(None);
                continue;
            }
            let text = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| {
                census_error(
                    file,
                    None,
                    Some(&header[j]),
                    None,
                    format!(
                        "column of type {} cannot be read as text: {e}",
                        col.data_type()
                    ),
                )
            })?;
            columns.push(Some(
                text.as_any()
                    .downcast_ref::<StringArray>()
                    .expect("cast to Utf8 gives a StringArray")
                    .clone(),
            ));
        }
        for r in 0..batch.num_rows() {
            for c in &columns {
                table.push_field(
                    c.as_ref()
                        .filter(|c| c.is_valid(r))
                        .map_or("", |c| c.value(r)),
                );
            }
            table.end_row(table.len() + 2);
        }
    }
    Ok(table)
}
