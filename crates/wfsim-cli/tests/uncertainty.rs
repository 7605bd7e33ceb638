//! Assumption uncertainty in `wfsim batch` (spec §8): the draws recomputed by hand from md5,
//! each run equal to the single run of its drawn config, the same draw in every scenario at a
//! seed (paired deltas), `scale` on a scenario's value, and bad blocks refused before anything
//! is written.

mod common;

use arrow_array::{Array, Float64Array, Int64Array, StringArray};
use common::{read_batches, s, Sandbox};

const BASE: &str = "simulation: {start_year: 2025, end_year: 2027}
enrollment: {auto_enrollment: {enabled: true}}
";

/// Multipliers the `fixed_turnover` scenario sets, so `scale` multiplies its own value.
const AGE_MULTIPLIERS: [f64; 6] = [2.0, 1.2, 1.0, 0.8, 0.9, 1.6];

const STUDY: &str = "base: base.yaml
census: census.csv
seeds: [3, 1]
scenarios:
  current: {}
  twin: {title: the same plan again}
  fixed_turnover:
    workforce: {total_termination_rate: 0.1, termination_age_multipliers: [2.0, 1.2, 1.0, 0.8, 0.9, 1.6]}
uncertainty:
  workforce.total_termination_rate: {uniform: [0.08, 0.16]}
  enrollment.match_response.existing_participants: {triangular: [0, 0.4, 0.6]}
  eligibility.minimum_age: {choice: [18, 21, 25]}
  workforce.termination_age_multipliers[0]: {uniform: [0.8, 1.2], scale: true}
";

/// `u` from the first 8 hex digits of `printf '%s' 'KEY|0|uncertainty|SEED' | md5sum`.
fn u(hex: &str) -> f64 {
    f64::from(u32::from_str_radix(hex, 16).unwrap()) / 4_294_967_296.0
}

/// The draws of seeds 1 and 3, worked from the digests (README: how to recompute a draw).
fn by_hand(seed: u64) -> [f64; 4] {
    let (rate, existing, age, mult) = match seed {
        1 => ("1e64b8e6", "c78b244d", "45be8b60", "19ffd3d3"),
        3 => ("fdc2090b", "8289062a", "e81f5ccc", "146667bf"),
        _ => unreachable!(),
    };
    // uniform: a + (b - a) u
    let rate = 0.08 + (0.16 - 0.08) * u(rate);
    // triangular [0, 0.4, 0.6]: below (c - a) / (b - a) = 2/3, a + sqrt(u (b - a)(c - a));
    // above, b - sqrt((1 - u)(b - a)(b - c)). Seed 1 (u 0.78) is above, seed 3 (u 0.51) below.
    let ue = u(existing);
    let existing = if ue < (0.4 - 0.0) / (0.6 - 0.0) {
        0.0 + (ue * (0.6 - 0.0) * (0.4 - 0.0)).sqrt()
    } else {
        0.6 - ((1.0 - ue) * (0.6 - 0.0) * (0.6 - 0.4)).sqrt()
    };
    // choice: v[floor(u n)] (seed 1: u 0.27 → 18; seed 3: u 0.91 → 25)
    let age = [18.0, 21.0, 25.0][(u(age) * 3.0).floor() as usize];
    let mult = 0.8 + (1.2 - 0.8) * u(mult);
    [rate, existing, age, mult]
}

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

#[test]
fn uncertain_runs_equal_the_single_runs_of_their_drawn_configs() {
    let sb = Sandbox::new();
    let file = study(&sb);
    let out = sb.run([
        "batch",
        &s(&file),
        "--out",
        "b",
        "--keep",
        "events,snapshots",
    ]);
    out.assert_success();
    assert!(
        out.stdout
            .contains("uncertainty: the bands include assumption risk"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("[drawn per seed instead of the value above: enrollment."),
        "{}",
        out.stdout
    );
    let batch = sb.join("b");

    // parameters.parquet: seed, then key in batch order; the draws as worked by hand
    let p = &read_batches(&batch.join("parameters.parquet"))[0];
    let keys = column::<StringArray>(p, "key_path");
    let seeds = column::<Int64Array>(p, "random_seed");
    let values = column::<Float64Array>(p, "value");
    assert_eq!(p.num_rows(), 8);
    let names = [
        "workforce.total_termination_rate",
        "enrollment.match_response.existing_participants",
        "eligibility.minimum_age",
        "workforce.termination_age_multipliers[0]",
    ];
    for (row, (seed, key)) in [1u64, 3]
        .iter()
        .flat_map(|k| (0..4).map(move |i| (*k, i)))
        .enumerate()
    {
        assert_eq!(seeds.value(row), seed as i64);
        assert_eq!(keys.value(row), names[key]);
        let want = by_hand(seed)[key];
        assert!(
            (values.value(row) - want).abs() < 1e-15,
            "{} seed {seed}: {} against {want} by hand",
            names[key],
            values.value(row)
        );
    }
    assert_eq!(by_hand(1)[2], 18.0);
    assert_eq!(by_hand(3)[2], 25.0);
    let summary = std::fs::read_to_string(batch.join("batch_summary.json")).unwrap();
    assert!(
        summary.contains("\"not_in\": [\n        \"fixed_turnover\"\n      ]"),
        "{summary}"
    );

    // Run (s, k) is a single run of the config with the seed's draws written in; the scenario
    // that sets the termination rate keeps its own, and `scale` multiplies its multiplier.
    for (scenario, seed) in [("current", 1u64), ("fixed_turnover", 3)] {
        let [rate, existing, age, mult] = by_hand(seed);
        let mut multipliers = [1.4, 1.2, 1.0, 0.8, 0.9, 1.6];
        let mut sets = vec![];
        if scenario == "fixed_turnover" {
            multipliers = AGE_MULTIPLIERS;
            sets.push("workforce.total_termination_rate=0.1".to_string());
        } else {
            sets.push(format!("workforce.total_termination_rate={rate}"));
        }
        multipliers[0] *= mult;
        let list: Vec<String> = multipliers.iter().map(f64::to_string).collect();
        sets.push(format!(
            "workforce.termination_age_multipliers=[{}]",
            list.join(", ")
        ));
        sets.push(format!(
            "enrollment.match_response.existing_participants={existing}"
        ));
        sets.push(format!("eligibility.minimum_age={}", age as i64));
        let single = format!("single_{scenario}_{seed}");
        let seed_text = seed.to_string();
        let mut args = vec![
            "-q",
            "run",
            "--config",
            "base.yaml",
            "--census",
            "census.csv",
            "--seed",
            &seed_text,
            "--scenario",
            scenario,
            "--out",
            &single,
        ];
        for set in &sets {
            args.extend(["--set", set]);
        }
        sb.run(args).assert_success();
        for year in 2025..=2027 {
            for (kind, name) in [("events", "events"), ("snapshots", "snapshot")] {
                let one = sb
                    .join(&single)
                    .join(kind)
                    .join(format!("simulation_year={year}"))
                    .join(format!("{name}_{year}.parquet"));
                let in_batch = batch
                    .join(kind)
                    .join(format!("scenario_id={scenario}"))
                    .join(format!("random_seed={seed}"))
                    .join(format!("simulation_year={year}"))
                    .join(format!("{name}_{year}.parquet"));
                assert_eq!(
                    std::fs::read(&one).unwrap(),
                    std::fs::read(&in_batch).unwrap(),
                    "{scenario} seed {seed} {kind} {year}"
                );
            }
        }
    }
}

/// The draw at a seed is the same in every scenario: two scenarios with one plan have a paired
/// difference of exactly 0 in every metric and year, while the seeds' results differ more than
/// they would without the uncertainty.
#[test]
fn the_same_draw_serves_every_scenario_so_deltas_stay_paired() {
    let sb = Sandbox::new();
    let file = study(&sb);
    sb.run(["-q", "batch", &s(&file), "--out", "b"])
        .assert_success();
    let d = &read_batches(&sb.join("b/deltas.parquet"))[0];
    let ids = column::<StringArray>(d, "scenario_id");
    let metric = column::<StringArray>(d, "metric");
    let (lo, hi) = (
        column::<Float64Array>(d, "min"),
        column::<Float64Array>(d, "max"),
    );
    let mut twin_rows = 0;
    for i in 0..d.num_rows() {
        if ids.value(i) == "twin" && !lo.is_null(i) {
            twin_rows += 1;
            assert_eq!(
                (lo.value(i), hi.value(i)),
                (0.0, 0.0),
                "twin {}",
                metric.value(i)
            );
        }
    }
    assert!(twin_rows > 40, "{twin_rows}");
    // without the block, the two seeds' rates differ only by the events: with it, the drawn
    // termination rate (0.0895 and 0.159) moves the terminations a long way
    let m = &read_batches(&sb.join("b/metrics.parquet"))[0];
    let terms = column::<arrow_array::Int32Array>(m, "events_termination");
    let (sc, seeds) = (
        column::<StringArray>(m, "scenario_id"),
        column::<Int64Array>(m, "random_seed"),
    );
    let of = |seed: i64| {
        (0..m.num_rows())
            .filter(|&i| sc.value(i) == "current" && seeds.value(i) == seed)
            .map(|i| terms.value(i))
            .sum::<i32>()
    };
    assert!(of(3) > of(1) * 3 / 2, "{} vs {}", of(3), of(1));
}

#[test]
fn bad_uncertainty_is_refused_before_anything_runs() {
    let sb = Sandbox::new();
    study(&sb);
    let head = "base: base.yaml\ncensus: census.csv\nseeds: [1, 2]\nscenarios:\n  a: {}\n  b: {workforce: {total_termination_rate: 0.5}}\nuncertainty:\n";
    let cases: [(&str, &[&str]); 11] = [
        (
            "  workforce.total_termination_rate: {uniform: [0.05, 1.5]}\n",
            &[
                "uncertainty.workforce.total_termination_rate",
                "endpoint 1.5",
                "scenario `a`",
            ],
        ),
        (
            "  workforce.total_termination_rate: {uniform: [0.2, 0.1]}\n",
            &["uncertainty.workforce.total_termination_rate", "a ≤ b"],
        ),
        (
            "  workforce.total_termination_rate: {triangular: [0.1, 0.3, 0.2]}\n",
            &["a ≤ c ≤ b"],
        ),
        (
            "  workforce.total_termination_rate: {uniform: [0.1, 0.2], choice: [0.1]}\n",
            &["exactly one of uniform, triangular or choice"],
        ),
        (
            "  simulation.random_seed: {choice: [1, 2]}\n",
            &["uncertainty.simulation.random_seed", "fixed by the batch"],
        ),
        (
            "  census.columns: {choice: [1]}\n",
            &["uncertainty.census.columns", "fixed by the batch"],
        ),
        (
            "  workforce.total_termination_rat: {uniform: [0.1, 0.2]}\n",
            &["no key `workforce.total_termination_rat`"],
        ),
        (
            "  eligibility.minimum_age: {uniform: [18, 21]}\n",
            &["uncertainty.eligibility.minimum_age", "whole number"],
        ),
        (
            "  workforce.termination_age_multipliers[6]: {uniform: [1, 2]}\n",
            &["termination_age_multipliers[6]", "keeps its length"],
        ),
        // the scale's endpoint times scenario b's 0.5 is 1.5: not a rate
        (
            "  workforce.total_termination_rate: {uniform: [0.5, 3], scale: true}\n",
            &["endpoint 3 times the value", "scenario `b`"],
        ),
        (
            "  enrollment.auto_enrollment.enabled: {choice: [0, 1]}\n",
            &["holds true or false, not a number"],
        ),
    ];
    for (i, (block, needles)) in cases.iter().enumerate() {
        let file = sb.write(&format!("bad{i}.yaml"), format!("{head}{block}"));
        let out = format!("out{i}");
        sb.run(["batch", &s(&file), "--out", &out])
            .assert_input_error(needles);
        assert!(!sb.join(&out).exists(), "case {i} wrote its output");
    }
    // each endpoint is valid alone (min_rate up to 0.08 under the default max 0.10, max_rate
    // down to 0.05 over the default min 0.01), but some seed draws min_rate above max_rate
    let file = sb.write(
        "clash.yaml",
        "base: base.yaml\ncensus: census.csv\nseeds: {first: 1, count: 40}\nscenarios:\n  a: {}\nuncertainty:\n  enrollment.voluntary.min_rate: {uniform: [0.01, 0.08]}\n  enrollment.voluntary.max_rate: {uniform: [0.05, 0.10]}\n",
    );
    sb.run(["batch", &s(&file), "--out", "clash"])
        .assert_input_error(&[
            "scenario `a`, seed ",
            "enrollment.voluntary.min_rate = 0.0",
            "max_rate",
        ]);
    assert!(!sb.join("clash").exists());
}

/// Draws that land on the values the scenarios already have change nothing: the drawn config
/// goes through the document and back to the same model, so every file but the new
/// `parameters.parquet` is the same as without the block.
#[test]
fn draws_at_the_current_values_change_no_byte() {
    let sb = Sandbox::new();
    study(&sb);
    let plain = "base: base.yaml\ncensus: census.csv\nseeds: [1, 2]\nscenarios:\n  a: {}\n  b: {workforce: {total_termination_rate: 0.1}}\n";
    sb.write("plain.yaml", plain);
    sb.write(
        "same.yaml",
        format!(
            "{plain}uncertainty:\n  workforce.total_termination_rate: {{uniform: [1, 1], scale: true}}\n  enrollment.match_response.probability: {{choice: [0]}}\n  employer_match.tiers[1].rate: {{uniform: [0.5, 0.5]}}\n  eligibility.minimum_age: {{choice: [21]}}\n"
        ),
    );
    for f in ["plain", "same"] {
        sb.run(["-q", "batch", &format!("{f}.yaml"), "--out", f])
            .assert_success();
    }
    for file in [
        "metrics.parquet",
        "ensemble.parquet",
        "deltas.parquet",
        "horizon.parquet",
    ] {
        assert_eq!(
            std::fs::read(sb.join("plain").join(file)).unwrap(),
            std::fs::read(sb.join("same").join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!sb.join("plain/parameters.parquet").exists());
    assert!(sb.join("same/parameters.parquet").exists());
}
