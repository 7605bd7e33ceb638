//! Which designs to evaluate. The full grid on every seed when it fits the budget. Otherwise:
//! 1. **sample**: half the budget as a Latin hypercube over the levers' value indexes (each
//!    lever's range cut into as many strata as samples, one sample per stratum, strata paired at
//!    random), drawn by md5 from the first seed, so the same file always samples the same
//!    designs; evaluated on the first quarter of the seeds;
//! 2. **halving**: the best third of them (feasible first, then by objective) on every seed;
//! 3. **refine**: from the best design so far, each lever one step either way, on every seed,
//!    moving to a better neighbour until none is better or the budget is spent.
//!
//! Every design is judged on the same seeds as every other in its stage, and the order of
//! evaluation never depends on timing, so the result is the same for any thread count.

use super::{compare, judge, Design, Point, Spec};
use crate::batch::YearMetrics;
use crate::error::Result;
use crate::rng::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Grid,
    Sample,
    Halving,
    Refine,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Grid => "grid",
            Stage::Sample => "sample",
            Stage::Halving => "halving",
            Stage::Refine => "refine",
        }
    }
}

/// The number of designs in the full grid (saturating).
pub fn grid_size(levers: &[super::Lever]) -> u128 {
    levers
        .iter()
        .fold(1u128, |n, l| n.saturating_mul(l.values.len() as u128))
}

/// Per design, per seed, the run's years.
pub type Runs = Vec<Vec<Vec<YearMetrics>>>;

/// Evaluates designs on seeds in a stage (the caller runs them as batch runs).
pub type Evaluate<'a> = dyn FnMut(&[Point], &[u64], Stage) -> Result<Runs> + 'a;

pub struct Found {
    pub designs: Vec<Design>,
    pub runs: usize,
    pub method: &'static str,
}

struct Search<'s, 'e> {
    spec: &'s Spec,
    evaluate: &'e mut Evaluate<'e>,
    designs: Vec<Design>,
    /// A design's index in `designs`, by point.
    index: BTreeMap<Point, usize>,
    /// The partial runs of sampled designs, kept to be completed by halving.
    partial: BTreeMap<Point, Vec<Vec<YearMetrics>>>,
    runs: usize,
}

impl Search<'_, '_> {
    /// Evaluates `points` on `seeds` and records them (a point seen before is re-judged on its
    /// runs so far plus these).
    fn run(&mut self, points: &[Point], seeds: &[u64], stage: Stage) -> Result<()> {
        if points.is_empty() {
            return Ok(());
        }
        let results = (self.evaluate)(points, seeds, stage)?;
        self.runs += points.len() * seeds.len();
        for (p, runs) in points.iter().zip(results) {
            let mut all = self.partial.remove(p).unwrap_or_default();
            all.extend(runs);
            let (objectives, constraints, feasible, violation) = judge(self.spec, &all);
            let seeds = all.len();
            let design = Design {
                id: 0,
                point: p.clone(),
                stage,
                seeds,
                objectives,
                constraints,
                feasible,
                violation,
                rank: None,
            };
            match self.index.get(p) {
                Some(&i) => {
                    let id = self.designs[i].id;
                    self.designs[i] = Design { id, ..design };
                }
                None => {
                    let id = self.designs.len() + 1;
                    self.index.insert(p.clone(), self.designs.len());
                    self.designs.push(Design { id, ..design });
                }
            }
            if seeds < self.spec.batch.seeds.len() {
                self.partial.insert(p.clone(), all);
            }
        }
        Ok(())
    }

    /// The best design evaluated on every seed.
    fn best(&self) -> Option<&Design> {
        let all = self.spec.batch.seeds.len();
        self.designs
            .iter()
            .filter(|d| d.seeds == all)
            .min_by(|a, b| compare(self.spec, a, b))
    }
}

/// Every point of the grid, the last lever varying fastest.
fn grid(counts: &[usize]) -> Vec<Point> {
    let mut out = vec![vec![]];
    for &c in counts {
        out = out
            .into_iter()
            .flat_map(|p: Point| {
                (0..c).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    out
}

/// `n` distinct points of a Latin hypercube over the levers' indexes (fewer when strata
/// collide on a short lever), drawn with `rng`.
fn sample(counts: &[usize], n: usize, rng: &Rng) -> Vec<Point> {
    let u = |id: String, j: usize| rng.draw_named(&id, j as i32, "optimize").u();
    // per lever, a random pairing of samples with strata
    let strata: Vec<Vec<usize>> = (0..counts.len())
        .map(|j| {
            let draws: Vec<f64> = (0..n).map(|a| u(format!("stratum_{a}"), j)).collect();
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| draws[a].total_cmp(&draws[b]));
            order
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = vec![];
    let points = (0..n).map(|i| -> Point {
        counts
            .iter()
            .zip(&strata)
            .enumerate()
            .map(|(j, (&c, order))| {
                let x = (order[i] as f64 + u(format!("point_{i}"), j)) / n as f64;
                ((x * c as f64).floor() as usize).min(c - 1)
            })
            .collect()
    });
    for p in points {
        if seen.insert(p.clone()) {
            out.push(p);
        }
    }
    out
}

/// Runs the search; `best` hears of each new best design.
pub fn search(spec: &Spec, evaluate: &mut Evaluate<'_>, best: &dyn Fn(&Design)) -> Result<Found> {
    let counts: Vec<usize> = spec.levers.iter().map(|l| l.values.len()).collect();
    let seeds = spec.batch.seeds.clone();
    let mut s = Search {
        spec,
        evaluate,
        designs: vec![],
        index: BTreeMap::new(),
        partial: BTreeMap::new(),
        runs: 0,
    };
    let budget = spec.max_designs;
    if grid_size(&spec.levers) <= budget as u128 {
        let points = grid(&counts);
        s.run(&points, &seeds, Stage::Grid)?;
        if let Some(b) = s.best() {
            best(b);
        }
        return Ok(Found {
            designs: s.designs,
            runs: s.runs,
            method: "grid",
        });
    }
    // 1. sample on the first quarter of the seeds
    let rng = Rng::new(seeds[0]);
    let points = sample(&counts, (budget / 2).max(1), &rng);
    let few = seeds.len().div_ceil(4).max(1);
    s.run(&points, &seeds[..few], Stage::Sample)?;
    // 2. the best third on the other seeds
    if few < seeds.len() {
        let mut order: Vec<usize> = (0..s.designs.len()).collect();
        order.sort_by(|&a, &b| compare(spec, &s.designs[a], &s.designs[b]));
        let keep: Vec<Point> = order
            .iter()
            .take((points.len() / 3).max(1))
            .map(|&i| s.designs[i].point.clone())
            .collect();
        s.run(&keep, &seeds[few..], Stage::Halving)?;
    }
    // 3. step to better neighbours until none is better or the budget is spent
    while let Some(current) = s.best().cloned() {
        best(&current);
        let room = budget.saturating_sub(s.designs.len());
        let neighbours: Vec<Point> = (0..counts.len())
            .flat_map(|j| {
                let p = current.point.clone();
                [
                    p[j].checked_sub(1),
                    (p[j] + 1 < counts[j]).then_some(p[j] + 1),
                ]
                .into_iter()
                .flatten()
                .map(move |v| {
                    let mut q = p.clone();
                    q[j] = v;
                    q
                })
            })
            .filter(|q| !s.index.contains_key(q))
            .take(room)
            .collect();
        if neighbours.is_empty() {
            break;
        }
        s.run(&neighbours, &seeds, Stage::Refine)?;
        let now = s.best().expect("designs on every seed").clone();
        if now.point == current.point {
            break;
        }
    }
    Ok(Found {
        designs: s.designs,
        runs: s.runs,
        method: "sample, halving, refine",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_runs_the_last_lever_fastest() {
        assert_eq!(
            grid(&[2, 3]),
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(|p| p.to_vec())
        );
    }

    #[test]
    fn a_latin_hypercube_covers_every_stratum_of_each_lever() {
        let rng = Rng::new(1);
        let p = sample(&[100, 50], 10, &rng);
        assert_eq!(p.len(), 10);
        for (j, c) in [100usize, 50].into_iter().enumerate() {
            let mut strata: Vec<usize> = p.iter().map(|q| q[j] * 10 / c).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>(), "lever {j}");
        }
        assert_eq!(sample(&[100, 50], 10, &rng), p, "the same draws");
    }
}
