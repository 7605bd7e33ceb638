//! Which column of the file holds each census field: canonical names, the upstream PlanAlign
//! aliases, and the other columns a real census carries, which wfsim ignores (spec §6).

use super::census_error;
use crate::error::Result;

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
}

impl Column {
    /// In declaration order, which is the order missing required columns are reported in.
    pub const ALL: [Column; 10] = [
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
    ];

    /// The order wfsim writes them in (`wfsim census`, `census.parquet`).
    pub const FILE_ORDER: [Column; 10] = [
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
            | Column::EmployerBalance => None,
        }
    }

    pub const fn required(self) -> bool {
        matches!(
            self,
            Column::EmployeeId | Column::BirthDate | Column::HireDate | Column::AnnualSalary
        )
    }

    /// Whether a header field names this column, by its name or its alias.
    fn is_named(self, header: &str) -> bool {
        header == self.name() || Some(header) == self.alias()
    }
}

/// Whether wfsim reads a column of this name (the Parquet reader converts only those to text).
pub(super) fn is_used(header: &str) -> bool {
    Column::ALL.iter().any(|c| c.is_named(header))
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
pub(super) struct Col {
    pub name: &'static str,
    pub position: Option<usize>,
}

/// The header resolved once, so rows look fields up by position, never by name.
pub(super) struct Columns {
    cols: [Col; Column::ALL.len()],
    /// Header fields wfsim does not read, in file order.
    pub ignored: Vec<String>,
}

impl Columns {
    /// Accepts one spelling per field and requires the required ones.
    pub fn resolve(header: &[String], file: &str) -> Result<Columns> {
        let mut cols = Column::ALL.map(|c| Col {
            name: c.name(),
            position: None,
        });
        for c in Column::ALL {
            let col = &mut cols[c as usize];
            for name in std::iter::once(c.name()).chain(c.alias()) {
                let Some(i) = header.iter().position(|h| h == name) else {
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
                    name,
                    position: Some(i),
                };
            }
            if c.required() && col.position.is_none() {
                let also = c
                    .alias()
                    .map(|a| format!(" (or `{a}`)"))
                    .unwrap_or_default();
                return Err(census_error(
                    file,
                    None,
                    Some(c.name()),
                    None,
                    format!(
                        "required column `{}`{also} is missing; found columns: {}",
                        c.name(),
                        list_columns(header)
                    ),
                ));
            }
        }
        let ignored = header
            .iter()
            .enumerate()
            .filter(|&(i, _)| !cols.iter().any(|c| c.position == Some(i)))
            .map(|(_, h)| h.clone())
            .collect();
        Ok(Columns { cols, ignored })
    }

    pub fn get(&self, c: Column) -> Col {
        self.cols[c as usize]
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
