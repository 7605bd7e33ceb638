//! `wfsim report`: from a `wfsim run`, `wfsim batch` or `wfsim optimize` directory, one self-contained HTML page
//! with inline SVG charts (each with the table of its numbers) and an Excel workbook of the same
//! tables, for people who read charts and spreadsheets, not Parquet.
//!
//! [`load`] reads the directory into a format-free [`Report`]; [`html`] and [`xlsx`] render it;
//! [`write`] puts the files in place atomically.

mod batch;
pub mod chart;
pub mod html;
mod optimize;
mod read;
mod run;
pub mod table;
pub mod xlsx;

pub use table::{Kind, Report};

use std::path::{Path, PathBuf};
use wfsim::Error;

/// What a directory holds, by the files that mark it.
pub fn detect(dir: &Path) -> wfsim::Result<Kind> {
    if !dir.is_dir() {
        return Err(Error::Usage {
            message: format!(
                "{}: not a directory (expected a wfsim run or batch output directory)",
                dir.display()
            ),
        });
    }
    if dir.join("batch_summary.json").is_file() {
        Ok(Kind::Batch)
    } else if dir.join("optimize_summary.json").is_file() {
        Ok(Kind::Optimize)
    } else if dir.join("generation_summary.json").is_file() {
        Ok(Kind::Run)
    } else {
        Err(Error::Usage {
            message: format!(
                "{}: neither a wfsim run directory (no generation_summary.json) nor a batch directory (no batch_summary.json)",
                dir.display()
            ),
        })
    }
}

/// Reads a run or batch directory into its report.
pub fn load(dir: &Path) -> wfsim::Result<Report> {
    match detect(dir)? {
        Kind::Run => run::load(dir),
        Kind::Batch => batch::load(dir),
        Kind::Optimize => optimize::load(dir),
    }
}

/// Writes the page to `html` and, when asked, the workbook to `xlsx`: both are rendered first,
/// then each goes to a temporary file beside its target and is renamed into place, so a failure
/// leaves no partial file. Returns each path written with its size in bytes.
pub fn write(
    report: &Report,
    html: &Path,
    xlsx: Option<&Path>,
) -> wfsim::Result<Vec<(PathBuf, u64)>> {
    let mut files = vec![(html.to_path_buf(), html::render(report).into_bytes())];
    if let Some(x) = xlsx {
        if x == html {
            return Err(Error::Usage {
                message: format!("--xlsx {}: the same file as --out", x.display()),
            });
        }
        let bytes = xlsx::render(report)
            .map_err(|e| Error::write(x, format!("cannot build the workbook: {e}")))?;
        files.push((x.to_path_buf(), bytes));
    }
    let mut staged = vec![];
    for (path, bytes) in &files {
        staged.push((path, stage(path, bytes)?));
    }
    let mut written = vec![];
    for (path, tmp) in staged {
        tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
        written.push((
            path.clone(),
            std::fs::metadata(path)
                .map_err(|e| Error::io(path, e))?
                .len(),
        ));
    }
    Ok(written)
}

/// The bytes in a synced temporary file in the target's directory (removed if dropped).
fn stage(path: &Path, bytes: &[u8]) -> wfsim::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Error::refused(path, "is a directory"));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".wfsim-report-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    // a temporary file is private (0600); the report is an ordinary file
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    Ok(tmp)
}
