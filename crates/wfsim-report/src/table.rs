//! The report's content, independent of its format: sections of charts with the tables of their
//! numbers. The HTML page and the workbook are both written from these, so a chart's table
//! and its sheet hold the same values.

/// How a column's numbers are shown (the value itself is always kept exact).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A calendar year, no digit grouping.
    Year,
    /// A whole number with digit grouping.
    Int,
    /// A number with two decimals (statistics of counts over seeds).
    Decimal,
    /// US dollars, shown whole.
    Money,
    /// A fraction, shown in percent with two decimals.
    Percent,
    /// A difference of two fractions, shown in signed percentage points with two decimals
    /// (`+0.88 pp`).
    Points,
    /// A number as written (a config value): the shortest form that reads back the same.
    Number,
    Text,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Num(f64),
    /// A number in its own format, overriding its column's (rows of different metrics).
    NumAs(f64, Format),
    Text(String),
    /// Text that must stand out (a failed test): bold red on the page and in the workbook.
    Mark(String),
    Empty,
}

impl Cell {
    /// The number, if the cell holds one.
    pub fn num(&self) -> Option<f64> {
        match self {
            Cell::Num(v) | Cell::NumAs(v, _) => Some(*v),
            _ => None,
        }
    }

    /// A number written as text (a seed, a count, a rate) as that number, so a workbook stores
    /// it as one; anything else (a path, a digest, a version) as text.
    pub fn parsed(v: &str) -> Cell {
        let plain = v
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        match v.parse::<f64>() {
            Ok(x) if plain && x.abs() < 9_007_199_254_740_992.0 => Cell::NumAs(x, Format::Number),
            _ => Cell::from(v),
        }
    }

    /// `Some(v)` in format `f`, else empty.
    pub fn as_format(v: Option<f64>, f: Format) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::NumAs(v, f))
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::Num(v)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Num)
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(v.to_string())
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(v)
    }
}

#[derive(Clone)]
pub struct Column {
    pub name: String,
    pub format: Format,
}

pub fn col(name: &str, format: Format) -> Column {
    Column {
        name: name.to_string(),
        format,
    }
}

/// A table of the report; `id` is also its sheet name in the workbook (at most 31 characters).
#[derive(Clone)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// A line written under the table's rows in the workbook (the page states it once per
    /// section, as [`Section::caveat`]).
    pub note: Option<String>,
}

/// A titled part of the report: what it shows and how it is defined, its charts, its tables.
pub struct Section {
    pub id: String,
    pub title: String,
    pub note: String,
    pub charts: Vec<String>,
    pub tables: Vec<Table>,
    /// One line under the section's note that qualifies every result in it (the
    /// simplifications of the nondiscrimination tests).
    pub caveat: Option<String>,
    /// The tables behind a closed "the numbers" disclosure on the page, so the printed page
    /// is its charts (the workbook has every table).
    pub folded: bool,
}

/// Which kind of directory the report was made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Run,
    Batch,
    Optimize,
}

/// A whole report: its title, the header facts, the sections and the inputs appendix.
pub struct Report {
    pub kind: Kind,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// The inputs (configs, census, seeds), in the appendix and on the Inputs sheet.
    pub inputs: Section,
    /// The workbook's sheets, in order.
    pub workbook: Vec<Table>,
}

impl Report {
    /// Every table of the page, in page order, the inputs last.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections
            .iter()
            .chain(std::iter::once(&self.inputs))
            .flat_map(|s| &s.tables)
    }
}

/// `1,234,567` (a minus sign kept) from a whole number.
pub fn grouped_int(x: f64) -> String {
    let n = x.round() as i128;
    let digits = wfsim::totals::grouped(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// The value as the HTML table shows it.
pub fn display(cell: &Cell, format: Format) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) | Cell::Mark(t) => t.clone(),
        Cell::NumAs(v, f) => display(&Cell::Num(*v), *f),
        Cell::Num(v) => match format {
            Format::Year => format!("{v:.0}"),
            Format::Int | Format::Money => grouped_int(*v),
            Format::Decimal => {
                let whole = grouped_int(v.trunc());
                let frac = format!("{:.2}", v.abs().fract());
                // 0.999 rounds up to "1.00": print the whole value rounded instead
                if frac.starts_with('1') {
                    format!("{}.00", grouped_int(v.round()))
                } else if *v < 0.0 && v.trunc() == 0.0 {
                    format!("-0{}", &frac[1..])
                } else {
                    format!("{whole}{}", &frac[1..])
                }
            }
            Format::Percent => format!("{:.2} %", v * 100.0),
            Format::Points => {
                let p = format!("{:.2}", v * 100.0);
                // a value that rounds to zero is shown unsigned, not as "-0.00"
                match p.trim_start_matches('-') {
                    "0.00" => "0.00 pp".to_string(),
                    _ if *v < 0.0 => format!("{p} pp"),
                    _ => format!("+{p} pp"),
                }
            }
            Format::Number | Format::Text => v.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_in_their_format() {
        let d = |v: f64, f| display(&Cell::Num(v), f);
        assert_eq!(d(2025.0, Format::Year), "2025");
        assert_eq!(d(-1234567.4, Format::Money), "-1,234,567");
        assert_eq!(d(1234.567, Format::Decimal), "1,234.57");
        assert_eq!(d(-0.25, Format::Decimal), "-0.25");
        assert_eq!(d(-12.999, Format::Decimal), "-13.00");
        assert_eq!(d(0.7025, Format::Percent), "70.25 %");
        assert_eq!(d(0.0625 - 0.0537, Format::Points), "+0.88 pp");
        assert_eq!(d(-0.0125, Format::Points), "-1.25 pp");
        assert_eq!(d(-0.00001, Format::Points), "0.00 pp");
        assert_eq!(display(&Cell::Empty, Format::Int), "");
        assert_eq!(d(0.06, Format::Number), "0.06");
    }

    #[test]
    fn numbers_written_as_text_become_numbers() {
        assert_eq!(Cell::parsed("42"), Cell::NumAs(42.0, Format::Number));
        assert_eq!(Cell::parsed("0.03"), Cell::NumAs(0.03, Format::Number));
        for text in [
            "census.csv",
            "0.1.0",
            "2025–2029",
            "1e5",
            "inf",
            "",
            "18446744073709551615",
        ] {
            assert_eq!(Cell::parsed(text), Cell::from(text), "{text}");
        }
    }
}
