//! Census loading rules of spec §6 that the CLI tests do not reach.

mod common;

use std::io::Write;
use wfsim::census;

fn load(csv: &str) -> wfsim::Result<census::Census> {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(csv.as_bytes()).unwrap();
    census::load(f.path(), &common::model(""), &pool())
}

fn pool() -> rayon::ThreadPool {
    wfsim::settings::worker_pool(2).unwrap()
}

fn level(c: &census::CensusRow) -> u8 {
    c.level_id.get()
}

const HEAD: &str = "employee_id,birth_date,hire_date,annual_salary,level_id,deferral_rate\n";

#[test]
fn integral_float_levels_are_accepted_and_fractions_rejected() {
    let c = load(&format!("{HEAD}A,1980-01-01,2010-01-01,90000,2.0,\n")).unwrap();
    assert_eq!(level(&c.rows[0]), 2);
    let e = load(&format!("{HEAD}A,1980-01-01,2010-01-01,90000,2.5,\n"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("row 1") && e.contains("level_id") && e.contains("2.5"),
        "{e}"
    );
}

#[test]
fn missing_levels_come_from_salary_thresholds() {
    let c = load(&format!("{HEAD}A,1980-01-01,2010-01-01,80999.99,,\nB,1980-01-01,2010-01-01,81000,,\nC,1980-01-01,2010-01-01,299999,,\nD,1980-01-01,2010-01-01,300000,,\n")).unwrap();
    let levels: Vec<_> = c.rows.iter().map(level).collect();
    assert_eq!(levels, vec![1, 2, 4, 5]);
    assert_eq!(c.derived_levels, 4);
}

#[test]
fn percent_deferral_rates_are_divided_and_kept_in_basis_points() {
    let c = load(&format!(
        "{HEAD}A,1980-01-01,2010-01-01,90000,1,6\nB,1980-01-01,2010-01-01,90000,1,6.12345\n"
    ))
    .unwrap();
    assert_eq!(c.deferral_rate_unit, Some(census::RateUnit::Percent));
    assert_eq!(c.rows[0].deferral_rate, 0.06);
    assert_eq!(c.rows[1].deferral_rate, 0.0612);
}

/// The unit is the file's, not the value's: in a percent file `1` is 1 % and `0.5` is 0.5 %,
/// whichever row says so, leavers included.
#[test]
fn one_value_above_1_makes_the_whole_column_percent() {
    let c = load(
        "employee_id,birth_date,hire_date,annual_salary,termination_date,deferral_rate\n\
         A,1980-01-01,2010-01-01,90000,,1\nB,1980-01-01,2010-01-01,90000,,0.5\n\
         C,1980-01-01,2010-01-01,90000,,\nL,1980-01-01,2010-01-01,90000,2024-06-30,7\n",
    )
    .unwrap();
    let rates: Vec<f64> = c.rows.iter().map(|r| r.deferral_rate).collect();
    assert_eq!(rates, vec![0.01, 0.005, 0.0, 0.07]);
    assert_eq!(c.deferral_rate_unit, Some(census::RateUnit::Percent));
}

#[test]
fn fractions_stay_and_an_empty_or_absent_column_is_said() {
    let c = load(&format!(
        "{HEAD}A,1980-01-01,2010-01-01,90000,1,0.06\nB,1980-01-01,2010-01-01,90000,1,0.99\n"
    ))
    .unwrap();
    assert_eq!(c.deferral_rate_unit, Some(census::RateUnit::Fraction));
    assert_eq!(c.rows[1].deferral_rate, 0.99);
    let empty = load(&format!("{HEAD}A,1980-01-01,2010-01-01,90000,1,\n")).unwrap();
    assert_eq!(empty.deferral_rate_unit, Some(census::RateUnit::Fraction));
    let absent =
        load("employee_id,birth_date,hire_date,annual_salary\nA,1980-01-01,2010-01-01,90000\n")
            .unwrap();
    assert_eq!(absent.deferral_rate_unit, None);
}

/// A range error needs the unit, so it comes after the row checks of the whole file.
#[test]
fn a_rate_error_follows_the_row_errors_of_the_file() {
    let e = load(&format!(
        "{HEAD}A,1980-01-01,2010-01-01,90000,1,150\nB,1980-01-01,2010-01-01,lots,1,6\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("row 2") && e.contains("annual_salary"), "{e}");
    let e = load(&format!(
        "{HEAD}A,1980-01-01,2010-01-01,90000,1,150\nB,1980-01-01,2010-01-01,90000,1,6\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("row 1") && e.contains("\"150\"") && e.contains("above 100 %"),
        "{e}"
    );
}

#[test]
fn leavers_are_kept_with_a_resolved_level_and_rows_are_sorted_by_id() {
    let c = load("employee_id,birth_date,hire_date,annual_salary,termination_date\nZ,1980-01-01,2010-01-01,90000,\nA,1980-01-01,2010-01-01,130000,2024-06-30\nM,1980-01-01,2010-01-01,90000,\n").unwrap();
    assert_eq!(c.leavers, 1);
    let census_date = common::d("2024-12-31");
    assert_eq!(
        c.rows
            .iter()
            .map(|e| (e.employee_id.as_str(), e.is_leaver(census_date), level(e)))
            .collect::<Vec<_>>(),
        vec![("A", true, 3), ("M", false, 2), ("Z", false, 2)]
    );
}

#[test]
fn example_census_fits_configs_with_fewer_levels() {
    let m = common::model(
        "job_levels:\n  - {level: 1, min_salary: 50000, max_salary: 90000, hire_percentile: 0.3, census_salary_threshold: 0}\n  - {level: 2, min_salary: 90000, max_salary: 200000, hire_percentile: 0.3, census_salary_threshold: 90000}\nworkforce: {termination_level_multipliers: [1, 1]}\ncompensation: {merit_rate_by_level: [0.03, 0.03]}\nenrollment: {voluntary: {level_multipliers: [1, 1]}}\n",
    );
    let rows = census::synthetic::example(&m);
    assert!(rows.iter().all(|r| matches!(level(r), 1..=2)));
    assert!(rows.iter().any(|r| level(r) == 2));
}

#[test]
fn parquet_census_from_other_tools_loads_whatever_its_compression() {
    use arrow_array::{ArrayRef, Date32Array, Float64Array, RecordBatch, StringArray};
    use parquet::basic::Compression;
    use std::sync::Arc;
    let d = |s: &str| common::d(s).0;
    let batch = RecordBatch::try_from_iter([
        (
            "employee_id",
            Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
        ),
        (
            "employee_birth_date",
            Arc::new(Date32Array::from(vec![d("1980-01-01"), d("1990-02-28")])),
        ),
        (
            "employee_hire_date",
            Arc::new(Date32Array::from(vec![d("2010-01-01"), d("2015-03-01")])),
        ),
        (
            "employee_gross_compensation",
            Arc::new(Float64Array::from(vec![90_000.0, 130_000.0])),
        ),
    ])
    .unwrap();
    for compression in [
        Compression::SNAPPY,
        Compression::LZ4_RAW,
        Compression::UNCOMPRESSED,
    ] {
        let f = tempfile::Builder::new()
            .suffix(".parquet")
            .tempfile()
            .unwrap();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(compression)
            .build();
        let mut w =
            parquet::arrow::ArrowWriter::try_new(f.reopen().unwrap(), batch.schema(), Some(props))
                .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let c = census::load(f.path(), &common::model(""), &pool())
            .unwrap_or_else(|e| panic!("{compression:?}: {e}"));
        assert_eq!(c.rows.len(), 2);
        assert_eq!(level(&c.rows[1]), 3);
        assert_eq!(c.rows[1].birth_date, common::d("1990-02-28"));
    }
}

/// Rows are checked in parallel but the error is the first in the file, whichever check found it.
#[test]
fn the_first_bad_row_in_the_file_is_reported() {
    let good = |id: &str| format!("{id},1980-01-01,2010-01-01,90000,1,\n");
    let bad_salary = |id: &str| format!("{id},1980-01-01,2010-01-01,lots,1,\n");
    let mut rows: Vec<String> = (0..5000).map(|i| good(&format!("E{i:05}"))).collect();
    rows[4000] = bad_salary("E04000");
    let error = |rows: &[String]| {
        load(&format!("{HEAD}{}", rows.concat()))
            .unwrap_err()
            .to_string()
    };
    rows[3000] = good("E00007"); // a duplicate before the bad salary wins
    let e = error(&rows);
    assert!(
        e.contains("row 3001") && e.contains("duplicate") && e.contains("row 8)"),
        "{e}"
    );
    rows[3000] = good("E03000");
    rows[2000] = bad_salary("E02000");
    rows[4500] = good("E00001"); // a bad salary before the duplicate wins
    let e = error(&rows);
    assert!(
        e.contains("row 2001") && e.contains("annual_salary") && e.contains("lots"),
        "{e}"
    );
}

/// A level is made only by a check against the config's job levels, so the engines never see
/// one the config lacks.
#[test]
fn a_level_outside_the_job_levels_cannot_be_made() {
    let m = common::model(
        "job_levels:\n  - {level: 1, min_salary: 50000, max_salary: 90000, hire_percentile: 0.3, census_salary_threshold: 0}\n  - {level: 2, min_salary: 90000, max_salary: 200000, hire_percentile: 0.3, census_salary_threshold: 90000}\nworkforce: {termination_level_multipliers: [1, 1]}\ncompensation: {merit_rate_by_level: [0.03, 0.03]}\nenrollment: {voluntary: {level_multipliers: [1, 1]}}\n",
    );
    let made: Vec<_> = (0..=3)
        .map(|l| census::Level::new(&m, l).map(census::Level::get))
        .collect();
    assert_eq!(made, [None, Some(1), Some(2), None]);
}
