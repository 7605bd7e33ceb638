//! The config as a YAML document, before it is typed. Edits made on top of a file (`--set`,
//! and a batch's scenario overlays) are applied here, so the result is checked by the same
//! types with the same messages as a file that said it directly.

use super::{config_error, Config};
use crate::error::{Error, Result};
use serde_norway::{Mapping, Value};
use std::path::Path;
use std::str::FromStr;

/// One `KEY=VALUE` assignment: a dotted key path and a YAML value.
#[derive(Clone, Debug, PartialEq)]
pub struct Set {
    keys: Vec<String>,
    value: Value,
    text: String,
}

impl FromStr for Set {
    type Err = Error;

    fn from_str(text: &str) -> Result<Set> {
        let usage = |why: &str| Error::Usage {
            message: format!("--set {text:?}: {why}"),
        };
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| usage("expected KEY=VALUE, e.g. simulation.target_growth_rate=0.05"))?;
        let keys: Vec<String> = key.trim().split('.').map(str::to_string).collect();
        if keys.iter().any(String::is_empty) {
            return Err(usage(
                "the key must be a dotted path such as eligibility.minimum_age",
            ));
        }
        let value = serde_norway::from_str(value)
            .map_err(|e| usage(&format!("the value is not valid YAML: {e}")))?;
        Ok(Set {
            keys,
            value,
            text: text.to_string(),
        })
    }
}

impl Set {
    /// The dotted key path.
    pub fn key(&self) -> String {
        self.keys.join(".")
    }
}

/// A config key path that may name a list element: `workforce.termination_age_multipliers[0]`,
/// `employer_match.tiers[1].rate`, `irs_limits.published.2026.deferral`.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyPath {
    text: String,
    steps: Vec<Step>,
}

/// One step of a [`KeyPath`]: a mapping key or a list position (0-based).
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl FromStr for KeyPath {
    type Err = String;

    /// Dot-separated keys (letters, digits, `_`), each followed by any number of `[i]`.
    fn from_str(text: &str) -> std::result::Result<KeyPath, String> {
        let bad = || {
            format!(
                "{text:?} is not a key path (keys joined by dots, a list element as [i], e.g. workforce.termination_age_multipliers[0])"
            )
        };
        let mut steps = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(bad());
            }
            steps.push(Step::Key(key.to_string()));
            while !rest.is_empty() {
                let (index, after) = rest
                    .strip_prefix('[')
                    .and_then(|r| r.split_once(']'))
                    .ok_or_else(bad)?;
                if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                steps.push(Step::Index(index.parse().map_err(|_| bad())?));
                rest = after;
            }
        }
        Ok(KeyPath {
            text: text.to_string(),
            steps,
        })
    }
}

impl KeyPath {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether setting this key sets `other`: the same key, or a list or section holding it.
    pub fn holds(&self, other: &KeyPath) -> bool {
        other.steps.starts_with(&self.steps)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A config file's YAML document (an empty file is an empty mapping).
#[derive(Clone, Debug)]
pub struct Document(Value);

impl Document {
    pub fn parse(text: &str, path: &Path) -> Result<Document> {
        if text.trim().is_empty() {
            return Ok(Document(Value::Mapping(Mapping::new())));
        }
        let de = serde_norway::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map(Document)
            .map_err(|e| config_error(e, path))
    }

    /// A typed config as a document again, every key written out: a batch sets single leaves of
    /// a scenario's resolved config on it and types the result like a file.
    pub fn of(config: &Config) -> Document {
        Document(serde_norway::to_value(config).expect("every config value serialises to YAML"))
    }

    /// The value at `path`, if the document has one there.
    pub fn at(&self, path: &KeyPath) -> Option<&Value> {
        path.steps
            .iter()
            .try_fold(&self.0, |node, step| match step {
                Step::Key(k) => match node {
                    Value::Mapping(m) => m.iter().find(|(key, _)| key_text(key) == *k).map(|e| e.1),
                    _ => None,
                },
                Step::Index(i) => node.as_sequence()?.get(*i),
            })
    }

    /// The value at `path` to change in place, if the document has one there.
    pub fn at_mut(&mut self, path: &KeyPath) -> Option<&mut Value> {
        path.steps
            .iter()
            .try_fold(&mut self.0, |node, step| match step {
                Step::Key(k) => match node {
                    Value::Mapping(m) => m
                        .iter_mut()
                        .find(|(key, _)| key_text(key) == *k)
                        .map(|e| e.1),
                    _ => None,
                },
                Step::Index(i) => node.as_sequence_mut()?.get_mut(*i),
            })
    }

    /// Sets one key, creating the mappings on its path; a key below a value that is not a
    /// mapping is an error naming the `--set`.
    pub fn set(&mut self, set: &Set) -> Result<()> {
        let mut node = &mut self.0;
        for (depth, key) in set.keys.iter().enumerate() {
            if node.is_null() {
                *node = Value::Mapping(Mapping::new());
            }
            let Value::Mapping(map) = node else {
                return Err(Error::Usage {
                    message: format!(
                        "--set {:?}: `{}` is not a section, so it has no key `{key}`",
                        set.text,
                        set.keys[..depth].join(".")
                    ),
                });
            };
            node = map.entry(Value::String(key.clone())).or_insert(Value::Null);
        }
        *node = set.value.clone();
        Ok(())
    }

    /// Merges a batch overlay (spec §8): mappings merge key by key; lists, scalars and the
    /// maps at `data_keyed` paths (keyed by data, such as years) replace as a whole.
    pub fn merge(&mut self, overlay: &Mapping, data_keyed: &[&str]) {
        fn merge_into(node: &mut Value, overlay: &Mapping, path: &str, data_keyed: &[&str]) {
            if !node.is_mapping() {
                *node = Value::Mapping(Mapping::new());
            }
            let Value::Mapping(map) = node else {
                unreachable!("made a mapping above")
            };
            for (k, v) in overlay {
                let key = key_text(k);
                let child = if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                };
                match v {
                    Value::Mapping(m) if !data_keyed.contains(&child.as_str()) => {
                        let slot = map.entry(k.clone()).or_insert(Value::Null);
                        merge_into(slot, m, &child, data_keyed);
                    }
                    _ => {
                        map.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        merge_into(&mut self.0, overlay, "", data_keyed);
    }

    /// Types the document; `file` names it in messages.
    pub fn into_config(self, file: &Path) -> Result<Config> {
        serde_path_to_error::deserialize(self.0).map_err(|e| config_error(e, file))
    }
}

/// A mapping key as text (`2026` for a year key written as a number).
pub fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Set {
        text.parse().unwrap()
    }

    fn with_sets(yaml: &str, sets: &[&str]) -> Result<Config> {
        let mut doc = Document::parse(yaml, Path::new("c.yaml"))?;
        for s in sets {
            doc.set(&set(s))?;
        }
        doc.into_config(Path::new("c.yaml with --set"))
    }

    #[test]
    fn a_set_overrides_the_file_and_keeps_its_neighbours() {
        let c = with_sets(
            "enrollment:\n  auto_enrollment:\n    window_days: 10\n",
            &["enrollment.auto_enrollment.default_deferral_rate=0.04"],
        )
        .unwrap();
        let ae = &c.enrollment.auto_enrollment;
        assert_eq!(ae.default_deferral_rate.get(), 0.04);
        assert_eq!(ae.window_days.get(), 10);
        let c = with_sets(
            "",
            &["simulation.random_seed=7", "simulation.random_seed=9"],
        )
        .unwrap();
        assert_eq!(c.simulation.random_seed, 9);
    }

    #[test]
    fn values_are_yaml() {
        let c = with_sets(
            "",
            &[
                "promotion.age_multipliers=[1, 1, 1, 1, 1, 2]",
                "deferral_auto_escalation.enabled=false",
            ],
        )
        .unwrap();
        assert!(!c.deferral_auto_escalation.enabled);
        assert_eq!(c.promotion.age_multipliers[5].get(), 2.0);
    }

    #[test]
    fn a_bad_value_or_key_gets_the_config_messages() {
        let e = with_sets("", &["workforce.total_termination_rate=1.5"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("c.yaml with --set"), "{e}");
        assert!(e.contains("workforce.total_termination_rate"), "{e}");
        assert!(e.contains("1.5"), "{e}");
        let e = with_sets("", &["workforce.total_termination_rat=0.1"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field"), "{e}");
    }

    #[test]
    fn key_paths_reach_leaves_and_list_elements() {
        let mut doc = Document::of(&Config::default());
        let p = |t: &str| t.parse::<KeyPath>().unwrap();
        let at = |doc: &Document, t: &str| doc.at(&p(t)).and_then(Value::as_f64);
        assert_eq!(at(&doc, "workforce.total_termination_rate"), Some(0.12));
        assert_eq!(
            at(&doc, "workforce.termination_age_multipliers[5]"),
            Some(1.6)
        );
        assert_eq!(at(&doc, "employer_match.tiers[1].rate"), Some(0.5));
        assert_eq!(at(&doc, "workforce.termination_age_multipliers[6]"), None);
        assert_eq!(at(&doc, "workforce.total_termination_rat"), None);
        *doc.at_mut(&p("employer_match.tiers[1].rate")).unwrap() = Value::from(0.25);
        let c = doc.into_config(Path::new("d")).unwrap();
        assert_eq!(
            c.employer_match.tiers.rates().collect::<Vec<_>>(),
            [1.0, 0.25]
        );
        for bad in ["", "a..b", "a[", "a[x]", "a[1]b", "[1]", "a b", "a.[0]"] {
            assert!(bad.parse::<KeyPath>().is_err(), "{bad}");
        }
        assert_eq!(
            p("a.b[2][0].c").steps(),
            [
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::Index(2),
                Step::Index(0),
                Step::Key("c".into())
            ]
        );
    }

    #[test]
    fn malformed_sets_are_usage_errors() {
        for bad in ["simulation.random_seed", "=3", "a..b=1", "x=[1,"] {
            let e = bad.parse::<Set>().unwrap_err();
            assert!(matches!(e, Error::Usage { .. }), "{bad}: {e}");
            assert!(e.to_string().contains(bad), "{e}");
        }
        let mut doc = Document::parse("simulation:\n  random_seed: 3\n", Path::new("c")).unwrap();
        let e = doc
            .set(&set("simulation.random_seed.x=1"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`simulation.random_seed` is not a section"),
            "{e}"
        );
    }
}
