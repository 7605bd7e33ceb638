//! Censuses as HR and payroll systems export them (issue 17): a title row above the header,
//! the HR system's column names, US dates, `$72,500.00`, `6%`, `Y`/`N`, blank trailing rows, as
//! CSV and as an Excel workbook. With a few lines of `--census-map` each must run to exactly the
//! output of the same employees in wfsim's own layout (`tests/fixtures/hr/`). Also
//! `wfsim census inspect`, text and JSON.

mod common;
use common::{repo, s, Sandbox};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

fn hr(name: &str) -> PathBuf {
    repo().join("tests/fixtures/hr").join(name)
}

fn config() -> String {
    repo()
        .join("config/simulation.yaml")
        .to_str()
        .unwrap()
        .to_string()
}

/// Runs 2025-2026 on `census` (with `map`) into `out` in the sandbox.
fn run(sandbox: &Sandbox, census: &Path, map: Option<&Path>, out: &str) {
    let mut args: Vec<String> = [
        "-q",
        "run",
        "--config",
        &config(),
        "--census",
        census.to_str().unwrap(),
        "--end",
        "2026",
        "--out",
        out,
    ]
    .map(String::from)
    .to_vec();
    if let Some(map) = map {
        args.extend(["--census-map".into(), map.to_str().unwrap().into()]);
    }
    sandbox.run(&args).assert_success();
}

/// `wfsim diff --exact`: every event and snapshot row of every year, every column, equal.
fn assert_same_output(sandbox: &Sandbox, a: &str, b: &str) {
    let r = sandbox.run(["diff", "--exact", a, b]);
    assert_eq!(
        r.code,
        Some(0),
        "{a} and {b} differ:\n{}{}",
        r.stdout,
        r.stderr
    );
    let events = std::fs::read_dir(sandbox.join(b).join("events"))
        .unwrap()
        .count();
    assert!(events >= 2, "{b} holds {events} event years");
}

#[test]
fn an_hr_export_runs_to_the_output_of_the_same_data_in_wfsims_layout() {
    let sandbox = Sandbox::new();
    run(&sandbox, &hr("acme_wfsim.csv"), None, "own");
    run(
        &sandbox,
        &hr("acme_export.csv"),
        Some(&hr("acme_export.map.yaml")),
        "export",
    );
    assert_same_output(&sandbox, "own", "export");
}

/// Year, month, day.
type Ymd = (u16, u8, u8);
/// Id, name, birth, hire, termination, salary, deferral rate, opt-out flag.
type AcmeRow = (
    &'static str,
    &'static str,
    Ymd,
    Ymd,
    Option<Ymd>,
    f64,
    Option<f64>,
    &'static str,
);

/// The Acme export as an HR system writes a workbook: a notes sheet first, then `Census` with
/// a merged title row, the header on row 2, dates as Excel dates shown `mm/dd/yyyy`, salaries
/// as currency-formatted numbers, deferral rates as percent-formatted fractions, `Y`/`N` flags,
/// and two rows of empty cells at the end.
fn acme_workbook(path: &Path) {
    let rows: [AcmeRow; 8] = [
        (
            "1001",
            "Smith",
            (1987, 3, 15),
            (2015, 6, 1),
            None,
            72_500.0,
            Some(0.06),
            "N",
        ),
        (
            "1002",
            "Jones",
            (1972, 11, 2),
            (2003, 9, 30),
            None,
            140_250.5,
            Some(0.10),
            "Y",
        ),
        (
            "1003",
            "Brown",
            (1990, 7, 21),
            (2019, 1, 15),
            None,
            58_000.0,
            Some(0.0),
            "N",
        ),
        (
            "1004",
            "Davis",
            (1995, 1, 5),
            (2022, 3, 1),
            None,
            61_200.0,
            None,
            "N",
        ),
        (
            "1005",
            "Miller",
            (1966, 12, 31),
            (1998, 4, 17),
            None,
            185_000.0,
            Some(0.15),
            "N",
        ),
        (
            "1006",
            "Wilson",
            (1983, 5, 9),
            (2010, 8, 8),
            Some((2024, 6, 30)),
            88_000.0,
            Some(0.04),
            "N",
        ),
        (
            "1007",
            "Moore",
            (1999, 2, 28),
            (2023, 10, 2),
            None,
            52_750.0,
            Some(0.03),
            "Y",
        ),
        (
            "1008",
            "Taylor",
            (1978, 9, 14),
            (2008, 2, 11),
            None,
            97_300.0,
            Some(0.08),
            "N",
        ),
    ];
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Exported from the HR system")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Census").unwrap();
    let date = Format::new().set_num_format("mm/dd/yyyy");
    let dollars = Format::new().set_num_format("$#,##0.00");
    let percent = Format::new().set_num_format("0%");
    sheet
        .merge_range(
            0,
            0,
            0,
            8,
            "Acme Corp - Employee Census as of 12/31/2024",
            &Format::new(),
        )
        .unwrap();
    for (c, h) in [
        "EMP_ID",
        "Last Name",
        "DOB",
        "Date of Hire",
        "Term Date",
        "Annual Base Salary",
        "Pre-Tax Deferral %",
        "Auto Esc Opt Out",
        "Department",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let excel = |(y, m, d): Ymd| ExcelDateTime::from_ymd(y, m, d).unwrap();
    for (i, (id, name, birth, hire, term, salary, rate, opt_out)) in rows.into_iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, id).unwrap();
        sheet.write_string(r, 1, name).unwrap();
        sheet
            .write_datetime_with_format(r, 2, excel(birth), &date)
            .unwrap();
        sheet
            .write_datetime_with_format(r, 3, excel(hire), &date)
            .unwrap();
        if let Some(t) = term {
            sheet
                .write_datetime_with_format(r, 4, excel(t), &date)
                .unwrap();
        }
        sheet
            .write_number_with_format(r, 5, salary, &dollars)
            .unwrap();
        if let Some(rate) = rate {
            sheet
                .write_number_with_format(r, 6, rate, &percent)
                .unwrap();
        }
        sheet.write_string(r, 7, opt_out).unwrap();
        sheet.write_string(r, 8, "Operations").unwrap();
    }
    for r in 10..12 {
        sheet.write_string(r, 0, "").unwrap();
        sheet.write_string(r, 8, " ").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn the_export_as_an_excel_workbook_runs_to_the_same_output() {
    let sandbox = Sandbox::new();
    let workbook = sandbox.join("acme.xlsx");
    acme_workbook(&workbook);
    let map = sandbox.write(
        "acme.map.yaml",
        "census:\n  columns: {employee_id: EMP_ID, birth_date: DOB, hire_date: Date of Hire, termination_date: Term Date, annual_salary: Annual Base Salary, deferral_rate: Pre-Tax Deferral %, auto_escalation_opt_out: Auto Esc Opt Out}\n  sheet: Census\n  header_row: 2\n",
    );
    run(&sandbox, &hr("acme_wfsim.csv"), None, "own");
    run(&sandbox, &workbook, Some(&map), "workbook");
    assert_same_output(&sandbox, "own", "workbook");
}

#[test]
fn a_generated_workbook_runs_like_the_generated_csv() {
    let sandbox = Sandbox::new();
    for out in ["c.csv", "c.xlsx"] {
        sandbox
            .run([
                "-q",
                "census",
                "--employees",
                "300",
                "--seed",
                "3",
                "--out",
                out,
            ])
            .assert_success();
    }
    run(&sandbox, &sandbox.join("c.csv"), None, "csv");
    run(&sandbox, &sandbox.join("c.xlsx"), None, "xlsx");
    assert_same_output(&sandbox, "csv", "xlsx");
}

fn inspect(sandbox: &Sandbox, census: &Path, map: &Path, json: bool) -> common::Outcome {
    let mut args: Vec<String> = [
        "census",
        "inspect",
        census.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--config",
        &config(),
    ]
    .map(String::from)
    .to_vec();
    if json {
        args.push("--json".into());
    }
    sandbox.run(&args)
}

#[test]
fn inspect_reports_what_a_consultant_checks() {
    let sandbox = Sandbox::new();
    let r = inspect(
        &sandbox,
        &hr("acme_export.csv"),
        &hr("acme_export.map.yaml"),
        false,
    );
    r.assert_success();
    for needle in [
        "rows read: 8 (7 active, 1 leavers set aside, 0 with problems)",
        "employee_id <- \"EMP_ID\", birth_date <- \"DOB\"",
        "columns ignored: \"Last Name\", \"Department\"",
        "deferral rates read in percent; 8 levels derived from salary",
        "headcount by level\n  1                   4   57.1 %",
        "headcount by age band",
        "headcount by tenure band",
        "median        $72,500",
        "participation (deferral > 0): 5 of 7 active (71.4 %)",
        "15 % or more        1",
        "problems: none",
    ] {
        assert!(r.stdout.contains(needle), "lacks {needle:?}:\n{}", r.stdout);
    }
}

#[test]
fn inspect_json_holds_the_same_report() {
    let sandbox = Sandbox::new();
    let r = inspect(
        &sandbox,
        &hr("acme_export.csv"),
        &hr("acme_export.map.yaml"),
        true,
    );
    r.assert_success();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["rows_read"], 8);
    assert_eq!(v["active"], 7);
    assert_eq!(v["leavers_set_aside"], 1);
    assert_eq!(v["deferral_rate_unit"], "percent");
    assert_eq!(v["columns_used"][0]["field"], "employee_id");
    assert_eq!(v["columns_used"][0]["column"], "EMP_ID");
    assert_eq!(
        v["columns_ignored"],
        serde_json::json!(["Last Name", "Department"])
    );
    assert_eq!(v["participation"]["participants"], 5);
    assert_eq!(v["salary"]["p50"], 72_500.0);
    assert_eq!(v["salary"]["max"], 185_000.0);
    let ages: u64 = v["headcount_by_age_band"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(ages, 7);
    assert_eq!(v["problems"], serde_json::json!([]));
}

#[test]
fn inspect_lists_every_bad_row_and_fails_like_run() {
    let sandbox = Sandbox::new();
    let census = sandbox.write(
        "bad.csv",
        "EMP_ID,DOB,Date of Hire,Annual Base Salary\n1001,03/15/1987,06/01/2015,\"$72,500.00\"\n1002,11/02/1972,09/30/2003,seventy thousand\n1003,13/45/1990,01/15/2019,58000\n",
    );
    let map = sandbox.write(
        "map.yaml",
        "census:\n  columns: {employee_id: EMP_ID, birth_date: DOB, hire_date: Date of Hire, annual_salary: Annual Base Salary}\n  date_format: \"%m/%d/%Y\"\n",
    );
    let r = inspect(&sandbox, &census, &map, false);
    r.assert_input_error(&["bad.csv", "2 rows with problems", "--rejects"]);
    assert!(
        r.stdout
            .contains("rows read: 3 (1 active, 0 leavers set aside, 2 with problems)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "row 2 (line 3) (1002): column `Annual Base Salary`: value \"seventy thousand\": not a number"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("row 3 (line 4) (1003): column `DOB`: value \"13/45/1990\": not a valid date (expected census.date_format \"%m/%d/%Y\""), "{}", r.stdout);
    // Every row bad (no date format): the first problem is named with its hint, as `run` does.
    let us = sandbox.write("us.csv", "employee_id,birth_date,hire_date,annual_salary\nA,01/15/1980,03/01/2010,50000\nB,02/20/1985,04/01/2012,60000\n");
    let plain = sandbox.write("plain.yaml", "census: {header_row: 1}\n");
    inspect(&sandbox, &us, &plain, false).assert_input_error(&[
        "every row has a problem",
        "the first, row 1 (line 2): column `birth_date`: value \"01/15/1980\"",
        "\"%m/%d/%Y\"",
    ]);
    // Below a title row, a data row's line is its spreadsheet row: row 2 is line 4.
    let titled = sandbox.write("titled.csv", "Export 2024\nemployee_id,birth_date,hire_date,annual_salary\nA,1980-01-15,2010-03-01,50000\nB,1985-02-20,2012-04-01,-6\n");
    let header2 = sandbox.write("header2.yaml", "census: {header_row: 2}\n");
    sandbox
        .run([
            "run",
            "--census",
            &s(&titled),
            "--config",
            &s(&header2),
            "--out",
            "t",
        ])
        .assert_input_error(&["titled.csv: row 2 (line 4): column `annual_salary`"]);
    // A problem of the whole file: the message, no report.
    let missing = sandbox.write("missing.csv", "EMP_ID,DOB\n1001,03/15/1987\n");
    let r = inspect(&sandbox, &missing, &map, false);
    r.assert_input_error(&[
        "missing.csv",
        "census.columns.hire_date",
        "\"Date of Hire\" is not in the file",
    ]);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
}

#[test]
fn a_census_map_and_a_set_of_the_same_key_are_refused() {
    let sandbox = Sandbox::new();
    let r = sandbox.run([
        "run",
        "--census",
        hr("acme_export.csv").to_str().unwrap(),
        "--census-map",
        hr("acme_export.map.yaml").to_str().unwrap(),
        "--set",
        "census.header_row=1",
        "--out",
        "out",
    ]);
    r.assert_input_error(&[
        "--set census.header_row",
        "--census-map",
        "keep it in one place",
    ]);
    assert!(!sandbox.join("out").exists());
}

#[test]
fn a_batch_reads_its_census_through_the_map() {
    let sandbox = Sandbox::new();
    let batch = sandbox.write(
        "study.yaml",
        format!(
            "base: {}\ncensus: {}\nseeds: [1, 2]\nscenarios:\n  current: {{}}\n  ae_4pct: {{enrollment: {{auto_enrollment: {{default_deferral_rate: 0.04}}}}}}\n",
            config(),
            hr("acme_export.csv").display()
        ),
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["-q", "batch", batch.to_str().unwrap(), "--out", "study"];
        args.extend_from_slice(extra);
        sandbox.run(&args)
    };
    run(&[]).assert_input_error(&["acme_export.csv", "required column `employee_id`"]);
    let map = hr("acme_export.map.yaml");
    run(&["--census-map", map.to_str().unwrap()]).assert_success();
    assert!(sandbox.join("study/metrics.parquet").exists());
}
