//! Output safety of the real binary (README "Output safety", MODEL.md §5): a run killed with
//! SIGKILL in the middle of writing leaves the previous output byte for byte and its staging
//! directory is swept by the next run; the home directory and the current directory are
//! refused; an unwritable output location fails cleanly.

mod common;
use common::tree;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_wfsim");
const MARKER: &str = ".wfsim-output";
/// How long the killed run may take to write its first Parquet file before the test gives up.
const FIRST_FILE_TIMEOUT: Duration = Duration::from_secs(120);

struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn command(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("WFSIM_THREADS");
    cmd
}

fn wfsim(cwd: &Path, args: &[&str]) -> Outcome {
    let out = command(cwd, args).output().expect("start wfsim");
    Outcome {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_ok(r: &Outcome) {
    assert_eq!(r.code, Some(0), "wfsim failed: {}", r.stderr);
}

fn assert_refused(r: &Outcome, needles: &[&str]) {
    assert_eq!(r.code, Some(2), "expected exit 2: {}", r.stderr);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for n in needles {
        assert!(
            r.stderr.contains(n),
            "stderr should mention {n:?}: {}",
            r.stderr
        );
    }
}

/// Parquet files anywhere under `dir` (none if it does not exist yet).
fn count_parquet(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .map(|p| {
            if p.is_dir() {
                count_parquet(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "parquet"))
            }
        })
        .sum()
}

/// Names in `dir` that look like wfsim staging directories.
fn staging_dirs(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("wfsim-tmp"))
        .collect()
}

fn census(cwd: &Path, name: &str, employees: u32, seed: u32) {
    assert_ok(&wfsim(
        cwd,
        &[
            "-q",
            "census",
            "--employees",
            &employees.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
            name,
        ],
    ));
}

#[test]
fn sigkill_mid_write_keeps_the_previous_output_and_the_next_run_sweeps_up() {
    let sb = TempDir::new().unwrap();
    let cwd = sb.path();
    census(cwd, "big.csv", 300_000, 1);
    census(cwd, "small.csv", 500, 2);
    census(cwd, "other.csv", 400, 3);
    let out = cwd.join("OUT");

    // 1. A complete run: the output the crash must not touch.
    assert_ok(&wfsim(
        cwd,
        &[
            "-q",
            "run",
            "--census",
            "small.csv",
            "--out",
            "OUT",
            "--end",
            "2026",
        ],
    ));
    let before = tree(&out);
    assert!(before.contains_key(Path::new(MARKER)));
    assert!(
        before.len() >= 6,
        "unexpectedly few files: {:?}",
        before.keys()
    );

    // 2. A long run into the same OUT, killed as soon as its staging holds a Parquet file.
    let mut child = command(
        cwd,
        &[
            "-q", "run", "--census", "big.csv", "--out", "OUT", "--end", "2034",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start wfsim");
    let pid = child.id();
    let staging = cwd.join(format!(".OUT.wfsim-tmp-{pid}"));
    let started = Instant::now();
    while count_parquet(&staging) == 0 {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before its staging directory held a Parquet file");
        }
        if started.elapsed() > FIRST_FILE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "no Parquet file in {} after {FIRST_FILE_TIMEOUT:?}",
                staging.display()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -9 {pid} failed");
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        None,
        "the run was not killed by the signal: {status}"
    );

    assert_eq!(
        tree(&out),
        before,
        "a killed run changed the previous output"
    );
    assert!(
        staging.is_dir(),
        "the killed run's staging directory {} is gone",
        staging.display()
    );
    assert!(
        staging.join(MARKER).is_file(),
        "the staging directory carries the marker"
    );
    assert!(count_parquet(&staging) >= 1);

    // 3. The next run removes the leftover and replaces OUT with its own output.
    assert_ok(&wfsim(
        cwd,
        &[
            "-q",
            "run",
            "--census",
            "other.csv",
            "--out",
            "OUT",
            "--end",
            "2025",
        ],
    ));
    assert!(
        !staging.exists(),
        "the leftover staging directory was not removed"
    );
    assert_eq!(staging_dirs(cwd), Vec::<String>::new());
    let after = tree(&out);
    assert_ne!(after, before, "OUT still holds the first run's output");
    assert!(after.contains_key(Path::new(MARKER)));
    assert!(after.contains_key(Path::new("events/simulation_year=2025/events_2025.parquet")));
    assert!(
        !after.keys().any(|p| p.to_string_lossy().contains("2026")),
        "a file of the first run (2026) survived: {:?}",
        after.keys()
    );
    let summary = String::from_utf8(after[Path::new("generation_summary.json")].clone()).unwrap();
    let other_sha = {
        // The summary records the census sha256; it must be that of other.csv.
        let r = Command::new("sha256sum")
            .arg(cwd.join("other.csv"))
            .output();
        r.ok().map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string()
        })
    };
    if let Some(sha) = other_sha.filter(|s| s.len() == 64) {
        assert!(
            summary.contains(&sha),
            "the summary is not the third run's: {summary}"
        );
    }
}

fn small_census(dir: &Path) {
    std::fs::write(
        dir.join("census.csv"),
        "employee_id,birth_date,hire_date,annual_salary\n\
         E001,1985-03-10,2015-06-01,65000\n\
         E002,1990-07-21,2019-01-15,92000\n",
    )
    .unwrap();
}

#[test]
fn refuses_the_home_directory() {
    let sb = TempDir::new().unwrap();
    small_census(sb.path());
    let home = TempDir::new().unwrap();
    std::fs::write(home.path().join("notes.txt"), "mine\n").unwrap();
    let before = tree(home.path());
    let home_arg = home.path().to_str().unwrap();
    let r = command(
        sb.path(),
        &[
            "-q",
            "run",
            "--census",
            "census.csv",
            "--out",
            home_arg,
            "--end",
            "2025",
        ],
    )
    .env("HOME", home.path())
    .output()
    .unwrap();
    let r = Outcome {
        code: r.status.code(),
        stderr: String::from_utf8_lossy(&r.stderr).into_owned(),
    };
    assert_refused(&r, &["home directory", home_arg]);
    assert_eq!(tree(home.path()), before, "the home directory was modified");
    assert!(!home.path().join(MARKER).exists());
    assert_eq!(
        staging_dirs(home.path().parent().unwrap()),
        Vec::<String>::new()
    );
}

#[test]
fn refuses_the_current_directory_and_its_parents() {
    let sb = TempDir::new().unwrap();
    small_census(sb.path());
    let cwd = sb.path().canonicalize().unwrap();
    for out in [".", "./", cwd.to_str().unwrap(), ".."] {
        let r = wfsim(
            &cwd,
            &[
                "-q",
                "run",
                "--census",
                "census.csv",
                "--out",
                out,
                "--end",
                "2025",
            ],
        );
        assert_refused(&r, &["current directory"]);
        let names: Vec<String> = std::fs::read_dir(&cwd)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["census.csv"],
            "--out {out} wrote into the working directory"
        );
    }
}

#[test]
fn unwritable_output_parent_fails_cleanly() {
    let sb = TempDir::new().unwrap();
    small_census(sb.path());

    // A parent that is a regular file: no user can create a directory under it.
    std::fs::write(sb.path().join("plain_file"), "x").unwrap();
    let r = wfsim(
        sb.path(),
        &[
            "-q",
            "run",
            "--census",
            "census.csv",
            "--out",
            "plain_file/out",
            "--end",
            "2025",
        ],
    );
    assert_eq!(r.code, Some(2), "a refused output location: {}", r.stderr);
    assert!(
        r.stderr.starts_with("error: ") && r.stderr.contains("plain_file"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);

    // A read-only parent (chmod 555).
    use std::os::unix::fs::PermissionsExt;
    let ro = sb.path().join("readonly");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // root (and CAP_DAC_OVERRIDE) writes into a 555 directory anyway; then there is nothing to
    // test, so the assertion is skipped when a probe file can be created.
    let probe = ro.join("probe");
    let writable = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    if writable {
        eprintln!("skipping the read-only parent check: this user can write into a 0555 directory (root?)");
    } else {
        let r = wfsim(
            sb.path(),
            &[
                "-q",
                "run",
                "--census",
                "census.csv",
                "--out",
                "readonly/out",
                "--end",
                "2025",
            ],
        );
        assert!(
            matches!(r.code, Some(c) if c != 0),
            "exit {:?}: {}",
            r.code,
            r.stderr
        );
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains("readonly"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.to_lowercase().contains("permission denied"),
            "the message should say why: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert_eq!(
            std::fs::read_dir(&ro).unwrap().count(),
            0,
            "something was written"
        );
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}
