//! The one harness of the CLI integration tests (`cli.rs`, `corpus.rs`, `crash.rs`): run the
//! real binary with arguments, environment and working directory, capture what it reported, and
//! inspect what it wrote.

// Each test file is its own crate and uses only part of the harness.
#![allow(dead_code)]

use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_wfsim");
/// The file that marks a directory as a wfsim output.
pub const MARKER: &str = ".wfsim-output";
/// A valid three-employee census.
pub const GOOD_CENSUS: &str = "employee_id,birth_date,hire_date,annual_salary\n\
    E001,1985-03-10,2015-06-01,65000\n\
    E002,1990-07-21,2019-01-15,92000\n\
    E003,1972-11-02,2003-09-30,140000\n";

/// wfsim with its working directory set to `cwd` and the variables that would change its
/// behaviour removed, so the caller's environment does not leak in.
pub fn command<I, S>(cwd: &Path, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("WFSIM_THREADS");
    cmd
}

/// Runs wfsim in `cwd` to completion, with `env` added to the cleaned environment.
pub fn run_in<I, S>(cwd: &Path, args: I, env: &[(&str, &str)]) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = command(cwd, args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("start wfsim");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What a finished wfsim process reported.
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn assert_success(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "wfsim failed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts exit code 2, an `error:` line, no panic, and that every needle occurs in stderr.
    pub fn assert_input_error(&self, needles: &[&str]) -> &Self {
        assert_eq!(
            self.code,
            Some(2),
            "expected exit code 2 for bad input\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.starts_with("error: "),
            "stderr should start with `error: `:\n{}",
            self.stderr
        );
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr should mention {needle:?}:\n{}",
                self.stderr
            );
        }
        assert!(
            !self.stderr.contains("panicked"),
            "wfsim panicked:\n{}",
            self.stderr
        );
        self
    }
}

/// A fresh temporary directory that is also the working directory of every wfsim it runs.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("create temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Writes `contents` to `name` inside the sandbox and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Writes [`GOOD_CENSUS`] to `name` and returns its path.
    pub fn good_census(&self, name: &str) -> PathBuf {
        self.write(name, GOOD_CENSUS)
    }

    /// Generates a synthetic census with `wfsim census` and returns its path.
    pub fn generated_census(&self, name: &str, employees: u32, seed: u32) -> PathBuf {
        let path = self.join(name);
        self.run([
            "-q",
            "census",
            "--employees",
            &employees.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            &s(&path),
        ])
        .assert_success();
        assert!(
            path.is_file(),
            "wfsim census did not write {}",
            path.display()
        );
        path
    }

    /// wfsim in the sandbox, not started yet (for a run the test must interrupt).
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        command(self.path(), args)
    }

    pub fn run_env<I, S>(&self, args: I, env: &[(&str, &str)]) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run_in(self.path(), args, env)
    }

    pub fn run<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.run_env(args, &[])
    }
}

/// A path as a command-line argument.
pub fn s(p: &Path) -> String {
    p.to_str().expect("UTF-8 temp path").to_string()
}

/// The names in `dir`.
pub fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every file under `root` (recursively, hidden ones included) with its bytes, keyed by the
/// path relative to `root`: two trees compare equal only when every byte is the same.
pub fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, acc: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, acc);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                acc.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut acc = BTreeMap::new();
    walk(root, root, &mut acc);
    acc
}

pub fn events_file(out: &Path, year: i32) -> PathBuf {
    out.join(format!(
        "events/simulation_year={year}/events_{year}.parquet"
    ))
}

pub fn snapshot_file(out: &Path, year: i32) -> PathBuf {
    out.join(format!(
        "snapshots/simulation_year={year}/snapshot_{year}.parquet"
    ))
}

/// Every record batch of a Parquet file.
pub fn read_batches(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

/// The repository root.
pub fn repo() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.ancestors().nth(2).unwrap().to_path_buf()
}

/// Set (to `1`) where the shared fixtures must be present, as in CI: a missing folder then fails
/// the test instead of skipping it.
pub const REQUIRE_SHARED: &str = "WFSIM_REQUIRE_SHARED";

/// `name` in `../shared/fixtures/` next to the repository, which exists only where the project
/// is developed: `None` (and one line on stderr) elsewhere, so a fresh clone passes its own
/// suite, unless [`REQUIRE_SHARED`] is `1`.
pub fn shared_fixture(name: &str) -> Option<PathBuf> {
    let dir = repo().parent().unwrap().join("shared/fixtures");
    if dir.is_dir() {
        return Some(dir.join(name));
    }
    assert!(
        std::env::var(REQUIRE_SHARED).as_deref() != Ok("1"),
        "{REQUIRE_SHARED}=1 but the shared fixtures folder {} does not exist",
        dir.display()
    );
    eprintln!(
        "skipped: {} not found (shared fixtures exist only next to the development checkout; \
         set {REQUIRE_SHARED}=1 to require them)",
        dir.display()
    );
    None
}
