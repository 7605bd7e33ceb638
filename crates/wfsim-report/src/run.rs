//! The report of one `wfsim run` directory: per-year figures from `generation_summary.json`,
//! and what only the rows know (the deferral-rate distribution, the IRS limits reached) from
//! the year-end snapshots.

use crate::chart::{self, Axes, Series, Unit};
use crate::read::{self, bad};
use crate::table::{col, display, Cell, Format, Kind, Report, Section, Table};
use serde_json::Value;
use std::path::Path;
use wfsim::batch::metrics;
use wfsim::config::{Config, SafeHarbor, TestingMethod};
use wfsim::event::{Category, KINDS};
use wfsim::output::summary::GenerationSummary;
use wfsim::totals::cents;
use wfsim::year::YearCounts;

/// One year of the summary: its figures read through the library's metrics table.
struct Year<'a> {
    year: i32,
    counts: &'a YearCounts,
}

impl Year<'_> {
    /// A metric of spec §8 (money in dollars); `None` for a rate without a denominator.
    fn get(&self, metric: &str) -> wfsim::Result<Option<f64>> {
        let (_, m) = metrics::metric_named(metric)
            .unwrap_or_else(|| panic!("`{metric}` is not a batch metric"));
        Ok(m.value(self.counts).as_f64())
    }

    fn num(&self, metric: &str) -> wfsim::Result<f64> {
        Ok(self.get(metric)?.unwrap_or(0.0))
    }

    fn kind(&self, category: Category) -> wfsim::Result<f64> {
        Ok(self.counts.of(category) as f64)
    }
}

/// The config the run used, from its resolved form (the behaviour line and the IRS limits).
pub fn config_of(resolved: &Value, path: &Path) -> wfsim::Result<Config> {
    serde_json::from_value(resolved.clone()).map_err(|e| {
        bad(
            path,
            format!("resolved_config does not read as a config: {e}"),
        )
    })
}

/// What the snapshots of one year say about the IRS limits (counts over every row of the
/// year, leavers included, as the limits apply to everyone paid in the year).
#[derive(Default)]
struct LimitCounts {
    deferral_402g: usize,
    compensation_401a17: usize,
    additions_415c: usize,
}

/// Deferral rates of the last year end: employees per whole percent (rounded down), the last
/// bin holding `MAX_BIN` % and above.
const MAX_BIN: usize = 25;

struct Snapshot {
    limits: LimitCounts,
    /// Active, eligible and enrolled at Dec 31, by whole percent of deferral rate.
    rates: Vec<usize>,
}

fn snapshot(dir: &Path, year: i32, config: &Config) -> wfsim::Result<Snapshot> {
    let path = dir
        .join("snapshots")
        .join(format!("simulation_year={year}"))
        .join(format!("snapshot_{year}.parquet"));
    let c = read::parquet(
        &path,
        &[
            "termination_date",
            "plan_eligible",
            "is_enrolled",
            "deferral_rate",
            "prorated_compensation",
            "elected_deferral",
            "employee_deferral",
            "catch_up_deferral",
            "employer_match",
            "employer_core",
        ],
    )?;
    let money = |name: &str| -> wfsim::Result<Vec<f64>> {
        c.f64(name)?
            .into_iter()
            .map(|v| v.ok_or_else(|| bad(&path, format!("`{name}` has a null value"))))
            .collect()
    };
    let active = c.is_null("termination_date")?;
    let eligible = c.bool("plan_eligible")?;
    let enrolled = c.bool("is_enrolled")?;
    let rate = money("deferral_rate")?;
    let pay = money("prorated_compensation")?;
    let elected = money("elected_deferral")?;
    let deferral = money("employee_deferral")?;
    let catch_up = money("catch_up_deferral")?;
    let matched = money("employer_match")?;
    let core = money("employer_core")?;
    let l = config.irs_limits.for_year(year);
    let mut limits = LimitCounts::default();
    let mut rates = vec![0; MAX_BIN + 1];
    for i in 0..active.len() {
        if cents(elected[i]) >= cents(l.elective_deferral) {
            limits.deferral_402g += 1;
        }
        if cents(pay[i]) > cents(l.compensation) {
            limits.compensation_401a17 += 1;
        }
        let additions =
            cents(deferral[i]) - cents(catch_up[i]) + cents(matched[i]) + cents(core[i]);
        if additions >= cents(l.annual_additions) {
            limits.additions_415c += 1;
        }
        // still employed (null termination date), eligible and enrolled: the YearTotals set
        if active[i] && eligible[i] && enrolled[i] {
            let bp = (rate[i] * 10_000.0).round() as i64;
            rates[((bp.max(0) / 100) as usize).min(MAX_BIN)] += 1;
        }
    }
    Ok(Snapshot { limits, rates })
}

pub fn load(dir: &Path) -> wfsim::Result<Report> {
    let path = dir.join("generation_summary.json");
    let s: GenerationSummary = read::json(&path)?;
    let config = config_of(&s.resolved_config, &path)?;
    if s.years.is_empty() {
        return Err(bad(&path, "no simulated years"));
    }
    let mut years = Vec::with_capacity(s.years.len());
    for counts in &s.years {
        years.push(Year {
            year: counts.year,
            counts,
        });
    }
    let labels: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    let snapshots = years
        .iter()
        .map(|y| snapshot(dir, y.year, &config))
        .collect::<wfsim::Result<Vec<_>>>()?;

    let sections = vec![
        headcount(&years, &labels)?,
        events(&years, &labels)?,
        payroll(&years, &labels)?,
        participation(&years, &labels)?,
        deferral_rates(&years, snapshots.last().expect("a year"))?,
        employer_cost(&years, &labels)?,
        accounts(&years, &labels, &config)?,
        irs_limits(&years, &labels, &snapshots, &config),
        nondiscrimination(&years, &labels, &config),
    ];
    let years_text = format!("{}–{}", s.start_year, s.end_year);
    let facts = vec![
        (
            "config".to_string(),
            s.config_file
                .clone()
                .unwrap_or_else(|| "built-in defaults".into()),
        ),
        ("config sha256".into(), s.config_sha256.clone()),
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
            "census deferral rates".into(),
            s.census_deferral_rate_unit
                .map(|u| u.name().to_string())
                .unwrap_or_else(|| "(no deferral rate column)".into()),
        ),
        (
            "census rows set aside".into(),
            s.census_rejected_rows.to_string(),
        ),
        ("seed".into(), s.random_seed.to_string()),
        ("years".into(), years_text.clone()),
        ("scenario".into(), s.scenario_id.clone()),
        ("plan design".into(), s.plan_design_id.clone()),
        ("engine".into(), s.engine.clone()),
        ("wfsim version".into(), s.tool_version.clone()),
        ("plan".into(), config.plan_line()),
        ("behaviour".into(), config.enrollment.behaviour()),
    ];
    let mut input_rows: Vec<Vec<Cell>> = facts
        .iter()
        .map(|(k, v)| vec![Cell::from(k.as_str()), Cell::parsed(v)])
        .collect();
    for (k, v) in flatten(&s.resolved_config) {
        input_rows.push(vec![Cell::Text(format!("resolved_config.{k}")), v]);
    }
    let inputs = Section {
        id: "inputs".into(),
        title: "Appendix: inputs".into(),
        note: "What the run was made from, as recorded in its generation_summary.json: the files and their sha256, the seed, and every config key as the run used it (resolved_config).".into(),
        charts: vec![],
        tables: vec![Table {
            id: "Inputs".into(),
            title: "Inputs".into(),
            columns: vec![col("item", Format::Text), col("value", Format::Text)],
            rows: input_rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    };
    // A run's workbook is its page: one sheet per table.
    let workbook = sections
        .iter()
        .chain(std::iter::once(&inputs))
        .flat_map(|s| s.tables.iter().cloned())
        .collect();
    Ok(Report {
        kind: Kind::Run,
        title: format!(
            "wfsim run: scenario {}, seed {}, {years_text}",
            s.scenario_id, s.random_seed
        ),
        facts,
        sections,
        inputs,
        workbook,
    })
}

/// `a.b.c` → its value: a number as a number (so a workbook can compute with it), anything
/// else as compact JSON (strings unquoted), in key order.
pub fn flatten(v: &Value) -> Vec<(String, Cell)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Cell)>) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, x) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, x, out);
                }
            }
            Value::String(s) => out.push((prefix.to_string(), Cell::Text(s.clone()))),
            Value::Number(n) => out.push((
                prefix.to_string(),
                n.as_f64().map_or(Cell::Text(n.to_string()), |v| {
                    Cell::NumAs(v, Format::Number)
                }),
            )),
            other => out.push((prefix.to_string(), Cell::Text(other.to_string()))),
        }
    }
    let mut out = vec![];
    walk("", v, &mut out);
    out
}

fn year_cell(y: &Year) -> Cell {
    Cell::Num(y.year as f64)
}

fn headcount(years: &[Year], labels: &[String]) -> wfsim::Result<Section> {
    let mut rows = vec![];
    let mut series: [Vec<Option<f64>>; 7] = Default::default();
    for y in years {
        let start = y.num("n_start")?;
        let end = y.num("n_end")?;
        let target = y.num("target")?;
        let flows = [
            y.kind(Category::ExperiencedTermination)?,
            y.kind(Category::ReductionInForce)?,
            y.kind(Category::NewHire)?,
            y.kind(Category::NewHireTermination)?,
        ];
        for (s, v) in series
            .iter_mut()
            .zip([start, end, target].iter().chain(&flows))
        {
            s.push(Some(*v));
        }
        let growth = |to: f64| (start > 0.0).then(|| (to - start) / start);
        let mut row = vec![year_cell(y), start.into()];
        row.extend(flows.iter().map(|v| Cell::Num(*v)));
        row.extend([
            end.into(),
            target.into(),
            growth(end).into(),
            growth(target).into(),
        ]);
        rows.push(row);
    }
    let [start, end, target, exp, rif, hires, nh] = series;
    let named = |name: &str, values| Series::new(name, values);
    let level = chart::lines(
        &Axes {
            title: "Headcount: actives at Jan 1 and Dec 31, and the growth target",
            x_desc: "year",
            x_labels: labels,
            y_desc: "active employees",
            unit: Unit::Count,
        },
        // the target dashed and on top: it often equals the end line
        &[
            named("start (Jan 1)", start),
            named("end (Dec 31)", end),
            Series::dashed("target (Dec 31)", target),
        ],
    );
    let flow = chart::bars(
        &Axes {
            title: "Headcount flow: leavers and hires per year",
            x_desc: "year",
            x_labels: labels,
            y_desc: "employees",
            unit: Unit::Count,
        },
        &[
            named("experienced terminations", exp),
            named("reduction in force", rif),
            named("hires", hires),
            named("new-hire terminations", nh),
        ],
        false,
    );
    Ok(Section {
        id: "headcount".into(),
        title: "Headcount flow".into(),
        note: "Start = active employees at Jan 1; end = active at Dec 31 = start − experienced terminations − RIF + hires − new-hire terminations. The target is the Dec 31 headcount the growth assumption asks for; growth = (end − start) / start.".into(),
        charts: vec![level, flow],
        tables: vec![Table {
            id: "Headcount".into(),
            title: "Headcount flow per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("start (Jan 1)", Format::Int),
                col("experienced terminations", Format::Int),
                col("reduction in force", Format::Int),
                col("hires", Format::Int),
                col("new-hire terminations", Format::Int),
                col("end (Dec 31)", Format::Int),
                col("target", Format::Int),
                col("growth", Format::Percent),
                col("target growth", Format::Percent),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn events(years: &[Year], labels: &[String]) -> wfsim::Result<Section> {
    let mut per_kind = vec![vec![]; KINDS.len()];
    for y in years {
        for (k, values) in KINDS.iter().zip(per_kind.iter_mut()) {
            values.push(Some(y.kind(k.category)?));
        }
    }
    // one row per kind and a column per year: as many columns as years, so it fits the page
    let mut rows: Vec<Vec<Cell>> = KINDS
        .iter()
        .zip(&per_kind)
        .map(|(k, values)| {
            let mut row = vec![Cell::from(k.label)];
            row.extend(values.iter().map(|v| Cell::from(*v)));
            row
        })
        .collect();
    let mut all = vec![Cell::from("all events")];
    all.extend(years.iter().map(|y| Cell::Num(y.counts.events as f64)));
    rows.push(all);
    // Kinds that never happen (often RIF) would only crowd the legend; the table keeps them.
    let series: Vec<Series> = KINDS
        .iter()
        .zip(per_kind)
        .filter(|(_, v)| v.iter().flatten().any(|n| *n != 0.0))
        .map(|(k, values)| Series::new(k.label.replace('_', " "), values))
        .collect();
    let svg = chart::bars(
        &Axes {
            title: "Events per year by kind (event_category)",
            x_desc: "year",
            x_labels: labels,
            y_desc: "events",
            unit: Unit::Count,
        },
        &series,
        false,
    );
    let mut columns = vec![col("event kind", Format::Text)];
    columns.extend(labels.iter().map(|y| col(y, Format::Int)));
    Ok(Section {
        id: "events".into(),
        title: "Events by type".into(),
        note: "Each year's events by event_category (kinds with no event in any year are left out of the chart, not the table).".into(),
        charts: vec![svg],
        tables: vec![Table {
            id: "Events".into(),
            title: "Events per kind and year".into(),
            columns,
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn payroll(years: &[Year], labels: &[String]) -> wfsim::Result<Section> {
    let mut rows = vec![];
    let (mut pay, mut def) = (vec![], vec![]);
    for y in years {
        let (p, d) = (y.num("payroll")?, y.num("employee_deferrals")?);
        pay.push(Some(p));
        def.push(Some(d));
        rows.push(vec![year_cell(y), p.into(), d.into()]);
    }
    let svg = chart::bars(
        &Axes {
            title: "Payroll and employee deferrals per year",
            x_desc: "year",
            x_labels: labels,
            y_desc: "US dollars",
            unit: Unit::Money,
        },
        &[
            Series::new("payroll", pay),
            Series::new("employee deferrals", def),
        ],
        false,
    );
    Ok(Section {
        id: "payroll".into(),
        title: "Payroll".into(),
        note: "Payroll = prorated compensation of everyone employed in the year, leavers included; employee deferrals after the 402(g) limit; both summed in whole cents.".into(),
        charts: vec![svg],
        tables: vec![Table {
            id: "Payroll".into(),
            title: "Payroll and employee deferrals per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("payroll", Format::Money),
                col("employee deferrals", Format::Money),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn participation(years: &[Year], labels: &[String]) -> wfsim::Result<Section> {
    let mut rows = vec![];
    let (mut part, mut avg) = (vec![], vec![]);
    for y in years {
        let (p, a) = (y.get("participation_rate")?, y.get("avg_deferral_rate")?);
        part.push(p);
        avg.push(a);
        rows.push(vec![
            year_cell(y),
            y.num("eligible_end")?.into(),
            y.num("enrolled_end")?.into(),
            p.into(),
            a.into(),
        ]);
    }
    let axes = |title, y_desc| Axes {
        title,
        x_desc: "year",
        x_labels: labels,
        y_desc,
        unit: Unit::Percent,
    };
    let charts = vec![
        chart::lines(
            &axes("Participation rate at Dec 31", "enrolled / eligible"),
            &[Series::new("participation rate", part)],
        ),
        chart::lines(
            &axes(
                "Average deferral rate of the enrolled at Dec 31",
                "deferral rate",
            ),
            &[Series::new("average deferral rate", avg)],
        ),
    ];
    Ok(Section {
        id: "participation".into(),
        title: "Participation and deferral rate".into(),
        note: "Among the active employees at Dec 31: participation = enrolled / eligible; the average deferral rate is the mean rate of the eligible enrolled (summed in basis points).".into(),
        charts,
        tables: vec![Table {
            id: "Participation".into(),
            title: "Participation and average deferral rate per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("eligible at Dec 31", Format::Int),
                col("enrolled at Dec 31", Format::Int),
                col("participation rate", Format::Percent),
                col("average deferral rate", Format::Percent),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn deferral_rates(years: &[Year], last: &Snapshot) -> wfsim::Result<Section> {
    let y = years.last().expect("a year");
    let enrolled = y.num("enrolled_end")?;
    let top = last.rates.iter().rposition(|n| *n > 0).unwrap_or(0);
    let bins = &last.rates[..=top];
    let labels: Vec<String> = (0..bins.len())
        .map(|b| {
            if b == MAX_BIN {
                format!("{b}+")
            } else {
                b.to_string()
            }
        })
        .collect();
    let total: usize = bins.iter().sum();
    let rows = bins
        .iter()
        .enumerate()
        .map(|(b, n)| {
            let range = if b == MAX_BIN {
                format!("{b} % and above")
            } else {
                format!("{b} % to under {} %", b + 1)
            };
            vec![
                Cell::Text(range),
                Cell::Num(*n as f64),
                (total > 0).then(|| *n as f64 / total as f64).into(),
            ]
        })
        .collect();
    let svg = chart::bars(
        &Axes {
            title: &format!("Deferral rates of the enrolled at Dec 31, {}", y.year),
            x_desc: "deferral rate (whole percent, rounded down)",
            x_labels: &labels,
            y_desc: "enrolled employees",
            unit: Unit::Count,
        },
        &[Series::new(
            "enrolled employees",
            bins.iter().map(|n| Some(*n as f64)).collect(),
        )],
        false,
    );
    Ok(Section {
        id: "deferral-rates".into(),
        title: format!("Distribution of deferral rates, end of {}", y.year),
        note: format!("From the {} snapshot: the active, eligible and enrolled employees at Dec 31 ({} of them, the enrolled count of the participation table) by deferral rate, in bins of one percentage point.", y.year, crate::table::grouped_int(enrolled)),
        charts: vec![svg],
        tables: vec![Table {
            id: "Deferral rates".into(),
            title: format!("Enrolled employees by deferral rate, Dec 31 {}", y.year),
            columns: vec![
                col("deferral rate", Format::Text),
                col("employees", Format::Int),
                col("share", Format::Percent),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn employer_cost(years: &[Year], labels: &[String]) -> wfsim::Result<Section> {
    let mut rows = vec![];
    let mut s: [Vec<Option<f64>>; 4] = Default::default();
    for y in years {
        let m = y.num("employer_match")?;
        let c = y.num("employer_core")?;
        let f = y.num("forfeitures")?;
        let pct = y.get("employer_cost_pct_of_payroll")?;
        for (v, x) in s.iter_mut().zip([Some(m), Some(c), Some(-f), pct]) {
            v.push(x);
        }
        rows.push(vec![
            year_cell(y),
            m.into(),
            c.into(),
            f.into(),
            y.num("employer_cost")?.into(),
            y.num("payroll")?.into(),
            pct.into(),
        ]);
    }
    let [m, c, f, pct] = s;
    let named = |name: &str, values| Series::new(name, values);
    let stacked = chart::bars(
        &Axes {
            title: "Employer cost: match + core − forfeitures",
            x_desc: "year",
            x_labels: labels,
            y_desc: "US dollars",
            unit: Unit::Money,
        },
        &[
            named("match", m),
            named("core", c),
            named("forfeitures (negative)", f),
        ],
        true,
    );
    let share = chart::lines(
        &Axes {
            title: "Employer cost as a share of payroll",
            x_desc: "year",
            x_labels: labels,
            y_desc: "cost / payroll",
            unit: Unit::Percent,
        },
        &[named("employer cost / payroll", pct)],
    );
    Ok(Section {
        id: "employer-cost".into(),
        title: "Employer cost".into(),
        note: "Employer cost = match + core − forfeitures of the year (forfeitures drawn below zero), summed in whole cents; its share of payroll is the quotient of the two dollar amounts.".into(),
        charts: vec![stacked, share],
        tables: vec![Table {
            id: "Employer cost".into(),
            title: "Employer cost per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("match", Format::Money),
                col("core", Format::Money),
                col("forfeitures", Format::Money),
                col("employer cost", Format::Money),
                col("payroll", Format::Money),
                col("cost / payroll", Format::Percent),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn accounts(years: &[Year], labels: &[String], config: &Config) -> wfsim::Result<Section> {
    let mut rows = vec![];
    let mut s: [Vec<Option<f64>>; 2] = Default::default();
    for y in years {
        let e = y.num("employee_balances")?;
        let r = y.num("employer_balances")?;
        for (v, x) in s.iter_mut().zip([e, r]) {
            v.push(Some(x));
        }
        rows.push(vec![year_cell(y), e.into(), r.into(), (e + r).into()]);
    }
    let [e, r] = s;
    let named = |name: &str, values| Series::new(name, values);
    let svg = chart::bars(
        &Axes {
            title: "Account balances at year end",
            x_desc: "year",
            x_labels: labels,
            y_desc: "US dollars",
            unit: Unit::Money,
        },
        &[named("employee accounts", e), named("employer accounts", r)],
        true,
    );
    let ret = config.accounts.annual_return.get();
    Ok(Section {
        id: "accounts".into(),
        title: "Account balances".into(),
        note: format!("The employees' own accounts and the employer accounts (match and core) at Dec 31, summed in whole cents over every snapshot row of the year (leavers: after their forfeiture). Each account earns one return on its opening balance each year, here {}: a simplification with no volatility, fund choice, fees or distributions.", crate::table::display(&Cell::Num(ret), Format::Percent)),
        charts: vec![svg],
        tables: vec![Table {
            id: "Account balances".into(),
            title: "Account balances per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("employee accounts", Format::Money),
                col("employer accounts", Format::Money),
                col("total", Format::Money),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    })
}

fn irs_limits(years: &[Year], labels: &[String], snaps: &[Snapshot], config: &Config) -> Section {
    let mut rows = vec![];
    let mut s: [Vec<Option<f64>>; 3] = Default::default();
    for (y, snap) in years.iter().zip(snaps) {
        let l = config.irs_limits.for_year(y.year);
        let n = &snap.limits;
        let counts = [n.deferral_402g, n.compensation_401a17, n.additions_415c].map(|v| v as f64);
        for (v, x) in s.iter_mut().zip(counts) {
            v.push(Some(x));
        }
        rows.push(vec![
            year_cell(y),
            l.elective_deferral.into(),
            counts[0].into(),
            l.compensation.into(),
            counts[1].into(),
            l.annual_additions.into(),
            counts[2].into(),
        ]);
    }
    let [g, a17, c415] = s;
    let named = |name: &str, values| Series::new(name, values);
    let svg = chart::bars(
        &Axes {
            title: "Employees at the IRS limits",
            x_desc: "year",
            x_labels: labels,
            y_desc: "employees",
            unit: Unit::Count,
        },
        &[
            named("402(g) deferral limit", g),
            named("401(a)(17) pay limit", a17),
            named("415(c) additions limit", c415),
        ],
        false,
    );
    Section {
        id: "irs-limits".into(),
        title: "IRS limits reached".into(),
        note: "Counted from each year's snapshot, every row (leavers included), in whole cents, against the year's limits (published or projected, irs_limits): 402(g) — elected_deferral at or above the elective-deferral limit (the part above becomes catch-up at 50+, else is cut); 401(a)(17) — prorated_compensation above the compensation limit (employer money is computed on the limited pay); 415(c) — employee_deferral − catch_up_deferral + employer_match + employer_core at the annual-additions limit (employer money was cut to fit).".into(),
        charts: vec![svg],
        tables: vec![Table {
            id: "IRS limits".into(),
            title: "Employees reaching each IRS limit per year".into(),
            columns: vec![
                col("year", Format::Year),
                col("402(g) limit", Format::Money),
                col("at 402(g)", Format::Int),
                col("401(a)(17) limit", Format::Money),
                col("above 401(a)(17)", Format::Int),
                col("415(c) limit", Format::Money),
                col("at 415(c)", Format::Int),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: false,
    }
}

/// An ADP or ACP result as the tables show it: SH when a safe-harbor design deems it passed
/// (whatever the figures), n/a when it does not apply, a failure marked.
pub fn test_result(t: &wfsim::ndt::Test) -> Cell {
    match (t.safe_harbor, t.pass) {
        (true, _) => Cell::from("SH"),
        (false, Some(true)) => Cell::from("PASS"),
        (false, Some(false)) => Cell::Mark("FAIL".into()),
        (false, None) => Cell::from("n/a"),
    }
}

/// `limit − HCE average` (a fraction; negative fails unless safe harbor), null when either is.
pub fn margin(t: &wfsim::ndt::Test) -> Option<f64> {
    Some(t.limit? - t.hce?)
}

fn nondiscrimination(years: &[Year], labels: &[String], config: &Config) -> Section {
    let mut tests = vec![];
    let mut people = vec![];
    // ADP, ACP: HCE average, limit, NHCE average
    let mut s: [[Vec<Option<f64>>; 3]; 2] = Default::default();
    for y in years {
        let n = &y.counts.ndt;
        let mut row = vec![year_cell(y)];
        for (t, v) in [&n.adp, &n.acp].into_iter().zip(s.iter_mut()) {
            for (series, x) in v.iter_mut().zip([t.hce, t.limit, t.nhce]) {
                series.push(x);
            }
            row.extend([
                t.hce.into(),
                t.nhce.into(),
                t.limit.into(),
                margin(t).into(),
                test_result(t),
                t.excess.into(),
            ]);
        }
        tests.push(row);
        let c = &n.coverage;
        people.push(vec![
            year_cell(y),
            Cell::Num(n.hce_count as f64),
            Cell::Num(n.key_count as f64),
            Cell::Num(n.adp.n_hce as f64),
            Cell::Num(n.adp.n_nhce as f64),
            Cell::Num(c.n_hce as f64),
            Cell::Num(c.benefiting_hce as f64),
            Cell::Num(c.n_nhce as f64),
            Cell::Num(c.benefiting_nhce as f64),
            c.ratio.into(),
            match (c.ratio, c.pass) {
                (None, _) => Cell::from("n/a"),
                (Some(_), true) => Cell::from("PASS"),
                (Some(_), false) => Cell::Mark("FAIL".into()),
            },
            n.top_heavy.ratio.into(),
            if n.top_heavy.top_heavy {
                Cell::Mark("yes".into())
            } else {
                Cell::from("no")
            },
        ]);
    }
    let [adp, acp] = s;
    let chart_of = |title: &str, noun: &str, [hce, limit, nhce]: [Vec<Option<f64>>; 3]| {
        chart::lines(
            &Axes {
                title,
                x_desc: "year",
                x_labels: labels,
                y_desc: noun,
                unit: Unit::Percent,
            },
            &[
                Series::new("HCE average", hce),
                Series::dashed("limit (the largest HCE average that passes)", limit),
                Series::new("NHCE average tested against", nhce),
            ],
        )
    };
    let charts = vec![
        chart_of(
            "ADP test: the HCEs' average deferral ratio against its limit",
            "deferral ratio",
            adp,
        ),
        chart_of(
            "ACP test: the HCEs' average match ratio against its limit",
            "match ratio",
            acp,
        ),
    ];
    let rules = &config.ndt;
    let pct = |v: f64| display(&Cell::Num(v), Format::Percent);
    let method = match rules.testing_method {
        TestingMethod::Current => "the same year's NHCE average (current-year method)".to_string(),
        TestingMethod::Prior => format!(
            "the year before's NHCE average (prior-year method; in the first year {} for the ADP and {} for the ACP)",
            pct(rules.first_year_nhce_adp.get()),
            pct(rules.first_year_nhce_acp.get()),
        ),
    };
    let safe = match rules.safe_harbor {
        SafeHarbor::None => "there is no safe-harbor design",
        SafeHarbor::Adp => {
            "a safe-harbor design deems the ADP test passed (SH), whatever its figures"
        }
        SafeHarbor::AdpAcp => {
            "a safe-harbor design deems the ADP and ACP tests passed (SH), whatever their figures"
        }
    };
    let note = format!(
        "From each year's snapshot (the ndt of generation_summary.json). The HCE average is tested against {method}; {safe}. \
         ADP: each eligible employee's deferrals without catch-ups / testing pay, averaged over the HCEs and over the NHCEs; ACP: the same with the match. \
         The limit is the largest HCE average that passes: 1.25 × the NHCE average, or the NHCE average + 2 points but at most twice it, whichever is larger. \
         Margin = limit − HCE average, in percentage points: below 0 the test fails; excess = the HCEs' deferrals (match) above the level that would pass (the IRS correction's step 1). \
         n/a: no HCE or no NHCE to test. HCEs: every employee of the year who is highly compensated, leavers included; tested: those in the ADP/ACP population (eligible, with pay). \
         Coverage (410(b), the deferral part): of the non-excludable (410(b): age 21 and a year of service), the share of NHCEs benefiting (in the ADP population) over the share of HCEs benefiting, passing at 70 % (n/a: no HCE benefiting, counted as a pass). \
         Top-heavy: the key employees' share of all account balances at Dec 31; above 60 % the plan is top-heavy."
    );
    let caveat = Some(wfsim::ndt::SIMPLIFICATIONS.to_string());
    let mut columns = vec![col("year", Format::Year)];
    for t in ["ADP", "ACP"] {
        columns.extend([
            col(&format!("{t} HCE average"), Format::Percent),
            col(&format!("{t} NHCE average"), Format::Percent),
            col(&format!("{t} limit"), Format::Percent),
            col(&format!("{t} margin"), Format::Points),
            col(&format!("{t} result"), Format::Text),
            col(&format!("{t} excess"), Format::Money),
        ]);
    }
    Section {
        id: "nondiscrimination".into(),
        title: "Nondiscrimination tests".into(),
        note,
        charts,
        tables: vec![
            Table {
                id: "Nondiscrimination".into(),
                title: "ADP and ACP tests per year".into(),
                columns,
                rows: tests,
                note: caveat.clone(),
            },
            Table {
                id: "Coverage and top-heavy".into(),
                title: "HCEs, coverage and top-heavy per year".into(),
                columns: vec![
                    col("year", Format::Year),
                    col("HCEs", Format::Int),
                    col("key employees", Format::Int),
                    col("HCEs tested", Format::Int),
                    col("NHCEs tested", Format::Int),
                    col("410(b) HCEs", Format::Int),
                    col("HCEs benefiting", Format::Int),
                    col("410(b) NHCEs", Format::Int),
                    col("NHCEs benefiting", Format::Int),
                    col("coverage ratio", Format::Percent),
                    col("coverage result", Format::Text),
                    col("top-heavy ratio", Format::Percent),
                    col("top-heavy", Format::Text),
                ],
                rows: people,
                note: caveat.clone(),
            },
        ],
        caveat,
        folded: false,
    }
}
