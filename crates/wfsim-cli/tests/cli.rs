//! End-to-end tests of the `wfsim` binary: bad input is rejected with a precise message and
//! nothing written, lenient input is accepted, runs are deterministic, and the output layout
//! matches the spec (MODEL.md §5, §6).
//!
//! Every process runs with its working directory set to a fresh temporary directory, so the
//! default `config/simulation.yaml` lookup and the `./sim_events` default never touch the repo.

mod common;
use arrow_array::{Array, Float64Array, StringArray, TimestampMicrosecondArray};
use common::{
    events_file, read_batches, repo, s, shared_fixture, snapshot_file, tree, Outcome, Sandbox,
    MARKER,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const HEADER: &str = "employee_id,birth_date,hire_date,annual_salary";
const GOOD_ROW: &str = "E001,1985-03-10,2015-06-01,65000";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

impl Sandbox {
    /// Writes a census CSV: the header line followed by the rows, `\n`-terminated.
    fn census(&self, name: &str, header: &str, rows: &[&str]) -> PathBuf {
        let mut text = format!("{header}\n");
        for r in rows {
            text.push_str(r);
            text.push('\n');
        }
        self.write(name, text)
    }

    /// `wfsim -q run --census CENSUS --out OUT --end 2025 EXTRA...`
    fn run_quick(&self, census: &Path, out: &Path, extra: &[&str]) -> Outcome {
        let mut args = vec![
            "-q".to_string(),
            "run".into(),
            "--census".into(),
            s(census),
            "--out".into(),
            s(out),
            "--end".into(),
            "2025".into(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        self.run(args)
    }

    /// Asserts that a rejected run left no trace: `out` does not exist, no staging directory
    /// remains next to it, and no default `sim_events` appeared in the working directory.
    fn assert_nothing_written(&self, out: &Path) {
        assert!(
            !out.exists(),
            "{} was created by a rejected run",
            out.display()
        );
        self.assert_no_staging_next_to(out);
        assert!(
            !self.join("sim_events").exists(),
            "a rejected run created ./sim_events"
        );
    }

    fn assert_no_staging_next_to(&self, out: &Path) {
        for dir in [out.parent().unwrap_or(self.path()), self.path()] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let name = entry.unwrap().file_name();
                let name = name.to_string_lossy();
                assert!(
                    !name.contains("wfsim-tmp"),
                    "staging directory {name} left behind in {}",
                    dir.display()
                );
            }
        }
    }
}

/// The files of `tree` under the `events/` and `snapshots/` folders.
fn parquet_outputs(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(root)
        .into_iter()
        .filter(|(p, _)| p.starts_with("events") || p.starts_with("snapshots"))
        .collect()
}

fn parquet_row_count(path: &Path) -> usize {
    read_batches(path).iter().map(|b| b.num_rows()).sum()
}

/// All values of a string column (panics on nulls).
fn string_column(path: &Path, column: &str) -> Vec<String> {
    let mut values = Vec::new();
    for batch in read_batches(path) {
        let col = batch
            .column_by_name(column)
            .unwrap_or_else(|| panic!("{} has no column {column}", path.display()));
        let col = col
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap_or_else(|| panic!("{column} is not a string column"));
        assert_eq!(col.null_count(), 0, "{column} has nulls");
        values.extend(col.iter().map(|v| v.unwrap().to_string()));
    }
    values
}

/// All values of the `created_at` column, checking it is a µs timestamp in UTC without nulls.
fn created_at_values(path: &Path) -> Vec<i64> {
    let mut values = Vec::new();
    for batch in read_batches(path) {
        let col = batch
            .column_by_name("created_at")
            .expect("created_at column");
        let col = col
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .expect("created_at is a microsecond timestamp");
        let tz = col.timezone().unwrap_or("");
        assert!(
            tz == "UTC" || tz == "+00:00" || tz == "Z",
            "created_at time zone is {tz:?}, expected UTC"
        );
        assert_eq!(col.null_count(), 0, "created_at has nulls");
        values.extend(col.values().iter().copied());
    }
    values
}

// ---------------------------------------------------------------------------------------------
// 1. Bad input: exit 2, a precise message, nothing written
// ---------------------------------------------------------------------------------------------

/// Runs a census that must be rejected and checks the message and that nothing was written.
fn rejects_census(name: &str, header: &str, rows: &[&str], needles: &[&str]) {
    let sb = Sandbox::new();
    let census = sb.census(name, header, rows);
    let out = sb.join("out");
    let mut all = vec![name];
    all.extend_from_slice(needles);
    sb.run_quick(&census, &out, &[]).assert_input_error(&all);
    sb.assert_nothing_written(&out);
}

#[test]
fn rejects_missing_required_column() {
    rejects_census(
        "no_hire_date.csv",
        "employee_id,birth_date,annual_salary",
        &["E001,1985-03-10,65000"],
        &["column `hire_date`", "missing"],
    );
}

#[test]
fn rejects_duplicate_employee_id_naming_the_first_row() {
    rejects_census(
        "dup_ids.csv",
        HEADER,
        &[
            GOOD_ROW,
            "E002,1990-07-21,2019-01-15,92000",
            "E001,1979-01-01,2010-01-01,70000",
        ],
        &["row 3", "column `employee_id`", "\"E001\"", "row 1"],
    );
}

#[test]
fn rejects_malformed_date() {
    rejects_census(
        "bad_date.csv",
        HEADER,
        &[GOOD_ROW, "E002,1990-07-21,2024-13-45,92000"],
        &[
            "row 2",
            "column `hire_date`",
            "\"2024-13-45\"",
            "not a valid date",
        ],
    );
}

#[test]
fn rejects_impossible_calendar_date() {
    rejects_census(
        "feb30.csv",
        "employee_id,birth_date,hire_date,annual_salary,termination_date",
        &[
            "E001,1985-03-10,2015-06-01,65000,",
            "E002,1990-07-21,2019-01-15,92000,2025-02-30",
        ],
        &[
            "row 2",
            "column `termination_date`",
            "\"2025-02-30\"",
            "not a valid date",
        ],
    );
}

#[test]
fn rejects_zero_salary() {
    rejects_census(
        "salary_zero.csv",
        HEADER,
        &[GOOD_ROW, "E002,1990-07-21,2019-01-15,0"],
        &["row 2", "column `annual_salary`", "value \"0\""],
    );
}

#[test]
fn rejects_negative_salary() {
    rejects_census(
        "salary_negative.csv",
        HEADER,
        &[GOOD_ROW, "E002,1990-07-21,2019-01-15,-5000"],
        &["row 2", "column `annual_salary`", "\"-5000\""],
    );
}

#[test]
fn rejects_salary_with_a_comma_that_is_no_thousands_separator() {
    // `1,000` is read as 1000 (issue 17); a comma elsewhere could be a decimal comma.
    rejects_census(
        "salary_comma.csv",
        HEADER,
        &[GOOD_ROW, "E002,1990-07-21,2019-01-15,\"72.500,00\""],
        &[
            "row 2",
            "column `annual_salary`",
            "\"72.500,00\"",
            "not a number",
        ],
    );
}

#[test]
fn rejects_deferral_rate_above_100_percent() {
    rejects_census(
        "deferral_150.csv",
        "employee_id,birth_date,hire_date,annual_salary,deferral_rate",
        &[
            "E001,1985-03-10,2015-06-01,65000,0.05",
            "E002,1990-07-21,2019-01-15,92000,150",
        ],
        &["row 2", "column `deferral_rate`", "\"150\""],
    );
}

#[test]
fn rejects_non_boolean_flag() {
    rejects_census(
        "maybe.csv",
        "employee_id,birth_date,hire_date,annual_salary,auto_escalation_opt_out",
        &[
            "E001,1985-03-10,2015-06-01,65000,false",
            "E002,1990-07-21,2019-01-15,92000,maybe",
        ],
        &[
            "row 2",
            "column `auto_escalation_opt_out`",
            "\"maybe\"",
            "not a boolean",
        ],
    );
}

#[test]
fn rejects_header_only_census() {
    rejects_census("header_only.csv", HEADER, &[], &["no employee rows"]);
}

#[test]
fn rejects_missing_census_file() {
    let sb = Sandbox::new();
    let census = sb.join("does_not_exist.csv");
    let out = sb.join("out");
    let result = sb.run_quick(&census, &out, &[]);
    result.assert_input_error(&["does_not_exist.csv (named by --census)", "No such file"]);
    assert_eq!(
        result.stderr.matches("No such file").count(),
        1,
        "the cause is said once:\n{}",
        result.stderr
    );
    sb.assert_nothing_written(&out);
}

#[test]
fn a_missing_file_is_named_with_what_named_it() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("out");
    sb.run_quick(&census, &out, &["--config", "gone.yaml"])
        .assert_input_error(&["gone.yaml (named by --config)"]);
    let config = sb.write("c.yaml", "simulation: {census_path: gone.csv}\n");
    sb.run(["run", "--config", &s(&config), "--out", "out"])
        .assert_input_error(&["gone.csv (named by simulation.census_path in the config)"]);
    sb.assert_nothing_written(&out);
}

/// Runs a valid census with a config that must be rejected.
fn rejects_config(name: &str, yaml: &str, needles: &[&str]) {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let config = sb.write(name, yaml);
    let out = sb.join("out");
    let mut all = vec![name];
    all.extend_from_slice(needles);
    sb.run_quick(&census, &out, &["--config", &s(&config)])
        .assert_input_error(&all);
    sb.assert_nothing_written(&out);
}

#[test]
fn rejects_unknown_config_key() {
    rejects_config(
        "typo.yaml",
        "workforce:\n  total_termination_rat: 0.1\n",
        &[
            "key `workforce.total_termination_rat`",
            "unknown field `total_termination_rat`",
        ],
    );
}

#[test]
fn rejects_rate_out_of_range() {
    rejects_config(
        "rate.yaml",
        "workforce:\n  total_termination_rate: 1.5\n",
        &["workforce.total_termination_rate", "1.5", "out of range"],
    );
}

#[test]
fn rejects_end_year_before_start_year() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("out");
    sb.run([
        "-q",
        "run",
        "--census",
        &s(&census),
        "--out",
        &s(&out),
        "--start",
        "2030",
        "--end",
        "2029",
    ])
    .assert_input_error(&[
        "simulation.end_year",
        "2029",
        "2030",
        "command-line overrides",
    ]);
    sb.assert_nothing_written(&out);
}

#[test]
fn refuses_non_empty_directory_without_marker() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("precious");
    let keep = sb.write("precious/thesis.txt", "do not delete me\n");
    let before = tree(&out);
    sb.run_quick(&census, &out, &[]).assert_input_error(&[
        "precious",
        "non-empty directory",
        MARKER,
    ]);
    assert_eq!(tree(&out), before, "the foreign directory was modified");
    assert_eq!(std::fs::read(&keep).unwrap(), b"do not delete me\n");
    assert!(!out.join(MARKER).exists());
    sb.assert_no_staging_next_to(&out);
}

#[test]
fn refuses_filesystem_root() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    sb.run_quick(&census, Path::new("/"), &[])
        .assert_input_error(&["output /", "root"]);
    assert!(
        !Path::new("/").join(MARKER).exists(),
        "marker written into /"
    );
    sb.assert_no_staging_next_to(&sb.join("out"));
    let root_staging = std::fs::read_dir("/")
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("wfsim-tmp"));
    assert!(!root_staging, "a staging directory was created in /");
}

#[test]
fn rejected_run_leaves_previous_output_byte_for_byte() {
    let sb = Sandbox::new();
    let out = sb.join("out");
    let good = sb.good_census("census.csv");
    sb.run_quick(&good, &out, &[]).assert_success();
    assert!(out.join(MARKER).is_file());
    let before = tree(&out);
    assert!(
        before.len() >= 4,
        "unexpectedly few output files: {before:?}"
    );

    let bad = sb.census(
        "deferral_bad.csv",
        "employee_id,birth_date,hire_date,annual_salary,deferral_rate",
        &[
            "E001,1985-03-10,2015-06-01,65000,0.05",
            "E002,1990-07-21,2019-01-15,92000,150",
        ],
    );
    sb.run_quick(&bad, &out, &[]).assert_input_error(&[
        "deferral_bad.csv",
        "row 2",
        "column `deferral_rate`",
        "\"150\"",
    ]);
    assert_eq!(
        tree(&out),
        before,
        "a rejected run modified the previous output"
    );
    sb.assert_no_staging_next_to(&out);
}

// ---------------------------------------------------------------------------------------------
// 2. Lenient input
// ---------------------------------------------------------------------------------------------

/// Runs a census file that must load, and checks the simulated employees are those in it.
fn accepts_census(name: &str, bytes: &[u8], ids: &[&str]) {
    let sb = Sandbox::new();
    let census = sb.write(name, bytes);
    let out = sb.join("out");
    sb.run_quick(&census, &out, &[]).assert_success();
    let snapshot_ids = string_column(&snapshot_file(&out, 2025), "employee_id");
    for id in ids {
        assert!(
            snapshot_ids.iter().any(|s| s == id),
            "{id} missing from the 2025 snapshot: {snapshot_ids:?}"
        );
    }
}

#[test]
fn accepts_crlf_line_endings() {
    accepts_census(
        "crlf.csv",
        b"employee_id,birth_date,hire_date,annual_salary\r\n\
          E001,1985-03-10,2015-06-01,65000\r\n\
          E002,1990-07-21,2019-01-15,92000\r\n",
        &["E001", "E002"],
    );
}

#[test]
fn accepts_utf8_bom() {
    accepts_census(
        "bom.csv",
        b"\xEF\xBB\xBFemployee_id,birth_date,hire_date,annual_salary\n\
          E001,1985-03-10,2015-06-01,65000\n\
          E002,1990-07-21,2019-01-15,92000\n",
        &["E001", "E002"],
    );
}

#[test]
fn accepts_quoted_comma_in_ignored_column() {
    accepts_census(
        "quoted.csv",
        b"employee_id,full_name,birth_date,hire_date,annual_salary\n\
          E001,\"Doe, Jane\",1985-03-10,2015-06-01,65000\n\
          E002,\"Roe, Richard \"\"Rick\"\"\",1990-07-21,2019-01-15,92000\n",
        &["E001", "E002"],
    );
}

#[test]
fn accepts_bom_crlf_and_quoted_comma_together() {
    accepts_census(
        "all_at_once.csv",
        b"\xEF\xBB\xBFemployee_id,notes,birth_date,hire_date,annual_salary\r\n\
          E001,\"remote, part-time\",1985-03-10,2015-06-01,65000\r\n\
          E002,,1990-07-21,2019-01-15,92000\r\n",
        &["E001", "E002"],
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn runs_are_byte_identical_across_repeats_and_thread_counts() {
    let sb = Sandbox::new();
    let census = sb.generated_census("c.csv", 2000, 3);
    let run = |dir: &str, threads: &str| {
        let out = sb.join(dir);
        sb.run([
            "-q",
            "run",
            "--census",
            &s(&census),
            "--out",
            &s(&out),
            "--threads",
            threads,
        ])
        .assert_success();
        parquet_outputs(&out)
    };
    let a = run("a", "1");
    let b = run("b", "1");
    let c = run("c", "2");

    let expected: std::collections::BTreeSet<PathBuf> = (2025..=2029)
        .flat_map(|y| {
            [
                PathBuf::from(format!("events/simulation_year={y}/events_{y}.parquet")),
                PathBuf::from(format!(
                    "snapshots/simulation_year={y}/snapshot_{y}.parquet"
                )),
            ]
        })
        .collect();
    assert_eq!(
        a.keys().cloned().collect::<std::collections::BTreeSet<_>>(),
        expected
    );
    for (name, other) in [("repeat", &b), ("--threads 2", &c)] {
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>(),
            "{name}: different file lists"
        );
        for (path, bytes) in &a {
            assert!(
                *bytes == other[path],
                "{name}: {} differs ({} vs {} bytes)",
                path.display(),
                bytes.len(),
                other[path].len()
            );
        }
    }
}

#[test]
fn created_at_follows_source_date_epoch() {
    let sb = Sandbox::new();
    let census = sb.generated_census("c.csv", 300, 5);
    let with = sb.join("with_epoch");
    let without = sb.join("without_epoch");
    let args = |out: &Path| {
        vec![
            "-q".to_string(),
            "run".into(),
            "--census".into(),
            s(&census),
            "--out".into(),
            s(out),
            "--end".into(),
            "2026".into(),
        ]
    };
    sb.run_env(args(&with), &[("SOURCE_DATE_EPOCH", "1700000000")])
        .assert_success();
    sb.run(args(&without)).assert_success();

    for (out, expected) in [(&with, 1_700_000_000i64 * 1_000_000), (&without, 0)] {
        let mut rows = 0;
        for year in [2025, 2026] {
            let values = created_at_values(&events_file(out, year));
            rows += values.len();
            assert!(
                values.iter().all(|&v| v == expected),
                "{}: created_at in {year} is not all {expected}: first {:?}",
                out.display(),
                values.iter().find(|&&v| v != expected)
            );
        }
        assert!(rows > 0, "{}: no events to check", out.display());
    }
}

#[test]
fn invalid_source_date_epoch_is_rejected() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("out");
    sb.run_env(
        [
            "-q",
            "run",
            "--census",
            &s(&census),
            "--out",
            &s(&out),
            "--end",
            "2025",
        ],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    )
    .assert_input_error(&["SOURCE_DATE_EPOCH", "\"yesterday\""]);
    sb.assert_nothing_written(&out);
}

// ---------------------------------------------------------------------------------------------
// 4. Output layout
// ---------------------------------------------------------------------------------------------

#[test]
fn output_layout_summary_table_and_rerun() {
    let sb = Sandbox::new();
    let census = sb.generated_census("c.csv", 200, 11);
    let out = sb.join("out");
    let args = [
        "run".to_string(),
        "--census".into(),
        s(&census),
        "--out".into(),
        s(&out),
        "--start".into(),
        "2025".into(),
        "--end".into(),
        "2027".into(),
    ];
    let first = sb.run(&args);
    first.assert_success();

    // Layout.
    for year in 2025..=2027 {
        for file in [events_file(&out, year), snapshot_file(&out, year)] {
            assert!(file.is_file(), "missing {}", file.display());
            assert!(parquet_row_count(&file) > 0, "{} is empty", file.display());
        }
    }
    assert!(
        !events_file(&out, 2028).exists(),
        "a year past --end was written"
    );
    assert!(
        !events_file(&out, 2024).exists(),
        "a year before --start was written"
    );
    assert!(out.join(MARKER).is_file(), "marker file missing");
    let summary = std::fs::read_to_string(out.join("generation_summary.json")).unwrap();
    let trimmed = summary.trim();
    assert!(
        trimmed.starts_with('{') && trimmed.ends_with('}'),
        "generation_summary.json is not a JSON object:\n{summary}"
    );
    let opens = trimmed.matches(['{', '[']).count();
    let closes = trimmed.matches(['}', ']']).count();
    assert_eq!(opens, closes, "unbalanced JSON:\n{summary}");
    for key in [
        "\"start_year\": 2025",
        "\"end_year\": 2027",
        "\"random_seed\"",
        "\"census_sha256\"",
        "\"config_sha256\"",
        "\"total_events\"",
        "\"wall_seconds\"",
        "\"years\"",
    ] {
        assert!(summary.contains(key), "summary lacks {key}:\n{summary}");
    }

    // Summary table on stdout: a header with "year", then one line per year.
    let lines: Vec<&str> = first.stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.split_whitespace().any(|w| w == "year"))
        .unwrap_or_else(|| panic!("no header line with \"year\":\n{}", first.stdout));
    let columns = lines[header].split_whitespace().count();
    let rows: Vec<&str> = lines[header + 1..]
        .iter()
        .copied()
        .take_while(|l| l.split_whitespace().count() == columns)
        .collect();
    let years: Vec<&str> = rows
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(years, ["2025", "2026", "2027"], "stdout:\n{}", first.stdout);

    // Re-running into the same directory replaces it as a whole.
    let stray = out.join("stray.txt");
    std::fs::write(&stray, "left by the user").unwrap();
    sb.run(std::iter::once("-q".to_string()).chain(args.iter().cloned()))
        .assert_success();
    assert!(!stray.exists(), "the re-run did not replace the directory");
    assert!(out.join(MARKER).is_file());
    for year in 2025..=2027 {
        assert!(events_file(&out, year).is_file());
        assert!(snapshot_file(&out, year).is_file());
    }
    sb.assert_no_staging_next_to(&out);
}

#[test]
fn quiet_run_prints_nothing() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("out");
    let r = sb.run_quick(&census, &out, &[]);
    r.assert_success();
    assert_eq!(r.stdout, "", "-q printed to stdout");
    assert_eq!(r.stderr, "", "-q printed to stderr");
}

/// Every column of the summary table is explained under `wfsim run --help` and in the README,
/// the event columns included (they come from the event registry).
#[test]
fn summary_table_columns_have_a_legend() {
    let sb = Sandbox::new();
    let help = sb.run(["run", "--help"]);
    help.assert_success();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let columns = ["year", "start", "end", "growth%"]
        .into_iter()
        .chain(wfsim::event::KINDS.iter().map(|k| k.column));
    for column in columns {
        assert!(
            help.stdout
                .lines()
                .any(|l| l.starts_with(&format!("  {column} "))),
            "`run --help` does not explain {column}:\n{}",
            help.stdout
        );
        assert!(
            readme.contains(&format!("| `{column}` |")),
            "README.md does not explain {column}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. `wfsim census`
// ---------------------------------------------------------------------------------------------

#[test]
fn census_command_writes_csv_of_requested_size_deterministically() {
    let sb = Sandbox::new();
    let a = sb.generated_census("a.csv", 123, 9);
    let b = sb.generated_census("b.csv", 123, 9);
    let text = std::fs::read_to_string(&a).unwrap();
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    for column in ["employee_id", "birth_date", "hire_date", "annual_salary"] {
        assert!(
            header.split(',').any(|c| c == column),
            "header lacks {column}: {header}"
        );
    }
    assert_eq!(lines.filter(|l| !l.is_empty()).count(), 123);
    assert!(
        std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
        "the same seed gave different CSV files"
    );
    let other_seed = sb.generated_census("c.csv", 123, 10);
    assert!(
        std::fs::read(&a).unwrap() != std::fs::read(&other_seed).unwrap(),
        "a different seed gave the same CSV file"
    );
}

#[test]
fn census_command_writes_parquet_of_requested_size_that_runs() {
    let sb = Sandbox::new();
    let census = sb.generated_census("c.parquet", 321, 4);
    assert_eq!(parquet_row_count(&census), 321);
    let ids = string_column(&census, "employee_id");
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 321, "employee ids are not unique");
    let out = sb.join("out");
    sb.run_quick(&census, &out, &[]).assert_success();
    assert!(snapshot_file(&out, 2025).is_file());
}

#[test]
fn census_command_refuses_other_extensions() {
    let sb = Sandbox::new();
    for name in ["c.txt", "c.json", "c"] {
        let path = sb.join(name);
        let r = sb.run(["-q", "census", "--employees", "10", "--out", &s(&path)]);
        assert!(
            r.code.is_some_and(|c| c != 0),
            "{name}: expected a non-zero exit, got {:?}",
            r.code
        );
        assert!(r.stderr.contains(".csv"), "{name}: {}", r.stderr);
        assert!(!path.exists(), "{name} was written");
        assert!(!sb.join(&format!("{name}.partial")).exists());
    }
}

/// An existing census may be the user's only copy of real data: `--out` refuses it (exit 2,
/// naming the file and `--force`) and writes nothing, not even a partial file.
#[test]
fn census_command_refuses_an_existing_file_without_force() {
    let sb = Sandbox::new();
    for name in ["real.csv", "real.parquet"] {
        let path = sb.write(name, "the user's real census\n");
        let r = sb.run(["census", "--employees", "10", "--out", &s(&path)]);
        r.assert_input_error(&[&s(&path), "exists", "--force"]);
        assert_eq!(r.stdout, "", "{name}: a refused census printed to stdout");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the user's real census\n",
            "{name} was changed"
        );
        assert_eq!(
            common::entries(sb.path()).len(),
            1,
            "{name}: something was written next to it: {:?}",
            common::entries(sb.path())
        );
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn census_command_replaces_an_existing_file_with_force() {
    let sb = Sandbox::new();
    let path = sb.write("census.csv", "old\n");
    sb.run([
        "-q",
        "census",
        "--employees",
        "10",
        "--out",
        &s(&path),
        "--force",
    ])
    .assert_success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("employee_id,"), "not replaced: {text}");
    assert_eq!(text.lines().count(), 11, "{text}");
    assert_eq!(
        common::entries(sb.path()),
        ["census.csv".to_string()].into(),
        "a temporary file was left behind"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. The PlanAlign column layout
// ---------------------------------------------------------------------------------------------

/// The real PlanAlign census, which lives outside the repository: skipped where it is absent
/// (see `common::shared_fixture`); CI requires it.
#[test]
fn planalign_fixture_loads_and_runs() {
    let Some(fixture) = shared_fixture("planalign_invariant_census.csv") else {
        return;
    };
    assert!(
        fixture.is_file(),
        "shared fixture {} not found: it lives in ../shared/fixtures next to the repository \
         (CI always provides it)",
        fixture.display()
    );
    let sb = Sandbox::new();
    let (r, out) = run_verbose_on(&sb, &fixture);
    // Upstream columns wfsim does not use are listed as ignored, not rejected.
    assert!(
        r.stderr.contains("ignored columns") && r.stderr.contains("employee_ssn"),
        "-v should list the ignored columns:\n{}",
        r.stderr
    );
    let ids = string_column(&snapshot_file(&out, 2025), "employee_id");
    assert!(
        ids.iter().any(|i| i == "INV_EMP_0001"),
        "fixture employees missing from the snapshot"
    );
}

/// `wfsim -v run` on `census` through 2026, into `out` of the sandbox.
fn run_verbose_on(sb: &Sandbox, census: &Path) -> (Outcome, PathBuf) {
    let out = sb.join("out");
    let r = sb.run([
        "-v",
        "run",
        "--census",
        &s(census),
        "--out",
        &s(&out),
        "--end",
        "2026",
    ]);
    r.assert_success();
    (r, out)
}

/// The project's own census in the PlanAlign layout (`tests/fixtures/planalign_layout.csv`):
/// every `employee_*` alias is read, the extra columns (one with a quoted comma) are ignored,
/// leavers are set aside and missing levels derived, on every checkout.
#[test]
fn planalign_layout_loads_and_runs() {
    let fixture = repo().join("tests/fixtures/planalign_layout.csv");
    let sb = Sandbox::new();
    let (r, out) = run_verbose_on(&sb, &fixture);
    let expect = |line: String| {
        assert!(
            r.stderr.lines().any(|l| l == line),
            "-v should print {line:?}:\n{}",
            r.stderr
        );
    };
    expect(format!(
        "census {}: 25 active employees, 3 leavers set aside, 4 levels derived from salary",
        fixture.display()
    ));
    // An alias that stopped working would show up here as an ignored column.
    expect(format!(
        "census {}: ignored columns: employee_ssn, employee_capped_compensation, active, \
         employee_contribution, pre_tax_contribution, roth_contribution, after_tax_contribution, \
         employer_core_contribution, employer_match_contribution, eligibility_entry_date, \
         scheduled_hours_per_week, cost_center",
        fixture.display()
    ));
    let ids = string_column(&snapshot_file(&out, 2025), "employee_id");
    let census_ids: Vec<&String> = ids.iter().filter(|i| i.starts_with("PAL_")).collect();
    assert_eq!(census_ids.len(), 25, "census employees in 2025: {ids:?}");
    for leaver in ["PAL_0011", "PAL_0015", "PAL_0021"] {
        assert!(
            !ids.iter().any(|i| i == leaver),
            "leaver {leaver} was simulated"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Engines and diff
// ---------------------------------------------------------------------------------------------

#[cfg(not(feature = "sql"))]
#[test]
fn sql_engine_needs_the_feature() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let out = sb.join("out");
    let o = sb.run_quick(&census, &out, &["--engine", "sql"]);
    o.assert_input_error(&["--engine", "--features sql"]);
    assert!(!out.exists());
}

#[test]
fn diff_reports_identical_and_different_runs() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let (a, b, c) = (sb.join("a"), sb.join("b"), sb.join("c"));
    sb.run_quick(&census, &a, &["--engine", "native"])
        .assert_success();
    sb.run_quick(&census, &b, &[]).assert_success();
    sb.run_quick(&census, &c, &["--seed", "99"])
        .assert_success();
    let same = sb.run(["diff", &s(&a), &s(&b)]);
    assert_eq!(same.code, Some(0), "{}{}", same.stdout, same.stderr);
    assert!(same.stdout.contains("identical"), "{}", same.stdout);
    let differ = sb.run(["diff", &s(&a), &s(&c)]);
    assert_eq!(differ.code, Some(1), "{}{}", differ.stdout, differ.stderr);
    assert!(differ.stdout.contains("DIFFERENT"), "{}", differ.stdout);
    // Rows are matched by key, and the differing columns are marked.
    assert!(differ.stdout.contains("seed 99"), "{}", differ.stdout);
    assert!(differ.stdout.contains(": changed"), "{}", differ.stdout);
    assert!(
        differ.stdout.contains("  * random_draw"),
        "{}",
        differ.stdout
    );
    let quiet = sb.run(["-q", "diff", &s(&a), &s(&c)]);
    assert_eq!(quiet.code, Some(1));
    assert_eq!(quiet.stdout, "");
}

#[test]
fn diff_refuses_what_is_not_an_output() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let a = sb.join("a");
    sb.run_quick(&census, &a, &[]).assert_success();
    let not_output = sb.join("plain");
    std::fs::create_dir(&not_output).unwrap();
    let o = sb.run(["diff", &s(&a), &s(&not_output)]);
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains("not a wfsim output directory"),
        "{}",
        o.stderr
    );
    let o = sb.run(["diff", &s(&a), &s(&sb.join("missing"))]);
    assert_eq!(o.code, Some(2), "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("not a directory"), "{}", o.stderr);
}

/// `wfsim -q run --end END --census CENSUS --out OUT EXTRA...`, which must succeed.
fn scenario_run(sb: &Sandbox, census: &Path, out: &Path, end: &str, extra: &[&str]) {
    let mut args = vec!["-q", "run", "--end", end];
    let (census, out) = (s(census), s(out));
    args.extend(["--census", &census, "--out", &out]);
    args.extend(extra);
    sb.run(args).assert_success();
}

/// The rows of the headline table: `[year or "", figure, A, B, B - A]`.
fn headline_rows(stdout: &str) -> Vec<Vec<String>> {
    let table = stdout
        .split("Headline figures")
        .nth(1)
        .unwrap_or_else(|| panic!("no headline table:\n{stdout}"));
    let mut lines = table.lines().skip(1);
    let header = lines.next().unwrap();
    assert!(header.starts_with("year  figure"), "{header}");
    lines
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let (year, rest) = l.split_at(4);
            // Figure labels have single spaces; columns are separated by two or more.
            let cells = rest
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from);
            std::iter::once(year.trim().to_string())
                .chain(cells)
                .collect()
        })
        .collect()
}

/// The printed differing rows: their lines, and how many rows they describe.
fn detail_lines(stdout: &str) -> (usize, u64) {
    let lines = stdout
        .lines()
        .filter(|l| {
            l.starts_with("  events ") || l.starts_with("  snapshots ") || l.starts_with("  * ")
        })
        .count();
    let rows = stdout
        .lines()
        .filter(|l| l.contains(": changed (") || l.contains(": only in "))
        .count();
    (lines, rows as u64)
}

/// The count in `DIFFERENT: N differing rows` and in `… N more differing rows not shown`.
fn count_after(stdout: &str, prefix: &str) -> Option<u64> {
    let at = stdout.find(prefix)? + prefix.len();
    stdout[at..].split(' ').next()?.parse().ok()
}

/// Two `--scenario`s with the same seed and config differ only in their ids: diff says so,
/// compares them without the ids (exit 0), and the headline figures differ by exactly 0.
#[test]
fn diff_compares_scenarios_without_their_ids() {
    let sb = Sandbox::new();
    let census = sb.generated_census("census.csv", 200, 3);
    let (a, b) = (sb.join("base"), sb.join("ae4"));
    scenario_run(&sb, &census, &a, "2027", &[]);
    scenario_run(
        &sb,
        &census,
        &b,
        "2027",
        &["--scenario", "ae4", "--plan", "p2"],
    );
    let o = sb.run(["diff", &s(&a), &s(&b)]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("different ids") && o.stdout.contains("compared as scenarios"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("identical apart from event_id, scenario_id, plan_design_id"),
        "{}",
        o.stdout
    );
    let rows = headline_rows(&o.stdout);
    let figures: Vec<&str> = rows.iter().take(8).map(|r| r[1].as_str()).collect();
    assert_eq!(
        figures,
        [
            "headcount (end)",
            "hires",
            "terminations",
            "participation",
            "avg deferral rate",
            "payroll",
            "employee deferrals",
            "employer cost"
        ],
        "{}",
        o.stdout
    );
    assert_eq!(
        rows.len(),
        3 * 8,
        "three years of eight figures:\n{}",
        o.stdout
    );
    for r in &rows {
        assert_eq!(r.len(), 5, "{r:?}");
        assert_eq!(r[2], r[3], "A and B differ: {r:?}");
        assert_eq!(r[4], "0", "a non-zero difference: {r:?}");
    }
    // --exact still compares the ids: every row differs, and the report stays short.
    let exact = sb.run(["diff", "--exact", "--show", "3", &s(&a), &s(&b)]);
    assert_eq!(exact.code, Some(1), "{}{}", exact.stdout, exact.stderr);
    assert!(
        !exact.stdout.contains("Headline figures"),
        "{}",
        exact.stdout
    );
    let (lines, shown) = detail_lines(&exact.stdout);
    assert!(lines <= 100, "{lines} detail lines:\n{}", exact.stdout);
    let total = count_after(&exact.stdout, "DIFFERENT: ").unwrap();
    assert_eq!(
        count_after(&exact.stdout, "… "),
        Some(total - shown),
        "{}",
        exact.stdout
    );
}

/// Scenarios that really differ (another seed, another config): exit 1, the headline table
/// shows the differences, and the differing rows printed are bounded in all by --max-lines.
#[test]
fn diff_shows_scenario_differences_in_bounded_output() {
    let sb = Sandbox::new();
    let census = sb.generated_census("census.csv", 200, 3);
    let config = sb.write(
        "ae8.yaml",
        "enrollment:\n  auto_enrollment:\n    scope: all_eligible\n    default_deferral_rate: 0.08\n",
    );
    let (base, seed9, ae8) = (sb.join("base"), sb.join("seed9"), sb.join("ae8"));
    scenario_run(&sb, &census, &base, "2027", &[]);
    scenario_run(
        &sb,
        &census,
        &seed9,
        "2027",
        &["--scenario", "seed9", "--seed", "9"],
    );
    scenario_run(
        &sb,
        &census,
        &ae8,
        "2027",
        &["--scenario", "ae8", "--config", &s(&config)],
    );
    for (other, figure) in [(&seed9, "hires"), (&ae8, "avg deferral rate")] {
        for max_lines in [100, 12] {
            let o = sb.run([
                "diff",
                &s(&base),
                &s(other),
                "--show",
                "3",
                "--max-lines",
                &max_lines.to_string(),
            ]);
            assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
            assert!(o.stdout.contains("compared as scenarios"), "{}", o.stdout);
            let rows = headline_rows(&o.stdout);
            assert!(
                rows.iter().any(|r| r[1] == figure && r[4] != "0"),
                "{figure} should differ:\n{}",
                o.stdout
            );
            let (lines, shown) = detail_lines(&o.stdout);
            assert!(
                (1..=max_lines).contains(&lines),
                "{lines} detail lines for --max-lines {max_lines}:\n{}",
                o.stdout
            );
            let total = count_after(&o.stdout, "DIFFERENT: ").unwrap();
            assert_eq!(
                count_after(&o.stdout, "… "),
                Some(total - shown),
                "the closing line should count the rows not shown:\n{}",
                o.stdout
            );
            // Header, note, headline table, counts table, the details and the verdict.
            let fixed = 5 + 1 + rows.len() + 2 + 7 + 1 + 1 + 2;
            assert!(
                o.stdout.lines().count() <= fixed + max_lines,
                "{} lines:\n{}",
                o.stdout.lines().count(),
                o.stdout
            );
        }
    }
}

/// The money columns of spec §4.11–4.12 are found by name (here overwritten with known values):
/// employee deferrals and employer cost (match + core - forfeitures) join the headline table,
/// summed in cents.
#[test]
fn diff_scenarios_pick_up_money_columns_by_name() {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch};
    use std::sync::Arc;
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let (a, b) = (sb.join("a"), sb.join("b"));
    scenario_run(&sb, &census, &a, "2025", &[]);
    scenario_run(&sb, &census, &b, "2025", &["--scenario", "b"]);
    // A: every row defers 100.005 and costs 50.005 + 20 - 0.01; B one cent more of match.
    for (dir, matched) in [(&a, 50.005), (&b, 50.015)] {
        let path = snapshot_file(dir, 2025);
        let batch = read_batches(&path).remove(0);
        let n = batch.num_rows();
        let money = |v: f64| Arc::new(Float64Array::from(vec![v; n])) as ArrayRef;
        let mut columns: Vec<(String, ArrayRef)> = batch
            .schema()
            .fields()
            .iter()
            .zip(batch.columns())
            .map(|(f, c)| (f.name().clone(), c.clone()))
            .collect();
        for (name, v) in [
            ("employee_deferral", 100.005),
            ("employer_match", matched),
            ("employer_core", 20.0),
            ("forfeiture", 0.01),
        ] {
            let at = columns.iter().position(|(n, _)| n == name).unwrap();
            columns[at].1 = money(v);
        }
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let file = std::fs::File::create(&path).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }
    let o = sb.run(["diff", &s(&a), &s(&b)]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    let rows = headline_rows(&o.stdout);
    let row = |figure: &str| {
        rows.iter()
            .find(|r| r[1] == figure)
            .unwrap_or_else(|| panic!("no {figure} row:\n{}", o.stdout))
            .clone()
    };
    let n = parquet_row_count(&snapshot_file(&a, 2025)) as i64;
    let dollars = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    let plain =
        |cells: &[String]| -> Vec<String> { cells.iter().map(|c| c.replace(',', "")).collect() };
    // 100.005 * 100 is 10000.5 in f64, which rounds half away from zero to 10001 cents.
    assert_eq!(
        plain(&row("employee deferrals")[2..]),
        [dollars(10001 * n), dollars(10001 * n), "0".into()]
    );
    // 5001 + 2000 - 1 cents a row in A; 5002 + 2000 - 1 in B.
    assert_eq!(
        plain(&row("employer cost")[2..]),
        [
            dollars(7000 * n),
            dollars(7001 * n),
            format!("+{}", dollars(n))
        ]
    );
    // Against a file without those columns (written before plan design) the figure is there,
    // `n/a` on that side.
    let plain_run = sb.join("plain");
    scenario_run(&sb, &census, &plain_run, "2025", &["--scenario", "plain"]);
    let path = snapshot_file(&plain_run, 2025);
    let batch = read_batches(&path).remove(0);
    let kept: Vec<(String, ArrayRef)> = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| {
            ![
                "employee_deferral",
                "employer_match",
                "employer_core",
                "forfeiture",
            ]
            .contains(&f.name().as_str())
        })
        .map(|(f, c)| (f.name().clone(), c.clone()))
        .collect();
    let batch = RecordBatch::try_from_iter(kept).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let o = sb.run(["diff", &s(&a), &s(&plain_run)]);
    assert_eq!(o.code, Some(1), "{}{}", o.stdout, o.stderr);
    let rows = headline_rows(&o.stdout);
    let cost = rows.iter().find(|r| r[1] == "employer cost").unwrap();
    assert_eq!(cost[3..], ["n/a", "n/a"], "{}", o.stdout);
}

/// `--engine sql` end to end: the same files as the native engine, byte for byte, and a summary
/// that names the engine.
#[cfg(feature = "sql")]
#[test]
fn sql_engine_writes_the_native_files() {
    let sb = Sandbox::new();
    let census = sb.generated_census("census.csv", 2000, 3);
    let (native, sql) = (sb.join("native"), sb.join("sql"));
    for (out, engine) in [(&native, "native"), (&sql, "sql")] {
        sb.run([
            "-q",
            "run",
            "--census",
            &s(&census),
            "--out",
            &s(out),
            "--end",
            "2027",
            "--engine",
            engine,
        ])
        .assert_success();
    }
    let d = sb.run(["diff", &s(&native), &s(&sql)]);
    assert_eq!(d.code, Some(0), "{}{}", d.stdout, d.stderr);
    for year in 2025..=2027 {
        for (table, prefix) in [("events", "events_"), ("snapshots", "snapshot_")] {
            let rel = format!("{table}/simulation_year={year}/{prefix}{year}.parquet");
            let (a, b) = (
                std::fs::read(native.join(&rel)).unwrap(),
                std::fs::read(sql.join(&rel)).unwrap(),
            );
            assert!(a == b, "{rel} differs between the engines");
        }
    }
    let summary = std::fs::read_to_string(sql.join("generation_summary.json")).unwrap();
    assert!(summary.contains("\"engine\": \"sql\""), "{summary}");
}

/// `wfsim batch --engine sql` goes through the same year loop as native and writes the same
/// bytes: metrics, ensemble, deltas and every kept event and snapshot file (2 scenarios × 3 seeds).
#[cfg(feature = "sql")]
#[test]
fn sql_engine_batch_writes_the_native_files() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 600, 4);
    sb.write(
        "study.yaml",
        "census: census.csv\nconfig: {simulation: {start_year: 2025, end_year: 2027}}\nseeds: {first: 1, count: 3}\nscenarios:\n  current: {}\n  stretch: {employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}, employer_core: {rate: 0.02}}\n",
    );
    for engine in ["native", "sql"] {
        sb.run([
            "-q",
            "batch",
            "study.yaml",
            "--out",
            engine,
            "--keep",
            "events,snapshots",
            "--engine",
            engine,
        ])
        .assert_success();
    }
    let (native, sql) = (tree(&sb.join("native")), tree(&sb.join("sql")));
    let parquet = |t: &BTreeMap<PathBuf, Vec<u8>>| {
        t.iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "parquet"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    let (a, b) = (parquet(&native), parquet(&sql));
    // 4 batch files + 2 scenarios × 3 seeds × 3 years × (events + snapshots)
    assert_eq!(a.len(), 4 + 2 * 3 * 3 * 2);
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between the engines", pa.display());
    }
    let summary = std::fs::read_to_string(
        sb.join("sql/summaries/scenario_id=stretch/random_seed=2/generation_summary.json"),
    )
    .unwrap();
    assert!(summary.contains("\"engine\": \"sql\""), "{summary}");
}

#[test]
fn set_edits_one_key_with_the_config_checks_and_records_it() {
    let sb = Sandbox::new();
    sb.run(["run", "-q", "--end", "2025", "--out", "base"])
        .assert_success();
    sb.run([
        "run",
        "-q",
        "--end",
        "2025",
        "--out",
        "set",
        "--set",
        "enrollment.auto_enrollment.default_deferral_rate=0.04",
    ])
    .assert_success();
    let summary = std::fs::read_to_string(sb.join("set/generation_summary.json")).unwrap();
    assert!(
        summary.contains("\"default_deferral_rate\": 0.04"),
        "{summary}"
    );
    let diff = sb.run(["diff", "--exact", "base", "set"]);
    assert_eq!(diff.code, Some(1), "{}", diff.stdout);
    sb.run([
        "run",
        "-q",
        "--out",
        "bad",
        "--set",
        "eligibility.minimum_age=200",
    ])
    .assert_input_error(&["with --set", "eligibility.minimum_age", "200"]);
    assert!(!sb.join("bad").exists(), "a refused run wrote output");
}

#[test]
fn every_run_names_the_config_and_census_it_used() {
    let sb = Sandbox::new();
    let o = sb.run(["run", "--end", "2025", "--out", "a"]);
    o.assert_success();
    let head: Vec<&str> = o.stdout.lines().take(3).collect();
    assert!(
        head[0].starts_with("config: built-in defaults (no --config"),
        "{}",
        o.stdout
    );
    // the plan in words, after the config line (issue 34)
    assert_eq!(
        head[1],
        "plan: auto-enroll new hires at 6 %, escalate +1 %/yr to 10 %; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate"
    );
    assert!(
        head[2].starts_with("census: built-in example census"),
        "{}",
        o.stdout
    );
    let census = sb.generated_census("c.csv", 50, 2);
    let config = sb.write("sim.yaml", "simulation:\n  end_year: 2025\n");
    let o = sb.run([
        "run",
        "--config",
        &s(&config),
        "--census",
        &s(&census),
        "--out",
        "b",
    ]);
    o.assert_success();
    assert!(
        o.stdout.starts_with(&format!(
            "config: {}\nplan: auto-enroll new hires at 6 %, escalate +1 %/yr to 10 %; match 100 % of 3 % + 50 % of the next 2 %; no core; vesting immediate\ncensus: {} (deferral rates as fractions)\n",
            s(&config),
            s(&census)
        )),
        "{}",
        o.stdout
    );
    let quiet = sb.run(["run", "-q", "--end", "2025", "--out", "a"]);
    quiet.assert_success();
    assert_eq!(quiet.stdout, "");
}

// ---------------------------------------------------------------------------------------------
// The census deferral-rate unit (spec §6)
// ---------------------------------------------------------------------------------------------

const RATE_HEADER: &str = "employee_id,birth_date,hire_date,annual_salary,deferral_rate";

/// (employee_id, deferral_rate) of the run's `census.parquet`: the census as loaded.
fn loaded_rates(out: &Path) -> BTreeMap<String, f64> {
    let mut rates = BTreeMap::new();
    for batch in read_batches(&out.join("census.parquet")) {
        let ids = batch.column_by_name("employee_id").unwrap();
        let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
        let rate = batch.column_by_name("deferral_rate").unwrap();
        let rate = rate.as_any().downcast_ref::<Float64Array>().unwrap();
        for i in 0..batch.num_rows() {
            rates.insert(ids.value(i).to_string(), rate.value(i));
        }
    }
    rates
}

fn summary_unit(out: &Path) -> String {
    let summary = std::fs::read_to_string(out.join("generation_summary.json")).unwrap();
    let line = summary
        .lines()
        .find(|l| l.contains("\"census_deferral_rate_unit\""))
        .unwrap_or_else(|| panic!("no census_deferral_rate_unit in {summary}"));
    line.trim().trim_end_matches(',').to_string()
}

/// The same census written in percent (with and without `%`) runs exactly as in fractions,
/// and the run says which unit it read.
#[test]
fn percent_census_runs_exactly_as_the_fraction_census() {
    let sb = Sandbox::new();
    let fraction = sb.generated_census("fraction.csv", 300, 3);
    let text = std::fs::read_to_string(&fraction).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "deferral_rate").unwrap();
    let mut percent = format!("{}\n", header.join(","));
    for (n, line) in lines.enumerate() {
        let mut fields: Vec<String> = line.split(',').map(String::from).collect();
        if !fields[col].is_empty() {
            let value: f64 = fields[col].parse().unwrap();
            let suffix = ["", "%", " %"][n % 3];
            fields[col] = format!("{}{suffix}", value * 100.0);
        }
        percent.push_str(&fields.join(","));
        percent.push('\n');
    }
    assert!(percent.contains(" %,") && percent.contains("%,"));
    let percent = sb.write("percent.csv", percent);
    let (a, b) = (sb.join("a"), sb.join("b"));
    for (census, out, unit, said) in [
        (&fraction, &a, "\"fraction\"", "deferral rates as fractions"),
        (&percent, &b, "\"percent\"", "deferral rates in percent"),
    ] {
        let o = sb.run([
            "run",
            "--census",
            &s(census),
            "--out",
            &s(out),
            "--end",
            "2026",
        ]);
        o.assert_success();
        let census_line = o.stdout.lines().nth(2).unwrap();
        assert_eq!(census_line, format!("census: {} ({said})", s(census)));
        assert_eq!(
            summary_unit(out),
            format!("\"census_deferral_rate_unit\": {unit}")
        );
    }
    let diff = sb.run(["diff", &s(&a), &s(&b)]);
    assert_eq!(diff.code, Some(0), "{}{}", diff.stdout, diff.stderr);
    assert_eq!(
        std::fs::read(a.join("census.parquet")).unwrap(),
        std::fs::read(b.join("census.parquet")).unwrap()
    );
}

/// The consultant's census: a 1 % row read as 100 % went unnoticed. In a file with a 7 it is 1 %.
#[test]
fn a_1_beside_a_7_is_1_percent() {
    let sb = Sandbox::new();
    let census = sb.census(
        "pct.csv",
        RATE_HEADER,
        &[
            "E001,1985-03-10,2015-06-01,65000,1",
            "E002,1990-07-21,2019-01-15,92000,7",
            "E003,1970-01-01,2000-01-01,80000,",
        ],
    );
    let out = sb.join("out");
    sb.run_quick(&census, &out, &[]).assert_success();
    let rates = loaded_rates(&out);
    assert_eq!(
        (rates["E001"], rates["E002"], rates["E003"]),
        (0.01, 0.07, 0.0)
    );
}

#[test]
fn an_explicit_unit_decides_and_a_percent_sign_is_always_percent() {
    let sb = Sandbox::new();
    let census = sb.census(
        "c.csv",
        RATE_HEADER,
        &[
            "E001,1985-03-10,2015-06-01,65000,0.05",
            "E002,1990-07-21,2019-01-15,92000,7",
        ],
    );
    let fraction = ["--set", "census.deferral_rate_unit=fraction"];
    sb.run_quick(&census, &sb.join("bad"), &fraction)
        .assert_input_error(&[
            "c.csv",
            "row 2",
            "column `deferral_rate`",
            "value \"7\"",
            "census.deferral_rate_unit is fraction",
        ]);
    sb.assert_nothing_written(&sb.join("bad"));
    // In percent, 0.05 is 0.05 % (rounded to basis points).
    let out = sb.join("percent");
    sb.run_quick(
        &census,
        &out,
        &["--set", "census.deferral_rate_unit=percent"],
    )
    .assert_success();
    let rates = loaded_rates(&out);
    assert_eq!((rates["E001"], rates["E002"]), (0.0005, 0.07));
    let signed = sb.census(
        "signed.csv",
        RATE_HEADER,
        &[
            "E001,1985-03-10,2015-06-01,65000,0.05",
            "E002,1990-07-21,2019-01-15,92000,7 %",
        ],
    );
    let out = sb.join("signed");
    sb.run_quick(&signed, &out, &fraction).assert_success();
    let rates = loaded_rates(&out);
    assert_eq!((rates["E001"], rates["E002"]), (0.05, 0.07));
    assert_eq!(
        summary_unit(&out),
        "\"census_deferral_rate_unit\": \"fraction\""
    );
}

#[test]
fn no_deferral_column_has_no_unit() {
    let sb = Sandbox::new();
    sb.good_census("census.csv");
    let o = sb.run([
        "run",
        "--census",
        "census.csv",
        "--out",
        "a",
        "--end",
        "2025",
    ]);
    o.assert_success();
    assert!(
        o.stdout
            .contains("census: census.csv (no deferral rate column)\n"),
        "{}",
        o.stdout
    );
    assert_eq!(
        summary_unit(&sb.join("a")),
        "\"census_deferral_rate_unit\": null"
    );
    sb.run(["-q", "run", "--out", "b", "--end", "2025"])
        .assert_success();
    assert_eq!(
        summary_unit(&sb.join("b")),
        "\"census_deferral_rate_unit\": null"
    );
}

/// `wfsim run … | head`: a reader that has gone away ends the output quietly; the run still
/// completes its output directory and exits 0 (it used to panic with exit 101).
#[test]
fn a_closed_stdout_ends_the_output_quietly() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = common::command(
        sb.path(),
        ["run", "--census", census.to_str().unwrap(), "--out", "out"],
    )
    .stdout(writer)
    .output()
    .expect("start wfsim");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("warning"),
        "{stderr}"
    );
    assert!(sb.join("out/generation_summary.json").is_file());
}

/// A match tier `rate: 100` (meant 100 %) and `target_growth_rate: 3` (meant 3 %): warnings
/// that name the key, recorded in the summary; with --strict an input error, nothing written.
#[test]
fn implausible_values_warn_and_strict_refuses_them() {
    let sb = Sandbox::new();
    let census = sb.good_census("census.csv");
    let config = sb.write(
        "silly.yaml",
        "employer_match: {tiers: [{from: 0, to: 0.06, rate: 100}]}\nsimulation: {target_growth_rate: 3, end_year: 2025}\n",
    );
    let out = sb.join("out");
    let r = sb.run_quick(&census, &out, &["--config", &s(&config), "-q"]);
    r.assert_success();
    assert!(
        r.stderr
            .contains("warning: key `employer_match.tiers[0].rate`: 100 pays 10000 %")
            && r.stderr
                .contains("warning: key `simulation.target_growth_rate`"),
        "{}",
        r.stderr
    );
    let summary = std::fs::read_to_string(out.join("generation_summary.json")).unwrap();
    assert!(
        summary.contains("\"config_warnings\": [\n    \"key `simulation.target_growth_rate`"),
        "{summary}"
    );
    let strict = sb.join("strict");
    sb.run_quick(&census, &strict, &["--config", &s(&config), "--strict"])
        .assert_input_error(&[
            "silly.yaml",
            "key `simulation.target_growth_rate`",
            "(an error with --strict)",
        ]);
    sb.assert_nothing_written(&strict);
}
