//! `census`: how the census file is read. Kept out of the model's sections: it describes the
//! file, not the workforce, so scenarios do not vary it. `--census-map FILE` holds this section
//! alone ([`CensusMap`]), for a mapping kept apart from the assumptions.

use crate::error::{Error, Result};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::path::Path;

/// The unit of the census `deferral_rate` column (spec §6). A census coded in percent is
/// common, and a `1` in it means 1 %, not 100 %: the unit is decided once per file, never per
/// value.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeferralRateUnit {
    /// Percent when any value is above 1 (or carries a `%`), an error when the largest value is
    /// exactly 1, else fraction.
    #[default]
    Auto,
    Fraction,
    Percent,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CensusInput {
    pub deferral_rate_unit: DeferralRateUnit,
    /// wfsim field → the file's column header, for fields not under wfsim's own names.
    pub columns: ColumnMap,
    /// How the file writes dates besides ISO; `None` reads ISO dates only.
    pub date_format: Option<DateFormat>,
    /// The worksheet of an Excel workbook; `None` is the first.
    pub sheet: Option<String>,
    pub header_row: HeaderRow,
}

/// `census.columns`: which file column holds each wfsim field. It cannot hold an unknown wfsim
/// field, an empty column name, or two fields read from one column; whether the file has the
/// columns is known only when it is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap(Vec<(Column, String)>);

impl ColumnMap {
    /// Builds a mapping from (wfsim field name, file column) pairs, as the YAML does.
    pub fn new<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ColumnMap, String> {
        let mut map: Vec<(Column, String)> = Vec::new();
        for (field, header) in pairs {
            let column = Column::from_name(field).ok_or_else(|| {
                let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
                let close = closest(field, names.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                format!(
                    "`{field}` is not a census field{close}; the fields are {}",
                    names.join(", ")
                )
            })?;
            let header = header.trim();
            if header.is_empty() {
                return Err(format!("`{field}` maps to an empty column name"));
            }
            if map.iter().any(|(c, _)| *c == column) {
                return Err(format!("`{field}` is mapped twice"));
            }
            if let Some((other, _)) = map.iter().find(|(_, h)| h == header) {
                return Err(format!(
                    "`{}` and `{field}` both map to column \"{header}\"; one column holds one field",
                    other.name()
                ));
            }
            map.push((column, header.to_string()));
        }
        map.sort_by_key(|(c, _)| *c as usize);
        Ok(ColumnMap(map))
    }

    /// The file column mapped to `c`, if any.
    pub fn get(&self, c: Column) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, h)| h.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Column, &str)> {
        self.0.iter().map(|(c, h)| (*c, h.as_str()))
    }
}

impl Serialize for ColumnMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(c, h)| (c.name(), h)))
    }
}

impl<'de> Deserialize<'de> for ColumnMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ColumnMap, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of wfsim field to column name, e.g. {birth_date: DOB}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, String>()? {
                    pairs.push((k, v));
                }
                Ok(pairs)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
        }
        let pairs = d.deserialize_any(Pairs)?;
        ColumnMap::new(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(serde::de::Error::custom)
    }
}

/// `census.header_row`: the 1-based row of the file holding the column names (rows above it,
/// such as a report title, are skipped). Rows are counted as a spreadsheet shows them: lines of
/// a CSV, rows of a worksheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderRow(u32);

impl HeaderRow {
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

impl Default for HeaderRow {
    fn default() -> HeaderRow {
        HeaderRow(1)
    }
}

impl<'de> Deserialize<'de> for HeaderRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HeaderRow, D::Error> {
        let n = u32::deserialize(d)?;
        if n == 0 {
            return Err(serde::de::Error::custom(
                "header_row is 1-based: 1 is the first row of the file",
            ));
        }
        Ok(HeaderRow(n))
    }
}

/// A `--census-map` file: a `census:` section and nothing else. Its keys replace the config's
/// one by one (`columns` as a whole); a key it leaves out keeps the config's value.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CensusMap {
    census: MapSection,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct MapSection {
    deferral_rate_unit: Option<DeferralRateUnit>,
    columns: Option<ColumnMap>,
    date_format: Option<DateFormat>,
    sheet: Option<String>,
    header_row: Option<HeaderRow>,
}

impl CensusMap {
    /// Parses a census map; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<CensusMap> {
        let de = serde_norway::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| super::config_error(e, path))
    }

    pub fn read(path: &Path) -> Result<CensusMap> {
        let bytes = std::fs::read(path).map_err(|e| Error::input(path, e))?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            file: path.display().to_string(),
            key: "(file)".into(),
            message: "the file is not valid UTF-8".into(),
        })?;
        CensusMap::parse(&text, path)
    }

    /// The keys this map sets, as `census.KEY` paths.
    pub fn keys(&self) -> Vec<&'static str> {
        let s = &self.census;
        [
            (s.deferral_rate_unit.is_some(), "census.deferral_rate_unit"),
            (s.columns.is_some(), "census.columns"),
            (s.date_format.is_some(), "census.date_format"),
            (s.sheet.is_some(), "census.sheet"),
            (s.header_row.is_some(), "census.header_row"),
        ]
        .into_iter()
        .filter_map(|(set, key)| set.then_some(key))
        .collect()
    }

    /// `census` with this map's keys in place of its own.
    pub fn apply(&self, census: &mut CensusInput) {
        let s = self.census.clone();
        if let Some(v) = s.deferral_rate_unit {
            census.deferral_rate_unit = v;
        }
        if let Some(v) = s.columns {
            census.columns = v;
        }
        if let Some(v) = s.date_format {
            census.date_format = Some(v);
        }
        if let Some(v) = s.sheet {
            census.sheet = Some(v);
        }
        if let Some(v) = s.header_row {
            census.header_row = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{invalid, parse_str};
    use super::*;

    #[test]
    fn unit_is_one_of_three_words() {
        let c = parse_str("census:\n  deferral_rate_unit: percent\n").unwrap();
        assert_eq!(c.census.deferral_rate_unit, DeferralRateUnit::Percent);
        let e = invalid("census:\n  deferral_rate_unit: percents\n");
        assert!(
            e.contains("key `census.deferral_rate_unit`") && e.contains("unknown variant"),
            "{e}"
        );
    }

    #[test]
    fn a_mapping_is_read_in_field_order() {
        let c = parse_str(
            "census:\n  columns: {hire_date: Date of Hire, employee_id: EMP_ID}\n  date_format: \"%m/%d/%Y\"\n  sheet: Census\n  header_row: 2\n",
        )
        .unwrap()
        .census;
        let pairs: Vec<(Column, &str)> = c.columns.iter().collect();
        assert_eq!(
            pairs,
            [
                (Column::EmployeeId, "EMP_ID"),
                (Column::HireDate, "Date of Hire")
            ]
        );
        assert_eq!(c.date_format.unwrap().as_str(), "%m/%d/%Y");
        assert_eq!(
            (c.sheet.as_deref(), c.header_row.get()),
            (Some("Census"), 2)
        );
    }

    #[test]
    fn a_mapping_that_cannot_be_read_one_way_is_refused() {
        for (yaml, expected) in [
            (
                "columns: {birthdate: DOB}",
                "`birthdate` is not a census field (did you mean `birth_date`?)",
            ),
            (
                "columns: {birth_date: DOB, hire_date: DOB}",
                "both map to column \"DOB\"",
            ),
            ("columns: {birth_date: \" \"}", "empty column name"),
            ("columns: [DOB]", "expected a mapping"),
            ("header_row: 0", "1-based"),
            ("date_format: \"%d/%m/%y\"", "two-digit years"),
            ("colums: {}", "unknown field `colums`"),
        ] {
            let e = invalid(&format!("census:\n  {yaml}\n"));
            assert!(e.contains("key `census."), "{yaml}: {e}");
            assert!(e.contains(expected), "{yaml}: {e}");
        }
    }

    #[test]
    fn a_census_map_replaces_the_keys_it_sets() {
        let map = CensusMap::parse(
            "census:\n  columns: {birth_date: DOB}\n  header_row: 3\n",
            Path::new("map.yaml"),
        )
        .unwrap();
        assert_eq!(map.keys(), ["census.columns", "census.header_row"]);
        let mut census =
            parse_str("census:\n  deferral_rate_unit: percent\n  columns: {hire_date: DOH}\n")
                .unwrap()
                .census;
        map.apply(&mut census);
        assert_eq!(census.deferral_rate_unit, DeferralRateUnit::Percent);
        assert_eq!(census.columns.get(Column::BirthDate), Some("DOB"));
        assert_eq!(census.columns.get(Column::HireDate), None);
        assert_eq!(census.header_row.get(), 3);
        let e = CensusMap::parse("columns: {birth_date: DOB}\n", Path::new("map.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("map.yaml") && e.contains("unknown field `columns`"),
            "{e}"
        );
    }
}

/// A census field wfsim reads. Every name the loader, `wfsim census` and the run's
/// `census.parquet` use comes from here, so a field is renamed or added in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    EmployeeId,
    BirthDate,
    HireDate,
    AnnualSalary,
    TerminationDate,
    LevelId,
    DeferralRate,
    AutoEscalationOptOut,
    EligibilityOverride,
    EmployerBalance,
    EmployeeBalance,
    CoreBalance,
    PriorYearCompensation,
    OwnershipPct,
    Officer,
}

impl Column {
    /// In declaration order, which is the order missing required columns are reported in.
    pub const ALL: [Column; 15] = [
        Column::EmployeeId,
        Column::BirthDate,
        Column::HireDate,
        Column::AnnualSalary,
        Column::TerminationDate,
        Column::LevelId,
        Column::DeferralRate,
        Column::AutoEscalationOptOut,
        Column::EligibilityOverride,
        Column::EmployerBalance,
        Column::EmployeeBalance,
        Column::CoreBalance,
        Column::PriorYearCompensation,
        Column::OwnershipPct,
        Column::Officer,
    ];

    /// The order wfsim writes them in (`wfsim census`, `census.parquet`).
    pub const FILE_ORDER: [Column; 15] = [
        Column::EmployeeId,
        Column::BirthDate,
        Column::HireDate,
        Column::TerminationDate,
        Column::AnnualSalary,
        Column::LevelId,
        Column::DeferralRate,
        Column::AutoEscalationOptOut,
        Column::EligibilityOverride,
        Column::EmployerBalance,
        Column::EmployeeBalance,
        Column::CoreBalance,
        Column::PriorYearCompensation,
        Column::OwnershipPct,
        Column::Officer,
    ];

    /// wfsim's name, which `wfsim census` and `census.parquet` write.
    pub const fn name(self) -> &'static str {
        match self {
            Column::EmployeeId => "employee_id",
            Column::BirthDate => "birth_date",
            Column::HireDate => "hire_date",
            Column::AnnualSalary => "annual_salary",
            Column::TerminationDate => "termination_date",
            Column::LevelId => "level_id",
            Column::DeferralRate => "deferral_rate",
            Column::AutoEscalationOptOut => "auto_escalation_opt_out",
            Column::EligibilityOverride => "eligibility_override",
            Column::EmployerBalance => "employer_balance",
            Column::EmployeeBalance => "employee_balance",
            Column::CoreBalance => "core_balance",
            Column::PriorYearCompensation => "prior_year_compensation",
            Column::OwnershipPct => "ownership_pct",
            Column::Officer => "officer",
        }
    }

    /// The upstream PlanAlign name, accepted in place of [`Column::name`].
    pub const fn alias(self) -> Option<&'static str> {
        match self {
            Column::BirthDate => Some("employee_birth_date"),
            Column::HireDate => Some("employee_hire_date"),
            Column::AnnualSalary => Some("employee_gross_compensation"),
            Column::TerminationDate => Some("employee_termination_date"),
            Column::DeferralRate => Some("employee_deferral_rate"),
            Column::EmployeeId
            | Column::LevelId
            | Column::AutoEscalationOptOut
            | Column::EligibilityOverride
            | Column::EmployerBalance
            | Column::EmployeeBalance
            | Column::CoreBalance
            | Column::PriorYearCompensation
            | Column::OwnershipPct
            | Column::Officer => None,
        }
    }

    pub const fn required(self) -> bool {
        matches!(
            self,
            Column::EmployeeId | Column::BirthDate | Column::HireDate | Column::AnnualSalary
        )
    }

    /// The field wfsim calls `name` (its own name, not an alias).
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A `census.date_format` that reads every date one way: exactly one year (`%Y`), one month
/// (`%m`, `%b`, `%B`) and one day (`%d`, `%e`), literal text between them, nothing else.
/// Two-digit years (`%y`) are refused: `25` could be 1925 or 2025 for a birth date. A format
/// that starts with the year must go on month then day, since ISO dates are always read too and
/// `%Y-%d-%m` would read `2024-03-04` against them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat(String);

impl DateFormat {
    pub fn new(text: &str) -> Result<DateFormat, String> {
        let (mut year, mut month, mut day) = (None, None, None);
        let mut order = Vec::new();
        let mut chars = text.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '%' {
                continue;
            }
            // chrono's padding flags are accepted (`%-m` reads `3` as well as `03`).
            if let Some((_, '-' | '_' | '0')) = chars.peek() {
                chars.next();
            }
            let Some((_, spec)) = chars.next() else {
                return Err(format!("`{text}` ends in a lone `%`"));
            };
            let slot = match spec {
                '%' => continue,
                'Y' => &mut year,
                'm' | 'b' | 'B' | 'h' => &mut month,
                'd' | 'e' => &mut day,
                'y' => return Err(format!("`{text}`: two-digit years (%y) are not read, since `25` could be 1925 or 2025; export four-digit years and use %Y")),
                other => return Err(format!("`{text}`: %{other} is not a date field; a date format holds %Y, %m (or %b, %B), %d (or %e) and literal text, e.g. \"%m/%d/%Y\"")),
            };
            if slot.replace(i).is_some() {
                return Err(format!(
                    "`{text}` has %{spec} or another field of its kind twice"
                ));
            }
            order.push(spec);
        }
        let missing: Vec<&str> = [
            (year, "a year (%Y)"),
            (month, "a month (%m)"),
            (day, "a day (%d)"),
        ]
        .into_iter()
        .filter(|(f, _)| f.is_none())
        .map(|(_, name)| name)
        .collect();
        if !missing.is_empty() {
            return Err(format!("`{text}` lacks {}", missing.join(" and ")));
        }
        if order[0] == 'Y' && matches!(order[1], 'd' | 'e') {
            return Err(format!("`{text}` puts the day before the month after a leading year, which ISO dates (always read) put the other way"));
        }
        Ok(DateFormat(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DateFormat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateFormat {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DateFormat, D::Error> {
        let text = String::deserialize(d)?;
        DateFormat::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Lower case, letters and digits only: `Date of Hire` and `date_of_hire` compare equal.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The candidate closest to `target` by spelling, when close enough to suggest (Jaro-Winkler
/// similarity of 0.85 or more after [`normalize`]).
pub(crate) fn closest<'a>(
    target: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let t = normalize(target);
    candidates
        .map(|c| (strsim::jaro_winkler(&t, &normalize(c)), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
