//! One module per command; each takes its parsed arguments (from [`crate::args`]) and the
//! global --quiet/--verbose, and returns an error that `main` turns into the exit code.

pub(crate) mod batch;
pub(crate) mod census;
pub(crate) mod diff;
pub(crate) mod optimize;
pub(crate) mod report;
pub(crate) mod run;

use crate::args::EngineArg;
use std::path::{Path, PathBuf};
use wfsim::Error;

/// The engine `--engine` names; `sql` needs a build with `--features sql`.
#[cfg(feature = "sql")]
pub(crate) fn engine_choice<'a>(engine: EngineArg) -> anyhow::Result<wfsim::EngineChoice<'a>> {
    Ok(match engine {
        EngineArg::Native => wfsim::EngineChoice::native(),
        EngineArg::Sql => wfsim_sql::engine_choice(),
    })
}

/// The engine `--engine` names; `sql` needs a build with `--features sql`.
#[cfg(not(feature = "sql"))]
pub(crate) fn engine_choice<'a>(engine: EngineArg) -> anyhow::Result<wfsim::EngineChoice<'a>> {
    match engine {
        EngineArg::Native => Ok(wfsim::EngineChoice::native()),
        EngineArg::Sql => Err(wfsim::Error::Usage {
            message: "--engine sql: this wfsim was built without the SQL engine; rebuild with `cargo build --release -p wfsim-cli --features sql`".into(),
        }
        .into()),
    }
}

/// "1 row", "N rows".
fn rows_text(n: usize) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// The rejects file must not be, or be inside, the output directory (which a run replaces).
fn check_rejects_path(rejects: &Path, out: &Path) -> anyhow::Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists (symlinks, `..`) so two spellings of one place compare equal.
        std::fs::canonicalize(&p).unwrap_or(p)
    };
    let (r, o) = (abs(rejects), abs(out));
    let r_parent = rejects.parent().map(|p| {
        abs(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
    });
    let inside = r == o || r.starts_with(&o) || r_parent.is_some_and(|p| p.starts_with(&o));
    if inside || rejects.is_dir() {
        return Err(Error::Usage {
            message: format!(
                "--rejects {}: must be a file outside the output directory {}",
                rejects.display(),
                out.display()
            ),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_counted_in_words() {
        assert_eq!(rows_text(0), "0 rows");
        assert_eq!(rows_text(1), "1 row");
        assert_eq!(rows_text(2), "2 rows");
    }

    #[test]
    fn a_rejects_file_inside_the_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        assert!(check_rejects_path(&dir.path().join("rejects.csv"), &out).is_ok());
        for inside in [out.join("rejects.csv"), out.clone()] {
            let e = check_rejects_path(&inside, &out).unwrap_err();
            let e = e.downcast_ref::<Error>().unwrap();
            assert_eq!(e.exit_code(), 2);
            assert!(
                e.to_string().contains("outside the output directory"),
                "{e}"
            );
        }
        // A directory is not a file, wherever it is.
        assert!(check_rejects_path(dir.path(), &out).is_err());
    }
}
