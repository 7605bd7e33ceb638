//! The report of one `wfsim batch` directory, written for a plan committee: a summary first
//! (each scenario's plan in words, the employer cost over the horizon and the last year's
//! participation, cost and tests, with their bands, paired differences and what the bands leave
//! out); then one page per metric that differs between scenarios (every scenario on one axis, and
//! the paired differences against the baseline); the nondiscrimination tests; and appendices (the
//! metrics that are the same in every scenario, the last year in full, the inputs). Every figure
//! comes from the batch's own statistics (`ensemble.parquet`, `deltas.parquet`, computed by
//! `wfsim::batch::metrics::stats`).

use crate::chart::{self, Axes, Fan, Unit};
use crate::read::{self, bad};
use crate::run::{config_of, flatten};
use crate::table::{col, Cell, Format, Kind, Report, Section, Table};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use wfsim::batch::metrics::{self, MetricKind, Stats, METRICS};
use wfsim::batch::UncertainSummary;
use wfsim::config::Config;

mod sensitivity;

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
    /// Absent from batches of earlier versions (which had no present values).
    #[serde(default)]
    discount_rate: f64,
    /// The assumptions drawn per seed (absent from batches of earlier versions: none).
    #[serde(default)]
    uncertainty: Vec<UncertainSummary>,
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

/// The format of a metric's values and of their statistics over the seeds: a count stays a
/// count (a median of an even number of seeds may end in .5; shown rounded, exact in `data-v`
/// and the workbook).
fn format_of(metric: &str) -> Format {
    match describe(metric).2 {
        Unit::Money => Format::Money,
        Unit::Percent => Format::Percent,
        Unit::Points => Format::Points,
        Unit::Count => Format::Int,
    }
}

/// A statistics table (`ensemble.parquet` or `deltas.parquet`): (scenario, metric) → year → stats.
type StatsTable = BTreeMap<(String, String), BTreeMap<i32, Stats>>;

/// The horizon rows of a statistics table (spec §8: no year): (scenario, metric) → stats.
type HorizonTable = BTreeMap<(String, String), Stats>;

fn stats_table(path: &Path) -> wfsim::Result<(StatsTable, HorizonTable)> {
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
    let horizon = c.is_null("simulation_year")?;
    let (mut yearly, mut totals) = (StatsTable::new(), HorizonTable::new());
    for i in 0..scenario.len() {
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
        let key = (scenario[i].clone(), metric[i].clone());
        if horizon[i] {
            totals.insert(key, stats);
        } else {
            yearly.entry(key).or_default().insert(year[i], stats);
        }
    }
    Ok((yearly, totals))
}

/// A batch as the report reads it: its summary and statistics, and the scenarios in order.
struct Study<'a> {
    s: &'a Summary,
    scenarios: Vec<&'a str>,
    /// The scenarios but the baseline (those with paired differences).
    others: Vec<&'a str>,
    years: Vec<i32>,
    labels: Vec<String>,
    ensemble: StatsTable,
    deltas: StatsTable,
    horizon: HorizonTable,
    horizon_deltas: HorizonTable,
}

impl Study<'_> {
    fn first(&self) -> i32 {
        self.years[0]
    }

    fn last(&self) -> i32 {
        self.years[self.years.len() - 1]
    }

    /// Statistics over the seeds of a metric in a year (empty when absent).
    fn e(&self, sc: &str, m: &str, y: i32) -> Stats {
        of(&self.ensemble, sc, m, y)
    }

    /// Statistics over the seeds of the paired difference against the baseline.
    fn d(&self, sc: &str, m: &str, y: i32) -> Stats {
        of(&self.deltas, sc, m, y)
    }

    /// Statistics over the seeds of a horizon total (spec §8), and of its paired difference.
    fn h(&self, sc: &str, m: &str) -> Stats {
        total_of(&self.horizon, sc, m)
    }

    fn hd(&self, sc: &str, m: &str) -> Stats {
        total_of(&self.horizon_deltas, sc, m)
    }

    /// A scenario's colour in every chart: its place in the batch file.
    fn color(&self, sc: &str) -> usize {
        self.scenarios.iter().position(|x| *x == sc).unwrap_or(0)
    }

    /// How a chart names a scenario: its title with the id, or the id.
    fn name(&self, sc: &str) -> String {
        match self
            .s
            .scenarios
            .iter()
            .find(|x| x.scenario_id == sc)
            .and_then(|x| x.title.as_deref())
        {
            Some(t) => format!("{t} ({sc})"),
            None => sc.to_string(),
        }
    }

    /// Whether some scenario's statistics of the metric differ from the baseline's in some year
    /// (with one scenario, every metric has its page).
    fn differs(&self, m: &str) -> bool {
        let base = self.s.baseline.as_str();
        self.others.is_empty()
            || self.years.iter().any(|&y| {
                self.others
                    .iter()
                    .any(|sc| self.e(sc, m, y) != self.e(base, m, y))
            })
    }

    fn span(&self) -> String {
        format!("{}–{}", self.first(), self.last())
    }
}

fn total_of(t: &HorizonTable, sc: &str, m: &str) -> Stats {
    t.get(&(sc.to_string(), m.to_string()))
        .copied()
        .unwrap_or_default()
}

fn of(t: &StatsTable, sc: &str, m: &str, y: i32) -> Stats {
    t.get(&(sc.to_string(), m.to_string()))
        .and_then(|ys| ys.get(&y))
        .copied()
        .unwrap_or_default()
}

pub fn load(dir: &Path) -> wfsim::Result<Report> {
    let path = dir.join("batch_summary.json");
    let s: Summary = read::json(&path)?;
    let (ensemble, horizon) = stats_table(&dir.join("ensemble.parquet"))?;
    let (deltas, horizon_deltas) = stats_table(&dir.join("deltas.parquet"))?;
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
    if years.is_empty() {
        return Err(bad(&dir.join("ensemble.parquet"), "no rows"));
    }
    let configs = s
        .scenarios
        .iter()
        .map(|sc| config_of(&sc.resolved_config, &path))
        .collect::<wfsim::Result<Vec<Config>>>()?;
    let st = Study {
        s: &s,
        others: scenarios
            .iter()
            .copied()
            .filter(|x| *x != s.baseline)
            .collect(),
        scenarios,
        labels: years.iter().map(i32::to_string).collect(),
        years,
        ensemble,
        deltas,
        horizon,
        horizon_deltas,
    };

    let summary = summary(&st, &configs);
    let sensitivity = sensitivity::section(&st, dir)?;
    let ndt = nondiscrimination(&st, &configs, &metrics_path)?;
    let mut long_ensemble = vec![];
    let mut long_deltas = vec![];
    let mut pages = vec![];
    let mut same = vec![];
    for metric in metric_order() {
        // every metric's statistics go to the long sheets
        let ensemble_table = stats_rows(
            &st,
            format!("ensemble-{metric}"),
            format!("{}: statistics over the seeds", describe(metric).0),
            &st.scenarios,
            |sc, y| st.e(sc, metric, y),
            &mut long_ensemble,
            metric,
        );
        let delta_table = (!st.others.is_empty()).then(|| {
            stats_rows(
                &st,
                format!("delta-{metric}"),
                format!(
                    "{}: paired difference against {}",
                    describe(metric).0,
                    st.s.baseline
                ),
                &st.others,
                |sc, y| st.d(sc, metric, y),
                &mut long_deltas,
                metric,
            )
        });
        if is_ndt(metric) {
            continue;
        }
        if st.differs(metric) {
            pages.push(metric_page(&st, metric, ensemble_table, delta_table));
        } else {
            same.push(metric);
        }
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
    let last_year = last_year(&st);
    let same = same_everywhere(&st, &same);
    let mut workbook: Vec<Table> = summary.tables.clone();
    workbook.extend(sensitivity.iter().flat_map(|s| s.tables.iter().cloned()));
    workbook.push(horizon_sheet(&st));
    workbook.extend(last_year.tables.iter().cloned());
    workbook.extend(ndt.tables.iter().cloned());
    workbook.extend(same.iter().flat_map(|s| s.tables.iter().cloned()));
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

    let mut sections = vec![summary];
    sections.extend(sensitivity);
    sections.extend(pages);
    sections.push(ndt);
    sections.extend(same);
    sections.push(last_year);

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
        ("years".into(), st.span()),
        ("wfsim version".into(), s.tool_version.clone()),
    ];
    facts.extend(behaviours(&s, &configs));
    facts.push((
        "uncertainty".into(),
        wfsim::batch::uncertainty_line(&s.uncertainty),
    ));
    Ok(Report {
        kind: Kind::Batch,
        title: format!(
            "wfsim batch: {} scenarios × {} seeds, {}",
            st.scenarios.len(),
            s.seeds.len(),
            st.span()
        ),
        facts,
        sections,
        inputs,
        workbook,
    })
}

/// The committee's page: what each scenario is, what it costs over the horizon, and where it
/// ends (participation, cost, the tests), each with its band and paired difference; what the
/// bands include and leave out.
fn summary(st: &Study, configs: &[Config]) -> Section {
    let s = st.s;
    let (first, last, base) = (st.first(), st.last(), s.baseline.as_str());
    let titled = s.scenarios.iter().any(|x| x.title.is_some());
    let mut plan_columns = vec![col("scenario", Format::Text)];
    if titled {
        plan_columns.push(col("title", Format::Text));
    }
    let behaviour_note = wfsim::batch::drawn_note("behaviour", &s.uncertainty);
    let plan_note = wfsim::batch::drawn_note("plan", &s.uncertainty);
    let behaviours: Vec<String> = configs
        .iter()
        .map(|c| format!("{}{behaviour_note}", c.enrollment.behaviour()))
        .collect();
    let one_behaviour = behaviours.iter().all(|b| *b == behaviours[0]);
    plan_columns.push(col("plan", Format::Text));
    if !one_behaviour {
        plan_columns.push(col("behaviour", Format::Text));
    }
    let plans = s
        .scenarios
        .iter()
        .zip(configs)
        .zip(&behaviours)
        .map(|((sc, c), b)| {
            let mut row = vec![Cell::from(sc.scenario_id.as_str())];
            if titled {
                row.push(sc.title.as_deref().map_or(Cell::Empty, Cell::from));
            }
            row.push(Cell::Text(format!("{}{plan_note}", c.plan_line())));
            if !one_behaviour {
                row.push(Cell::Text(b.clone()));
            }
            row
        })
        .collect();
    let plans_title = if one_behaviour {
        format!(
            "Each scenario's plan (behaviour in every scenario: {})",
            behaviours[0]
        )
    } else {
        "Each scenario's plan and behaviour".to_string()
    };

    // the employer cost over the horizon: total, paired difference, present value
    let pv = s.discount_rate > 0.0;
    let mut horizon_columns = vec![
        col("scenario", Format::Text),
        col("P10", Format::Money),
        col("median", Format::Money),
        col("P90", Format::Money),
        col("Δ P10", Format::Money),
        col("Δ median", Format::Money),
        col("Δ P90", Format::Money),
    ];
    if pv {
        horizon_columns.extend([
            col("present value, median", Format::Money),
            col("Δ present value, median", Format::Money),
        ]);
    }
    let mut horizon_rows = vec![];
    for sc in &st.scenarios {
        let t = st.h(sc, "employer_cost_total");
        let mut row = vec![Cell::from(*sc), t.p10.into(), t.p50.into(), t.p90.into()];
        let base_row = *sc == base;
        if base_row {
            row.extend([Cell::from("baseline"), Cell::Empty, Cell::Empty]);
        } else {
            let d = st.hd(sc, "employer_cost_total");
            row.extend([d.p10.into(), d.p50.into(), d.p90.into()]);
        }
        if pv {
            row.push(st.h(sc, "employer_cost_pv").p50.into());
            row.push(if base_row {
                Cell::Empty
            } else {
                st.hd(sc, "employer_cost_pv").p50.into()
            });
        }
        horizon_rows.push(row);
    }

    // the last year: participation, cost, the tests
    let headline_columns = vec![
        col("scenario", Format::Text),
        col("participation P10", Format::Percent),
        col("participation median", Format::Percent),
        col("participation P90", Format::Percent),
        col("Δ participation median", Format::Points),
        col("employer cost median", Format::Money),
        col("Δ employer cost median", Format::Money),
        col("cost % of pay median", Format::Percent),
        col("ADP pass share", Format::Percent),
        col("ACP pass share", Format::Percent),
    ];
    let mut headline_rows = vec![];
    for sc in &st.scenarios {
        let p = st.e(sc, "participation_rate", last);
        let c = st.e(sc, "employer_cost", last);
        let (dp, dc) = if *sc == base {
            (Cell::from("baseline"), Cell::Empty)
        } else {
            (
                st.d(sc, "participation_rate", last).p50.into(),
                st.d(sc, "employer_cost", last).p50.into(),
            )
        };
        headline_rows.push(vec![
            Cell::from(*sc),
            p.p10.into(),
            p.p50.into(),
            p.p90.into(),
            dp,
            c.p50.into(),
            dc,
            st.e(sc, "employer_cost_pct_of_payroll", last).p50.into(),
            st.e(sc, "adp_pass", last).mean.into(),
            st.e(sc, "acp_pass", last).mean.into(),
        ]);
    }

    let one = |stats: Stats, sc: &str| Fan {
        name: st.name(sc),
        stats: vec![stats],
        color: st.color(sc),
    };
    let x = [st.span()];
    let mut charts = vec![chart::boxes(
        &Axes {
            title: &format!("Employer cost {}, per scenario, over the seeds", st.span()),
            x_desc: "years, in total (box: P25–P75, whiskers: P10–P90, bar: median)",
            x_labels: &x,
            y_desc: "employer cost",
            unit: Unit::Money,
        },
        &st.scenarios
            .iter()
            .map(|sc| one(st.h(sc, "employer_cost_total"), sc))
            .collect::<Vec<_>>(),
        true,
    )];
    if !st.others.is_empty() {
        charts.push(chart::boxes(
            &Axes {
                title: &format!(
                    "Employer cost {}: paired difference against {base}",
                    st.span()
                ),
                x_desc: "years, in total (box: P25–P75, whiskers: P10–P90, bar: median; each seed against the same seed of the baseline)",
                x_labels: &x,
                y_desc: "Δ employer cost",
                unit: Unit::Money,
            },
            &st.others
                .iter()
                .map(|sc| one(st.hd(sc, "employer_cost_total"), sc))
                .collect::<Vec<_>>(),
            true,
        ));
    }
    let discount = if pv {
        format!(
            " Present values discount each year's cost to the start of {first} at {} a year (the batch's discount_rate).",
            wfsim::config::pct(s.discount_rate)
        )
    } else {
        " No present values: the batch has no discount_rate.".to_string()
    };
    Section {
        id: "summary".into(),
        title: "Summary".into(),
        note: format!(
            "{} scenarios × {} seeds, {first}–{last}, baseline {base}. Each figure is the median over the seeds, with its P10 and P90 (8 of 10 seeds fall between them). \
             Δ is the paired difference against {base}: each seed's figure minus the same seed's figure in {base}, then its P10, median and P90; the random draws are shared, so it is much narrower than the gap between two bands. \
             Employer cost = match + core − forfeitures used.{discount} Pass share = the share of seeds passing the test in {last} (the tests' section has every year).",
            st.scenarios.len(),
            s.seeds.len(),
        ),
        charts,
        tables: vec![
            Table {
                id: "Plans".into(),
                title: plans_title,
                columns: plan_columns,
                rows: plans,
                note: None,
            },
            Table {
                id: "Horizon cost".into(),
                title: format!("Employer cost {first}–{last}, total over the years"),
                columns: horizon_columns,
                rows: horizon_rows,
                note: None,
            },
            Table {
                id: "Headline".into(),
                title: format!("{last}: participation, employer cost and the tests"),
                columns: headline_columns,
                rows: headline_rows,
                note: Some(bands_caveat(&s.uncertainty)),
            },
        ],
        caveat: Some(bands_caveat(&s.uncertainty)),
        folded: false,
    }
}

/// What the bands include and what they leave out.
fn bands_caveat(uncertain: &[UncertainSummary]) -> String {
    const REST: &str = "changes in law and in the IRS limits beyond their projection, and the simplifications of the tests (see their section).";
    if uncertain.is_empty() {
        return format!("The bands show only the spread over random seeds: which employees leave, are hired, promoted and enroll, with every assumption held at its stated value. They leave out the uncertainty of the assumptions themselves (turnover, hiring, raises, enrollment behaviour), {REST}");
    }
    let keys: Vec<&str> = uncertain.iter().map(|u| u.key_path.as_str()).collect();
    format!(
        "The bands show the spread over random seeds (which employees leave, are hired, promoted and enroll) and over the assumptions drawn once per seed ({}; ranges in the facts above, their weight under \"Which assumption matters\"). They leave out the uncertainty of every other assumption, {REST}",
        keys.join(", ")
    )
}

/// One metric that differs between scenarios: every scenario on one axis, then the paired
/// differences on another; the tables behind a disclosure.
fn metric_page(st: &Study, metric: &str, ensemble: Table, deltas: Option<Table>) -> Section {
    let (title, noun, unit) = describe(metric);
    let fans = |deltas: bool, ids: &[&str]| -> Vec<Fan> {
        ids.iter()
            .map(|sc| Fan {
                name: st.name(sc),
                color: st.color(sc),
                stats: st
                    .years
                    .iter()
                    .map(|&y| {
                        if deltas {
                            st.d(sc, metric, y)
                        } else {
                            st.e(sc, metric, y)
                        }
                    })
                    .collect(),
            })
            .collect()
    };
    let mut charts = vec![chart::bands(
        &Axes {
            title: &format!("{title}: every scenario, over the seeds"),
            x_desc: "year (band: P10–P90 over the seeds; line: median)",
            x_labels: &st.labels,
            y_desc: noun,
            unit,
        },
        &fans(false, &st.scenarios),
        false,
    )];
    let mut tables = vec![ensemble];
    if let Some(deltas) = deltas {
        charts.push(chart::bands(
            &Axes {
                title: &format!("{title}: paired difference against {}", st.s.baseline),
                x_desc: "year (band: P10–P90 over the seeds; line: median)",
                x_labels: &st.labels,
                y_desc: &format!("Δ {noun}"),
                unit: if unit == Unit::Percent {
                    Unit::Points
                } else {
                    unit
                },
            },
            &fans(true, &st.others),
            true,
        ));
        tables.push(deltas);
    }
    // scenarios with the same figures in every year are drawn over one another: say so
    let mut groups: Vec<Vec<&str>> = vec![];
    for sc in &st.scenarios {
        let same = |other: &str| {
            st.years
                .iter()
                .all(|&y| st.e(sc, metric, y) == st.e(other, metric, y))
        };
        match groups.iter_mut().find(|g| same(g[0])) {
            Some(g) => g.push(sc),
            None => groups.push(vec![sc]),
        }
    }
    let overlaid: Vec<String> = groups
        .iter()
        .filter(|g| g.len() > 1)
        .map(|g| g.join(" = "))
        .collect();
    let overlaid = if overlaid.is_empty() {
        String::new()
    } else {
        format!(
            " The same figures in every year, so one line hides the other: {}.",
            overlaid.join("; ")
        )
    };
    let counts = if unit == Unit::Count {
        " Counts are shown rounded: a median over an even number of seeds may fall between two whole numbers (the workbook has it exactly)."
    } else {
        ""
    };
    Section {
        id: format!("metric-{metric}"),
        title: title.to_string(),
        note: format!(
            "`{metric}` of metrics.parquet, per scenario and year over the seeds; the paired difference is scenario − {} with the same seed, then its statistics over the seeds (deltas.parquet). A band hidden behind its line means the seeds agree to within the line's width.{overlaid}{counts}",
            st.s.baseline
        ),
        charts,
        tables,
        caveat: None,
        folded: true,
    }
}

/// The metrics whose statistics are the same in every scenario and year (the plan design does
/// not change them): one row each, its median per year.
fn same_everywhere(st: &Study, metrics: &[&str]) -> Option<Section> {
    if metrics.is_empty() {
        return None;
    }
    let base = st.s.baseline.as_str();
    let rows = metrics
        .iter()
        .map(|m| {
            let mut row = vec![Cell::from(describe(m).0), Cell::from(*m)];
            row.extend(
                st.years
                    .iter()
                    .map(|y| Cell::as_format(st.e(base, m, *y).p50, format_of(m))),
            );
            row
        })
        .collect();
    let mut columns = vec![col("metric", Format::Text), col("column", Format::Text)];
    columns.extend(st.labels.iter().map(|y| col(y, Format::Decimal)));
    Some(Section {
        id: "same".into(),
        title: "Appendix: figures the same in every scenario".into(),
        note: "These metrics have the same statistics over the seeds in every scenario and every year: the scenarios do not change them (each random decision depends only on the employee, year, decision and seed). Shown once, as the median over the seeds per year; their statistics are on the workbook's Ensemble sheet.".into(),
        charts: vec![],
        tables: vec![Table {
            id: "Same in every scenario".into(),
            title: "Median over the seeds, the same in every scenario".into(),
            columns,
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

/// The horizon statistics of every money metric (spec §8) for the workbook: per scenario, the
/// total's and present value's statistics over the seeds and those of the paired difference.
fn horizon_sheet(st: &Study) -> Table {
    let mut rows = vec![];
    for sc in &st.scenarios {
        for m in wfsim::batch::horizon::NAMES {
            let e = st.h(sc, m);
            let mut row = vec![
                Cell::from(*sc),
                Cell::from(m),
                Cell::Num(e.n as f64),
                e.p10.into(),
                e.p50.into(),
                e.p90.into(),
                e.mean.into(),
            ];
            if *sc == st.s.baseline {
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
            } else {
                let d = st.hd(sc, m);
                row.extend([d.p10.into(), d.p50.into(), d.p90.into(), d.mean.into()]);
            }
            rows.push(row);
        }
    }
    let mut columns = vec![
        col("scenario", Format::Text),
        col("metric", Format::Text),
        col("n", Format::Int),
    ];
    columns.extend(
        [
            "P10",
            "median",
            "P90",
            "mean",
            "Δ P10",
            "Δ median",
            "Δ P90",
            "Δ mean",
        ]
        .map(|n| col(n, Format::Money)),
    );
    Table {
        id: "Horizon".into(),
        title: format!(
            "Totals over {} and present values (horizon statistics of ensemble.parquet and deltas.parquet)",
            st.span()
        ),
        columns,
        rows,
        note: Some(format!(
            "_total: the sum over the years; _pv: each year discounted at {} a year to the start of {}. Δ: the paired difference against {}.",
            wfsim::config::pct(st.s.discount_rate),
            st.first(),
            st.s.baseline
        )),
    }
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
fn behaviours(s: &Summary, configs: &[Config]) -> Vec<(String, String)> {
    let mut out = vec![];
    for (what, line) in [
        ("plan", Config::plan_line as fn(&Config) -> String),
        ("behaviour", |c: &Config| c.enrollment.behaviour()),
    ] {
        let note = wfsim::batch::drawn_note(what, &s.uncertainty);
        let lines = s
            .scenarios
            .iter()
            .zip(configs)
            .map(|(sc, c)| (sc.scenario_id.clone(), format!("{}{note}", line(c))))
            .collect();
        out.extend(wfsim::batch::per_scenario(what, lines));
    }
    out
}

/// The statistics of one metric as a table (scenario, year, n, P10…P90, mean), and the same
/// rows with the metric named for the workbook's long sheet.
fn stats_rows(
    st: &Study,
    id: String,
    title: String,
    scenarios: &[&str],
    get: impl Fn(&str, i32) -> Stats,
    long: &mut Vec<Vec<Cell>>,
    metric: &str,
) -> Table {
    let mut rows = vec![];
    for sc in scenarios {
        for y in &st.years {
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
    let fmt = format_of(metric);
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
fn last_year(st: &Study) -> Section {
    let (s, last) = (st.s, st.last());
    let mut rows = vec![];
    for sc in &st.scenarios {
        for metric in metric_order().into_iter().filter(|m| !is_ndt(m)) {
            let e = st.e(sc, metric, last);
            let f = format_of(metric);
            let mut row = vec![
                Cell::from(*sc),
                Cell::from(describe(metric).0),
                Cell::as_format(e.p10, f),
                Cell::as_format(e.p50, f),
                Cell::as_format(e.p90, f),
            ];
            if *sc == s.baseline {
                row.extend([Cell::from("baseline"), Cell::Empty, Cell::Empty]);
            } else {
                let d = st.d(sc, metric, last);
                let f = if f == Format::Percent {
                    Format::Points
                } else {
                    f
                };
                row.extend([d.p10, d.p50, d.p90].map(|v| Cell::as_format(v, f)));
            }
            rows.push(row);
        }
    }
    Section {
        id: "last-year".into(),
        title: format!("Appendix: {last}, every metric per scenario"),
        note: format!("The last simulated year, over the {} seeds: each metric's P10, median and P90, and those of the paired difference against {} (Δ = scenario − baseline with the same seed; Δ of a rate in percentage points).", s.seeds.len(), s.baseline),
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
        folded: false,
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
    columns.extend(METRICS.iter().map(|m| col(m.name, format_of(m.name))));
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
        ("discount rate", s.discount_rate.to_string()),
    ];
    let flat: Vec<BTreeMap<String, Cell>> = s
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
            .map(|m| m.get(k).cloned().unwrap_or(Cell::Empty))
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
                    .map(|(k, v)| vec![Cell::from(k), Cell::parsed(&v)])
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
        folded: false,
    })
}

/// The nondiscrimination tests over the seeds: per scenario and year, the share of seeds that
/// pass each test (the ensemble mean of its flag, over the seeds where it applied), and the
/// distribution of the ADP margin (`adp_limit − adp_hce` of each seed, from metrics.parquet).
fn nondiscrimination(
    study: &Study,
    configs: &[Config],
    metrics_path: &Path,
) -> wfsim::Result<Section> {
    let (s, scenarios, years, labels) = (study.s, &study.scenarios, &study.years, &study.labels);
    let get = |sc: &str, m: &str, y: i32| study.e(sc, m, y);
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
            name: study.name(sc),
            stats: per_year,
            color: study.color(sc),
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
                .map(|sc| {
                    chart::Series::new(
                        study.name(sc),
                        years.iter().map(|y| get(sc, m, *y).mean).collect(),
                    )
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
    for (sc, c) in s.scenarios.iter().zip(configs) {
        match c.ndt.safe_harbor {
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
        folded: true,
    })
}
