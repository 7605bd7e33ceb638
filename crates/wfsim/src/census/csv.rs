//! CSV → [`Table`]: UTF-8 with an optional byte-order mark, a header row, fields as written.

use super::columns::has_required;
use super::table::Table;
use super::{census_error, file_error};
use crate::config::Column;
use crate::error::Result;

/// Reads the CSV with its header on line `header_row` (1-based); lines above it are skipped.
pub(super) fn read(bytes: &[u8], file: &str, header_row: usize) -> Result<Table> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let required: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required())
            .map(|c| c.name())
            .collect();
        return Err(file_error(
            file,
            format!(
                "the file is empty (expected a header row with {})",
                required.join(", ")
            ),
        ));
    }
    // Flexible: rows above the header (a report title) have their own width; data rows are
    // held to the header's width once the columns are resolved (`Table::ragged`).
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = ::csv::ByteRecord::new();
    // The header: the record starting on line `header_row`.
    let header_record = loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|e| file_error(file, format!("cannot read the header: {e}")))?;
        let line = start_line(bytes, &record);
        if !more || line > header_row {
            return Err(file_error(
                file,
                format!("census.header_row is {header_row}, but no row of the file starts on line {header_row} (it is blank, inside a quoted field, or past the end)"),
            ));
        }
        if line == header_row {
            break record.clone();
        }
    };
    let mut header = Vec::with_capacity(header_record.len());
    for (i, h) in header_record.iter().enumerate() {
        let t = std::str::from_utf8(h).map_err(|_| {
            census_error(
                file,
                None,
                None,
                Some(&String::from_utf8_lossy(h)),
                format!("header field {} is not valid UTF-8", i + 1),
            )
        })?;
        header.push(t.trim_start_matches('\u{feff}').trim().to_string());
    }
    if looks_semicolon_separated(&header) {
        return Err(file_error(file, "the file looks semicolon-separated; save it with commas (in Excel: CSV UTF-8 (Comma delimited))",
        ));
    }
    let mut table = Table::new(header, header_row);
    for row in 1.. {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            census_error(file, Some(row), None, None, format!("malformed CSV: {e}"))
        })?;
        if !more {
            break;
        }
        for (j, f) in record.iter().enumerate() {
            let t = std::str::from_utf8(f).map_err(|_| {
                census_error(
                    file,
                    Some(row),
                    table.header.get(j).map(String::as_str),
                    Some(&String::from_utf8_lossy(f)),
                    "the value is not valid UTF-8 (save the file as UTF-8)",
                )
            })?;
            table.push_field(t);
        }
        table.end_row(start_line(bytes, &record));
    }
    table.drop_blank_tail();
    Ok(table)
}

/// The line (1-based) a record starts on. The reader's position is where it began reading,
/// before the blank lines it skips, so those are counted here.
fn start_line(bytes: &[u8], record: &::csv::ByteRecord) -> usize {
    let Some(p) = record.position() else {
        return 0;
    };
    let blank = bytes
        .get(p.byte() as usize..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    p.line() as usize + blank
}

/// A header of one field that splits on `;` into the required columns: a spreadsheet saved
/// with a European list separator, which would otherwise fail as a missing column.
fn looks_semicolon_separated(header: &[String]) -> bool {
    match header {
        [only] if only.contains(';') => {
            has_required(only.split(';').map(|h| h.trim().trim_matches('"')))
        }
        _ => false,
    }
}
