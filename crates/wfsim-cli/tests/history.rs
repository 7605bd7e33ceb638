//! Client history (spec §10, issue 30): `wfsim census --from-run` writes a run's year-end
//! snapshot as a census, the actives and leavers of the year, so a history can be made from a
//! known config.

mod common;
use arrow_array::{Array, Date32Array, Float64Array, StringArray};
use common::{read_batches, snapshot_file, Sandbox};

const CONFIG: &str = "simulation: {start_year: 2025, end_year: 2026}\n";

#[test]
fn a_snapshot_becomes_the_census_of_its_year_end() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 400, 5);
    sb.write("c.yaml", CONFIG);
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
        "3",
    ])
    .assert_success();
    let out = sb.run([
        "census",
        "--from-run",
        "r",
        "--year",
        "2025",
        "--out",
        "h2025.parquet",
    ]);
    out.assert_success();
    assert!(out.stdout.contains("h2025.parquet"), "{}", out.stdout);

    // every snapshot row, in id order, under the census's names; the year's pay is next year's
    // look-back pay
    let snap = &read_batches(&snapshot_file(&sb.join("r"), 2025))[0];
    let census = &read_batches(&sb.join("h2025.parquet"))[0];
    assert_eq!(census.num_rows(), snap.num_rows());
    let strings = |b: &arrow_array::RecordBatch, c: &str| -> Vec<String> {
        let a = b
            .column_by_name(c)
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        (0..a.len()).map(|i| a.value(i).to_string()).collect()
    };
    let floats = |b: &arrow_array::RecordBatch, c: &str| -> Vec<Option<f64>> {
        let a = b
            .column_by_name(c)
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| a.value(i)))
            .collect()
    };
    let dates = |b: &arrow_array::RecordBatch, c: &str| -> Vec<Option<i32>> {
        let a = b
            .column_by_name(c)
            .unwrap()
            .as_any()
            .downcast_ref::<Date32Array>()
            .unwrap();
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| a.value(i)))
            .collect()
    };
    // the run's hires under `RUN_NH_…` (a census may not hold `NH_` ids), every row in id order
    let renamed: Vec<String> = strings(snap, "employee_id")
        .into_iter()
        .map(|id| {
            if id.starts_with("NH_") {
                format!("RUN_{id}")
            } else {
                id
            }
        })
        .collect();
    assert!(renamed.iter().any(|id| id.starts_with("RUN_NH_2025_")));
    let ids = strings(census, "employee_id");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "not sorted by id");
    let at: std::collections::HashMap<&str, usize> = renamed
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    assert_eq!(at.len(), ids.len());
    let order: Vec<usize> = ids.iter().map(|id| at[id.as_str()]).collect();
    let same = |census_col: &str, snap_col: &str| {
        let (c, s) = (floats(census, census_col), floats(snap, snap_col));
        for (i, &j) in order.iter().enumerate() {
            assert_eq!(c[i], s[j], "{} {census_col}", ids[i]);
        }
    };
    same("annual_salary", "annual_salary");
    same("deferral_rate", "deferral_rate");
    same("prior_year_compensation", "prorated_compensation");
    for col in ["birth_date", "hire_date", "termination_date"] {
        let (c, s) = (dates(census, col), dates(snap, col));
        for (i, &j) in order.iter().enumerate() {
            assert_eq!(c[i], s[j], "{} {col}", ids[i]);
        }
    }
    let leavers = dates(census, "termination_date").iter().flatten().count();
    assert!(leavers > 0, "the year's leavers are listed");

    // it reads as a census of Dec 31, 2025: a run from it starts in 2026
    sb.write(
        "next.yaml",
        "simulation: {start_year: 2026, end_year: 2026}\n",
    );
    sb.run([
        "-q",
        "run",
        "--census",
        "h2025.parquet",
        "--config",
        "next.yaml",
        "--out",
        "n",
    ])
    .assert_success();
}

#[test]
fn a_year_the_run_did_not_simulate_or_a_directory_that_is_not_a_run_is_refused() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 50, 5);
    sb.write("c.yaml", CONFIG);
    sb.run([
        "-q",
        "run",
        "--census",
        "census.csv",
        "--config",
        "c.yaml",
        "--out",
        "r",
    ])
    .assert_success();
    sb.run([
        "census",
        "--from-run",
        "r",
        "--year",
        "2024",
        "--out",
        "h.csv",
    ])
    .assert_input_error(&["--year 2024", "2025–2026"]);
    std::fs::create_dir(sb.join("empty")).unwrap();
    sb.run([
        "census",
        "--from-run",
        "empty",
        "--year",
        "2025",
        "--out",
        "h.csv",
    ])
    .assert_input_error(&["generation_summary.json"]);
    assert!(!sb.join("h.csv").exists());
    // a synthetic census's flags do not mix with --from-run
    let mixed = sb.run([
        "census",
        "--from-run",
        "r",
        "--year",
        "2025",
        "--employees",
        "5",
        "--out",
        "h.csv",
    ]);
    assert_eq!(mixed.code, Some(2), "{}", mixed.stderr);
}
