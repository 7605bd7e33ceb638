//! Assumption uncertainty (spec §8): config keys drawn once per seed from a distribution, so a
//! batch's bands include what we do not know about the assumptions as well as the seeds' noise.
//! The draw is `u(key_path, 0, "uncertainty")` at the seed, the same in every scenario (paired
//! deltas still isolate the design), and run (s, k) is a single run of its drawn config.

use crate::config::{self, key_text, Document, KeyPath, Model, Step};
use crate::error::{Error, Result};
use crate::rng::{Rng, Stream};
use serde::Deserialize;
use serde_norway::{Mapping, Value};
use std::path::Path;

/// A distribution a key is drawn from.
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    /// `[a, b]`, a ≤ b.
    Uniform([f64; 2]),
    /// `[a, c, b]`: a ≤ c ≤ b, a < b.
    Triangular([f64; 3]),
    /// One of the values, each with probability 1/n.
    Choice(Vec<f64>),
}

impl Distribution {
    /// The value at the draw `u` in [0, 1), by the formulas of spec §8.
    pub fn value(&self, u: f64) -> f64 {
        match *self {
            Distribution::Uniform([a, b]) => a + (b - a) * u,
            Distribution::Triangular([a, c, b]) => {
                if u < (c - a) / (b - a) {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            }
            Distribution::Choice(ref v) => v[(u * v.len() as f64).floor() as usize],
        }
    }

    /// Every value a draw can reach the ends of (checked against the key before anything runs).
    fn endpoints(&self) -> Vec<f64> {
        match self {
            Distribution::Uniform(v) => v.to_vec(),
            Distribution::Triangular(v) => v.to_vec(),
            Distribution::Choice(v) => v.clone(),
        }
    }

    /// Whether every value a draw can take is whole (a `choice` of integers), as an integer
    /// key needs.
    fn is_whole(&self) -> bool {
        matches!(self, Distribution::Choice(v) if v.iter().all(|x| x.fract() == 0.0))
    }

    /// `uniform [0, 0.6]`, as the batch file says it.
    pub fn describe(&self) -> String {
        let list = |v: &[f64]| {
            let v: Vec<String> = v.iter().map(f64::to_string).collect();
            v.join(", ")
        };
        match self {
            Distribution::Uniform(v) => format!("uniform [{}]", list(v)),
            Distribution::Triangular(v) => format!("triangular [{}]", list(v)),
            Distribution::Choice(v) => format!("choice [{}]", list(v)),
        }
    }
}

/// One uncertain key of the batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertain {
    pub key: KeyPath,
    pub distribution: Distribution,
    /// The draw multiplies the scenario's value instead of replacing it.
    pub scale: bool,
}

impl Uncertain {
    /// The key's draw at `seed`.
    pub fn draw(&self, seed: u64) -> f64 {
        let u = Rng::new(seed)
            .draw(self.key.as_str(), 0, Stream::Uncertainty)
            .u();
        self.distribution.value(u)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    uniform: Option<Vec<f64>>,
    triangular: Option<Vec<f64>>,
    choice: Option<Vec<f64>>,
    #[serde(default)]
    scale: bool,
}

/// Reads the batch file's `uncertainty:` mapping, in its order. `fixed` says which key paths
/// the batch fixes for every scenario.
pub(super) fn parse(
    block: &Mapping,
    file: &str,
    fixed: impl Fn(&KeyPath) -> bool,
) -> Result<Vec<Uncertain>> {
    let mut out: Vec<Uncertain> = Vec::with_capacity(block.len());
    for (k, v) in block {
        let text = key_text(k);
        let at = format!("uncertainty.{text}");
        let fail = |m: String| fail(file, &at, m);
        let key: KeyPath = text.parse().map_err(fail)?;
        if fixed(&key) {
            return Err(fail(format!(
                "`{key}` is fixed by the batch for every scenario (the run identity keys, the census section and how census rows get a level): it cannot be uncertain"
            )));
        }
        if out.iter().any(|u| u.key == key) {
            return Err(fail("the key is listed twice".into()));
        }
        let raw: Raw = serde_norway::from_value(v.clone()).map_err(|e| {
            fail(format!(
                "{e} (give one of {{uniform: [a, b]}}, {{triangular: [a, c, b]}}, {{choice: [v1, …]}}, and optionally scale: true)"
            ))
        })?;
        let distribution = match (raw.uniform, raw.triangular, raw.choice) {
            (Some(v), None, None) => match v[..] {
                [a, b] if a <= b => Distribution::Uniform([a, b]),
                _ => return Err(fail(format!("uniform takes [a, b] with a ≤ b, not {v:?}"))),
            },
            (None, Some(v), None) => match v[..] {
                [a, c, b] if a <= c && c <= b && a < b => Distribution::Triangular([a, c, b]),
                _ => {
                    return Err(fail(format!(
                        "triangular takes [a, c, b] with a ≤ c ≤ b and a < b, not {v:?}"
                    )))
                }
            },
            (None, None, Some(v)) if !v.is_empty() => Distribution::Choice(v),
            (None, None, Some(_)) => return Err(fail("choice needs at least one value".into())),
            _ => {
                return Err(fail(
                    "give exactly one of uniform, triangular or choice".into(),
                ))
            }
        };
        if distribution.endpoints().iter().any(|x| !x.is_finite()) {
            return Err(fail("the values must be finite numbers".into()));
        }
        out.push(Uncertain {
            key,
            distribution,
            scale: raw.scale,
        });
    }
    Ok(out)
}

fn fail(file: &str, key: &str, message: impl Into<String>) -> Error {
    Error::Config {
        file: file.into(),
        key: key.into(),
        message: message.into(),
    }
}

/// Whether `overlay` sets `key` (spec §8): writing the key, or a list, scalar or data-keyed map
/// on its path, counts; a mapping of other keys on the way does not.
pub(super) fn overlay_sets(overlay: &Mapping, key: &KeyPath, data_keyed: &[&str]) -> bool {
    let mut node = overlay;
    let mut path = String::new();
    for step in key.steps() {
        let Step::Key(k) = step else {
            // a list on the path was written as a whole (a mapping never holds an index)
            return true;
        };
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(k);
        let Some((_, v)) = node.iter().find(|(name, _)| key_text(name) == *k) else {
            return false;
        };
        match v {
            Value::Mapping(m) if !data_keyed.contains(&path.as_str()) => node = m,
            _ => return true,
        }
    }
    true
}

/// The value a draw gives `key` in `doc`: the draw itself, or the draw times the document's
/// value with `scale`. An integer key keeps an integer.
fn drawn_value(doc: &Document, u: &Uncertain, draw: f64) -> std::result::Result<Value, String> {
    let current = doc.at(&u.key).ok_or_else(|| {
        format!(
            "the config has no key `{}` (a list element must exist: its list keeps its length)",
            u.key
        )
    })?;
    let integer = current.is_i64() || current.is_u64();
    let kind = match current {
        Value::Number(_) | Value::Null => None,
        Value::Bool(_) => Some("true or false"),
        Value::String(_) => Some("text"),
        Value::Sequence(_) => Some("a list (name one element as [i])"),
        Value::Mapping(_) => Some("a section (name one of its keys)"),
        Value::Tagged(_) => Some("a tagged value"),
    };
    if let Some(kind) = kind {
        return Err(format!("`{}` holds {kind}, not a number", u.key));
    }
    let value = if u.scale {
        let base = current
            .as_f64()
            .ok_or_else(|| format!("`{}` has no value to scale", u.key))?;
        base * draw
    } else {
        draw
    };
    if integer {
        if value.fract() != 0.0 || !u.distribution.is_whole() {
            return Err(format!(
                "`{}` holds a whole number: give it a choice of whole numbers",
                u.key
            ));
        }
        return Ok(Value::from(value as i64));
    }
    Ok(Value::from(value))
}

/// `model`'s config with each key whose flag in `applies` is set drawn to its value in
/// `draws`, checked like a config file (`label` names it in messages).
pub(super) fn drawn_model(
    model: &Model,
    keys: &[Uncertain],
    applies: &[bool],
    draws: &[f64],
    label: &str,
) -> std::result::Result<Model, Error> {
    let mut doc = Document::of(&model.config);
    for ((u, &draw), _) in keys
        .iter()
        .zip(draws)
        .zip(applies)
        .filter(|(_, &applies)| applies)
    {
        let value = drawn_value(&doc, u, draw)
            .map_err(|m| fail(label, &format!("uncertainty.{}", u.key), m))?;
        *doc.at_mut(&u.key).expect("drawn_value found the key") = value;
    }
    let config = doc.into_config(Path::new(label))?;
    config::validate(config, label)
}

/// Checks every endpoint of every key against `model` (a scenario's, or the base's), one key
/// at a time: the endpoint replacing the key (times its value with `scale`) must give a valid
/// config. `label` names the scenario.
pub(super) fn check_endpoints(
    model: &Model,
    keys: &[Uncertain],
    applies: &[bool],
    label: &str,
) -> Result<()> {
    let doc = Document::of(&model.config);
    for (i, u) in keys.iter().enumerate() {
        if !applies[i] {
            continue;
        }
        // the key itself first: it exists here and holds a number of the draw's kind
        drawn_value(&doc, u, u.distribution.endpoints()[0])
            .map_err(|m| fail(label, &format!("uncertainty.{}", u.key), m))?;
        let only: Vec<bool> = (0..keys.len()).map(|j| j == i).collect();
        for x in u.distribution.endpoints() {
            let draws = vec![x; keys.len()];
            drawn_model(model, keys, &only, &draws, label).map_err(|e| {
                let what = if u.scale {
                    format!("the endpoint {x} times the value of {label}")
                } else {
                    format!("the endpoint {x} in {label}")
                };
                fail(
                    label,
                    &format!("uncertainty.{}", u.key),
                    format!("{what} is not a valid value: {e}"),
                )
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_of_spec_section_8() {
        let t = Distribution::Triangular([1.0, 2.0, 5.0]);
        // below the mode: (c - a) / (b - a) = 0.25
        assert_eq!(t.value(0.16), 1.0 + (0.16f64 * 4.0 * 1.0).sqrt()); // 1.8
        assert!((t.value(0.16) - 1.8).abs() < 1e-15);
        // above: b - sqrt((1 - u) (b - a)(b - c)) = 5 - sqrt(0.25 * 4 * 3)
        assert!((t.value(0.75) - (5.0 - 3f64.sqrt())).abs() < 1e-15);
        assert_eq!(Distribution::Uniform([0.0, 0.6]).value(0.5), 0.3);
        let c = Distribution::Choice(vec![1.0, 2.0, 3.0]);
        assert_eq!(
            [0.0, 0.33, 0.34, 0.66, 0.67, 0.999].map(|u| c.value(u)),
            [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]
        );
    }
}
