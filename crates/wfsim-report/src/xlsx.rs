//! The report's tables as an Excel workbook: one sheet per table, the values as real numbers
//! with number formats, the header row frozen and filterable, and the table's note (if any) on
//! its own line under the rows, after a blank row.

use crate::table::{display, Cell, Format, Report, Table};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XFormat, Workbook, XlsxError};

fn number_format(f: Format) -> XFormat {
    let code = match f {
        Format::Year => "0",
        Format::Int => "#,##0",
        Format::Decimal => "#,##0.00",
        Format::Money => "\"$\"#,##0.00",
        Format::Percent => "0.00%",
        // a difference of rates: signed, in percent (Excel cannot scale to points without a %)
        Format::Points => "+0.00%;-0.00%;0.00%",
        Format::Number => "General",
        Format::Text => "@",
    };
    XFormat::new().set_num_format(code)
}

fn sheet(wb: &mut Workbook, t: &Table) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(&t.id)?;
    let header = XFormat::new().set_bold().set_text_wrap();
    let mut widths: Vec<usize> = t
        .columns
        .iter()
        .map(|c| c.name.chars().count().min(24))
        .collect();
    for (j, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, &c.name, &header)?;
    }
    let mark = XFormat::new().set_bold().set_font_color(0xB0_0020);
    let formats: Vec<XFormat> = t.columns.iter().map(|c| number_format(c.format)).collect();
    for (i, row) in t.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (j, cell) in row.iter().enumerate() {
            let c = j as u16;
            match cell {
                Cell::Num(v) => {
                    ws.write_number_with_format(r, c, *v, &formats[j])?;
                }
                Cell::NumAs(v, f) => {
                    ws.write_number_with_format(r, c, *v, &number_format(*f))?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Mark(s) => {
                    ws.write_string_with_format(r, c, s, &mark)?;
                }
                Cell::Empty => {}
            }
            let shown = display(cell, t.columns[j].format).chars().count() + 2;
            widths[j] = widths[j].max(shown.min(60));
        }
    }
    if let Some(note) = &t.note {
        // below a blank row, outside the filter range; not counted in the column widths (it
        // may run across the empty cells to its right)
        ws.write_string_with_format(
            t.rows.len() as u32 + 2,
            0,
            note,
            &XFormat::new().set_italic(),
        )?;
    }
    for (j, w) in widths.iter().enumerate() {
        ws.set_column_width(j as u16, *w as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !t.rows.is_empty() && !t.columns.is_empty() {
        ws.autofilter(0, 0, t.rows.len() as u32, t.columns.len() as u16 - 1)?;
    }
    Ok(())
}

/// The workbook's bytes. Its creation date is fixed (1970-01-01, like the events' default
/// `created_at`) so the same report gives the same bytes.
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(1970, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&r.title)
            .set_author("wfsim report")
            .set_creation_datetime(&epoch),
    );
    for t in &r.workbook {
        sheet(&mut wb, t)?;
    }
    wb.save_to_buffer()
}
