//! The bad-input corpus (`tests/fixtures/bad/`, expectations in `cases.tsv`) and the lenient
//! corpus (`tests/fixtures/lenient/`), run through the real binary.
//!
//! Every bad case must exit 2 with an `error:` message naming the file and containing each
//! expected substring (row or key path, column, value), never panic, and write nothing: its
//! `--out` stays absent, no `.*wfsim-tmp*` staging directory appears, and a previous valid output
//! passed as `--out` is left byte for byte. Every lenient file must run (exit 0) and simulate its
//! employees. Cases that cannot be committed as small text files (a 1 MB field, Parquet with
//! wrong column types) are generated here and go through the same checks.

mod common;
use arrow_array::{Array, ArrayRef, Date32Array, Float64Array, RecordBatch, StringArray};
use common::{entries, read_batches, repo, run_in, snapshot_file, tree, Sandbox};
use parquet::arrow::ArrowWriter;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const HEADER: &str = "employee_id,birth_date,hire_date,annual_salary";
/// stderr of a rejected run is one short message; a 1 MB value must not be echoed in full.
const MAX_STDERR: usize = 4096;

fn bad_dir() -> PathBuf {
    repo().join("tests/fixtures/bad")
}

/// The example config: every census case runs with a valid config.
fn good_config() -> PathBuf {
    repo().join("config/simulation.yaml")
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Census,
    /// A census read with `--census-map` this file.
    CensusWithMap(PathBuf),
    Config,
}

struct Case {
    file: PathBuf,
    kind: Kind,
    expected: Vec<String>,
}

fn manifest() -> Vec<Case> {
    let path = bad_dir().join("cases.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            3,
            "cases.tsv line {}: expected 3 tab-separated columns",
            n + 1
        );
        let kind = match cols[1].split_once(':') {
            _ if cols[1] == "census" => Kind::Census,
            _ if cols[1] == "config" => Kind::Config,
            Some(("census", map)) => Kind::CensusWithMap(bad_dir().join(map)),
            _ => panic!("cases.tsv line {}: unknown kind {:?}", n + 1, cols[1]),
        };
        let expected: Vec<String> = cols[2]
            .split(" && ")
            .map(str::to_string)
            .filter(|s| !s.is_empty())
            .collect();
        assert!(
            !expected.is_empty(),
            "cases.tsv line {}: no expected text",
            n + 1
        );
        cases.push(Case {
            file: bad_dir().join(cols[0]),
            kind,
            expected,
        });
    }
    cases
}

/// A valid previous output, shared by every case: each rejected run is also pointed at it and
/// must leave it byte for byte.
struct Previous {
    _sandbox: Sandbox,
    out: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Previous {
    fn new() -> Previous {
        let sandbox = Sandbox::new();
        sandbox.good_census("census.csv");
        let out = sandbox.join("previous");
        let r = sandbox.run([
            "-q",
            "run",
            "--census",
            "census.csv",
            "--out",
            "previous",
            "--end",
            "2025",
        ]);
        assert_eq!(r.code, Some(0), "the valid run failed: {}", r.stderr);
        let files = tree(&out);
        assert!(
            files.len() >= 4,
            "unexpectedly few output files: {:?}",
            files.keys()
        );
        Previous {
            _sandbox: sandbox,
            out,
            files,
        }
    }

    /// Problems with the previous output after a rejected run.
    fn check(&self, problems: &mut Vec<String>) {
        if tree(&self.out) != self.files {
            problems.push("the previous valid output was modified".into());
        }
        let parent = self.out.parent().unwrap();
        let names = entries(parent);
        let expected: BTreeSet<String> = ["census.csv", "previous"].map(String::from).into();
        if names != expected {
            problems.push(format!(
                "next to the previous output: {names:?} (expected only {expected:?})"
            ));
        }
    }
}

/// Runs one bad input twice (fresh `--out`, then the previous output as `--out`) and returns
/// every way it fell short; empty when the case passes.
fn check_bad(file: &Path, kind: &Kind, expected: &[String], previous: &Previous) -> Vec<String> {
    let mut problems = Vec::new();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let sandbox = Sandbox::new();
    let cwd = sandbox.path();
    let file_arg = file.to_str().expect("UTF-8 path").to_string();
    let config_arg = good_config().to_str().unwrap().to_string();
    let mut before = BTreeSet::new();
    let census_run = |map: Option<&Path>| -> Vec<String> {
        let mut args: Vec<String> = vec![
            "-q",
            "run",
            "--census",
            &file_arg,
            "--config",
            &config_arg,
            "--end",
            "2025",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        if let Some(map) = map {
            args.extend(["--census-map".into(), map.to_str().unwrap().to_string()]);
        }
        args
    };
    let base: Vec<String> = match kind {
        Kind::Census => census_run(None),
        Kind::CensusWithMap(map) => census_run(Some(map)),
        Kind::Config => {
            sandbox.good_census("census.csv");
            before.insert("census.csv".to_string());
            // No --end: the config's own years must be checked as written.
            vec!["-q", "run", "--census", "census.csv", "--config", &file_arg]
                .into_iter()
                .map(String::from)
                .collect()
        }
    };
    let previous_arg = previous.out.to_str().unwrap().to_string();
    for out in ["out", previous_arg.as_str()] {
        let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
        args.extend(["--out", out]);
        let r = run_in(cwd, &args, &[]);
        let mut fail = |what: String| problems.push(format!("--out {out}: {what}"));
        if r.code != Some(2) {
            fail(format!("exit code {:?}, expected 2", r.code));
        }
        if r.stderr.contains("panicked") {
            fail("wfsim panicked".into());
        }
        if !r.stderr.starts_with("error: ") {
            fail("stderr does not start with `error: `".into());
        }
        if !r.stdout.is_empty() {
            fail(format!("-q printed on stdout: {:?}", r.stdout));
        }
        if r.stderr.len() > MAX_STDERR {
            fail(format!("stderr is {} bytes long", r.stderr.len()));
        }
        for needle in std::iter::once(&name).chain(expected) {
            if !r.stderr.contains(needle.as_str()) {
                fail(format!("stderr lacks {needle:?}"));
            }
        }
        if !problems.is_empty() {
            let shown: String = r.stderr.chars().take(600).collect();
            problems.push(format!("stderr was: {shown}"));
        }
        // Nothing written: the working directory holds exactly what the test put there.
        let now = entries(cwd);
        if now != before {
            problems.push(format!(
                "--out {out}: the working directory now holds {now:?}, expected {before:?}"
            ));
        }
    }
    previous.check(&mut problems);
    problems
}

fn report(failures: Vec<(String, Vec<String>)>, total: usize) {
    if failures.is_empty() {
        return;
    }
    let mut text = format!("{} of {total} cases failed:\n", failures.len());
    for (case, problems) in &failures {
        text.push_str(&format!("\n== {case}\n"));
        for p in problems {
            text.push_str(&format!("   {p}\n"));
        }
    }
    panic!("{text}");
}

#[test]
fn manifest_and_fixture_files_match() {
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let listed: BTreeSet<String> = manifest()
        .iter()
        .flat_map(|c| {
            let map = match &c.kind {
                Kind::CensusWithMap(map) => Some(name(map)),
                _ => None,
            };
            std::iter::once(name(&c.file)).chain(map)
        })
        .collect();
    let mut on_disk = entries(&bad_dir());
    on_disk.remove("cases.tsv");
    assert_eq!(
        on_disk.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "fixture files without a line in cases.tsv"
    );
    assert_eq!(
        listed.difference(&on_disk).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "cases.tsv lines without a fixture file"
    );
    let census = manifest().iter().filter(|c| c.kind != Kind::Config).count();
    let config = manifest().len() - census;
    assert!(
        census >= 30 && config >= 9,
        "{census} census and {config} config cases"
    );
}

#[test]
fn every_bad_fixture_is_rejected_precisely_and_writes_nothing() {
    let previous = Previous::new();
    let cases = manifest();
    let failures: Vec<(String, Vec<String>)> = cases
        .iter()
        .map(|c| {
            (
                c.file.file_name().unwrap().to_string_lossy().into_owned(),
                check_bad(&c.file, &c.kind, &c.expected, &previous),
            )
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    report(failures, cases.len());
}

/// Runs generated bad census files (written into a directory of their own).
fn check_generated(cases: &[(&str, Vec<u8>, &[&str])]) {
    let previous = Previous::new();
    let dir = Sandbox::new();
    let failures: Vec<(String, Vec<String>)> = cases
        .iter()
        .map(|(name, bytes, expected)| {
            let file = dir.join(name);
            std::fs::write(&file, bytes).unwrap();
            let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            (
                name.to_string(),
                check_bad(&file, &Kind::Census, &expected, &previous),
            )
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    report(failures, cases.len());
}

#[test]
fn one_megabyte_fields_are_rejected_with_a_short_message() {
    let big = "x".repeat(1 << 20);
    let digits = "9".repeat(1 << 20);
    check_generated(&[
        (
            "huge_salary.csv",
            format!(
                "{HEADER}\nE001,1985-03-10,2015-06-01,65000\nE002,1990-07-21,2019-01-15,{big}\n"
            )
            .into_bytes(),
            &[
                "row 2",
                "column `annual_salary`",
                "value \"xxxxxxxxxx",
                "…",
                "not a number",
            ],
        ),
        (
            // A million digits parse as infinity.
            "huge_number.csv",
            format!("{HEADER}\nE001,1985-03-10,2015-06-01,{digits}\n").into_bytes(),
            &[
                "row 1",
                "column `annual_salary`",
                "value \"9999999999",
                "finite",
            ],
        ),
        (
            "huge_date.csv",
            format!("{HEADER}\nE001,1985-03-10,2015-06-01,65000\nE002,{big},2019-01-15,92000\n")
                .into_bytes(),
            &["row 2", "column `birth_date`", "not a valid date"],
        ),
        (
            "huge_header.csv",
            format!("{big},birth_date,hire_date,annual_salary\nE001,1985-03-10,2015-06-01,65000\n")
                .into_bytes(),
            &[
                "column `employee_id`",
                "required column",
                "found columns: xxxxxxxxxx",
                "…",
            ],
        ),
        (
            // 100,000 columns: the message lists a few and counts the rest.
            "many_columns.csv",
            {
                let mut header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
                header.push("birth_date,hire_date,annual_salary".into());
                format!("{}\n", header.join(",")).into_bytes()
            },
            &["column `employee_id`", "required column", "c0, c1", "more)"],
        ),
    ]);
}

/// A Parquet census with the given columns.
fn parquet_bytes(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    bytes
}

fn days(y: i32, m: u32, d: u32) -> i32 {
    // Days since 1970-01-01 (proleptic Gregorian), enough for test dates.
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let era_days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m as i32 - 3) + 2) / 5 + d as i32;
    era_days - 719_469
}

#[test]
fn parquet_with_wrong_column_types_is_rejected() {
    let ids = || Arc::new(StringArray::from(vec!["E001", "E002"])) as ArrayRef;
    let dates = |v: &[(i32, u32, u32)]| {
        Arc::new(Date32Array::from(
            v.iter().map(|&(y, m, d)| days(y, m, d)).collect::<Vec<_>>(),
        )) as ArrayRef
    };
    let births = [(1985, 3, 10), (1990, 7, 21)];
    let hires = [(2015, 6, 1), (2019, 1, 15)];
    assert_eq!(days(1970, 1, 1), 0);
    assert_eq!(days(2000, 3, 1), 11_017);
    check_generated(&[
        (
            "salary_is_a_date.parquet",
            parquet_bytes(vec![
                ("employee_id", ids()),
                ("birth_date", dates(&births)),
                ("hire_date", dates(&hires)),
                ("annual_salary", dates(&[(2020, 1, 1), (2021, 2, 2)])),
            ]),
            &[
                "row 1",
                "column `annual_salary`",
                "value \"2020-01-01\"",
                "not a number",
            ],
        ),
        (
            "birth_date_is_a_float.parquet",
            parquet_bytes(vec![
                ("employee_id", ids()),
                (
                    "birth_date",
                    Arc::new(Float64Array::from(vec![1985.5, 1990.25])) as ArrayRef,
                ),
                ("hire_date", dates(&hires)),
                (
                    "annual_salary",
                    Arc::new(Float64Array::from(vec![65000.0, 92000.0])) as ArrayRef,
                ),
            ]),
            &[
                "row 1",
                "column `birth_date`",
                "value \"1985.5\"",
                "not a valid date",
            ],
        ),
        (
            "truncated.parquet",
            {
                let mut b = parquet_bytes(vec![
                    ("employee_id", ids()),
                    ("birth_date", dates(&births)),
                    ("hire_date", dates(&hires)),
                    (
                        "annual_salary",
                        Arc::new(Float64Array::from(vec![65000.0, 92000.0])) as ArrayRef,
                    ),
                ]);
                b.truncate(b.len() / 2);
                b
            },
            &["cannot read as Parquet"],
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// Lenient input: accepted
// ---------------------------------------------------------------------------------------------

/// (employee_id, deferral_rate) of the 2025 snapshot.
fn deferral_rates(out: &Path) -> BTreeMap<String, f64> {
    let mut rates = BTreeMap::new();
    for batch in read_batches(&snapshot_file(out, 2025)) {
        let ids = batch.column_by_name("employee_id").unwrap();
        let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
        let rate = batch.column_by_name("deferral_rate").unwrap();
        let rate = rate.as_any().downcast_ref::<Float64Array>().unwrap();
        for i in 0..batch.num_rows() {
            rates.insert(
                ids.value(i).to_string(),
                if rate.is_null(i) {
                    f64::NAN
                } else {
                    rate.value(i)
                },
            );
        }
    }
    rates
}

#[test]
fn every_lenient_fixture_is_accepted() {
    let dir = repo().join("tests/fixtures/lenient");
    // A census `NAME.csv` is read with `--census-map NAME.map.yaml` when that file exists.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".map.yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "only {} lenient fixtures", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let sandbox = Sandbox::new();
        let mut args = vec![
            "-q".to_string(),
            "run".into(),
            "--census".into(),
            file.to_str().unwrap().into(),
            "--config".into(),
            good_config().to_str().unwrap().into(),
            "--out".into(),
            "out".into(),
            "--end".into(),
            "2025".into(),
        ];
        let map = file.with_extension("map.yaml");
        if map.exists() {
            args.extend(["--census-map".into(), map.to_str().unwrap().into()]);
        }
        let r = sandbox.run(&args);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if r.code != Some(0) {
            failures.push((name, vec![format!("exit code {:?}: {}", r.code, r.stderr)]));
            continue;
        }
        let rates = deferral_rates(&sandbox.join("out"));
        let missing: Vec<&str> = ["E001", "E002"]
            .into_iter()
            .filter(|id| !rates.contains_key(*id))
            .collect();
        if !missing.is_empty() {
            failures.push((
                name,
                vec![format!(
                    "{missing:?} missing from the 2025 snapshot: {rates:?}"
                )],
            ));
        }
    }
    report(failures, files.len());
}

#[test]
fn percent_deferral_is_read_as_a_fraction() {
    // percent_deferral.csv: E001 writes 6, E002 writes 6 %; the file is in percent (spec §6),
    // so both are 6 % at the census date. The 2025 snapshot may show one escalation step on top.
    let sandbox = Sandbox::new();
    let file = repo().join("tests/fixtures/lenient/percent_deferral.csv");
    let r = sandbox.run([
        "-q",
        "run",
        "--census",
        file.to_str().unwrap(),
        "--out",
        "out",
        "--end",
        "2025",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rates = deferral_rates(&sandbox.join("out"));
    for id in ["E001", "E002"] {
        let rate = rates[id];
        assert!(
            (0.0599..=0.0701).contains(&rate),
            "{id}: deferral rate {rate} in 2025, expected 0.06 (or 0.07 after one escalation)"
        );
    }
    assert_eq!(
        rates["E001"], rates["E002"],
        "6 and 6 % must mean the same rate"
    );
}
