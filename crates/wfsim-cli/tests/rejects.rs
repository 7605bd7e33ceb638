//! `run --rejects FILE [--max-rejects N]` (issue 20): bad census rows set aside, the run goes on
//! with the rest; problems of the file as a whole still stop it.

mod common;
use common::{repo, s, Outcome, Sandbox};
use std::path::PathBuf;

/// Corpus files (`tests/fixtures/bad/`) whose one problem is a row's own: data row 2.
const ROW_LEVEL: &[&str] = &[
    "empty_id.csv",
    "reserved_nh_id.csv",
    "unparseable_date.csv",
    "impossible_date.csv",
    "excel_serial_date.csv",
    "missing_birth_date_value.csv",
    "birth_after_hire.csv",
    "hired_before_14.csv",
    "hire_after_census_date.csv",
    "termination_after_census_date.csv",
    "termination_before_hire.csv",
    "age_over_100.csv",
    "age_under_14.csv",
    "salary_zero.csv",
    "salary_negative.csv",
    "salary_nan.csv",
    "salary_infinite.csv",
    "salary_thousands_separator.csv",
    "salary_currency.csv",
    "salary_empty.csv",
    "level_zero.csv",
    "level_above_max.csv",
    "level_not_integer.csv",
    "deferral_negative.csv",
    "deferral_percent_sign_above_100.csv",
    "deferral_double_percent.csv",
    "boolean_maybe.csv",
];

fn bad(name: &str) -> PathBuf {
    repo().join("tests/fixtures/bad").join(name)
}

/// `wfsim run` with the project's config on `census`, then `args` (global flags such as `-q`
/// go after `run`, which clap accepts).
fn run(sb: &Sandbox, census: &str, args: &[&str]) -> Outcome {
    let config = s(&repo().join("config/simulation.yaml"));
    let mut all = vec!["run", "--config", &config, "--census", census];
    all.extend_from_slice(args);
    sb.run(all)
}

fn summary(out: &std::path::Path) -> String {
    std::fs::read_to_string(out.join("generation_summary.json")).unwrap()
}

/// The `"key": count` lines of `census_rejects_by_reason`, in file order.
fn by_reason(summary: &str) -> Vec<(String, u64)> {
    let start = summary
        .find("\"census_rejects_by_reason\": {")
        .expect("by_reason");
    let body = &summary[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (k, v) = l.trim().trim_end_matches(',').rsplit_once(": ").unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

#[test]
fn row_level_corpus_files_set_aside_exactly_the_bad_row_and_run_the_rest() {
    let sb = Sandbox::new();
    for name in ROW_LEVEL {
        let census = bad(name);
        let r = run(
            &sb,
            &s(&census),
            &[
                "-q",
                "--end",
                "2025",
                "--out",
                "with_rejects",
                "--rejects",
                "rejects.csv",
            ],
        );
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        let rejects = std::fs::read_to_string(sb.join("rejects.csv")).unwrap();
        let lines: Vec<&str> = rejects.lines().collect();
        assert_eq!(lines[0], "row,employee_id,column,value,reason", "{name}");
        assert_eq!(lines.len(), 2, "{name}: {rejects}");
        assert!(lines[1].starts_with("2,"), "{name}: {rejects}");
        let sum = summary(&sb.join("with_rejects"));
        assert!(sum.contains("\"census_rejected_rows\": 1,"), "{name}");
        let counts = by_reason(&sum);
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), 1, "{name}");

        // The same file without data row 2 (line 3) gives the same output.
        let text = std::fs::read_to_string(&census).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(n, _)| *n != 2)
            .map(|(_, l)| l)
            .collect();
        sb.write("clean.csv", kept.join("\n") + "\n");
        let r = run(&sb, "clean.csv", &["-q", "--end", "2025", "--out", "clean"]);
        assert_eq!(r.code, Some(0), "{name} without row 2: {}", r.stderr);
        let d = sb.run(["diff", "with_rejects", "clean"]);
        assert_eq!(d.code, Some(0), "{name}: {}{}", d.stdout, d.stderr);
    }
}

#[test]
fn default_message_counts_the_other_bad_rows_and_points_at_rejects() {
    let sb = Sandbox::new();
    sb.write(
        "census.csv",
        "employee_id,birth_date,hire_date,annual_salary\n\
         E001,1985-03-10,2015-06-01,65000\n\
         E002,1990-07-21,2000-01-15,92000\n\
         E003,1980-01-01,2010-01-01,0\n\
         E004,1981-01-01,2011-01-01,abc\n",
    );
    let r = run(&sb, "census.csv", &["--out", "out"]);
    r.assert_input_error(&[
        "row 2",
        "hired before age 14",
        "2 more rows have problems",
        "--rejects FILE",
    ]);
    assert!(!sb.join("out").exists());

    // With --rejects the three are set aside, and the header and summary say so.
    let r = run(
        &sb,
        "census.csv",
        &["--out", "out", "--end", "2025", "--rejects", "rejects.csv"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("census: 3 rows set aside into rejects.csv"),
        "{}",
        r.stdout
    );
    let rejects = std::fs::read_to_string(sb.join("rejects.csv")).unwrap();
    let rows: Vec<&str> = rejects
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(rows, ["2", "3", "4"]);
    let sum = summary(&sb.join("out"));
    assert!(sum.contains("\"census_rejected_rows\": 3,"), "{sum}");
    let keys: Vec<String> = by_reason(&sum).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // --max-rejects: more bad rows than allowed stops the run, nothing written.
    std::fs::remove_file(sb.join("rejects.csv")).unwrap();
    let r = run(
        &sb,
        "census.csv",
        &[
            "--out",
            "out2",
            "--rejects",
            "rejects.csv",
            "--max-rejects",
            "2",
        ],
    );
    r.assert_input_error(&["3 rows have problems", "--max-rejects 2"]);
    assert!(!sb.join("out2").exists());
    assert!(!sb.join("rejects.csv").exists());
    let r = run(
        &sb,
        "census.csv",
        &[
            "-q",
            "--out",
            "out3",
            "--end",
            "2025",
            "--rejects",
            "rejects.csv",
            "--max-rejects",
            "3",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn file_level_problems_still_stop_with_rejects() {
    let sb = Sandbox::new();
    for (name, needles) in [
        (
            "duplicate_id.csv",
            &["duplicate", "first seen on row 1"][..],
        ),
        ("missing_column.csv", &["required column"][..]),
        (
            "deferral_exactly_one.csv",
            &["largest deferral rate is exactly 1"][..],
        ),
        // The 150 is what makes the column read in percent: without it the rest would be read
        // as fractions, so the row cannot simply be set aside.
        (
            "deferral_above_100.csv",
            &["row 2", "cannot be set aside"][..],
        ),
    ] {
        let r = run(
            &sb,
            &s(&bad(name)),
            &["--out", "out", "--rejects", "rejects.csv"],
        );
        r.assert_input_error(needles);
        assert!(!sb.join("out").exists(), "{name}");
        assert!(!sb.join("rejects.csv").exists(), "{name}");
    }
    // A duplicate of a bad row's id is not hidden by setting the bad row aside.
    sb.write(
        "census.csv",
        "employee_id,birth_date,hire_date,annual_salary\n\
         E001,1985-03-10,2015-06-01,65000\n\
         E002,1990-07-21,2000-01-15,92000\n\
         E002,1980-01-01,2010-01-01,50000\n",
    );
    let r = run(
        &sb,
        "census.csv",
        &["--out", "out", "--rejects", "rejects.csv"],
    );
    r.assert_input_error(&["row 3", "duplicate employee_id"]);
}

#[test]
fn rejects_file_is_refused_inside_the_output_directory() {
    let sb = Sandbox::new();
    sb.good_census("census.csv");
    let r = sb.run([
        "run",
        "--census",
        "census.csv",
        "--out",
        "out",
        "--rejects",
        "out/rejects.csv",
    ]);
    r.assert_input_error(&["--rejects", "outside the output directory"]);
}
