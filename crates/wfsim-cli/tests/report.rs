//! `wfsim report`: every chart of a known run and batch is in the page, every number of a
//! chart's table equals the summary or the batch's metrics (checked against the files, not
//! against the report's own code), the nondiscrimination tests are shown with their
//! simplifications (a failing year as FAIL with its negative margin), the page references
//! nothing outside itself, a directory that is neither a run nor a batch is refused with nothing
//! written, and the same inputs give the same bytes.

mod common;

use arrow_array::{Array, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray};
use common::{read_batches, snapshot_file, Sandbox};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use wfsim::batch::metrics::{stats, Stats, METRICS};
use wfsim::event::KINDS;
use wfsim::ndt::SIMPLIFICATIONS;

/// Limits low enough that the small census reaches all three, published for both years so the
/// test needs no projection.
const RUN_CONFIG: &str = "simulation: {start_year: 2025, end_year: 2026}
employer_core: {rate: 0.03}
vesting: {schedule: [0, 0, 0, 1]}
irs_limits:
  published:
    2025: {elective_deferral: 6000, catch_up: 1000, catch_up_60_63: 2000, compensation: 120000, annual_additions: 10000, hce_compensation: 100000, key_officer_compensation: 150000, ss_wage_base: 100000}
    2026: {elective_deferral: 6500, catch_up: 1000, catch_up_60_63: 2000, compensation: 125000, annual_additions: 10500, hce_compensation: 100000, key_officer_compensation: 150000, ss_wage_base: 105000}
";

/// (402(g), 401(a)(17), 415(c)) of [`RUN_CONFIG`] by year.
const LIMITS: [(i32, [f64; 3]); 2] = [
    (2025, [6000.0, 120_000.0, 10_000.0]),
    (2026, [6500.0, 125_000.0, 10_500.0]),
];

const STUDY: &str = "base: base.yaml
census: census.csv
seeds: {first: 1, count: 4}
baseline: current
scenarios:
  current: {title: Today's plan}
  ae4: {enrollment: {auto_enrollment: {default_deferral_rate: 0.04}}}
  stretch: {employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}}
  prior: {ndt: {testing_method: prior, first_year_nhce_adp: 0.02}}
";

/// The charts a run report has: (section id, number of charts).
const RUN_CHARTS: [(&str, usize); 9] = [
    ("headcount", 2),
    ("events", 1),
    ("payroll", 1),
    ("participation", 2),
    ("deferral-rates", 1),
    ("employer-cost", 2),
    ("accounts", 1),
    ("irs-limits", 1),
    ("nondiscrimination", 2),
];

/// The metrics of the nondiscrimination tests (spec §8, §9): in the batch report's own section,
/// not on a page each.
const NDT_METRICS: [&str; 15] = [
    "hce_count",
    "adp_hce",
    "adp_nhce",
    "adp_limit",
    "adp_pass",
    "adp_excess",
    "acp_hce",
    "acp_nhce",
    "acp_limit",
    "acp_pass",
    "acp_excess",
    "coverage_ratio",
    "coverage_pass",
    "top_heavy_ratio",
    "top_heavy",
];

/// A table of the page: each row's cells, a number as its exact `data-v` value, text as is.
#[derive(Debug, PartialEq)]
enum Cell {
    Num(f64),
    Text(String),
}

fn table(html: &str, id: &str) -> Vec<Vec<Cell>> {
    let start = html
        .find(&format!("<table id=\"table-{id}\">"))
        .unwrap_or_else(|| panic!("no table {id}"));
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</table>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let (attrs, rest) = cell.split_once('>').unwrap();
                    let text = &rest[..rest.find("</td>").unwrap()];
                    match attrs.split_once("data-v=\"") {
                        Some((_, v)) => Cell::Num(v[..v.find('"').unwrap()].parse().unwrap()),
                        None => Cell::Text(text.replace("<wbr>", "")),
                    }
                })
                .collect()
        })
        .collect()
}

fn num(c: &Cell) -> f64 {
    match c {
        Cell::Num(v) => *v,
        Cell::Text(t) => panic!("expected a number, found {t:?}"),
    }
}

fn opt(c: &Cell) -> Option<f64> {
    match c {
        Cell::Num(v) => Some(*v),
        Cell::Text(t) if t.is_empty() => None,
        Cell::Text(t) => panic!("expected a number or nothing, found {t:?}"),
    }
}

/// Every chart of `section` is an inline SVG with a title and axis descriptions.
fn assert_charts(html: &str, section: &str, n: usize) {
    for i in 1..=n {
        let id = format!("<figure id=\"chart-{section}-{i}\"><svg ");
        let at = html
            .find(&id)
            .unwrap_or_else(|| panic!("no chart {section}-{i}"));
        let svg = &html[at..at + html[at..].find("</svg>").unwrap()];
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
            .collect();
        assert!(texts.len() > 5, "chart {section}-{i}: {texts:?}");
        let x_title = if section == "deferral-rates" {
            "deferral rate (whole percent, rounded down)"
        } else {
            "year"
        };
        assert!(
            texts.iter().any(|t| t.starts_with(x_title)),
            "chart {section}-{i}: no x-axis title"
        );
        // the y-axis title ends with its unit
        assert!(
            texts.iter().any(|t| [
                "(number)",
                "($ millions)",
                "($ thousands)",
                "($)",
                "(%)",
                "(percentage points)"
            ]
            .iter()
            .any(|u| t.ends_with(u))),
            "chart {section}-{i}: no y-axis unit in {texts:?}"
        );
    }
    assert!(
        !html.contains(&format!("<figure id=\"chart-{section}-{}\">", n + 1)),
        "section {section} has more than {n} charts"
    );
}

fn col<'a, T: 'static>(b: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    b.column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap()
}

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// An ADP/ACP result as the page should show it, from the summary's test.
fn result_of(t: &Value) -> &'static str {
    match (t["safe_harbor"].as_bool().unwrap(), t["pass"].as_bool()) {
        (true, _) => "SH",
        (false, Some(true)) => "PASS",
        (false, Some(false)) => "FAIL",
        (false, None) => "n/a",
    }
}

/// The text of a table cell as the page shows it (`FAIL` is marked).
fn shown_cell(html: &str, table_id: &str, row: usize, col: usize) -> String {
    let start = html
        .find(&format!("<table id=\"table-{table_id}\">"))
        .unwrap();
    let body = &html[start..start + html[start..].find("</table>").unwrap()];
    let tr = body.split("<tr>").nth(row + 2).unwrap();
    let td = tr.split("<td").nth(col + 1).unwrap();
    let text = &td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()];
    format!(
        "{}{text}",
        if td.starts_with(" class=\"mark\"") {
            "!"
        } else {
            ""
        }
    )
}

/// The run page's nondiscrimination section equals the summary's `ndt` of each year (and its
/// HCE and key-employee counts the snapshots' flags), and states the simplifications. Returns
/// the years whose ADP test failed.
fn check_ndt_section(html: &str, run: &Path, years: &[Value]) -> Vec<i32> {
    assert!(
        html.contains("<section id=\"nondiscrimination\">\n<h2>Nondiscrimination tests</h2>"),
        "no nondiscrimination section"
    );
    let caveat = format!("<p class=\"caveat\">{SIMPLIFICATIONS}</p>");
    assert!(html.contains(&caveat), "the simplifications are not stated");
    let tests = table(html, "nondiscrimination");
    let people = table(html, "coverage-and-top-heavy");
    assert_eq!((tests.len(), people.len()), (years.len(), years.len()));
    let mut failed = vec![];
    for (i, y) in years.iter().enumerate() {
        let year = y["year"].as_i64().unwrap() as i32;
        let n = &y["ndt"];
        let mut want = vec![Cell::Num(year as f64)];
        for (k, t) in ["adp", "acp"].iter().map(|k| (k, &n[*k])) {
            let (hce, limit) = (t["hce"].as_f64(), t["limit"].as_f64());
            let margin = hce.zip(limit).map(|(h, l)| l - h);
            let num = |v: Option<f64>| v.map_or(Cell::Text(String::new()), Cell::Num);
            want.extend([
                num(hce),
                num(t["nhce"].as_f64()),
                num(limit),
                num(margin),
                Cell::Text(result_of(t).into()),
                Cell::Num(t["excess"].as_f64().unwrap()),
            ]);
            if result_of(t) == "FAIL" {
                assert!(
                    margin.unwrap() < 0.0,
                    "{year} {k}: fails with margin {margin:?}"
                );
                assert!(t["excess"].as_f64().unwrap() > 0.0, "{year} {k}: no excess");
                // marked, the margin shown negative in points
                let col = if *k == "adp" { 4 } else { 10 };
                assert_eq!(shown_cell(html, "nondiscrimination", i, col + 1), "!FAIL");
                assert_eq!(
                    shown_cell(html, "nondiscrimination", i, col),
                    format!("{:.2} pp", margin.unwrap() * 100.0)
                );
                if *k == "adp" {
                    failed.push(year);
                }
            }
        }
        assert_eq!(tests[i], want, "{year}");

        // the counts, recounted from the snapshot's flags
        let (mut hces, mut keys) = (0.0, 0.0);
        for b in read_batches(&snapshot_file(run, year)) {
            let (h, k) = (
                col::<BooleanArray>(&b, "is_hce"),
                col::<BooleanArray>(&b, "is_key_employee"),
            );
            hces += h.iter().filter(|v| v == &Some(true)).count() as f64;
            keys += k.iter().filter(|v| v == &Some(true)).count() as f64;
        }
        let (c, th) = (&n["coverage"], &n["top_heavy"]);
        let i64_of = |v: &Value, k: &str| Cell::Num(v[k].as_i64().unwrap() as f64);
        let ratio = c["ratio"].as_f64();
        assert_eq!(
            people[i],
            vec![
                Cell::Num(year as f64),
                Cell::Num(hces),
                Cell::Num(keys),
                i64_of(&n["adp"], "n_hce"),
                i64_of(&n["adp"], "n_nhce"),
                i64_of(c, "n_hce"),
                i64_of(c, "benefiting_hce"),
                i64_of(c, "n_nhce"),
                i64_of(c, "benefiting_nhce"),
                ratio.map_or(Cell::Text(String::new()), Cell::Num),
                Cell::Text(
                    match (ratio, c["pass"].as_bool().unwrap()) {
                        (None, _) => "n/a",
                        (_, true) => "PASS",
                        (_, false) => "FAIL",
                    }
                    .into()
                ),
                th["ratio"]
                    .as_f64()
                    .map_or(Cell::Text(String::new()), Cell::Num),
                Cell::Text(
                    if th["top_heavy"].as_bool().unwrap() {
                        "yes"
                    } else {
                        "no"
                    }
                    .into()
                ),
            ],
            "{year}"
        );
        assert_eq!(
            (hces, keys),
            (
                n["hce_count"].as_f64().unwrap(),
                n["key_count"].as_f64().unwrap()
            )
        );
    }
    failed
}

#[test]
fn a_run_report_has_every_chart_and_its_tables_equal_the_summary() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 600, 3);
    sb.write("c.yaml", RUN_CONFIG);
    sb.run([
        "-q",
        "run",
        "--census",
        "census.csv",
        "--config",
        "c.yaml",
        "--out",
        "r",
        "--seed",
        "11",
    ])
    .assert_success();
    let out = sb.run(["report", "r", "--out", "r.html", "--xlsx", "r.xlsx"]);
    out.assert_success();
    assert!(out.stdout.contains("wrote r.html (") && out.stdout.contains("wrote r.xlsx ("));
    let html = std::fs::read_to_string(sb.join("r.html")).unwrap();
    assert!(!html.contains("http"), "the page names a URL");
    for (section, n) in RUN_CHARTS {
        assert_charts(&html, section, n);
    }
    assert!(html.contains("<dt>behaviour</dt><dd>opt-outs do not depend on the default rate"));
    assert!(html.contains("<dt>seed</dt><dd>11</dd>"));
    // the plan in words opens the page, as `wfsim run` prints it (issue 34)
    assert!(html.contains("<dt>plan</dt><dd>"), "no plan line");

    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(sb.join("r/generation_summary.json")).unwrap(),
    )
    .unwrap();
    let years = summary["years"].as_array().unwrap();
    let f = |y: &Value, k: &str| y[k].as_f64().unwrap_or_else(|| panic!("{k}"));
    let counter = |label: &str| KINDS.iter().find(|k| k.label == label).unwrap().counter;

    let headcount = table(&html, "headcount");
    let events = table(&html, "events");
    let payroll = table(&html, "payroll");
    let participation = table(&html, "participation");
    let cost = table(&html, "employer-cost");
    let accounts = table(&html, "account-balances");
    let limits = table(&html, "irs-limits");
    assert_eq!(headcount.len(), years.len());
    for (i, y) in years.iter().enumerate() {
        let start = f(y, "n_start");
        let row: Vec<f64> = headcount[i].iter().map(num).collect();
        assert_eq!(
            row,
            [
                f(y, "year"),
                start,
                f(y, counter("experienced_termination")),
                f(y, counter("reduction_in_force")),
                f(y, counter("new_hire")),
                f(y, counter("new_hire_termination")),
                f(y, "n_end"),
                f(y, "target"),
                (f(y, "n_end") - start) / start,
                (f(y, "target") - start) / start,
            ]
        );
        // one row per kind (then all events), one column per year
        assert_eq!(events.len(), KINDS.len() + 1);
        for (row, k) in events.iter().zip(KINDS.iter()) {
            assert_eq!(row[0], Cell::Text(k.label.to_string()));
            assert_eq!(
                num(&row[1 + i]),
                f(y, k.counter),
                "{} {}",
                k.label,
                y["year"]
            );
        }
        assert_eq!(events[KINDS.len()][0], Cell::Text("all events".into()));
        assert_eq!(num(&events[KINDS.len()][1 + i]), f(y, "events"));
        assert_eq!(events[0].len(), 1 + years.len());
        assert_eq!(
            payroll[i].iter().map(num).collect::<Vec<_>>(),
            [f(y, "year"), f(y, "payroll"), f(y, "employee_deferrals")]
        );
        assert_eq!(
            participation[i].iter().map(opt).collect::<Vec<_>>(),
            [
                Some(f(y, "year")),
                Some(f(y, "eligible_end")),
                Some(f(y, "enrolled_end")),
                y["participation_rate"].as_f64(),
                y["avg_deferral_rate"].as_f64(),
            ]
        );
        assert_eq!(
            cost[i].iter().map(opt).collect::<Vec<_>>(),
            [
                Some(f(y, "year")),
                Some(f(y, "employer_match")),
                Some(f(y, "employer_core")),
                Some(f(y, "forfeitures")),
                Some(f(y, "employer_cost")),
                Some(f(y, "payroll")),
                y["employer_cost_pct_of_payroll"].as_f64(),
            ]
        );
        assert_eq!(
            accounts[i].iter().map(num).collect::<Vec<_>>(),
            [
                f(y, "year"),
                f(y, "employee_balances"),
                f(y, "employer_balances"),
                f(y, "employee_balances") + f(y, "employer_balances"),
            ]
        );

        // the limits and deferral rates, recounted here from the snapshot
        let year = f(y, "year") as i32;
        let [g, a17, c415] = LIMITS.iter().find(|(ly, _)| *ly == year).unwrap().1;
        let (mut n402, mut n401, mut n415) = (0, 0, 0);
        let mut bins: BTreeMap<i64, f64> = BTreeMap::new();
        for b in read_batches(&snapshot_file(&sb.join("r"), year)) {
            let m = |name| col::<Float64Array>(&b, name);
            let term = b.column_by_name("termination_date").unwrap();
            let (elig, enr) = (
                col::<BooleanArray>(&b, "plan_eligible"),
                col::<BooleanArray>(&b, "is_enrolled"),
            );
            for r in 0..b.num_rows() {
                n402 += (cents(m("elected_deferral").value(r)) >= cents(g)) as i32;
                n401 += (cents(m("prorated_compensation").value(r)) > cents(a17)) as i32;
                let additions = cents(m("employee_deferral").value(r))
                    - cents(m("catch_up_deferral").value(r))
                    + cents(m("employer_match").value(r))
                    + cents(m("employer_core").value(r));
                n415 += (additions >= cents(c415)) as i32;
                if term.is_null(r) && elig.value(r) && enr.value(r) {
                    let pct = (m("deferral_rate").value(r) * 10_000.0).round() as i64 / 100;
                    *bins.entry(pct.min(25)).or_default() += 1.0;
                }
            }
        }
        assert!(
            n402 > 0 && n401 > 0 && n415 > 0,
            "{year}: {n402} {n401} {n415}"
        );
        assert_eq!(
            limits[i].iter().map(num).collect::<Vec<_>>(),
            [
                year as f64,
                g,
                n402 as f64,
                a17,
                n401 as f64,
                c415,
                n415 as f64
            ]
        );
        if i == years.len() - 1 {
            let rates = table(&html, "deferral-rates");
            let shown: BTreeMap<i64, f64> = rates
                .iter()
                .enumerate()
                .filter(|(_, r)| num(&r[1]) > 0.0)
                .map(|(b, r)| (b as i64, num(&r[1])))
                .collect();
            assert_eq!(shown, bins);
            assert_eq!(bins.values().sum::<f64>(), f(y, "enrolled_end"));
        }
    }
    check_ndt_section(&html, &sb.join("r"), years);
    // the money columns of this config are all in use
    assert!(years
        .iter()
        .any(|y| f(y, "forfeitures") > 0.0 && f(y, "employer_core") > 0.0));

    // same inputs, same bytes
    sb.run([
        "-q",
        "report",
        "r",
        "--out",
        "again.html",
        "--xlsx",
        "again.xlsx",
    ])
    .assert_success();
    assert_eq!(
        std::fs::read(sb.join("again.html")).unwrap(),
        html.as_bytes()
    );
    assert_eq!(
        std::fs::read(sb.join("again.xlsx")).unwrap(),
        std::fs::read(sb.join("r.xlsx")).unwrap()
    );
}

#[test]
fn a_year_that_fails_the_adp_test_shows_fail_with_its_negative_margin() {
    let sb = Sandbox::new();
    sb.generated_census("generated.csv", 400, 5);
    // high earners defer 15 %, everyone else who defers 1 %: the HCE average is far above the
    // limit, and with no auto-enrollment or escalation nothing lifts the NHCEs
    let text = std::fs::read_to_string(sb.join("generated.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let names: Vec<&str> = header.split(',').collect();
    let at = |n: &str| names.iter().position(|c| *c == n).unwrap();
    let (salary, rate) = (at("annual_salary"), at("deferral_rate"));
    let mut census = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        let deferring = cells[rate].parse::<f64>().unwrap() > 0.0;
        cells[rate] = if cells[salary].parse::<f64>().unwrap() >= 160_000.0 {
            "0.15".into()
        } else if deferring {
            "0.01".into()
        } else {
            "0".into()
        };
        census.push_str(&cells.join(","));
        census.push('\n');
    }
    sb.write("census.csv", census);
    sb.write(
        "c.yaml",
        "simulation: {start_year: 2025, end_year: 2026}
enrollment: {auto_enrollment: {enabled: false}}
deferral_auto_escalation: {enabled: false}
",
    );
    sb.run([
        "-q",
        "run",
        "--census",
        "census.csv",
        "--config",
        "c.yaml",
        "--out",
        "r",
        "--seed",
        "5",
    ])
    .assert_success();
    sb.run(["-q", "report", "r", "--out", "r.html"])
        .assert_success();
    let html = std::fs::read_to_string(sb.join("r.html")).unwrap();
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(sb.join("r/generation_summary.json")).unwrap(),
    )
    .unwrap();
    let years = summary["years"].as_array().unwrap();
    let failed = check_ndt_section(&html, &sb.join("r"), years);
    assert_eq!(failed, [2025, 2026], "the ADP test should fail every year");
    for y in years {
        assert_eq!(y["ndt"]["adp"]["pass"], Value::Bool(false));
    }
}

/// Every run's metric values of `path` by (scenario, metric) in seed order, per year.
type Values = BTreeMap<(String, String, i32), Vec<Option<f64>>>;

fn metrics(path: &Path) -> Values {
    let mut out = Values::new();
    for b in read_batches(path) {
        let sc = col::<StringArray>(&b, "scenario_id");
        let year = col::<Int32Array>(&b, "simulation_year");
        let seed = col::<Int64Array>(&b, "random_seed");
        // seeds ascending within a scenario, as the library folds them
        assert!((1..b.num_rows())
            .all(|r| sc.value(r) != sc.value(r - 1) || seed.value(r) >= seed.value(r - 1)));
        for metric in METRICS {
            let m = metric.name;
            for r in 0..b.num_rows() {
                let v = if metric.is_int() {
                    let a = col::<Int32Array>(&b, m);
                    a.is_valid(r).then(|| a.value(r) as f64)
                } else {
                    let a = col::<Float64Array>(&b, m);
                    a.is_valid(r).then(|| a.value(r))
                };
                out.entry((sc.value(r).to_string(), m.to_string(), year.value(r)))
                    .or_default()
                    .push(v);
            }
        }
    }
    out
}

fn deltas(path: &Path) -> BTreeMap<(String, String, i32), Stats> {
    let mut out = BTreeMap::new();
    for b in read_batches(path) {
        let f = |name| col::<Float64Array>(&b, name);
        let v = |name, r| {
            let a = f(name);
            a.is_valid(r).then(|| a.value(r))
        };
        for r in 0..b.num_rows() {
            out.insert(
                (
                    col::<StringArray>(&b, "scenario_id").value(r).to_string(),
                    col::<StringArray>(&b, "metric").value(r).to_string(),
                    col::<Int32Array>(&b, "simulation_year").value(r),
                ),
                Stats {
                    n: col::<Int32Array>(&b, "n").value(r),
                    mean: v("mean", r),
                    sd: v("sd", r),
                    min: v("min", r),
                    p10: v("p10", r),
                    p25: v("p25", r),
                    p50: v("p50", r),
                    p75: v("p75", r),
                    p90: v("p90", r),
                    max: v("max", r),
                },
            );
        }
    }
    out
}

fn fan_row(year: i32, s: &Stats) -> Vec<Option<f64>> {
    vec![
        Some(year as f64),
        Some(s.n as f64),
        s.p10,
        s.p25,
        s.p50,
        s.p75,
        s.p90,
        s.mean,
    ]
}

/// The summary page: each scenario's plan, the horizon's employer cost (from horizon.parquet,
/// paired by seed against the baseline) and the last year's headline figures.
fn check_summary(
    html: &str,
    dir: &Path,
    values: &Values,
    paired: &BTreeMap<(String, String, i32), Stats>,
) {
    assert_charts(html, "summary", 2);
    let plans = table(html, "plans");
    assert_eq!(plans.len(), 4);
    assert_eq!(
        plans[0][..2],
        [
            Cell::Text("current".into()),
            Cell::Text("Today's plan".into())
        ]
    );
    assert!(
        matches!(&plans[1][2], Cell::Text(p) if p.starts_with("auto-enroll new hires at 4 %")),
        "{:?}",
        plans[1]
    );
    // each run's total, by scenario in seed order
    let mut totals: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for b in read_batches(&dir.join("horizon.parquet")) {
        let (sc, m, v) = (
            col::<StringArray>(&b, "scenario_id"),
            col::<StringArray>(&b, "metric"),
            col::<Float64Array>(&b, "value"),
        );
        for r in 0..b.num_rows() {
            if m.value(r) == "employer_cost_total" {
                totals
                    .entry(sc.value(r).to_string())
                    .or_default()
                    .push(v.value(r));
            }
        }
    }
    let horizon = table(html, "horizon-cost");
    assert_eq!(horizon.len(), 4);
    for row in &horizon {
        let Cell::Text(sc) = &row[0] else {
            panic!("{row:?}")
        };
        let mine = &totals[sc];
        // the total is the sum of the years' employer cost (metrics.parquet), seed by seed
        let by_year: Vec<f64> = (0..4)
            .map(|i| {
                [2025, 2026, 2027]
                    .iter()
                    .map(|y| values[&(sc.clone(), "employer_cost".into(), *y)][i].unwrap())
                    .sum()
            })
            .collect();
        for (a, b) in mine.iter().zip(&by_year) {
            assert!((a - b).abs() < 0.005, "{sc}: {a} vs {b}");
        }
        let e = stats(mine.iter().map(|v| Some(*v)));
        let shown: Vec<f64> = row[1..4].iter().map(num).collect();
        for (s, w) in shown.iter().zip([e.p10, e.p50, e.p90]) {
            assert!((s - w.unwrap()).abs() < 0.005, "{sc}: {shown:?} vs {e:?}");
        }
        if sc == "current" {
            assert_eq!(row[4], Cell::Text("baseline".into()));
        } else {
            let d = stats(
                mine.iter()
                    .zip(&totals["current"])
                    .map(|(a, b)| Some(a - b)),
            );
            let shown: Vec<f64> = row[4..7].iter().map(num).collect();
            for (s, w) in shown.iter().zip([d.p10, d.p50, d.p90]) {
                assert!((s - w.unwrap()).abs() < 0.005, "{sc}: Δ {shown:?} vs {d:?}");
            }
        }
    }
    let headline = table(html, "headline");
    for row in &headline {
        let Cell::Text(sc) = &row[0] else {
            panic!("{row:?}")
        };
        let p = stats(
            values[&(sc.clone(), "participation_rate".into(), 2027)]
                .iter()
                .copied(),
        );
        assert_eq!(
            row[1..4].iter().map(opt).collect::<Vec<_>>(),
            [p.p10, p.p50, p.p90],
            "{sc}"
        );
        if sc != "current" {
            assert_eq!(
                opt(&row[4]),
                paired[&(sc.clone(), "participation_rate".into(), 2027)].p50
            );
        }
        let adp: Vec<f64> = values[&(sc.clone(), "adp_pass".into(), 2027)]
            .iter()
            .flatten()
            .copied()
            .collect();
        assert_eq!(
            opt(&row[8]),
            Some(adp.iter().sum::<f64>() / adp.len() as f64),
            "{sc}"
        );
    }
    // the bands say what they leave out
    assert!(html.contains("They leave out the uncertainty of the assumptions themselves"));
}

#[test]
fn a_batch_report_has_a_fan_per_metric_and_its_tables_equal_the_metrics() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 300, 4);
    sb.write(
        "base.yaml",
        "simulation: {start_year: 2025, end_year: 2027}\n",
    );
    sb.write("study.yaml", STUDY);
    sb.run(["-q", "batch", "study.yaml", "--out", "b"])
        .assert_success();
    sb.run(["-q", "report", "b", "--out", "b.html", "--xlsx", "b.xlsx"])
        .assert_success();
    let html = std::fs::read_to_string(sb.join("b.html")).unwrap();
    assert!(!html.contains("http"), "the page names a URL");
    assert!(html.contains("<dt>seeds</dt><dd>1–4 (4 seeds)</dd>"));
    assert!(
        !html.contains("id=\"sensitivity\"")
            && html.contains("<dt>uncertainty</dt><dd>none: the bands hold only"),
        "a batch without uncertainty: no sensitivity section, and the facts say so"
    );
    // titles beside the ids, and the plan of each scenario, as `wfsim batch` prints them
    assert!(
        html.contains("<dd>current (Today&#39;s plan), ae4, stretch, prior</dd>")
            || html.contains("<dd>current (Today's plan), ae4, stretch, prior</dd>"),
        "no titled scenario list"
    );
    assert!(
        html.contains("<dt>plan of ae4</dt><dd>auto-enroll new hires at 4 %"),
        "no plan line"
    );

    let values = metrics(&sb.join("b/metrics.parquet"));
    let paired = deltas(&sb.join("b/deltas.parquet"));
    let (scenarios, others) = (
        ["current", "ae4", "stretch", "prior"],
        ["ae4", "stretch", "prior"],
    );
    let years = [2025, 2026, 2027];
    // a metric gets a page when its statistics differ from the baseline's in some scenario and
    // year; the others are one row each in the appendix, with their median per year
    let of = |sc: &str, m: &str, y: i32| {
        stats(values[&(sc.to_string(), m.to_string(), y)].iter().copied())
    };
    let same = table(&html, "same-in-every-scenario");
    let (mut paged, mut alike) = (vec![], vec![]);
    for m in METRICS.iter().map(|m| m.name) {
        let section = format!("metric-{m}");
        if NDT_METRICS.contains(&m) {
            // the tests have their own section, not a page each
            assert!(
                !html.contains(&format!("<section id=\"{section}\">")),
                "{m}"
            );
            assert!(!html.contains(&format!("table-ensemble-{m}\"")), "{m}");
            continue;
        }
        let differs = years
            .iter()
            .any(|&y| others.iter().any(|sc| of(sc, m, y) != of("current", m, y)));
        if !differs {
            alike.push(m);
            assert!(
                !html.contains(&format!("<section id=\"{section}\">")),
                "{m}"
            );
            let row = same
                .iter()
                .find(|r| r[1] == Cell::Text(m.to_string()))
                .unwrap_or_else(|| panic!("{m}: neither a page nor in the appendix"));
            let medians: Vec<Option<f64>> =
                years.iter().map(|&y| of("current", m, y).p50).collect();
            assert_eq!(row[2..].iter().map(opt).collect::<Vec<_>>(), medians, "{m}");
            continue;
        }
        paged.push(m);
        assert_charts(&html, &section, 2);
        // the chart's table: the library's statistics of the seeds' values in metrics.parquet
        let shown = table(&html, &format!("ensemble-{m}"));
        let mut want = vec![];
        for sc in scenarios {
            for y in years {
                let st = of(sc, m, y);
                assert_eq!(st.n, 4);
                want.push((sc, fan_row(y, &st)));
            }
        }
        assert_eq!(shown.len(), want.len(), "{m}");
        for (row, (sc, w)) in shown.iter().zip(&want) {
            assert_eq!(row[0], Cell::Text(sc.to_string()));
            assert_eq!(row[1..].iter().map(opt).collect::<Vec<_>>(), *w, "{m} {sc}");
        }
        let shown = table(&html, &format!("delta-{m}"));
        let mut i = 0;
        for sc in others {
            for y in years {
                let st = &paired[&(sc.to_string(), m.to_string(), y)];
                assert_eq!(shown[i][0], Cell::Text(sc.to_string()));
                assert_eq!(
                    shown[i][1..].iter().map(opt).collect::<Vec<_>>(),
                    fan_row(y, st),
                    "delta {m} {sc} {y}"
                );
                i += 1;
            }
        }
        assert_eq!(i, shown.len());
        // a count's paired difference is exact: recomputed here from the seeds' values
        if m == "events_enrollment" {
            let base = &values[&("current".into(), m.to_string(), 2027)];
            let ae4 = &values[&("ae4".into(), m.to_string(), 2027)];
            let d = stats(
                ae4.iter()
                    .zip(base)
                    .map(|(a, b)| Some(a.unwrap() - b.unwrap())),
            );
            assert_eq!(paired[&("ae4".into(), m.to_string(), 2027)], d);
        }
    }
    assert_eq!(same.len(), alike.len(), "{alike:?}");
    // the design changes cost and participation, not who is promoted or raised
    for m in ["employer_cost", "employer_match", "avg_deferral_rate"] {
        assert!(paged.contains(&m), "{m} has no page: {paged:?}");
    }
    for m in ["events_promotion", "events_raise", "n_end"] {
        assert!(alike.contains(&m), "{m} is not in the appendix: {alike:?}");
    }
    // the last year: every scenario × metric, P10 / median / P90 of the ensemble and deltas
    let last = table(&html, "last-year");
    assert_eq!(
        last.len(),
        scenarios.len() * (METRICS.len() - NDT_METRICS.len())
    );
    let titles: std::collections::BTreeSet<&str> = METRICS.iter().map(|m| m.title).collect();
    assert_eq!(titles.len(), METRICS.len(), "metric titles are unique");
    for row in &last {
        let (Cell::Text(sc), Cell::Text(title)) = (&row[0], &row[1]) else {
            panic!("{row:?}")
        };
        // the metric by its title (titles are unique)
        let m = METRICS.iter().find(|x| x.title == title).unwrap().name;
        let e = of(sc, m, 2027);
        assert_eq!(
            row[2..5].iter().map(opt).collect::<Vec<_>>(),
            [e.p10, e.p50, e.p90],
            "{sc} {m}"
        );
        if sc == "current" {
            assert_eq!(row[5], Cell::Text("baseline".into()));
        } else {
            let d = &paired[&(sc.clone(), m.to_string(), 2027)];
            assert_eq!(
                row[5..8].iter().map(opt).collect::<Vec<_>>(),
                [d.p10, d.p50, d.p90]
            );
        }
    }
    check_summary(&html, &sb.join("b"), &values, &paired);
    // the tests: the share of seeds passing (the ensemble mean of the flags over the seeds
    // where the test applied) and the ADP margin (limit − HCE average) over the seeds
    assert_charts(&html, "nondiscrimination", 3);
    assert!(html.contains(&format!("<p class=\"caveat\">{SIMPLIFICATIONS}</p>")));
    let shares = table(&html, "ndt-pass-shares");
    let margins = table(&html, "ndt-adp-margin");
    assert_eq!(shares.len(), scenarios.len() * years.len());
    assert_eq!(margins.len(), shares.len());
    let mut i = 0;
    for sc in scenarios {
        for y in years {
            let of = |m: &str| values[&(sc.to_string(), m.to_string(), y)].clone();
            let mut want = vec![Some(y as f64)];
            for m in ["adp_pass", "acp_pass", "coverage_pass", "top_heavy"] {
                let v = of(m);
                let tested: Vec<f64> = v.iter().flatten().copied().collect();
                let share =
                    (!tested.is_empty()).then(|| tested.iter().sum::<f64>() / tested.len() as f64);
                want.extend([share, Some(tested.len() as f64)]);
            }
            assert_eq!(shares[i][0], Cell::Text(sc.to_string()));
            assert_eq!(
                shares[i][1..].iter().map(opt).collect::<Vec<_>>(),
                want,
                "{sc} {y}"
            );
            let margin: Vec<Option<f64>> = of("adp_limit")
                .iter()
                .zip(of("adp_hce"))
                .map(|(l, h)| Some((*l)? - h?))
                .collect();
            let st = stats(margin.iter().copied());
            assert!(st.n > 0, "{sc} {y}: no ADP margin");
            assert_eq!(margins[i][0], Cell::Text(sc.to_string()));
            assert_eq!(
                margins[i][1..].iter().map(opt).collect::<Vec<_>>(),
                [
                    Some(y as f64),
                    Some(st.n as f64),
                    st.min,
                    st.p10,
                    st.p25,
                    st.p50,
                    st.p75,
                    st.p90,
                    st.max,
                    st.mean
                ],
                "{sc} {y}"
            );
            // the prior-year method against a first-year NHCE average of 2 % (a 4 % limit)
            // fails every seed in the first year, and only then
            if sc == "prior" {
                let share = opt(&shares[i][2]).unwrap();
                assert_eq!(share == 0.0, y == 2025, "{y}: ADP pass share {share}");
                assert_eq!(st.max.unwrap() < 0.0, y == 2025, "{y}: {st:?}");
            }
            i += 1;
        }
    }

    // the appendix holds each scenario's resolved config
    let configs = table(&html, "configs");
    let rate = configs
        .iter()
        .find(|r| r[0] == Cell::Text("enrollment.auto_enrollment.default_deferral_rate".into()))
        .unwrap();
    // numbers as numbers (the workbook stores them as such: friction 10 of issue 34)
    assert_eq!(
        rate[1..],
        [
            Cell::Num(0.06),
            Cell::Num(0.04),
            Cell::Num(0.06),
            Cell::Num(0.06)
        ]
    );

    sb.run([
        "-q",
        "report",
        "b",
        "--out",
        "again.html",
        "--xlsx",
        "again.xlsx",
    ])
    .assert_success();
    assert_eq!(
        std::fs::read(sb.join("again.html")).unwrap(),
        html.as_bytes()
    );
    assert_eq!(
        std::fs::read(sb.join("again.xlsx")).unwrap(),
        std::fs::read(sb.join("b.xlsx")).unwrap()
    );
}

/// Spearman's rank correlation by counting (rank = 1 + smaller values + half the ties), not by
/// sorting as the report does.
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let rank = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .map(|a| {
                let below = v.iter().filter(|b| *b < a).count() as f64;
                let same = v.iter().filter(|b| *b == a).count() as f64;
                1.0 + below + (same - 1.0) / 2.0
            })
            .collect()
    };
    let (rx, ry) = (rank(x), rank(y));
    let n = x.len() as f64;
    let m = (n + 1.0) / 2.0;
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - m) * (b - m)).sum();
    let var = |r: &[f64]| r.iter().map(|a| (a - m) * (a - m)).sum::<f64>();
    cov / (var(&rx) * var(&ry)).sqrt()
}

/// With `uncertainty:`, the report ranks the drawn assumptions per scenario: its table holds each
/// key's rank correlation with the horizon cost, the last year's participation and the paired
/// cost difference, recomputed here from the batch's files; a stretch match's cost follows the
/// share of existing participants who move to its full-match rate (known truth).
#[test]
fn a_batch_with_uncertainty_ranks_which_assumption_matters() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 300, 4);
    sb.write(
        "base.yaml",
        "simulation: {start_year: 2025, end_year: 2027}\n",
    );
    sb.write(
        "study.yaml",
        "base: base.yaml
census: census.csv
seeds: {first: 1, count: 12}
scenarios:
  current: {}
  stretch: {employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}}
uncertainty:
  workforce.total_termination_rate: {uniform: [0.7, 1.3], scale: true}
  enrollment.match_response.existing_participants: {uniform: [0, 1]}
",
    );
    sb.run(["-q", "batch", "study.yaml", "--out", "b"])
        .assert_success();
    sb.run(["-q", "report", "b", "--out", "b.html", "--xlsx", "b.xlsx"])
        .assert_success();
    let html = std::fs::read_to_string(sb.join("b.html")).unwrap();
    assert!(html.contains("<section id=\"sensitivity\">"));
    for i in 1..=2 {
        assert!(html.contains(&format!("<figure id=\"chart-sensitivity-{i}\"><svg ")));
    }
    assert!(!html.contains("<figure id=\"chart-sensitivity-3\">"));
    assert!(html.contains("over the assumptions drawn once per seed (workforce.total_termination_rate, enrollment.match_response.existing_participants;"));

    // the draws, the horizon cost (in cents) and 2027's participation per (scenario, seed)
    let p = &read_batches(&sb.join("b/parameters.parquet"))[0];
    let mut draws: BTreeMap<(String, i64), f64> = BTreeMap::new();
    for i in 0..p.num_rows() {
        draws.insert(
            (
                col::<StringArray>(p, "key_path").value(i).to_string(),
                col::<Int64Array>(p, "random_seed").value(i),
            ),
            col::<Float64Array>(p, "value").value(i),
        );
    }
    let h = &read_batches(&sb.join("b/horizon.parquet"))[0];
    let mut cost: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for i in 0..h.num_rows() {
        if col::<StringArray>(h, "metric").value(i) == "employer_cost_total" {
            cost.insert(
                (
                    col::<StringArray>(h, "scenario_id").value(i).to_string(),
                    col::<Int64Array>(h, "random_seed").value(i),
                ),
                cents(col::<Float64Array>(h, "value").value(i)),
            );
        }
    }
    let m = &read_batches(&sb.join("b/metrics.parquet"))[0];
    let mut part: BTreeMap<(String, i64), f64> = BTreeMap::new();
    for i in 0..m.num_rows() {
        if col::<Int32Array>(m, "simulation_year").value(i) == 2027 {
            part.insert(
                (
                    col::<StringArray>(m, "scenario_id").value(i).to_string(),
                    col::<Int64Array>(m, "random_seed").value(i),
                ),
                col::<Float64Array>(m, "participation_rate").value(i),
            );
        }
    }
    let rows = table(&html, "sensitivity");
    assert_eq!(rows.len(), 4);
    let seeds: Vec<i64> = (1..=12).collect();
    let mut stretch_existing = 0.0;
    for row in &rows {
        let (Cell::Text(sc), Cell::Text(key)) = (&row[0], &row[1]) else {
            panic!("{row:?}")
        };
        let x: Vec<f64> = seeds.iter().map(|k| draws[&(key.clone(), *k)]).collect();
        let of = |t: &BTreeMap<(String, i64), i64>, sc: &str| -> Vec<f64> {
            seeds
                .iter()
                .map(|k| t[&(sc.to_string(), *k)] as f64)
                .collect()
        };
        let want_cost = spearman(&x, &of(&cost, sc));
        let want_part = spearman(
            &x,
            &seeds
                .iter()
                .map(|k| part[&(sc.clone(), *k)])
                .collect::<Vec<_>>(),
        );
        assert!((num(&row[2]) - want_cost).abs() < 1e-12, "{sc} {key} cost");
        assert!(
            (num(&row[3]) - want_part).abs() < 1e-12,
            "{sc} {key} participation"
        );
        if sc == "current" {
            assert_eq!(opt(&row[4]), None, "the baseline has no paired difference");
        } else {
            let delta: Vec<f64> = seeds
                .iter()
                .map(|k| (cost[&(sc.clone(), *k)] - cost[&("current".to_string(), *k)]) as f64)
                .collect();
            assert!(
                (num(&row[4]) - spearman(&x, &delta)).abs() < 1e-12,
                "{sc} {key} delta"
            );
        }
        if sc == "stretch" && key == "enrollment.match_response.existing_participants" {
            stretch_existing = num(&row[2]);
        }
    }
    assert!(stretch_existing > 0.5, "{stretch_existing}");
    // strongest first within each scenario
    for pair in rows.chunks(2) {
        let strength = |r: &Vec<Cell>| {
            r[2..]
                .iter()
                .filter_map(opt)
                .fold(0.0f64, |m, v| m.max(v.abs()))
        };
        assert!(strength(&pair[0]) >= strength(&pair[1]));
    }
}

#[test]
fn a_directory_that_is_not_an_output_is_refused_and_nothing_is_written() {
    let sb = Sandbox::new();
    sb.write("old.html", "previous report");
    std::fs::create_dir(sb.join("empty")).unwrap();
    sb.run(["report", "empty", "--out", "old.html", "--xlsx", "new.xlsx"])
        .assert_input_error(&["empty", "neither a wfsim run directory", "batch directory"]);
    sb.run(["report", "missing", "--out", "old.html"])
        .assert_input_error(&["missing", "not a directory"]);
    sb.write("broken/generation_summary.json", "{\"years\": ");
    sb.run([
        "report", "broken", "--out", "old.html", "--xlsx", "new.xlsx",
    ])
    .assert_input_error(&["broken/generation_summary.json"]);
    // a run whose snapshots are gone: named, not a panic
    sb.generated_census("census.csv", 50, 1);
    sb.run([
        "-q",
        "run",
        "--census",
        "census.csv",
        "--out",
        "r",
        "--end",
        "2025",
    ])
    .assert_success();
    std::fs::remove_file(snapshot_file(&sb.join("r"), 2025)).unwrap();
    sb.run(["report", "r", "--out", "old.html", "--xlsx", "new.xlsx"])
        .assert_input_error(&["snapshot_2025.parquet"]);
    assert_eq!(
        std::fs::read_to_string(sb.join("old.html")).unwrap(),
        "previous report"
    );
    assert!(!sb.join("new.xlsx").exists());
    let left: Vec<_> = common::entries(sb.path())
        .into_iter()
        .filter(|n| n.starts_with(".wfsim-report"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}
