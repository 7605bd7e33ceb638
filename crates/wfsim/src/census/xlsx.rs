//! Excel workbook → [`Table`] (calamine). Cells become the text a CSV of the sheet would hold,
//! so they go through the same checks: numbers in their shortest exact form, Excel's own date
//! cells as ISO dates (whatever format the sheet displays them in), booleans as `true`/`false`,
//! error cells as Excel shows them (`#N/A`), which no field accepts.

use super::table::Table;
use super::{census_error, file_error};
use crate::error::Result;
use calamine::{Data, Reader};

/// Reads `sheet` (the first when `None`) with its header on sheet row `header_row` (1-based).
pub(super) fn read(
    bytes: Vec<u8>,
    file: &str,
    sheet: Option<&str>,
    header_row: usize,
) -> Result<Table> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| file_error(file, format!("cannot read as an Excel workbook: {e}")))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(file_error(
                file,
                format!(
                    "key `census.sheet`: the workbook has no sheet \"{s}\"; its sheets are: {}",
                    quoted(&names)
                ),
            ))
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| file_error(file, "the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| file_error(file, format!("sheet \"{name}\": cannot read it: {e}")))?;
    // The range starts at the first non-empty cell; rows and columns are counted from A1.
    let (top, left) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let width = left + range.width();
    let cell = |r: usize, c: usize| -> String {
        if r < top || c < left {
            return String::new();
        }
        range
            .get((r - top, c - left))
            .map_or_else(String::new, text)
    };
    let header_index = header_row - 1;
    if header_index >= top + range.height() {
        return Err(file_error(
            file,
            format!(
                "census.header_row is {header_row}, but sheet \"{name}\" has {} rows",
                top + range.height()
            ),
        ));
    }
    let header: Vec<String> = (0..width)
        .map(|c| cell(header_index, c).trim().to_string())
        .collect();
    let mut table = Table::new(header, header_row);
    for r in header_index + 1..top + range.height() {
        for c in 0..width {
            table.push_field(&cell(r, c));
        }
        table.end_row(r + 1);
    }
    table.drop_blank_tail();
    if table.header.iter().all(String::is_empty) {
        return Err(census_error(
            file,
            None,
            None,
            None,
            format!("sheet \"{name}\": row {header_row} (census.header_row) is empty"),
        ));
    }
    Ok(table)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A cell as CSV text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, d, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}
