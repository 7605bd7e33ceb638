//! The per-year summary table printed after a run.

use wfsim::event::KINDS;
use wfsim::totals::grouped;
use wfsim::year::YearCounts;

/// What each column of the table means, for `wfsim run --help`. The event columns come from the
/// event registry, so a new kind is explained as soon as it is counted.
pub fn legend() -> String {
    let mut rows: Vec<(String, String)> = vec![
        ("year".into(), "the simulated year".into()),
        ("start".into(), "active employees at Jan 1".into()),
    ];
    rows.extend(KINDS.iter().map(|k| {
        (
            k.column.to_string(),
            format!(
                "{} (event_category {})",
                k.counter.replace('_', " "),
                k.label
            ),
        )
    }));
    rows.push(("end".into(), "active employees at Dec 31".into()));
    rows.push(("growth%".into(), "(end - start) / start, in percent".into()));
    rows.push((
        "partic%".into(),
        "participation: enrolled / eligible among the actives at Dec 31, in percent".into(),
    ));
    rows.push((
        "employer_cost".into(),
        "employer match + core - forfeitures over the year, in whole dollars".into(),
    ));
    rows.push((
        "cost%pay".into(),
        "employer_cost / payroll (prorated compensation of everyone employed in the year), in percent"
            .into(),
    ));
    rows.push((
        "ADP".into(),
        "the ADP test of the year: pass, FAIL with the HCE average's margin over the limit in \
         percentage points, SH (deemed passed: safe harbor) or n/a (no HCE or no NHCE to test)"
            .into(),
    ));
    rows.push(("ACP".into(), "the ACP test (the match), likewise".into()));
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut out = String::from(
        "The summary table printed after a run has one row per year; each event column counts \
         the year's events of one category (generation_summary.json has the same counts under \
         the names below, with underscores):\n",
    );
    for (column, meaning) in rows {
        out.push_str(&format!("  {column:<width$}  {meaning}\n"));
    }
    out
}

/// One column per event kind, between the start and end headcounts.
pub fn render(years: &[YearCounts]) -> String {
    let header: Vec<&str> = ["year", "start"]
        .into_iter()
        .chain(KINDS.iter().map(|k| k.column))
        .chain([
            "end",
            "growth%",
            "partic%",
            "employer_cost",
            "cost%pay",
            "ADP",
            "ACP",
        ])
        .collect();
    let rows: Vec<Vec<String>> = years
        .iter()
        .map(|y| {
            [y.year.to_string(), y.n_start.to_string()]
                .into_iter()
                .chain(y.by_kind.iter().map(i64::to_string))
                .chain([
                    y.n_end.to_string(),
                    format!("{:.2}", y.growth_pct()),
                    percent(y.totals.participation_rate()),
                    whole_dollars(y.totals.employer_cost()),
                    percent(y.totals.employer_cost_pct_of_payroll()),
                    outcome(&y.ndt.adp),
                    outcome(&y.ndt.acp),
                ])
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let parts: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    let mut out = line(&mut header.iter().copied());
    for r in &rows {
        out.push_str(&line(&mut r.iter().map(String::as_str)));
    }
    out
}

/// The share of seeds passing, in percent with no decimals; `n/a` when no seed had the test.
fn pass_share(s: &wfsim::batch::metrics::Stats) -> String {
    s.mean
        .map_or_else(|| "n/a".into(), |m| format!("{:.0}", m * 100.0))
}

/// An ADP or ACP result in a few characters: `pass`, `FAIL -0.57` (the HCE average's margin
/// below the limit, in percentage points), `SH` (safe harbor) or `n/a`.
fn outcome(t: &wfsim::ndt::Test) -> String {
    match (t.safe_harbor, t.pass, t.hce, t.limit) {
        (true, ..) => "SH".into(),
        (false, Some(true), ..) => "pass".into(),
        (false, Some(false), Some(h), Some(l)) => format!("FAIL {:.2}", (l - h) * 100.0),
        _ => "n/a".into(),
    }
}

/// A share as a percentage with two decimals; `-` when it has no denominator.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".into(), |s| format!("{:.2}", s * 100.0))
}

/// Cents as whole dollars (half away from zero), thousands grouped.
fn whole_dollars(cents: i64) -> String {
    let dollars = (cents.unsigned_abs() + 50) / 100;
    let sign = if cents < 0 && dollars > 0 { "-" } else { "" };
    format!("{sign}{}", grouped(u128::from(dollars)))
}

/// Per scenario of a batch: the employer cost summed over the horizon (P10/P50/P90) and its
/// paired delta against the baseline, then the last year's participation and test pass shares.
pub fn render_batch(rows: &[wfsim::batch::ScenarioResult], baseline: &str) -> String {
    let money = |v: Option<f64>| {
        v.map_or_else(|| "-".into(), |d| whole_dollars((d * 100.0).round() as i64))
    };
    let signed = |v: Option<f64>| {
        v.map_or_else(
            || "-".into(),
            |d| {
                let s = whole_dollars((d * 100.0).round() as i64);
                if d > 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            },
        )
    };
    let year = rows.first().map_or(0, |r| r.year);
    let titled = rows.iter().any(|r| r.title.is_some());
    let mut header = vec![
        "scenario",
        "total cost P10",
        "total cost P50",
        "total cost P90",
        "partic% P50",
        "Δtotal P50",
        "Δtotal P10..P90",
        "Δpartic pts P10..P90",
        "ADP pass%",
        "ACP pass%",
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let (d50, band) = match &r.employer_cost_total_delta {
                Some(d) => (
                    signed(d.p50),
                    format!("{}..{}", signed(d.p10), signed(d.p90)),
                ),
                None => ("baseline".into(), "-".into()),
            };
            let points =
                |v: Option<f64>| v.map_or_else(|| "-".into(), |x| format!("{:+.2}", x * 100.0));
            let partic = r.participation_delta.as_ref().map_or_else(
                || "-".into(),
                |d| format!("{}..{}", points(d.p10), points(d.p90)),
            );
            let mut row = vec![
                r.scenario_id.clone(),
                money(r.employer_cost_total.p10),
                money(r.employer_cost_total.p50),
                money(r.employer_cost_total.p90),
                percent(r.participation.p50),
                d50,
                band,
                partic,
                pass_share(&r.adp_pass),
                pass_share(&r.acp_pass),
            ];
            if titled {
                row.insert(1, r.title.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    // The title column only when a scenario has one (left-aligned, like the id).
    if titled {
        header.insert(1, "title");
    }
    let left = if titled { 2 } else { 1 };
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            body.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = w.saturating_sub(c.chars().count());
                if i < left {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    let first = rows.first().map_or(year, |r| r.first_year);
    let mut out = format!(
        "Over the seeds: total cost = employer match + core - forfeitures summed over {first}-{year}, whole dollars; partic%, Δpartic and pass% are {year}'s; Δ = paired difference against {baseline}; pass% = share of the seeds where the test applies that pass it, safe harbor included:\n"
    );
    out.push_str(&line(header.to_vec()));
    for r in &body {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
