//! The output directory is replaced atomically: a run writes into a temporary sibling and swaps
//! it into place only when every file is complete, so OUT always holds either the previous
//! complete output or the new one. wfsim only ever replaces or deletes directories that carry
//! its marker file.

use crate::error::{Error, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const MARKER: &str = ".wfsim-output";
const MARKER_TEXT: &str =
    "This directory was written by wfsim; wfsim replaces it as a whole on the next run.\n";
const STAGING_TAG: &str = ".wfsim-tmp-";
/// Suffix of the previous output while the fallback swap moves it aside.
const OLD_SUFFIX: &str = "-old";

/// A temporary sibling of OUT being filled by the current run.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

fn is_wfsim_dir(path: &Path) -> bool {
    path.join(MARKER).is_file()
}

/// Refuses output locations that must never be replaced (spec §5, README "Output safety").
fn check_target(target: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::refused(target, format!("refusing to write here: {why}; choose a new or empty directory, or a previous wfsim output")))
    };
    let resolved = target.canonicalize().ok();
    if let Some(r) = &resolved {
        if r.parent().is_none() {
            return refuse("it is the filesystem root");
        }
        if std::env::var_os("HOME")
            .map(PathBuf::from)
            .and_then(|h| h.canonicalize().ok())
            .as_deref()
            == Some(r.as_path())
        {
            return refuse("it is your home directory");
        }
        if let Ok(cwd) = std::env::current_dir().and_then(|c| c.canonicalize()) {
            if cwd.starts_with(r) {
                return refuse("it is the current directory or one of its parents");
            }
        }
    }
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            refuse("a parent of it is a file, not a directory")
        }
        Err(e) => Err(Error::io(target, e)),
        Ok(m) if m.file_type().is_symlink() => refuse("it is a symbolic link"),
        Ok(m) if !m.is_dir() => refuse("it exists and is not a directory"),
        Ok(_) if is_wfsim_dir(target) => Ok(()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
            if entries.next().is_some() {
                refuse(&format!(
                    "it is a non-empty directory without wfsim's marker file {MARKER}"
                ))
            } else {
                Ok(())
            }
        }
    }
}

fn staging_prefix(target: &Path) -> OsString {
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(STAGING_TAG);
    name
}

/// Removes staging directories that interrupted runs left next to `target`.
fn remove_leftovers(target: &Path) -> Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = staging_prefix(target);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix.to_str()?)) else {
            continue;
        };
        let (pid, old_output) = match rest.strip_suffix(OLD_SUFFIX) {
            Some(pid) => (pid, true),
            None => (rest, false),
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        if pid == std::process::id() || process_alive(pid) || !is_wfsim_dir(&path) {
            continue;
        }
        if old_output && !target.exists() {
            // A crash fell between the two renames of the fallback swap: put the previous
            // output back.
            std::fs::rename(&path, target).map_err(|e| Error::io(target, e))?;
        } else {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks whether the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

impl Staging {
    /// Checks `target`, clears leftovers of interrupted runs, and creates the staging directory.
    pub fn create(target: &Path) -> Result<Staging> {
        check_target(target)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        remove_leftovers(target)?;
        let mut name = staging_prefix(target);
        name.push(std::process::id().to_string());
        let temp = parent.join(name);
        std::fs::create_dir(&temp).map_err(|e| Error::io(&temp, e))?;
        let staging = Staging {
            target: target.to_path_buf(),
            temp,
            committed: false,
        };
        std::fs::write(staging.temp.join(MARKER), MARKER_TEXT)
            .map_err(|e| Error::io(&staging.temp, e))?;
        Ok(staging)
    }

    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Swaps the finished output into place and removes the previous one.
    pub fn commit(mut self) -> Result<()> {
        check_target(&self.target)?;
        if self.target.exists() {
            exchange(&self.temp, &self.target)?;
            // `temp` now holds the previous output, which carries the marker or was empty.
            std::fs::remove_dir_all(&self.temp).map_err(|e| Error::io(&self.temp, e))?;
        } else {
            std::fs::rename(&self.temp, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        sync_dir(
            self.target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        );
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| Error::refused(p, "path contains a NUL byte"))
    };
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both arguments are valid NUL-terminated paths; AT_FDCWD resolves them as given.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => {
            exchange_by_renames(a, b)
        }
        _ => Err(Error::io(b, err)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    exchange_by_renames(a, b)
}

/// Fallback where the filesystem cannot exchange: two renames through a third name. If a crash
/// falls between them, the next run's leftover sweep puts the previous output back.
fn exchange_by_renames(a: &Path, b: &Path) -> Result<()> {
    let mut side = a.as_os_str().to_owned();
    side.push(OLD_SUFFIX);
    let side = PathBuf::from(side);
    std::fs::rename(b, &side).map_err(|e| Error::io(b, e))?;
    std::fs::rename(a, b).map_err(|e| Error::io(a, e))?;
    std::fs::rename(&side, a).map_err(|e| Error::io(&side, e))
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
