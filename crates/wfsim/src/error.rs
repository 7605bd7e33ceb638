//! Errors carry the file, row, column or key path and the offending value, so a user can fix
//! their input without reading code.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, by who can fix it: the caller (usage, input, config, census, a refused
/// output location), the model (engine) or the machine (threads, write). [`Error::exit_code`] is the one
/// place that turns a variant into a process exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flag or environment value out of its range.
    #[error("{message}")]
    Usage { message: String },

    /// An input file (census, config, a run to compare) that cannot be read.
    #[error("cannot read {path}{}", named_by.as_ref().map_or(String::new(), |b| format!(" (named by {b})")))]
    Input {
        path: String,
        /// What named the file (a flag, a config key), when it was not the command's argument.
        named_by: Option<String>,
        #[source]
        source: std::io::Error,
    },

    #[error("{file}: key `{key}`: {message}")]
    Config {
        file: String,
        key: String,
        message: String,
    },

    #[error("{}", census_message(.file, *.row, *.line, .column.as_deref(), .value.as_deref(), .message))]
    Census {
        file: String,
        /// The data row (1-based: the first row under the header is row 1).
        row: Option<usize>,
        /// The line of the file (a spreadsheet's row number) holding it, when the file has lines
        /// (u32 keeps the error small).
        line: Option<u32>,
        column: Option<String>,
        value: Option<String>,
        message: String,
    },

    /// An output location wfsim will not write to.
    #[error("output {path}: {message}")]
    Refused { path: String, message: String },

    /// A year the model cannot generate with this config (e.g. more hires than ids).
    #[error("year {year}: {message}")]
    Engine { year: i32, message: String },

    /// Worker threads the machine would not start (a resource limit, not the input).
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },

    /// Output that could not be written (or an engine's own failure while producing it).
    #[error("{path}: {message}")]
    Write {
        path: String,
        message: String,
        #[source]
        source: Option<std::io::Error>,
    },
}

fn census_message(
    file: &str,
    row: Option<usize>,
    line: Option<u32>,
    column: Option<&str>,
    value: Option<&str>,
    message: &str,
) -> String {
    let mut s = file.to_string();
    if let Some(r) = row {
        s.push_str(&format!(": row {r}"));
        if let Some(l) = line {
            s.push_str(&format!(" (line {l})"));
        }
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
    pub fn input(path: &Path, source: std::io::Error) -> Error {
        Error::Input {
            path: path.display().to_string(),
            named_by: None,
            source,
        }
    }

    /// Says which flag or key named the file an input error could not read, so the reader
    /// knows what to fix; other errors are returned as they are.
    pub fn named_by(self, by: impl Into<String>) -> Error {
        match self {
            Error::Input {
                path,
                named_by: None,
                source,
            } => Error::Input {
                path,
                named_by: Some(by.into()),
                source,
            },
            e => e,
        }
    }

    /// A failed file-system operation on the output.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Write {
            path: path.display().to_string(),
            message: "cannot write".into(),
            source: Some(source),
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
            source: None,
        }
    }

    /// Process exit code: 2 for anything the caller can fix in their input or invocation, 3
    /// for a config the model cannot satisfy, 1 for what the machine refused (threads, writes).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage { .. }
            | Error::Input { .. }
            | Error::Config { .. }
            | Error::Census { .. }
            | Error::Refused { .. } => 2,
            Error::Engine { .. } => 3,
            Error::Threads { .. } | Error::Write { .. } => 1,
        }
    }
}
