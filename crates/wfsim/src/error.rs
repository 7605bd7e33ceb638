//! Errors carry the file, row, column or key path and the offending value, so a user can fix
//! their input without reading code.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file (census, config) that cannot be read.
    #[error("{path}: {error}")]
    Input { path: String, error: std::io::Error },

    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },

    #[error("{file}: key `{key}`: {message}")]
    Config {
        file: String,
        key: String,
        message: String,
    },

    #[error("{}", census_message(.file, *.row, .column.as_deref(), .value.as_deref(), .message))]
    Census {
        file: String,
        row: Option<usize>,
        column: Option<String>,
        value: Option<String>,
        message: String,
    },

    /// An output location wfsim will not write to.
    #[error("output {path}: {message}")]
    Refused { path: String, message: String },

    #[error("{path}: {message}")]
    Write { path: String, message: String },

    #[error("year {year}: {message}")]
    Infeasible { year: i32, message: String },
}

fn census_message(
    file: &str,
    row: Option<usize>,
    column: Option<&str>,
    value: Option<&str>,
    message: &str,
) -> String {
    let mut s = file.to_string();
    if let Some(r) = row {
        s.push_str(&format!(": row {r}"));
    }
    if let Some(c) = column {
        s.push_str(&format!(": column `{c}`"));
    }
    if let Some(v) = value {
        let shown: String = if v.chars().count() > 60 {
            format!("{}…", v.chars().take(60).collect::<String>())
        } else {
            v.to_string()
        };
        s.push_str(&format!(": value {shown:?}"));
    }
    s.push_str(": ");
    s.push_str(message);
    s
}

impl Error {
    pub fn input(path: &Path, error: std::io::Error) -> Error {
        Error::Input {
            path: path.display().to_string(),
            error,
        }
    }

    pub fn io(path: &Path, error: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            error,
        }
    }

    pub fn refused(path: &Path, message: impl Into<String>) -> Error {
        Error::Refused {
            path: path.display().to_string(),
            message: message.into(),
        }
    }

    pub fn write(path: &Path, message: impl Into<String>) -> Error {
        Error::Write {
            path: path.display().to_string(),
            message: message.into(),
        }
    }

    /// Process exit code: 2 for bad input (census, config, unreadable input files, a refused
    /// output directory), 3 for a config the model cannot satisfy, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config { .. }
            | Error::Census { .. }
            | Error::Input { .. }
            | Error::Refused { .. } => 2,
            Error::Infeasible { .. } => 3,
            Error::Io { .. } | Error::Write { .. } => 1,
        }
    }
}
