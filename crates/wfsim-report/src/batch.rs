//! The report of one `wfsim batch` directory: per metric, the fan chart of every scenario over
//! the seeds and the fan of its paired difference against the baseline, drawn from the
//! batch's own statistics (`ensemble.parquet`, `deltas.parquet`, computed by
//! `wfsim::batch::metrics::stats`), the last year per scenario, and the inputs.

use crate::chart::{self, Axes, Fan, Unit};
use crate::read::{self, bad};
use crate::run::{config_of, flatten};
use crate::table::{col, Cell, Format, Kind, Report, Section, Table};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use wfsim::batch::metrics::{self, MetricKind, Stats, METRICS};

#[derive(Deserialize)]
struct Summary {
    tool_version: String,
    batch_file: String,
    batch_sha256: String,
    base_config: Option<String>,
    census_file: String,
    census_sha256: String,
    seeds: Vec<u64>,
    baseline: String,
    scenarios: Vec<ScenarioSummary>,
    runs: usize,
}

#[derive(Deserialize)]
struct ScenarioSummary {
    scenario_id: String,
    /// The batch file's `title:` (absent from batches of earlier versions).
    #[serde(default)]
    title: Option<String>,
    resolved_config: Value,
}

/// A metric's title, its y-axis noun and unit, from the library's metrics table.
fn describe(metric: &str) -> (&'static str, &'static str, Unit) {
    match metrics::metric_named(metric) {
        Some((_, m)) => (
            m.title,
            m.noun,
            match m.kind {
                MetricKind::Count => Unit::Count,
                MetricKind::Flag | MetricKind::Rate => Unit::Percent,
                MetricKind::Money => Unit::Money,
            },
        ),
        None => ("", "", Unit::Count),
    }
}

/// The headline metrics, first in the order of pages.
const FIRST: [&str; 4] = [
    "employer_cost",
    "employer_cost_pct_of_payroll",
    "participation_rate",
    "avg_deferral_rate",
];

/// The nondiscrimination tests' metrics (spec §9): shown in their own section, not one page
/// each, and left out of the last-year table.
const NDT: [&str; 15] = [
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

fn is_ndt(metric: &str) -> bool {
    NDT.contains(&metric)
}

/// The line under a sheet that holds the tests' metrics among others.
fn tests_note() -> String {
    format!(
        "{} … {}: the nondiscrimination tests (spec §9). {}",
        NDT[0],
        NDT[NDT.len() - 1],
        wfsim::ndt::SIMPLIFICATIONS
    )
}

/// Every metric: the headline ones first, then the others in the metrics table's order.
fn metric_order() -> Vec<&'static str> {
    let mut order: Vec<&str> = FIRST.to_vec();
    order.extend(
        METRICS
            .iter()
            .map(|m| m.name)
            .filter(|m| !FIRST.contains(m)),
    );
    order
}

/// The format of a metric's values (and of its statistics over seeds).
fn format_of(metric: &str, over_seeds: bool) -> Format {
    match describe(metric).2 {
        Unit::Money => Format::Money,
        Unit::Percent => Format::Percent,
        Unit::Points => Format::Points,
        Unit::Count if over_seeds => Format::Decimal,
        Unit::Count => Format::Int,
    }
}

/// A statistics table (`ensemble.parquet` or `deltas.parquet`): (scenario, metric) → year → stats.
type StatsTable = BTreeMap<(String, String), BTreeMap<i32, Stats>>;

fn stats_table(path: &Path) -> wfsim::Result<StatsTable> {
    let names = [
        "scenario_id",
        "simulation_year",
        "metric",
        "n",
        "mean",
        "sd",
        "min",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "max",
    ];
    let c = read::parquet(path, &names)?;
    let (scenario, year, metric, n) = (
        c.string("scenario_id")?,
        c.i32("simulation_year")?,
        c.string("metric")?,
        c.i32("n")?,
    );
    let f: Vec<Vec<Option<f64>>> = names[4..]
        .iter()
        .map(|name| c.f64(name))
        .collect::<wfsim::Result<_>>()?;
    // The horizon totals (spec §8) have no year; the yearly fans leave them out.
    let horizon = c.is_null("simulation_year")?;
    let mut out = StatsTable::new();
    for i in (0..scenario.len()).filter(|&i| !horizon[i]) {
        let stats = Stats {
            n: n[i],
            mean: f[0][i],
            sd: f[1][i],
            min: f[2][i],
            p10: f[3][i],
            p25: f[4][i],
            p50: f[5][i],
            p75: f[6][i],
            p90: f[7][i],
            max: f[8][i],
        };
        out.entry((scenario[i].clone(), metric[i].clone()))
            .or_default()
            .insert(year[i], stats);
    }
    Ok(out)
}

pub fn load(dir: &Path) -> wfsim::Result<Report> {
    let path = dir.join("batch_summary.json");
    let s: Summary = read::json(&path)?;
    let ensemble = stats_table(&dir.join("ensemble.parquet"))?;
    let deltas = stats_table(&dir.join("deltas.parquet"))?;
    let metrics_path = dir.join("metrics.parquet");
    let scenarios: Vec<&str> = s.scenarios.iter().map(|x| x.scenario_id.as_str()).collect();
    if scenarios.is_empty() {
        return Err(bad(&path, "no scenarios"));
    }
    let years: Vec<i32> = ensemble
        .values()
        .flat_map(|y| y.keys().copied())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let last = *years
        .last()
        .ok_or_else(|| bad(&dir.join("ensemble.parquet"), "no rows"))?;
    let labels: Vec<String> = years.iter().map(i32::to_string).collect();
    let others: Vec<&str> = scenarios
        .iter()
        .copied()
        .filter(|x| *x != s.baseline)
        .collect();
    let get = |t: &StatsTable, sc: &str, m: &str, y: i32| -> Stats {
        t.get(&(sc.to_string(), m.to_string()))
            .and_then(|ys| ys.get(&y))
            .copied()
            .unwrap_or_default()
    };

    let ndt = nondiscrimination(
        &s,
        &path,
        &scenarios,
        &years,
        &labels,
        &ensemble,
        &metrics_path,
    )?;
    let mut sections = vec![last_year(&s, &scenarios, last, &ensemble, &deltas, get)];
    let ndt_sheets = ndt.tables.clone();
    sections.push(ndt);
    let mut long_ensemble = vec![];
    let mut long_deltas = vec![];
    for metric in metric_order() {
        let (title, noun, unit) = describe(metric);
        let fmt = format_of(metric, true);
        // every metric's statistics go to the long sheets; the tests' only to their section
        let ensemble_table = stats_rows(
            format!("ensemble-{metric}"),
            format!("{title}: statistics over the seeds"),
            &scenarios,
            &years,
            fmt,
            |sc, y| get(&ensemble, sc, metric, y),
            &mut long_ensemble,
            metric,
        );
        let delta_table = (!others.is_empty()).then(|| {
            stats_rows(
                format!("delta-{metric}"),
                format!("{title}: paired difference against {}", s.baseline),
                &others,
                &years,
                fmt,
                |sc, y| get(&deltas, sc, metric, y),
                &mut long_deltas,
                metric,
            )
        });
        if is_ndt(metric) {
            continue;
        }
        let fans = |t: &StatsTable, ids: &[&str]| -> Vec<Fan> {
            ids.iter()
                .map(|sc| Fan {
                    name: sc.to_string(),
                    stats: years.iter().map(|y| get(t, sc, metric, *y)).collect(),
                })
                .collect()
        };
        let mut charts = vec![chart::fans(
            &Axes {
                title: &format!("{title}: over the seeds, per scenario"),
                x_desc: "year",
                x_labels: &labels,
                y_desc: noun,
                unit,
            },
            &fans(&ensemble, &scenarios),
            false,
        )];
        let mut tables = vec![ensemble_table];
        if let Some(delta_table) = delta_table {
            charts.push(chart::fans(
                &Axes {
                    title: &format!("{title}: paired difference against {}", s.baseline),
                    x_desc: "year",
                    x_labels: &labels,
                    y_desc: &format!("Δ {noun}"),
                    unit,
                },
                &fans(&deltas, &others),
                true,
            ));
            tables.push(delta_table);
        }
        sections.push(Section {
            id: format!("metric-{metric}"),
            title: title.to_string(),
            note: format!("`{metric}` of metrics.parquet. Fans: the P10–P90 and P25–P75 bands over the seeds and the median; the paired difference is scenario − {} with the same seed, then its statistics over the seeds (deltas.parquet).", s.baseline),
            charts,
            tables,
            caveat: None,
        });
    }

    let inputs = inputs(&s, &path)?;
    let stats_columns = |what: &str| {
        let mut c = vec![
            col("scenario", Format::Text),
            col("year", Format::Year),
            col("metric", Format::Text),
            col("n", Format::Int),
        ];
        c.extend(
            [
                "mean", "sd", "min", "P10", "P25", "P50", "P75", "P90", "max",
            ]
            .map(|n| col(&format!("{what}{n}"), Format::Decimal)),
        );
        c
    };
    let mut workbook = vec![sections[0].tables[0].clone()];
    workbook.extend(ndt_sheets);
    workbook.push(Table {
        id: "Ensemble".into(),
        title: "Statistics over the seeds (ensemble.parquet)".into(),
        columns: stats_columns(""),
        rows: long_ensemble,
        note: Some(tests_note()),
    });
    workbook.push(Table {
        id: "Deltas".into(),
        title: format!("Paired differences against {} (deltas.parquet)", s.baseline),
        columns: stats_columns("Δ "),
        rows: long_deltas,
        note: Some(tests_note()),
    });
    workbook.push(metrics_sheet(&metrics_path)?);
    workbook.extend(inputs.tables.iter().cloned());

    let behaviours = behaviours(&s, &path)?;
    let mut facts = vec![
        ("batch file".to_string(), s.batch_file.clone()),
        ("batch sha256".into(), s.batch_sha256.clone()),
        (
            "base config".into(),
            s.base_config
                .clone()
                .unwrap_or_else(|| "inline or built-in defaults".into()),
        ),
        ("census".into(), s.census_file.clone()),
        (
            "census sha256".into(),
            if s.census_sha256.is_empty() {
                "(built in memory, no file)".into()
            } else {
                s.census_sha256.clone()
            },
        ),
        (
            "scenarios".into(),
            s.scenarios
                .iter()
                .map(|sc| match &sc.title {
                    Some(t) => format!("{} ({t})", sc.scenario_id),
                    None => sc.scenario_id.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("baseline".into(), s.baseline.clone()),
        ("seeds".into(), seeds_text(&s.seeds)),
        ("runs".into(), s.runs.to_string()),
        ("years".into(), format!("{}–{}", years[0], last)),
        ("wfsim version".into(), s.tool_version.clone()),
    ];
    facts.extend(behaviours);
    Ok(Report {
        kind: Kind::Batch,
        title: format!(
            "wfsim batch: {} scenarios × {} seeds, {}–{}",
            scenarios.len(),
            s.seeds.len(),
            years[0],
            last
        ),
        facts,
        sections,
        inputs,
        workbook,
    })
}

/// `1–100 (100 seeds)` for a range, else the list.
fn seeds_text(seeds: &[u64]) -> String {
    let range = seeds.windows(2).all(|w| w[1] == w[0] + 1);
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if range && seeds.len() > 2 => {
            format!("{a}–{b} ({} seeds)", seeds.len())
        }
        _ => format!(
            "{} ({} seeds)",
            seeds
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            seeds.len()
        ),
    }
}

/// The plan and behaviour lines of each scenario, each once when all agree (as `wfsim batch`
/// prints them).
fn behaviours(s: &Summary, path: &Path) -> wfsim::Result<Vec<(String, String)>> {
    let mut out = vec![];
    for (what, line) in [
        (
            "plan",
            wfsim::config::Config::plan_line as fn(&wfsim::config::Config) -> String,
        ),
        ("behaviour", |c: &wfsim::config::Config| {
            c.enrollment.behaviour()
        }),
    ] {
        let mut lines = vec![];
        for sc in &s.scenarios {
            let l = line(&config_of(&sc.resolved_config, path)?);
            lines.push((sc.scenario_id.clone(), l));
        }
        out.extend(wfsim::batch::per_scenario(what, lines));
    }
    Ok(out)
}

/// The statistics of one metric as a table (scenario, year, n, P10…P90, mean), and the same
/// rows with the metric named for the workbook's long sheet.
#[allow(clippy::too_many_arguments)]
fn stats_rows(
    id: String,
    title: String,
    scenarios: &[&str],
    years: &[i32],
    fmt: Format,
    get: impl Fn(&str, i32) -> Stats,
    long: &mut Vec<Vec<Cell>>,
    metric: &str,
) -> Table {
    let mut rows = vec![];
    for sc in scenarios {
        for y in years {
            let s = get(sc, *y);
            rows.push(vec![
                Cell::from(*sc),
                Cell::Num(*y as f64),
                Cell::Num(s.n as f64),
                s.p10.into(),
                s.p25.into(),
                s.p50.into(),
                s.p75.into(),
                s.p90.into(),
                s.mean.into(),
            ]);
            long.push(vec![
                Cell::from(*sc),
                Cell::Num(*y as f64),
                Cell::from(metric),
                Cell::Num(s.n as f64),
                s.mean.into(),
                s.sd.into(),
                s.min.into(),
                s.p10.into(),
                s.p25.into(),
                s.p50.into(),
                s.p75.into(),
                s.p90.into(),
                s.max.into(),
            ]);
        }
    }
    let mut columns = vec![
        col("scenario", Format::Text),
        col("year", Format::Year),
        col("seeds", Format::Int),
    ];
    columns.extend(["P10", "P25", "median", "P75", "P90", "mean"].map(|n| col(n, fmt)));
    Table {
        id,
        title,
        columns,
        rows,
        note: None,
    }
}

/// The last year per scenario and metric: P10, median, P90, and the paired difference's.
fn last_year(
    s: &Summary,
    scenarios: &[&str],
    last: i32,
    ensemble: &StatsTable,
    deltas: &StatsTable,
    get: impl Fn(&StatsTable, &str, &str, i32) -> Stats,
) -> Section {
    let mut rows = vec![];
    for sc in scenarios {
        for metric in metric_order().into_iter().filter(|m| !is_ndt(m)) {
            let e = get(ensemble, sc, metric, last);
            let f = format_of(metric, true);
            let mut row = vec![
                Cell::from(*sc),
                Cell::from(metric),
                Cell::as_format(e.p10, f),
                Cell::as_format(e.p50, f),
                Cell::as_format(e.p90, f),
            ];
            if *sc == s.baseline {
                row.extend([Cell::from("baseline"), Cell::Empty, Cell::Empty]);
            } else {
                let d = get(deltas, sc, metric, last);
                row.extend([d.p10, d.p50, d.p90].map(|v| Cell::as_format(v, f)));
            }
            rows.push(row);
        }
    }
    Section {
        id: "last-year".into(),
        title: format!("{last}, per scenario"),
        note: format!("The last simulated year, over the {} seeds: each metric's P10, median and P90, and those of the paired difference against {} (Δ = scenario − baseline with the same seed; money in dollars, rates as fractions shown in percent, Δ of a rate in percentage points).", s.seeds.len(), s.baseline),
        charts: vec![],
        tables: vec![Table {
            id: "Last year".into(),
            title: format!("{last} per scenario and metric"),
            columns: vec![
                col("scenario", Format::Text),
                col("metric", Format::Text),
                col("P10", Format::Decimal),
                col("median", Format::Decimal),
                col("P90", Format::Decimal),
                col("Δ P10", Format::Decimal),
                col("Δ median", Format::Decimal),
                col("Δ P90", Format::Decimal),
            ],
            rows,
            note: None,
        }],
        caveat: None,
    }
}

/// Every run's metrics, one row per scenario, seed and year (metrics.parquet as it is).
fn metrics_sheet(path: &Path) -> wfsim::Result<Table> {
    let mut names = vec!["scenario_id", "random_seed", "simulation_year"];
    names.extend(METRICS.iter().map(|m| m.name));
    let c = read::parquet(path, &names)?;
    let scenario = c.string("scenario_id")?;
    let seed = c.i64("random_seed")?;
    let year = c.i32("simulation_year")?;
    let mut values: Vec<Vec<Option<f64>>> = vec![];
    for metric in METRICS {
        let m = metric.name;
        values.push(if metric.is_int() {
            c.i32_opt(m)?
        } else {
            c.f64(m)?
        });
    }
    let rows = (0..scenario.len())
        .map(|i| {
            let mut row = vec![
                Cell::from(scenario[i].as_str()),
                Cell::Num(seed[i] as f64),
                Cell::Num(year[i] as f64),
            ];
            row.extend(values.iter().map(|v| Cell::from(v[i])));
            row
        })
        .collect();
    let mut columns = vec![
        col("scenario_id", Format::Text),
        col("random_seed", Format::Year),
        col("simulation_year", Format::Year),
    ];
    columns.extend(
        METRICS
            .iter()
            .map(|m| col(m.name, format_of(m.name, false))),
    );
    Ok(Table {
        id: "Metrics".into(),
        title: "Every run's metrics (metrics.parquet)".into(),
        columns,
        rows,
        note: Some(tests_note()),
    })
}

/// The appendix: the batch's files, seeds, and each scenario's resolved config (the keys the
/// scenarios change first, then every key).
fn inputs(s: &Summary, path: &Path) -> wfsim::Result<Section> {
    let facts = vec![
        ("batch file", s.batch_file.clone()),
        ("batch sha256", s.batch_sha256.clone()),
        (
            "base config",
            s.base_config
                .clone()
                .unwrap_or_else(|| "(none: inline config or built-in defaults)".into()),
        ),
        ("census", s.census_file.clone()),
        ("census sha256", s.census_sha256.clone()),
        ("baseline", s.baseline.clone()),
        (
            "seeds",
            s.seeds
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("runs", s.runs.to_string()),
    ];
    let flat: Vec<BTreeMap<String, String>> = s
        .scenarios
        .iter()
        .map(|sc| flatten(&sc.resolved_config).into_iter().collect())
        .collect();
    let keys: std::collections::BTreeSet<&String> = flat.iter().flat_map(|m| m.keys()).collect();
    let mut all = vec![];
    let mut changed = vec![];
    for k in keys {
        let values: Vec<Cell> = flat
            .iter()
            .map(|m| m.get(k).map_or(Cell::Empty, |v| Cell::Text(v.clone())))
            .collect();
        let mut row = vec![Cell::Text(k.clone())];
        row.extend(values.iter().cloned());
        if values.iter().any(|v| *v != values[0]) {
            changed.push(row.clone());
        }
        all.push(row);
    }
    if flat.is_empty() {
        return Err(bad(path, "no scenarios"));
    }
    let mut columns = vec![col("config key", Format::Text)];
    columns.extend(
        s.scenarios
            .iter()
            .map(|sc| col(&sc.scenario_id, Format::Text)),
    );
    Ok(Section {
        id: "inputs".into(),
        title: "Appendix: inputs".into(),
        note: "What the batch was made from, as recorded in its batch_summary.json: the batch file and census with their sha256, the seeds, and every scenario's resolved config (the base config with the scenario's overlay merged in).".into(),
        charts: vec![],
        tables: vec![
            Table {
                id: "Inputs".into(),
                title: "Batch inputs".into(),
                columns: vec![col("item", Format::Text), col("value", Format::Text)],
                rows: facts
                    .into_iter()
                    .map(|(k, v)| vec![Cell::from(k), Cell::Text(v)])
                    .collect(),
                note: None,
            },
            Table {
                id: "Config changes".into(),
                title: "Config keys that differ between scenarios".into(),
                columns: columns.clone(),
                rows: changed,
                note: None,
            },
            Table {
                id: "Configs".into(),
                title: "Every config key, per scenario (resolved_config)".into(),
                columns,
                rows: all,
                note: None,
            },
        ],
        caveat: None,
    })
}

/// The nondiscrimination tests over the seeds: per scenario and year, the share of seeds that
/// pass each test (the ensemble mean of its flag, over the seeds where it applied), and the
/// distribution of the ADP margin (`adp_limit − adp_hce` of each seed, from metrics.parquet).
fn nondiscrimination(
    s: &Summary,
    summary_path: &Path,
    scenarios: &[&str],
    years: &[i32],
    labels: &[String],
    ensemble: &StatsTable,
    metrics_path: &Path,
) -> wfsim::Result<Section> {
    let get = |sc: &str, m: &str, y: i32| -> Stats {
        ensemble
            .get(&(sc.to_string(), m.to_string()))
            .and_then(|ys| ys.get(&y))
            .copied()
            .unwrap_or_default()
    };
    const FLAGS: [&str; 4] = ["adp_pass", "acp_pass", "coverage_pass", "top_heavy"];
    let mut shares = vec![];
    for sc in scenarios {
        for y in years {
            let mut row = vec![Cell::from(*sc), Cell::Num(*y as f64)];
            for m in FLAGS {
                let st = get(sc, m, *y);
                row.extend([st.mean.into(), Cell::Num(st.n as f64)]);
            }
            shares.push(row);
        }
    }

    // the margin of each seed, in seed order (metrics.parquet is sorted by scenario, seed, year)
    let c = read::parquet(
        metrics_path,
        &["scenario_id", "simulation_year", "adp_hce", "adp_limit"],
    )?;
    let (scenario, year, hce, limit) = (
        c.string("scenario_id")?,
        c.i32("simulation_year")?,
        c.f64("adp_hce")?,
        c.f64("adp_limit")?,
    );
    let mut margins: BTreeMap<(&str, i32), Vec<Option<f64>>> = BTreeMap::new();
    for i in 0..scenario.len() {
        let m = match (limit[i], hce[i]) {
            (Some(l), Some(h)) => Some(l - h),
            _ => None,
        };
        margins
            .entry((scenario[i].as_str(), year[i]))
            .or_default()
            .push(m);
    }
    let margin_stats = |sc: &str, y: i32| -> Stats {
        margins
            .get(&(sc, y))
            .map(|v| metrics::stats(v.iter().copied()))
            .unwrap_or_default()
    };
    let mut spread = vec![];
    let mut panels = vec![];
    for sc in scenarios {
        let mut per_year = vec![];
        for y in years {
            let st = margin_stats(sc, *y);
            per_year.push(st);
            spread.push(vec![
                Cell::from(*sc),
                Cell::Num(*y as f64),
                Cell::Num(st.n as f64),
                st.min.into(),
                st.p10.into(),
                st.p25.into(),
                st.p50.into(),
                st.p75.into(),
                st.p90.into(),
                st.max.into(),
                st.mean.into(),
            ]);
        }
        panels.push(Fan {
            name: sc.to_string(),
            stats: per_year,
        });
    }

    let share_chart = |m: &str, test: &str| {
        chart::bars(
            &Axes {
                title: &format!("{test}: share of seeds passing, per scenario"),
                x_desc: "year",
                x_labels: labels,
                y_desc: "seeds passing",
                unit: Unit::Percent,
            },
            &scenarios
                .iter()
                .map(|sc| chart::Series {
                    name: sc.to_string(),
                    values: years.iter().map(|y| get(sc, m, *y).mean).collect(),
                })
                .collect::<Vec<_>>(),
            false,
        )
    };
    let charts = vec![
        share_chart("adp_pass", "ADP test"),
        share_chart("acp_pass", "ACP test"),
        chart::boxes(
            &Axes {
                title: "ADP margin (limit − HCE average) over the seeds, per scenario",
                x_desc: "year (box: P25–P75, whiskers: P10–P90, bar: median; below 0 fails)",
                x_labels: labels,
                y_desc: "ADP margin",
                unit: Unit::Points,
            },
            &panels,
            true,
        ),
    ];

    let mut safe = vec![];
    for sc in &s.scenarios {
        let h = config_of(&sc.resolved_config, summary_path)?
            .ndt
            .safe_harbor;
        match h {
            wfsim::config::SafeHarbor::None => {}
            wfsim::config::SafeHarbor::Adp => safe.push(format!("{} (ADP)", sc.scenario_id)),
            wfsim::config::SafeHarbor::AdpAcp => {
                safe.push(format!("{} (ADP and ACP)", sc.scenario_id))
            }
        }
    }
    let safe = if safe.is_empty() {
        String::new()
    } else {
        format!(
            " Safe harbor, deemed passed whatever the margin: {}.",
            safe.join(", ")
        )
    };
    let n_seeds = s.seeds.len();
    let note = format!(
        "Every run tests every year (spec §9; a run's report shows one run's figures). Pass share = the share of seeds that pass: the mean over the seeds of adp_pass, acp_pass or coverage_pass (1 pass, 0 fail; top-heavy share: of top_heavy, 1 top-heavy) in ensemble.parquet, \
         over the n seeds where the test applied (of the {n_seeds}; a seed with no HCE or no NHCE to test is left out). \
         ADP margin = adp_limit − adp_hce of each seed (metrics.parquet), in percentage points: below 0 the year fails the ADP test; its statistics over the seeds with both figures, every scenario on one axis.{safe}"
    );
    let caveat = Some(wfsim::ndt::SIMPLIFICATIONS.to_string());
    let mut share_columns = vec![col("scenario", Format::Text), col("year", Format::Year)];
    for (test, share) in [
        ("ADP", "ADP pass share"),
        ("ACP", "ACP pass share"),
        ("coverage", "coverage pass share"),
        ("top-heavy", "top-heavy share"),
    ] {
        share_columns.extend([
            col(share, Format::Percent),
            col(&format!("{test} n"), Format::Int),
        ]);
    }
    let mut spread_columns = vec![
        col("scenario", Format::Text),
        col("year", Format::Year),
        col("seeds", Format::Int),
    ];
    spread_columns.extend(
        ["min", "P10", "P25", "median", "P75", "P90", "max", "mean"]
            .map(|n| col(&format!("ADP margin {n}"), Format::Points)),
    );
    Ok(Section {
        id: "nondiscrimination".into(),
        title: "Nondiscrimination tests".into(),
        note,
        charts,
        tables: vec![
            Table {
                id: "NDT pass shares".into(),
                title: "Share of seeds passing each test, per scenario and year".into(),
                columns: share_columns,
                rows: shares,
                note: caveat.clone(),
            },
            Table {
                id: "NDT ADP margin".into(),
                title: "ADP margin over the seeds, per scenario and year".into(),
                columns: spread_columns,
                rows: spread,
                note: caveat.clone(),
            },
        ],
        caveat,
    })
}
