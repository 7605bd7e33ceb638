//! The report of one `wfsim optimize` directory: the trade-off the committee weighs (every
//! design evaluated on every seed: its objective against its first constraint's figure, or
//! against the second objective with the Pareto front drawn), which designs meet every
//! constraint, the best one, and the top designs as a table. Read from `optimize_summary.json`,
//! `designs.parquet` and `pareto.parquet`.

use crate::chart::{self, Mark, Points, Unit};
use crate::read::{self, bad};
use crate::table::{col, Cell, Format, Kind, Report, Section, Table};
use serde::Deserialize;
use std::path::Path;
use wfsim::batch::metrics::{metric_named, MetricKind};
use wfsim::optimize::GoalSummary;

#[derive(Deserialize)]
struct Summary {
    tool_version: String,
    spec_file: String,
    spec_sha256: String,
    base_config: Option<String>,
    census_file: String,
    seeds: Vec<u64>,
    levers: Vec<LeverSummary>,
    objectives: Vec<GoalSummary>,
    constraints: Vec<GoalSummary>,
    max_designs: usize,
    grid_size: String,
    method: String,
    designs_evaluated: usize,
    runs: usize,
    feasible: usize,
    best: Option<usize>,
    #[serde(default)]
    uncertainty: Vec<wfsim::batch::UncertainSummary>,
}

#[derive(Deserialize)]
struct LeverSummary {
    key_path: String,
    values: Vec<serde_json::Value>,
}

/// A measure's unit and format, from its metric (a horizon total is money).
fn unit_of(m: &GoalSummary) -> (Unit, Format) {
    if m.stat == "pass_share" {
        return (Unit::Percent, Format::Percent);
    }
    match metric_named(&m.metric).map(|(_, x)| x.kind) {
        Some(MetricKind::Money) | None => (Unit::Money, Format::Money),
        Some(MetricKind::Rate) | Some(MetricKind::Flag) => (Unit::Percent, Format::Percent),
        Some(MetricKind::Count) => (Unit::Count, Format::Decimal),
    }
}

/// The designs' columns as read: levers (numbers or text), measures, feasibility, rank.
struct Designs {
    id: Vec<i32>,
    levers: Vec<Vec<Cell>>,
    seeds: Vec<i32>,
    measures: Vec<Vec<Option<f64>>>,
    feasible: Vec<bool>,
    rank: Vec<Option<f64>>,
}

fn designs(path: &Path, levers: &[String], measures: &[String]) -> wfsim::Result<Designs> {
    let mut names: Vec<&str> = vec!["design", "seeds", "feasible", "rank"];
    names.extend(levers.iter().map(String::as_str));
    names.extend(measures.iter().map(String::as_str));
    let c = read::parquet(path, &names)?;
    let lever_cells = levers
        .iter()
        .map(|l| match c.f64(l) {
            Ok(v) => Ok(v
                .into_iter()
                .map(|x| Cell::as_format(x, Format::Number))
                .collect()),
            Err(_) => c.string(l).map(|v| v.into_iter().map(Cell::Text).collect()),
        })
        .collect::<wfsim::Result<Vec<Vec<Cell>>>>()?;
    Ok(Designs {
        id: c.i32("design")?,
        levers: lever_cells,
        seeds: c.i32("seeds")?,
        measures: measures
            .iter()
            .map(|m| c.f64(m))
            .collect::<wfsim::Result<_>>()?,
        feasible: c.bool("feasible")?,
        rank: c.i32_opt("rank")?,
    })
}

pub fn load(dir: &Path) -> wfsim::Result<Report> {
    let path = dir.join("optimize_summary.json");
    let s: Summary = read::json(&path)?;
    if s.objectives.is_empty() {
        return Err(bad(&path, "no objective"));
    }
    // each column once, with its measure
    let mut measures: Vec<&GoalSummary> = vec![];
    for m in s.objectives.iter().chain(&s.constraints) {
        if !measures.iter().any(|x| x.column == m.column) {
            measures.push(m);
        }
    }
    let names: Vec<String> = measures.iter().map(|m| m.column.clone()).collect();
    let lever_names: Vec<String> = s.levers.iter().map(|l| l.key_path.clone()).collect();
    let d = designs(&dir.join("designs.parquet"), &lever_names, &names)?;
    let at = |name: &str| names.iter().position(|m| m == name).expect("a measure");
    let n = d.id.len();
    let full: Vec<usize> = (0..n).filter(|&i| d.rank[i].is_some()).collect();

    // the chart: the objective against the second objective, else the first constraint
    let y_measure = &s.objectives[0];
    let x_measure = s.objectives.get(1).or(s.constraints.first());
    let y = &y_measure.column;
    let x = x_measure.map(|m| m.column.clone());
    let mut charts = vec![];
    if let (Some(x), Some(x_measure)) = (&x, x_measure) {
        let (xi, yi) = (at(x), at(y));
        let point = |i: usize| Some((d.measures[xi][i]?, d.measures[yi][i]?));
        let best = s
            .best
            .and_then(|b| full.iter().copied().find(|&i| d.id[i] as usize == b));
        let groups = vec![
            Points {
                name: "misses a constraint".into(),
                points: full
                    .iter()
                    .filter(|&&i| !d.feasible[i])
                    .filter_map(|&i| point(i))
                    .collect(),
                mark: Mark::Hollow,
                color: 8,
            },
            Points {
                name: "meets every constraint".into(),
                points: full
                    .iter()
                    .filter(|&&i| d.feasible[i])
                    .filter_map(|&i| point(i))
                    .collect(),
                mark: Mark::Filled,
                color: 0,
            },
            Points {
                name: "best design".into(),
                points: best.and_then(point).into_iter().collect(),
                mark: Mark::Star,
                color: 3,
            },
        ];
        let front: Vec<(f64, f64)> =
            if s.objectives.len() == 2 && dir.join("pareto.parquet").is_file() {
                let p = read::parquet(&dir.join("pareto.parquet"), &[x.as_str(), y.as_str()])?;
                p.f64(x)?
                    .into_iter()
                    .zip(p.f64(y)?)
                    .filter_map(|(a, b)| Some((a?, b?)))
                    .collect()
            } else {
                vec![]
            };
        // a constraint on the x figure is drawn where it binds
        let bound = s
            .constraints
            .iter()
            .find(|c| c.column == *x)
            .and_then(|c| c.value);
        charts.push(chart::scatter(
            &format!(
                "Every design on all {} seeds: {y} against {x}",
                s.seeds.len()
            ),
            (x, unit_of(x_measure).0),
            (y, unit_of(y_measure).0),
            &groups,
            &front,
            bound,
        ));
    }

    // the top designs, best first
    let mut columns = vec![col("rank", Format::Int)];
    columns.extend(s.levers.iter().map(|l| {
        let short = l
            .key_path
            .parse()
            .map_or(l.key_path.clone(), |k| wfsim::optimize::short(&k));
        col(&short, Format::Number)
    }));
    columns.extend(measures.iter().map(|m| col(&m.column, unit_of(m).1)));
    columns.push(col("meets every constraint", Format::Text));
    let row = |i: usize| -> Vec<Cell> {
        let mut r = vec![d.rank[i].into()];
        r.extend(d.levers.iter().map(|l| l[i].clone()));
        r.extend(d.measures.iter().map(|m| m[i].into()));
        r.push(Cell::from(if d.feasible[i] { "yes" } else { "no" }));
        r
    };
    let mut ranked = full.clone();
    ranked.sort_by(|&a, &b| {
        d.rank[a]
            .partial_cmp(&d.rank[b])
            .expect("ranks are numbers")
    });
    let top = Table {
        id: "Top designs".into(),
        title: format!(
            "The best {} designs evaluated on every seed (feasible first, by the objective; then the closest misses)",
            ranked.len().min(20)
        ),
        columns: columns.clone(),
        rows: ranked.iter().take(20).map(|&i| row(i)).collect(),
        note: None,
    };
    let mut all_columns = vec![col("design", Format::Int), col("seeds", Format::Int)];
    all_columns.extend(columns);
    let all = Table {
        id: "Designs".into(),
        title: "Every design evaluated (designs.parquet)".into(),
        columns: all_columns,
        rows: (0..n)
            .map(|i| {
                let mut r = vec![
                    Cell::Num(f64::from(d.id[i])),
                    Cell::Num(f64::from(d.seeds[i])),
                ];
                r.extend(row(i));
                r
            })
            .collect(),
        note: None,
    };
    let verdict = match s.best {
        Some(_) => "The ringed dot, rank 1 in the table, is the best design that meets every constraint; best.yaml holds its levers' keys.".to_string(),
        None => "No design meets every constraint: the table shows the closest (the smallest relative miss first), and there is no best.yaml.".into(),
    };
    let bands = wfsim::batch::uncertainty_line(&s.uncertainty);
    let section = Section {
        id: "trade-off".into(),
        title: "The trade-off".into(),
        note: format!(
            "{verdict} Each dot is a design evaluated on all {} seeds (the same seeds, so the designs differ by their design, not by luck): the objective's statistic over the seeds against {}. Grey rings miss at least one constraint; a dashed line marks a constraint on the horizontal figure{}. Designs seen only on the first seeds while sampling are not drawn (designs.parquet has them). Uncertainty: {bands}.",
            s.seeds.len(),
            x.as_deref().unwrap_or("(no second figure to draw against)"),
            if s.objectives.len() == 2 { "; the black line joins the Pareto front (no design beats one of its designs on both objectives)" } else { "" },
        ),
        charts,
        tables: vec![top.clone()],
        caveat: None,
        folded: false,
    };
    let facts: Vec<(String, String)> = vec![
        ("optimization file".into(), s.spec_file.clone()),
        ("file sha256".into(), s.spec_sha256.clone()),
        (
            "base config".into(),
            s.base_config
                .clone()
                .unwrap_or_else(|| "inline or built-in defaults".into()),
        ),
        ("census".into(), s.census_file.clone()),
        ("seeds".into(), format!("{} seeds", s.seeds.len())),
        (
            "levers".into(),
            s.levers
                .iter()
                .map(|l| format!("{} ({} values)", l.key_path, l.values.len()))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("objective".into(), texts(&s.objectives)),
        (
            "constraints".into(),
            if s.constraints.is_empty() {
                "none".into()
            } else {
                texts(&s.constraints)
            },
        ),
        (
            "search".into(),
            format!(
                "{}: {} of {} designs in the grid (budget {}), {} runs; {} meet every constraint",
                s.method, s.designs_evaluated, s.grid_size, s.max_designs, s.runs, s.feasible
            ),
        ),
        ("uncertainty".into(), bands),
        ("wfsim version".into(), s.tool_version.clone()),
    ];
    let inputs = Section {
        id: "inputs".into(),
        title: "Appendix: inputs".into(),
        note: "What the search was asked; every lever's values are in optimize_summary.json."
            .into(),
        charts: vec![],
        tables: vec![Table {
            id: "Inputs".into(),
            title: "The optimization".into(),
            columns: vec![col("input", Format::Text), col("value", Format::Text)],
            rows: facts
                .iter()
                .map(|(k, v)| vec![Cell::from(k.as_str()), Cell::parsed(v)])
                .collect(),
            note: None,
        }],
        caveat: None,
        folded: false,
    };
    Ok(Report {
        kind: Kind::Optimize,
        title: format!("wfsim optimize: {}", s.objectives[0].text()),
        facts,
        workbook: vec![top, all, inputs.tables[0].clone()],
        sections: vec![section],
        inputs,
    })
}

fn texts(goals: &[GoalSummary]) -> String {
    goals
        .iter()
        .map(GoalSummary::text)
        .collect::<Vec<_>>()
        .join("; ")
}
