//! `wfsim optimize`: on a grid small enough to brute-force with `wfsim batch`, the best design,
//! its figures and the Pareto front equal the batch's; the sampled search finds the optimum of a
//! problem whose answer is known, with the same bytes for one thread and two; bad files are
//! refused with the key path and nothing written; an infeasible problem says so.

mod common;

use arrow_array::{Array, BooleanArray, Float64Array, Int32Array, StringArray};
use common::{read_batches, Sandbox};
use std::collections::BTreeMap;

const BASE: &str = "simulation: {start_year: 2025, end_year: 2027}\n";

fn column<'a, T: 'static>(batch: &'a arrow_array::RecordBatch, name: &str) -> &'a T {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref::<T>()
        .unwrap()
}

/// (scenario, metric) → the last year's (p10, p50) from a batch's ensemble.parquet.
fn last_year(dir: &std::path::Path) -> BTreeMap<(String, String), (f64, f64)> {
    let e = &read_batches(&dir.join("ensemble.parquet"))[0];
    let (sc, year, metric, p10, p50) = (
        column::<StringArray>(e, "scenario_id"),
        column::<Int32Array>(e, "simulation_year"),
        column::<StringArray>(e, "metric"),
        column::<Float64Array>(e, "p10"),
        column::<Float64Array>(e, "p50"),
    );
    let mut out = BTreeMap::new();
    for i in 0..e.num_rows() {
        if !year.is_null(i) && year.value(i) == 2027 && !p50.is_null(i) {
            out.insert(
                (sc.value(i).to_string(), metric.value(i).to_string()),
                (p10.value(i), p50.value(i)),
            );
        }
    }
    out
}

const DEFAULTS: [f64; 2] = [0.03, 0.06];
const SECOND_TIER_TO: [f64; 3] = [0.04, 0.05, 0.06];

#[test]
fn on_a_small_grid_the_best_design_and_the_front_equal_a_brute_force_batch() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 300, 4);
    sb.write("base.yaml", BASE);
    // every design as a scenario of a batch
    let mut scenarios = String::new();
    for (a, d) in DEFAULTS.iter().enumerate() {
        for (b, to) in SECOND_TIER_TO.iter().enumerate() {
            scenarios.push_str(&format!(
                "  d{a}{b}: {{enrollment: {{auto_enrollment: {{default_deferral_rate: {d}}}}}, employer_match: {{tiers: [{{from: 0, to: 0.03, rate: 1.0}}, {{from: 0.03, to: {to}, rate: 0.5}}]}}}}\n"
            ));
        }
    }
    sb.write(
        "brute.yaml",
        format!("base: base.yaml\ncensus: census.csv\nseeds: {{first: 1, count: 4}}\nscenarios:\n{scenarios}"),
    );
    sb.run(["-q", "batch", "brute.yaml", "--out", "brute"])
        .assert_success();
    let brute = last_year(&sb.join("brute"));
    let get = |a: usize, b: usize, m: &str| brute[&(format!("d{a}{b}"), m.to_string())];
    // a constraint between the two defaults' average deferral rates, so it binds
    let low = (0..3)
        .map(|b| get(0, b, "avg_deferral_rate").1)
        .fold(f64::MIN, f64::max);
    let high = (0..3)
        .map(|b| get(1, b, "avg_deferral_rate").1)
        .fold(f64::MAX, f64::min);
    assert!(low < high, "{low} {high}");
    let bound = (low + high) / 2.0;
    sb.write(
        "opt.yaml",
        format!(
            "base: base.yaml
census: census.csv
seeds: {{first: 1, count: 4}}
levers:
  enrollment.auto_enrollment.default_deferral_rate: [0.03, 0.06]
  employer_match.tiers[1].to: {{min: 0.04, max: 0.06, step: 0.01}}
objective:
  - {{metric: employer_cost, year: last, stat: p50, goal: minimize}}
  - {{metric: participation_rate, year: 2027, stat: p50, goal: maximize}}
constraints:
  - {{metric: avg_deferral_rate, stat: p50, op: \">=\", value: {bound}}}
  - {{metric: participation_rate, year: last, stat: p10, op: \">=\", value: 0.5}}
"
        ),
    );
    let out = sb.run(["optimize", "opt.yaml", "--out", "opt"]);
    out.assert_success();
    assert!(
        out.stdout.contains("grid: 6 designs, 24 runs"),
        "{}",
        out.stdout
    );

    // every design's figures are the batch's statistics of the same runs
    let d = &read_batches(&sb.join("opt/designs.parquet"))[0];
    assert_eq!(d.num_rows(), 6);
    let rate = column::<Float64Array>(d, "enrollment.auto_enrollment.default_deferral_rate");
    let to = column::<Float64Array>(d, "employer_match.tiers[1].to");
    let cost = column::<Float64Array>(d, "employer_cost_last_p50");
    let part = column::<Float64Array>(d, "participation_rate_2027_p50");
    let deferral = column::<Float64Array>(d, "avg_deferral_rate_last_p50");
    let part10 = column::<Float64Array>(d, "participation_rate_last_p10");
    let feasible = column::<BooleanArray>(d, "feasible");
    let rank = column::<Int32Array>(d, "rank");
    let mut best: Option<(f64, usize, usize)> = None;
    for i in 0..6 {
        let a = DEFAULTS.iter().position(|x| *x == rate.value(i)).unwrap();
        let b = SECOND_TIER_TO
            .iter()
            .position(|x| *x == to.value(i))
            .unwrap();
        assert_eq!(cost.value(i), get(a, b, "employer_cost").1);
        assert_eq!(part.value(i), get(a, b, "participation_rate").1);
        assert_eq!(deferral.value(i), get(a, b, "avg_deferral_rate").1);
        assert_eq!(part10.value(i), get(a, b, "participation_rate").0);
        let ok =
            get(a, b, "avg_deferral_rate").1 >= bound && get(a, b, "participation_rate").0 >= 0.5;
        assert_eq!(feasible.value(i), ok, "design {a}{b}");
        if ok && best.is_none_or(|(c, _, _)| cost.value(i) < c) {
            best = Some((cost.value(i), a, b));
        }
        if rank.value(i) == 1 {
            assert!(feasible.value(i));
        }
    }
    let (best_cost, a, b) = best.expect("a feasible design");
    let top = (0..6).find(|&i| rank.value(i) == 1).unwrap();
    assert_eq!(cost.value(top), best_cost);
    // best.yaml: the levers' keys (the tier list whole) at the best design's values; as a
    // batch scenario it gives the best design's cost
    let yaml = std::fs::read_to_string(sb.join("opt/best.yaml")).unwrap();
    assert!(
        yaml.contains(&format!("default_deferral_rate: {}\n", DEFAULTS[a]))
            && yaml.contains(&format!("to: {}\n", SECOND_TIER_TO[b])),
        "{yaml}"
    );
    let body: String = yaml
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("    {l}\n"))
        .collect();
    let tops: Vec<&str> = body
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .collect();
    assert_eq!(tops, ["    enrollment:", "    employer_match:"], "{yaml}");
    sb.write(
        "check.yaml",
        format!("base: base.yaml\ncensus: census.csv\nseeds: {{first: 1, count: 4}}\nscenarios:\n  best:\n{body}"),
    );
    sb.run(["-q", "batch", "check.yaml", "--out", "check"])
        .assert_success();
    assert_eq!(
        last_year(&sb.join("check"))[&("best".into(), "employer_cost".into())].1,
        best_cost
    );

    // the Pareto front of (cost ↓, participation ↑) among the feasible, by brute force
    let feasible_designs: Vec<(usize, usize)> = (0..2)
        .flat_map(|a| (0..3).map(move |b| (a, b)))
        .filter(|&(a, b)| {
            get(a, b, "avg_deferral_rate").1 >= bound && get(a, b, "participation_rate").0 >= 0.5
        })
        .collect();
    let figures = |&(a, b): &(usize, usize)| {
        (
            get(a, b, "employer_cost").1,
            get(a, b, "participation_rate").1,
        )
    };
    let mut want: Vec<(f64, f64)> = feasible_designs
        .iter()
        .filter(|x| {
            let (c, p) = figures(x);
            !feasible_designs.iter().any(|y| {
                let (c2, p2) = figures(y);
                c2 <= c && p2 >= p && (c2 < c || p2 > p)
            })
        })
        .map(figures)
        .collect();
    want.sort_by(|x, y| x.0.total_cmp(&y.0));
    let f = &read_batches(&sb.join("opt/pareto.parquet"))[0];
    let got: Vec<(f64, f64)> = (0..f.num_rows())
        .map(|i| {
            (
                column::<Float64Array>(f, "employer_cost_last_p50").value(i),
                column::<Float64Array>(f, "participation_rate_2027_p50").value(i),
            )
        })
        .collect();
    assert_eq!(got, want);
    let summary = std::fs::read_to_string(sb.join("opt/optimize_summary.json")).unwrap();
    assert!(summary.contains("\"method\": \"grid\""), "{summary}");

    // the report: the trade-off chart, and the top designs with the best one first
    sb.run([
        "-q", "report", "opt", "--out", "opt.html", "--xlsx", "opt.xlsx",
    ])
    .assert_success();
    let html = std::fs::read_to_string(sb.join("opt.html")).unwrap();
    assert!(html.contains("<figure id=\"chart-trade-off-1\"><svg "));
    assert!(!html.contains("http"), "the page names a URL");
    let table = &html[html.find("<table id=\"table-top-designs\">").unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..];
    let first_row = &body[..body.find("</tr>").unwrap()];
    assert!(
        first_row.contains(&format!("data-v=\"{best_cost}\"")),
        "{first_row}"
    );
    assert!(sb.join("opt.xlsx").is_file());
}

/// Cost rises with each lever (no match response, immediate vesting), and the constraint asks
/// for at least the core of a 2 % rate: the cheapest design is core 2 %, match 0, whichever
/// designs the sample happens to start from.
#[test]
fn the_sampled_search_finds_a_known_optimum_with_the_same_bytes_for_any_thread_count() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 300, 4);
    sb.write("base.yaml", BASE);
    sb.write(
        "core2.yaml",
        "base: base.yaml\ncensus: census.csv\nseeds: [1, 2]\nscenarios:\n  core2: {employer_core: {rate: 0.02}}\n",
    );
    sb.run(["-q", "batch", "core2.yaml", "--out", "core2"])
        .assert_success();
    let e = &read_batches(&sb.join("core2/ensemble.parquet"))[0];
    let metric = column::<StringArray>(e, "metric");
    let at = (0..e.num_rows())
        .find(|&i| metric.value(i) == "employer_core_total")
        .unwrap();
    let core2 = column::<Float64Array>(e, "p50").value(at);
    let spec = format!(
        "base: base.yaml
census: census.csv
seeds: [1, 2]
levers:
  employer_core.rate: {{min: 0, max: 0.05, step: 0.001}}
  employer_match.tiers[0].rate: {{min: 0, max: 1, step: 0.05}}
objective: {{metric: employer_cost_total, stat: p50, goal: minimize}}
constraints:
  - {{metric: employer_core_total, stat: p50, op: \">=\", value: {core2}}}
budget: {{max_designs: 150}}
"
    );
    sb.write("opt.yaml", spec);
    for threads in ["1", "2"] {
        let out = sb.run([
            "optimize",
            "opt.yaml",
            "--out",
            &format!("opt{threads}"),
            "--threads",
            threads,
        ]);
        out.assert_success();
        assert!(out.stdout.contains("sample: 75 designs"), "{}", out.stdout);
    }
    for file in ["designs.parquet", "best.yaml"] {
        assert_eq!(
            std::fs::read(sb.join("opt1").join(file)).unwrap(),
            std::fs::read(sb.join("opt2").join(file)).unwrap(),
            "{file}"
        );
    }
    let d = &read_batches(&sb.join("opt1/designs.parquet"))[0];
    let rank = column::<Int32Array>(d, "rank");
    let top = (0..d.num_rows())
        .find(|&i| !rank.is_null(i) && rank.value(i) == 1)
        .unwrap();
    assert_eq!(
        column::<Float64Array>(d, "employer_core.rate").value(top),
        0.02
    );
    assert_eq!(
        column::<Float64Array>(d, "employer_match.tiers[0].rate").value(top),
        0.0
    );
    assert!(column::<BooleanArray>(d, "feasible").value(top));
    let summary = std::fs::read_to_string(sb.join("opt1/optimize_summary.json")).unwrap();
    assert!(
        summary.contains("\"method\": \"sample, halving, refine\""),
        "{summary}"
    );
    assert!(d.num_rows() <= 150, "{}", d.num_rows());
}

#[test]
fn bad_optimization_files_name_the_key_and_write_nothing() {
    let sb = Sandbox::new();
    sb.generated_census("census.csv", 100, 4);
    sb.write("base.yaml", BASE);
    let head = "base: base.yaml\ncensus: census.csv\nseeds: [1, 2]\n";
    let objective = "objective: {metric: employer_cost, goal: minimize}\n";
    let lever = "levers:\n  employer_core.rate: [0, 0.01]\n";
    let cases: [(String, &[&str]); 9] = [
        (
            format!("{head}levers:\n  employer_core.rat: [0, 0.01]\n{objective}"),
            &["levers.employer_core.rat", "no key"],
        ),
        (
            format!("{head}levers:\n  simulation.random_seed: [1, 2]\n{objective}"),
            &["levers.simulation.random_seed", "cannot be a lever"],
        ),
        (
            format!("{head}levers:\n  employer_core.rate: {{min: 0.05, max: 0.01, step: 0.01}}\n{objective}"),
            &["levers.employer_core.rate", "the range is empty"],
        ),
        (
            format!("{head}levers:\n  employer_core.rate: [0, -0.1]\n{objective}"),
            &["levers.employer_core.rate", "the value -0.1 is not valid"],
        ),
        (
            format!("{head}{lever}{objective}constraints:\n  - {{metric: participation, stat: p10, op: \">=\", value: 0.9}}\n"),
            &["constraints[0].metric", "`participation` is not a metric"],
        ),
        (
            format!("{head}{lever}{objective}constraints:\n  - {{metric: participation_rate, stat: pass_share, op: \">=\", value: 0.9}}\n"),
            &["constraints[0].stat", "not a pass/fail metric"],
        ),
        (
            format!("{head}{lever}objective: {{metric: employer_cost, year: 2040, goal: minimize}}\n"),
            &["objective.year", "not a simulated year"],
        ),
        (
            format!("{head}{lever}{objective}scenarios:\n  a: {{}}\n"),
            &["key `scenarios`", "has no scenarios"],
        ),
        (format!("{head}{objective}"), &["key `levers`", "at least one lever"]),
    ];
    for (i, (text, needles)) in cases.iter().enumerate() {
        sb.write(&format!("bad{i}.yaml"), text);
        let out = format!("out{i}");
        sb.run(["optimize", &format!("bad{i}.yaml"), "--out", &out])
            .assert_input_error(needles);
        assert!(!sb.join(&out).exists(), "case {i} wrote its output");
    }
    // a problem no design solves: said, with the closest designs, and no best.yaml
    sb.write(
        "infeasible.yaml",
        format!("{head}{lever}{objective}constraints:\n  - {{metric: employer_cost, stat: p50, op: \"<\", value: -1}}\n"),
    );
    let out = sb.run(["optimize", "infeasible.yaml", "--out", "inf"]);
    out.assert_success();
    assert!(
        out.stdout.contains("no design meets every constraint"),
        "{}",
        out.stdout
    );
    assert!(sb.join("inf/designs.parquet").exists());
    assert!(!sb.join("inf/best.yaml").exists());
}
