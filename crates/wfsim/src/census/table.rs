//! The census as text fields, before typing: what the CSV and Parquet readers produce, so a
//! value is accepted or rejected the same way whatever the file type.

use super::columns::Col;

/// All fields live in one buffer: a million-row census as a `String` per field spent more time
/// in the allocator than in parsing.
pub(super) struct Table {
    pub header: Vec<String>,
    text: String,
    /// End offset in `text` of every field, row after row.
    ends: Vec<usize>,
    /// Index in `ends` of each row's first field, plus one past the last row.
    row_starts: Vec<usize>,
    /// The row of the file (1-based, as a spreadsheet counts) holding the header.
    pub header_line: usize,
    /// The row of the file holding each data row.
    lines: Vec<usize>,
    /// Whether the file has lines a reader can go to (CSV, a spreadsheet), so messages give
    /// them beside the data row; a Parquet file has none.
    pub numbered: bool,
}

impl Table {
    pub fn new(header: Vec<String>, header_line: usize) -> Table {
        Table {
            header,
            text: String::new(),
            ends: Vec::new(),
            row_starts: vec![0],
            header_line,
            lines: Vec::new(),
            numbered: true,
        }
    }

    pub fn push_field(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    /// Ends the row being pushed, which is row `line` of the file.
    pub fn end_row(&mut self, line: usize) {
        self.row_starts.push(self.ends.len());
        self.lines.push(line);
    }

    /// Drops the rows at the end whose every field is blank (spreadsheets export them).
    pub fn drop_blank_tail(&mut self) {
        while self.len() > 0 && self.row(self.len() - 1).all(|f| f.trim().is_empty()) {
            self.row_starts.pop();
            self.lines.pop();
            let end = self.row_starts[self.row_starts.len() - 1];
            self.ends.truncate(end);
            self.text.truncate(self.ends.last().copied().unwrap_or(0));
        }
    }

    /// The fields of row `row` (0-based), as written.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> {
        (0..self.row_starts[row + 1] - self.row_starts[row]).filter_map(move |c| self.field(row, c))
    }

    /// The row of the file holding data row `row` (0-based).
    pub fn line(&self, row: usize) -> usize {
        self.lines[row]
    }

    /// The line of a numbered file holding data row `row` (1-based, as messages count).
    pub fn file_line(&self, row: usize) -> Option<usize> {
        (self.numbered && row >= 1 && row <= self.lines.len()).then(|| self.lines[row - 1])
    }

    /// The first data row (0-based) with another number of fields than the header, and its
    /// count: a CSV record that does not line up with the header.
    pub fn ragged(&self) -> Option<(usize, usize)> {
        (0..self.len())
            .map(|r| (r, self.row_starts[r + 1] - self.row_starts[r]))
            .find(|&(_, n)| n != self.header.len())
    }

    pub fn len(&self) -> usize {
        self.row_starts.len() - 1
    }

    /// Field `col` of row `row` (0-based), or `None` past the end of a short row.
    fn field(&self, row: usize, col: usize) -> Option<&str> {
        let i = self.row_starts[row] + col;
        (i < self.row_starts[row + 1]).then(|| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.text[start..self.ends[i]]
        })
    }

    /// The trimmed value of census column `c` in row `row`; empty when absent.
    pub fn value(&self, row: usize, c: Col<'_>) -> &str {
        c.position
            .and_then(|p| self.field(row, p))
            .map_or("", str::trim)
    }
}
