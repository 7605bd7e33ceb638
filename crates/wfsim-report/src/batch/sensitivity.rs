//! Which assumption matters (issue 35): with `uncertainty:` in the batch, each drawn key's
//! Spearman rank correlation with the horizon's employer cost, the last year's participation and
//! the paired cost difference against the baseline, over the seeds, per scenario, as a tornado
//! chart and a table. Read from `parameters.parquet`, `horizon.parquet` and `metrics.parquet`.

use super::Study;
use crate::chart::{self, Series};
use crate::read;
use crate::table::{col, Cell, Format, Section, Table};
use std::collections::BTreeMap;
use std::path::Path;

/// Spearman's rank correlation: Pearson's correlation of the ranks, ties given their average
/// rank. `None` with fewer than three pairs or when either side does not vary.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 3 || y.len() != n {
        return None;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (dx, dy) = (a - mean, b - mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// 1-based ranks, ties sharing the average of the ranks they span.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// The three results a committee asks about, per scenario and seed.
struct Results {
    /// (scenario, seed) → employer cost over the horizon, in cents.
    cost: BTreeMap<(String, i64), i64>,
    /// (scenario, seed) → the last year's participation.
    participation: BTreeMap<(String, i64), f64>,
}

fn results(dir: &Path, last: i32) -> wfsim::Result<Results> {
    let h = read::parquet(
        &dir.join("horizon.parquet"),
        &["scenario_id", "random_seed", "metric", "value"],
    )?;
    let mut cost = BTreeMap::new();
    for (((sc, k), m), v) in h
        .string("scenario_id")?
        .into_iter()
        .zip(h.i64("random_seed")?)
        .zip(h.string("metric")?)
        .zip(h.f64("value")?)
    {
        if let (true, Some(v)) = (m == "employer_cost_total", v) {
            cost.insert((sc, k), (v * 100.0).round() as i64);
        }
    }
    let m = read::parquet(
        &dir.join("metrics.parquet"),
        &[
            "scenario_id",
            "random_seed",
            "simulation_year",
            "participation_rate",
        ],
    )?;
    let mut participation = BTreeMap::new();
    for (((sc, k), y), p) in m
        .string("scenario_id")?
        .into_iter()
        .zip(m.i64("random_seed")?)
        .zip(m.i32("simulation_year")?)
        .zip(m.f64("participation_rate")?)
    {
        if let (true, Some(p)) = (y == last, p) {
            participation.insert((sc, k), p);
        }
    }
    Ok(Results {
        cost,
        participation,
    })
}

/// A result of one run, by scenario and seed (`None`: not there, or null).
type Outcome<'a> = dyn Fn(&str, i64) -> Option<f64> + 'a;

/// The section, or `None` for a batch without `uncertainty:` (no `parameters.parquet`).
pub fn section(st: &Study, dir: &Path) -> wfsim::Result<Option<Section>> {
    let path = dir.join("parameters.parquet");
    if !path.exists() {
        return Ok(None);
    }
    let p = read::parquet(&path, &["random_seed", "key_path", "value"])?;
    // key → seed → draw, keys in batch order (the file's order within a seed)
    let mut keys: Vec<String> = vec![];
    let mut draws: BTreeMap<(String, i64), f64> = BTreeMap::new();
    for ((k, key), v) in p
        .i64("random_seed")?
        .into_iter()
        .zip(p.string("key_path")?)
        .zip(p.f64("value")?)
    {
        if !keys.contains(&key) {
            keys.push(key.clone());
        }
        draws.insert((key, k), v.unwrap_or(f64::NAN));
    }
    let r = results(dir, st.last())?;
    let base = st.s.baseline.as_str();
    let seeds: Vec<i64> = st.s.seeds.iter().map(|&k| k as i64).collect();
    let span = st.span();
    let last = st.last();
    let outcomes: [(String, &Outcome); 3] = [
        (format!("employer cost {span}"), &|sc, k| {
            r.cost.get(&(sc.to_string(), k)).map(|&c| c as f64)
        }),
        (format!("participation {last}"), &|sc, k| {
            r.participation.get(&(sc.to_string(), k)).copied()
        }),
        (
            format!("Δ employer cost {span} against {base}"),
            &|sc, k| {
                let c = r.cost.get(&(sc.to_string(), k))?;
                let b = r.cost.get(&(base.to_string(), k))?;
                Some((c - b) as f64)
            },
        ),
    ];
    let mut charts = vec![];
    let mut rows = vec![];
    for sc in &st.scenarios {
        let with_delta = *sc != base;
        let used = if with_delta { 3 } else { 2 };
        // rho per key and outcome
        let rho: Vec<Vec<Option<f64>>> = keys
            .iter()
            .map(|key| {
                outcomes[..used]
                    .iter()
                    .map(|(_, get)| {
                        let (x, y): (Vec<f64>, Vec<f64>) = seeds
                            .iter()
                            .filter_map(|&k| Some((*draws.get(&(key.clone(), k))?, get(sc, k)?)))
                            .unzip();
                        spearman(&x, &y)
                    })
                    .collect()
            })
            .collect();
        // strongest first
        let mut order: Vec<usize> = (0..keys.len()).collect();
        let strength = |i: usize| rho[i].iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
        order.sort_by(|&a, &b| strength(b).total_cmp(&strength(a)).then(a.cmp(&b)));
        let names: Vec<String> = order.iter().map(|&i| keys[i].clone()).collect();
        let series: Vec<Series> = (0..used)
            .map(|o| {
                Series::new(
                    outcomes[o].0.clone(),
                    order.iter().map(|&i| rho[i][o]).collect(),
                )
            })
            .collect();
        charts.push(chart::tornado(
            &format!("Which assumption matters: {}", st.name(sc)),
            "rank correlation with the result over the seeds (−1 to 1)",
            &names,
            &series,
        ));
        for &i in &order {
            let mut row = vec![Cell::from(*sc), Cell::from(keys[i].as_str())];
            row.extend((0..3).map(|o| rho[i].get(o).copied().flatten().into()));
            rows.push(row);
        }
    }
    let n = seeds.len();
    Ok(Some(Section {
        id: "sensitivity".into(),
        title: "Which assumption matters".into(),
        note: format!(
            "Each uncertain assumption is drawn once per seed (the same draw in every scenario). For each scenario, the bars are the Spearman rank correlation, over the {n} seeds, between an assumption's draw and a result: near +1 or −1 the assumption moves the result almost alone, near 0 it hardly matters over its range (or its effect is lost in the seeds' own noise). \
             It ranks what to pin down; it is not a dollar amount, it holds only over the ranges in the batch file, and the assumptions are drawn independently of one another. With few seeds a correlation of ±0.2 can be chance."
        ),
        charts,
        tables: vec![Table {
            id: "Sensitivity".into(),
            title: format!("Rank correlation of each uncertain assumption with the results over {n} seeds"),
            columns: vec![
                col("scenario", Format::Text),
                col("assumption", Format::Text),
                col(&outcomes[0].0, Format::Decimal),
                col(&outcomes[1].0, Format::Decimal),
                col(&outcomes[2].0, Format::Decimal),
            ],
            rows,
            note: None,
        }],
        caveat: None,
        folded: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_by_hand() {
        // one swap in four: 1 - 6 Σd² / (n (n² - 1)) = 1 - 6·2/60 = 0.8
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 30.0, 20.0, 40.0]).unwrap();
        assert!((r - 0.8).abs() < 1e-12, "{r}");
        // monotone but not linear: 1; reversed: -1
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[1.0, 8.0, 27.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        // ties take the average rank: x ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4
        // Pearson of those ranks: Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → 4.5 / sqrt(22.5)
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((r - 4.5 / 22.5f64.sqrt()).abs() < 1e-12, "{r}");
        // a constant side or too few pairs has no correlation
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 2.0]), None);
    }
}
