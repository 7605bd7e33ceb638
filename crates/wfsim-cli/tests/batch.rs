//! `wfsim batch` (spec §8): each run equals the single run of its merged config, the files do
//! not depend on the thread count, the statistics follow the spec's folds, and a bad batch file
//! is refused with the scenario and key path before anything is written.

mod common;

use arrow_array::{Array, Float64Array, Int32Array, Int64Array, StringArray};
use common::{read_batches, s, tree, Sandbox};
use std::path::Path;

const STUDY: &str = "base: base.yaml
census: census.csv
seeds: [3, 1]
baseline: current
scenarios:
  current: {}
  ae4: {enrollment: {auto_enrollment: {default_deferral_rate: 0.04}}}
  stretch: {employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}], true_up: true}}
";

const BASE: &str = "simulation: {start_year: 2025, end_year: 2027}
employer_core: {rate: 0.02}
";

fn study(sb: &Sandbox) -> std::path::PathBuf {
    sb.generated_census("census.csv", 400, 5);
    sb.write("base.yaml", BASE);
    sb.write("study.yaml", STUDY)
}

fn column<'a, T: 'static>(batch: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap()
}

/// Run (s, k) of the batch writes the same files, byte for byte, as `wfsim run` of the merged
/// config with seed k and scenario id s.
#[test]
fn every_run_equals_the_single_run_of_its_merged_config() {
    let sb = Sandbox::new();
    let file = study(&sb);
    sb.run([
        "-q",
        "batch",
        &s(&file),
        "--out",
        "b",
        "--keep",
        "events,snapshots",
    ])
    .assert_success();
    let batch = sb.join("b");
    for (scenario, seed, sets) in [
        ("current", "1", vec![]),
        (
            "ae4",
            "3",
            vec!["enrollment.auto_enrollment.default_deferral_rate=0.04"],
        ),
        (
            "stretch",
            "1",
            vec![
                "employer_match.tiers=[{from: 0, to: 0.12, rate: 0.25}]",
                "employer_match.true_up=true",
            ],
        ),
    ] {
        let out = format!("single_{scenario}_{seed}");
        let mut args = vec![
            "-q",
            "run",
            "--config",
            "base.yaml",
            "--census",
            "census.csv",
            "--seed",
            seed,
            "--scenario",
            scenario,
            "--out",
            &out,
        ];
        for set in &sets {
            args.push("--set");
            args.push(set);
        }
        sb.run(args).assert_success();
        for year in 2025..=2027 {
            for (kind, file) in [("events", "events"), ("snapshots", "snapshot")] {
                let single = sb
                    .join(&out)
                    .join(kind)
                    .join(format!("simulation_year={year}"))
                    .join(format!("{file}_{year}.parquet"));
                let in_batch = batch
                    .join(kind)
                    .join(format!("scenario_id={scenario}"))
                    .join(format!("random_seed={seed}"))
                    .join(format!("simulation_year={year}"))
                    .join(format!("{file}_{year}.parquet"));
                assert_eq!(
                    std::fs::read(&single).unwrap(),
                    std::fs::read(&in_batch).unwrap(),
                    "{scenario} seed {seed} {kind} {year}"
                );
            }
        }
        // The metrics row is the single run's summary figures (last year: the last occurrence).
        let summary =
            std::fs::read_to_string(sb.join(&out).join("generation_summary.json")).unwrap();
        let last = |key: &str| -> f64 {
            let pattern = format!("\"{key}\": ");
            let at = summary.rfind(&pattern).unwrap() + pattern.len();
            let rest = &summary[at..];
            let end = rest.find([',', '\n']).unwrap();
            rest[..end].trim().parse().unwrap()
        };
        let m = &read_batches(&batch.join("metrics.parquet"))[0];
        let (ids, seeds, years) = (
            column::<StringArray>(m, "scenario_id"),
            column::<Int64Array>(m, "random_seed"),
            column::<Int32Array>(m, "simulation_year"),
        );
        let row = (0..m.num_rows())
            .find(|&i| {
                ids.value(i) == scenario
                    && seeds.value(i).to_string() == seed
                    && years.value(i) == 2027
            })
            .unwrap();
        assert_eq!(
            column::<Float64Array>(m, "employer_cost").value(row),
            last("employer_cost")
        );
        assert_eq!(
            column::<Float64Array>(m, "payroll").value(row),
            last("payroll")
        );
        assert_eq!(
            f64::from(column::<Int32Array>(m, "n_end").value(row)),
            last("n_end")
        );
        assert_eq!(
            f64::from(column::<Int32Array>(m, "events_hire").value(row)),
            last("hires")
        );
    }
    assert!(batch
        .join("summaries/scenario_id=ae4/random_seed=3/generation_summary.json")
        .is_file());
}

/// Same bytes for one thread and two; metrics sorted by scenario in batch order, seed, year.
#[test]
fn batch_files_do_not_depend_on_the_thread_count() {
    let sb = Sandbox::new();
    let file = study(&sb);
    for (out, threads) in [("t1", "1"), ("t2", "2")] {
        sb.run(["-q", "batch", &s(&file), "--out", out, "--threads", threads])
            .assert_success();
    }
    sb.run(["-q", "batch", &s(&file), "--out", "m", "--keep", "metrics"])
        .assert_success();
    assert_eq!(
        common::entries(&sb.join("m")),
        [
            ".wfsim-output",
            "batch_summary.json",
            "deltas.parquet",
            "ensemble.parquet",
            "horizon.parquet",
            "metrics.parquet"
        ]
        .map(String::from)
        .into(),
        "--keep metrics keeps only the batch's own files"
    );
    let (a, b) = (tree(&sb.join("t1")), tree(&sb.join("t2")));
    for name in [
        "metrics.parquet",
        "ensemble.parquet",
        "deltas.parquet",
        "horizon.parquet",
    ] {
        assert_eq!(a[Path::new(name)], b[Path::new(name)], "{name}");
    }
    let m = &read_batches(&sb.join("t1/metrics.parquet"))[0];
    assert_eq!(m.num_rows(), 3 * 2 * 3);
    let ids = column::<StringArray>(m, "scenario_id");
    let seeds = column::<Int64Array>(m, "random_seed");
    let order: Vec<(String, i64)> = (0..m.num_rows())
        .step_by(3)
        .map(|i| (ids.value(i).to_string(), seeds.value(i)))
        .collect();
    assert_eq!(
        order,
        [
            ("current", 1),
            ("current", 3),
            ("ae4", 1),
            ("ae4", 3),
            ("stretch", 1),
            ("stretch", 3)
        ]
        .map(|(a, b)| (a.to_string(), b))
    );
}

/// The ensemble and the deltas are the spec's folds over the metrics: checked here from
/// metrics.parquet for employer cost (money: a difference of cents) and n_end (a count).
#[test]
fn ensemble_and_deltas_follow_the_metrics() {
    let sb = Sandbox::new();
    let file = study(&sb);
    sb.run(["-q", "batch", &s(&file), "--out", "b"])
        .assert_success();
    let m = &read_batches(&sb.join("b/metrics.parquet"))[0];
    let ids = column::<StringArray>(m, "scenario_id");
    let years = column::<Int32Array>(m, "simulation_year");
    let cost = column::<Float64Array>(m, "employer_cost");
    let value = |scenario: &str, year: i32| -> Vec<f64> {
        (0..m.num_rows())
            .filter(|&i| ids.value(i) == scenario && years.value(i) == year)
            .map(|i| cost.value(i))
            .collect()
    };
    let find = |path: &str, scenario: &str, metric: &str| -> (i32, f64, f64, f64) {
        let t = &read_batches(&sb.join(path))[0];
        let (sid, yr, met) = (
            column::<StringArray>(t, "scenario_id"),
            column::<Int32Array>(t, "simulation_year"),
            column::<StringArray>(t, "metric"),
        );
        let i = (0..t.num_rows())
            .find(|&i| sid.value(i) == scenario && yr.value(i) == 2026 && met.value(i) == metric)
            .unwrap();
        (
            column::<Int32Array>(t, "n").value(i),
            column::<Float64Array>(t, "mean").value(i),
            column::<Float64Array>(t, "min").value(i),
            column::<Float64Array>(t, "max").value(i),
        )
    };
    let xs = value("stretch", 2026);
    let (n, mean, min, max) = find("b/ensemble.parquet", "stretch", "employer_cost");
    assert_eq!(n, 2);
    assert_eq!(mean, (0.0 + xs[0] + xs[1]) / 2.0);
    assert_eq!((min, max), (xs[0].min(xs[1]), xs[0].max(xs[1])));
    let base = value("current", 2026);
    let cents = |x: f64| (x * 100.0).round() as i64;
    let d: Vec<f64> = (0..2)
        .map(|k| (cents(xs[k]) - cents(base[k])) as f64 / 100.0)
        .collect();
    let (n, mean, min, max) = find("b/deltas.parquet", "stretch", "employer_cost");
    assert_eq!(n, 2);
    assert_eq!(mean, (0.0 + d[0] + d[1]) / 2.0);
    assert_eq!((min, max), (d[0].min(d[1]), d[0].max(d[1])));
    assert!(
        max < 0.0,
        "a 25 % stretch match costs less than the default: {d:?}"
    );
    // No deltas for the baseline itself.
    let t = &read_batches(&sb.join("b/deltas.parquet"))[0];
    let sid = column::<StringArray>(t, "scenario_id");
    assert!((0..t.num_rows()).all(|i| sid.value(i) != "current"));
}

#[test]
fn bad_batch_files_name_the_scenario_and_key_and_write_nothing() {
    let sb = Sandbox::new();
    study(&sb);
    let cases: [(&str, &[&str]); 13] = [
        (
            "base: base.yaml\nseeds: [1]\nscenarios:\n  a: {simulation: {random_seed: 5}}\n",
            &["scenario `a`", "key `simulation.random_seed`", "fixes"],
        ),
        (
            "base: base.yaml\nseeds: [1]\nscenarios:\n  a: {census: {}}\n",
            &["scenario `a`", "key `census`"],
        ),
        (
            "base: base.yaml\nseeds: [1]\nscenarios:\n  a: {}\n  b: {employer_match: {tiers: [{from: 0, to: 0.04, rate: 1}, {from: 0.03, to: 0.05, rate: 1}]}}\n",
            &["scenario `b`", "key `employer_match.tiers`", "overlap"],
        ),
        (
            "base: base.yaml\nseeds: [1]\nscenarios:\n  a: {workforce: {total_termination_rat: 0.1}}\n",
            &["scenario `a`", "workforce.total_termination_rat", "unknown field"],
        ),
        ("base: base.yaml\nseeds: [1, 1]\nscenarios:\n  a: {}\n", &["key `seeds`", "seed 1 is listed twice"]),
        ("base: base.yaml\nseeds: {first: 1, count: 0}\nscenarios:\n  a: {}\n", &["seeds.count", "at least 1"]),
        ("base: base.yaml\nseeds: [1]\nscenarios:\n  \"a b\": {}\n", &["key `scenarios`", "must match"]),
        ("base: base.yaml\nconfig: {}\nseeds: [1]\nscenarios:\n  a: {}\n", &["key `base`", "not both"]),
        ("base: base.yaml\nseeds: [1]\nbaseline: nope\nscenarios:\n  a: {}\n  b: {}\n", &["key `baseline`", "nope", "the scenarios are `a`, `b`"]),
        ("base: gone.yaml\nseeds: [1]\nscenarios:\n  a: {}\n", &["cannot read", "gone.yaml (named by `base` in"]),
        ("base: base.yaml\ncensus: gone.csv\nseeds: [1]\nscenarios:\n  a: {}\n", &["gone.csv (named by `census` in"]),
        ("base: base.yaml\nseeds: [1]\nscenarios:\n  a: {title: [1]}\n", &["scenario `a`", "key `title`", "non-empty string"]),
        ("base: base.yaml\nseeds: [1]\ndiscount_rate: 3\nscenarios:\n  a: {}\n", &["key `discount_rate`", "[0, 0.2]"]),
    ];
    for (i, (text, needles)) in cases.iter().enumerate() {
        let file = sb.write(&format!("bad{i}.yaml"), text);
        let out = format!("out{i}");
        sb.run(["batch", &s(&file), "--out", &out])
            .assert_input_error(needles);
        assert!(!sb.join(&out).exists(), "case {i} wrote its output");
    }
}

/// `--rejects` sets bad census rows aside for every scenario, as `run --rejects` does; without
/// it the first bad row stops the batch before anything is written.
#[test]
fn batch_rejects_set_bad_rows_aside() {
    let sb = Sandbox::new();
    sb.write(
        "census.csv",
        "employee_id,birth_date,hire_date,annual_salary\nE1,1985-03-10,2015-06-01,65000\nE2,1990-07-21,2000-01-15,92000\nE3,1970-01-01,2001-02-01,120000\n",
    );
    let file = sb.write(
        "study.yaml",
        "census: census.csv\nseeds: [1, 2]\nscenarios:\n  a: {}\n  b: {employer_core: {rate: 0.03}}\n",
    );
    sb.run(["batch", &s(&file), "--out", "b"])
        .assert_input_error(&["row 2", "hired before age 14", "--rejects"]);
    assert!(!sb.join("b").exists());
    let o = sb.run(["batch", &s(&file), "--out", "b", "--rejects", "rejects.csv"]);
    o.assert_success();
    assert!(
        o.stdout.contains("1 row set aside into rejects.csv"),
        "{}",
        o.stdout
    );
    let rejects = std::fs::read_to_string(sb.join("rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(
        rejects.lines().nth(1).unwrap().starts_with("2,E2,"),
        "{rejects}"
    );
    let m = &read_batches(&sb.join("b/metrics.parquet"))[0];
    let n_start = column::<Int32Array>(m, "n_start");
    assert!((0..m.num_rows()).step_by(5).all(|i| n_start.value(i) == 2));
}

#[test]
fn strict_refuses_an_implausible_scenario_by_name() {
    let sb = Sandbox::new();
    study(&sb);
    let file = sb.write(
        "silly.yaml",
        "base: base.yaml\nseeds: [1]\nscenarios:\n  ok: {}\n  rich: {employer_core: {rate: 0.3}}\n",
    );
    let r = sb.run(["batch", &s(&file), "--out", "warned", "--threads", "1"]);
    r.assert_success();
    assert!(
        r.stderr
            .contains("warning: scenario `rich`: key `employer_core.rate`: 0.3"),
        "{}",
        r.stderr
    );
    sb.run(["batch", &s(&file), "--out", "strict", "--strict"])
        .assert_input_error(&["scenario `rich`", "key `employer_core.rate`", "--strict"]);
    assert!(!sb.join("strict").exists());
}

#[test]
fn scenario_titles_are_shown_and_recorded_but_are_not_config_keys() {
    let sb = Sandbox::new();
    study(&sb);
    let file = sb.write(
        "titled.yaml",
        "base: base.yaml\nseeds: [1]\nscenarios:\n  current: {title: Today's plan}\n  ae4: {title: Auto-enroll at 4 %, enrollment: {auto_enrollment: {default_deferral_rate: 0.04}}}\n",
    );
    let r = sb.run(["batch", &s(&file), "--out", "t", "--threads", "1"]);
    r.assert_success();
    assert!(r.stdout.contains("scenario  title "), "{}", r.stdout);
    assert!(
        r.stdout.contains("\nae4       Auto-enroll at 4 %  "),
        "{}",
        r.stdout
    );
    let summary = std::fs::read_to_string(sb.join("t/batch_summary.json")).unwrap();
    assert!(summary.contains("\"title\": \"Today's plan\""), "{summary}");
    assert!(!summary.contains("\"title\": \"Today's plan\",\n      \"title\""));
}

/// Horizon totals (spec §8) recomputed from metrics.parquet: each run's employer cost summed
/// over the years, and its present value at 5 % (the first year discounted once), in cents.
#[test]
fn horizon_totals_and_present_values_equal_the_yearly_metrics() {
    let sb = Sandbox::new();
    study(&sb);
    let file = sb.write(
        "pv.yaml",
        "base: base.yaml\nseeds: [1, 2]\ndiscount_rate: 0.05\nscenarios:\n  current: {}\n  rich: {employer_core: {rate: 0.04}}\n",
    );
    let r = sb.run(["batch", &s(&file), "--out", "h"]);
    r.assert_success();
    assert!(r.stdout.contains("summed over 2025-2027"), "{}", r.stdout);
    let m = &read_batches(&sb.join("h/metrics.parquet"))[0];
    let (sc, seed, cost) = (
        column::<StringArray>(m, "scenario_id"),
        column::<Int64Array>(m, "random_seed"),
        column::<Float64Array>(m, "employer_cost"),
    );
    let mut want: Vec<(String, i64, f64, f64)> = vec![];
    let mut i = 0;
    while i < m.num_rows() {
        let (mut total, mut pv, mut f) = (0i64, 0i64, 1.0f64);
        for y in 0..3 {
            let cents = (cost.value(i + y) * 100.0).round() as i64;
            f *= 1.05;
            total += cents;
            pv += (cents as f64 / f).round() as i64;
        }
        want.push((
            sc.value(i).into(),
            seed.value(i),
            total as f64 / 100.0,
            pv as f64 / 100.0,
        ));
        i += 3;
    }
    let h = &read_batches(&sb.join("h/horizon.parquet"))[0];
    assert_eq!(h.num_rows(), 4 * 12);
    let (hs, hk, hm, hv) = (
        column::<StringArray>(h, "scenario_id"),
        column::<Int64Array>(h, "random_seed"),
        column::<StringArray>(h, "metric"),
        column::<Float64Array>(h, "value"),
    );
    for (run, (s_id, k, total, pv)) in want.iter().enumerate() {
        // employer_cost is the last money metric: total at 10, pv at 11 of each run's 12
        let row = run * 12 + 10;
        assert_eq!((hs.value(row), hk.value(row)), (s_id.as_str(), *k));
        assert_eq!(
            (hm.value(row), hv.value(row)),
            ("employer_cost_total", *total)
        );
        assert_eq!(
            (hm.value(row + 1), hv.value(row + 1)),
            ("employer_cost_pv", *pv)
        );
    }
    // ensemble and deltas: the horizon rows follow each scenario's years, with a null year
    let e = &read_batches(&sb.join("h/ensemble.parquet"))[0];
    let (ey, em) = (
        column::<Int32Array>(e, "simulation_year"),
        column::<StringArray>(e, "metric"),
    );
    let rows: Vec<usize> = (0..e.num_rows()).filter(|&i| ey.is_null(i)).collect();
    assert_eq!(rows.len(), 2 * 12);
    assert_eq!(em.value(rows[0]), "payroll_total");
    assert!(
        !ey.is_null(rows[12] - 1),
        "the second scenario's years come before its horizon"
    );
}
