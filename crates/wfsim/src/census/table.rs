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
}

impl Table {
    pub fn new(header: Vec<String>) -> Table {
        Table {
            header,
            text: String::new(),
            ends: Vec::new(),
            row_starts: vec![0],
        }
    }

    pub fn push_field(&mut self, field: &str) {
        self.text.push_str(field);
        self.ends.push(self.text.len());
    }

    pub fn end_row(&mut self) {
        self.row_starts.push(self.ends.len());
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
    pub fn value(&self, row: usize, c: Col) -> &str {
        c.position
            .and_then(|p| self.field(row, p))
            .map_or("", str::trim)
    }
}
