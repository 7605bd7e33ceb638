//! Which column of the file holds each census field: canonical names, the upstream PlanAlign
//! aliases, and the other columns a real census carries, which wfsim ignores (spec §6).

use super::census_error;
use crate::config::census::{closest, normalize};
use crate::config::{Column, ColumnMap};
use crate::error::Result;

impl Column {
    /// Whether a header field names this column, by its name or its alias.
    fn is_named(self, header: &str) -> bool {
        header == self.name() || Some(header) == self.alias()
    }

    /// Headers HR and payroll systems commonly use for this field, lower case and without
    /// punctuation (see [`normalize`]): they make the did-you-mean of a missing column.
    fn common_headers(self) -> &'static [&'static str] {
        match self {
            Column::EmployeeId => &[
                "empid",
                "employeeid",
                "employeenumber",
                "employeeno",
                "eeid",
                "id",
                "workerid",
                "personnelnumber",
            ],
            Column::BirthDate => &["dob", "dateofbirth", "birthdate", "birthdt"],
            Column::HireDate => &[
                "doh",
                "dateofhire",
                "hiredate",
                "originalhiredate",
                "servicedate",
                "hiredt",
                "startdate",
            ],
            Column::AnnualSalary => &[
                "salary",
                "annualsalary",
                "basesalary",
                "annualbasesalary",
                "annualpay",
                "compensation",
                "annualcompensation",
                "pay",
            ],
            Column::TerminationDate => &[
                "termdate",
                "terminationdate",
                "dateoftermination",
                "dot",
                "termdt",
            ],
            Column::LevelId => &["level", "joblevel", "grade", "paygrade"],
            Column::DeferralRate => &[
                "deferral",
                "deferralrate",
                "deferralpct",
                "contributionrate",
                "pretaxrate",
                "401krate",
                "401kpct",
            ],
            Column::AutoEscalationOptOut => {
                &["escalationoptout", "autoescalationoptout", "aeoptout"]
            }
            Column::EligibilityOverride => &["eligible", "planeligible", "eligibility"],
            Column::EmployerBalance => &["employerbalance", "erbalance", "employeraccount"],
            Column::EmployeeBalance => &[
                "employeebalance",
                "eebalance",
                "employeeaccount",
                "deferralbalance",
            ],
            Column::CoreBalance => &["corebalance", "nonelectivebalance", "profitsharingbalance"],
            Column::PriorYearCompensation => &[
                "prioryearcompensation",
                "prioryearpay",
                "lastyearpay",
                "prioryearwages",
            ],
            Column::OwnershipPct => &["ownership", "ownershippct", "ownershippercent"],
            Column::Officer => &["officer", "isofficer", "officerflag"],
        }
    }
}

/// The header field most likely to hold `c`: one of its common HR names, else the closest
/// spelling of its wfsim name or alias.
fn suggest<'a>(c: Column, header: &'a [String], taken: &[usize]) -> Option<&'a str> {
    let free = || {
        header
            .iter()
            .enumerate()
            .filter(|(i, h)| !taken.contains(i) && !h.is_empty())
            .map(|(_, h)| h.as_str())
    };
    free()
        .find(|h| c.common_headers().contains(&normalize(h).as_str()))
        .or_else(|| {
            std::iter::once(c.name())
                .chain(c.alias())
                .find_map(|name| closest(name, free()))
        })
}

/// Whether wfsim reads a column of this name (the Parquet reader converts only those to text).
pub(super) fn is_used(header: &str, map: &ColumnMap) -> bool {
    Column::ALL.iter().any(|c| c.is_named(header)) || map.iter().any(|(_, h)| h == header)
}

/// Whether these header names hold every required column.
pub(super) fn has_required<'a>(header: impl Iterator<Item = &'a str> + Clone) -> bool {
    Column::ALL
        .iter()
        .filter(|c| c.required())
        .all(|c| header.clone().any(|h| c.is_named(h)))
}

/// A census field as the row checks read it: its spelling in this file (for error messages)
/// and its position, `None` when the file lacks the optional column.
#[derive(Clone, Copy)]
pub(super) struct Col<'a> {
    pub name: &'a str,
    pub position: Option<usize>,
}

/// The header resolved once, so rows look fields up by position, never by name.
pub(super) struct Columns<'a> {
    cols: [Col<'a>; Column::ALL.len()],
    /// Header fields wfsim does not read, in file order.
    pub ignored: Vec<String>,
}

impl<'a> Columns<'a> {
    /// Reads the fields `map` names from those columns and the others by their wfsim names or
    /// aliases; requires the required ones. `header_row` is for messages.
    pub fn resolve(
        header: &'a [String],
        file: &str,
        map: &'a ColumnMap,
        header_row: usize,
    ) -> Result<Columns<'a>> {
        let mut cols = Column::ALL.map(|c| Col {
            name: c.name(),
            position: None,
        });
        for (c, name) in map.iter() {
            let found: Vec<usize> = (0..header.len()).filter(|&i| header[i] == name).collect();
            let key = format!("census.columns.{}", c.name());
            match found[..] {
                [i] => {
                    cols[c as usize] = Col {
                        name: &header[i],
                        position: Some(i),
                    }
                }
                [] => {
                    let close = closest(name, header.iter().map(String::as_str))
                        .map(|h| format!(" (did you mean \"{h}\"?)"))
                        .unwrap_or_default();
                    return Err(census_error(
                        file,
                        None,
                        None,
                        None,
                        format!(
                            "key `{key}`: column \"{name}\" is not in the file{close}; the header (row {header_row}) has: {}",
                            list_columns(header)
                        ),
                    ));
                }
                [first, second, ..] => {
                    return Err(census_error(
                        file,
                        None,
                        Some(name),
                        None,
                        format!(
                            "key `{key}`: the header (row {header_row}) has this column twice (columns {} and {}), so which one holds {} cannot be told",
                            first + 1,
                            second + 1,
                            c.name()
                        ),
                    ))
                }
            }
        }
        let claimed: Vec<usize> = cols.iter().filter_map(|c| c.position).collect();
        for c in Column::ALL {
            if map.get(c).is_some() {
                continue;
            }
            let col = &mut cols[c as usize];
            for name in std::iter::once(c.name()).chain(c.alias()) {
                let Some(i) =
                    (0..header.len()).find(|&i| header[i] == name && !claimed.contains(&i))
                else {
                    continue;
                };
                if col.position.is_some() {
                    return Err(census_error(
                        file,
                        None,
                        Some(name),
                        None,
                        format!("both `{}` and `{name}` are present; keep one", col.name),
                    ));
                }
                *col = Col {
                    name: &header[i],
                    position: Some(i),
                };
            }
        }
        let missing: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && cols[*c as usize].position.is_none())
            .collect();
        if let Some(&first) = missing.first() {
            let also = first
                .alias()
                .map(|a| format!(" (or `{a}`)"))
                .unwrap_or_default();
            let taken: Vec<usize> = cols.iter().filter_map(|c| c.position).collect();
            let hints: Vec<String> = missing
                .iter()
                .filter_map(|&c| {
                    suggest(c, header, &taken).map(|h| format!("\"{h}\" for {}", c.name()))
                })
                .collect();
            let hint = if hints.is_empty() {
                String::new()
            } else {
                format!(
                    "; did you mean {}? Map columns with census.columns (in the config or a --census-map file)",
                    hints.join(", ")
                )
            };
            return Err(census_error(
                file,
                None,
                Some(first.name()),
                None,
                format!(
                    "required column `{}`{also} is missing from the header (row {header_row}); found columns: {}{hint}",
                    first.name(),
                    list_columns(header)
                ),
            ));
        }
        let ignored = header
            .iter()
            .enumerate()
            .filter(|&(i, _)| !cols.iter().any(|c| c.position == Some(i)))
            .map(|(_, h)| h.clone())
            .collect();
        Ok(Columns { cols, ignored })
    }

    pub fn get(&self, c: Column) -> Col<'a> {
        self.cols[c as usize]
    }

    /// Each field read and the file column it came from, in wfsim's field order.
    pub fn used(&self) -> Vec<(Column, String)> {
        Column::ALL
            .into_iter()
            .filter(|c| self.cols[*c as usize].position.is_some())
            .map(|c| (c, self.cols[c as usize].name.to_string()))
            .collect()
    }
}
/// The header for an error message, kept short whatever the file holds: at most 40 names of at
/// most 60 characters each.
fn list_columns(header: &[String]) -> String {
    const MAX_COLUMNS: usize = 40;
    const MAX_CHARS: usize = 60;
    let mut names: Vec<String> = header
        .iter()
        .take(MAX_COLUMNS)
        .map(|h| {
            if h.chars().count() > MAX_CHARS {
                format!("{}…", h.chars().take(MAX_CHARS).collect::<String>())
            } else {
                h.clone()
            }
        })
        .collect();
    if header.len() > MAX_COLUMNS {
        names.push(format!("… ({} more)", header.len() - MAX_COLUMNS));
    }
    names.join(", ")
}
