//! The configuration as `param` rows, named by key path: the resolved config
//! ([`Model::resolved_config`], a `serde_json::Value` built in memory, so every float keeps its
//! bits) is flattened generically, with no per-key code; `params.sql` builds the one-row table
//! `p` and the plan-design tables from the rows by name.
//!
//! Flattening rules:
//! - An object's fields extend the name with `.field`: `enrollment.auto_enrollment.enabled`.
//! - A list adds an index, 1-based; a list of objects gives one name per field, all with the
//!   element's index (`employer_match.tiers.rate`, i = 1..n). The first list on a key path sets
//!   `i`, a list inside it sets `j` (`enrollment.voluntary.deferral_rates` i = row, j = column;
//!   `employer_match.by_service.tiers.rate` i = the service step, j = the tier). Scalars not in
//!   a list have index 0. A third nested list is a shape the rows cannot hold (a panic the test
//!   of the full config would show).
//! - An object whose keys are all integers is a table keyed by data (`irs_limits.published`,
//!   keyed by year): its key is the index, like a list's position.
//! - A number is `v`; a boolean is `v` 1 or 0; a string (an enum, a date, a month-day) is `t`,
//!   for SQL to compare or cast. `null` and an empty list give no row: SQL tests an optional
//!   section by whether its rows exist.
//! - The keys of [`NOT_IN_SQL`] give no row; the values of [`DERIVED`] are appended under
//!   `model.` names.

use wfsim::config::Model;

/// One `param` row: a key path, its list indexes (0 outside lists) and its value, a number or
/// a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub i: i32,
    pub j: i32,
    pub v: Option<f64>,
    pub t: Option<String>,
}

/// Config keys that deliberately do not reach SQL through `param`, as key-path prefixes (a
/// whole section, or one key), with the reason. The test below proves that every other leaf
/// key of the config is read by `params.sql`.
pub const NOT_IN_SQL: [(&str, &str); 9] = [
    (
        "simulation.end_year",
        "the year loop is Rust's (wfsim::run); SQL gets each year from year.sql",
    ),
    (
        "simulation.random_seed",
        "reaches SQL as decimal text in the rng_v macro (macros.sql): a u64 a DOUBLE cannot hold",
    ),
    (
        "simulation.scenario_id",
        "a label the shared Rust writer puts on every row and event id",
    ),
    (
        "simulation.plan_design_id",
        "a label the shared Rust writer puts on every row and event id",
    ),
    (
        "simulation.census_path",
        "the census file, read in Rust; SQL gets the rows in census_raw",
    ),
    ("simulation.output_dir", "where the Rust writer writes"),
    (
        "census",
        "how the census file is read (wfsim::census), before either engine runs",
    ),
    (
        "job_levels.census_salary_threshold",
        "assigns census rows without a level when the census is read (wfsim::census)",
    ),
    (
        "ndt",
        "how the nondiscrimination tests are run: read by the shared Rust code (wfsim::ndt) from \
         the snapshot rows either engine returns (SQL gives is_hce, is_key_employee, testing_pay)",
    ),
];

/// How a derived value is computed from the model.
pub type Derive = fn(&Model) -> f64;

/// The values the model derives rather than reads from a config key: one `model.` name each.
/// (The derived dates `census_date` and `hire_date_cutoff` need none: the resolved config
/// holds them under their own keys.)
pub const DERIVED: [(&str, Derive); 1] = [
    // the highest job level: the length of `job_levels`
    ("model.max_level", |m| f64::from(m.max_level())),
];

/// The configuration as `param` rows: every key of the resolved config but those of
/// [`NOT_IN_SQL`], then the [`DERIVED`] values.
pub fn params(model: &Model) -> Vec<Param> {
    let mut out = Vec::new();
    flatten(&model.resolved_config(None), "", &[], &mut out);
    out.retain(|p| !excluded(&p.name));
    out.extend(DERIVED.iter().map(|&(name, value)| Param {
        name: name.to_string(),
        i: 0,
        j: 0,
        v: Some(value(model)),
        t: None,
    }));
    out
}

/// Whether `name` is one of [`NOT_IN_SQL`] or under one.
fn excluded(name: &str) -> bool {
    NOT_IN_SQL.iter().any(|(prefix, _)| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

/// Appends the rows of `value`, named `name` and at the list `index`es of its path, by the
/// rules of the module doc.
fn flatten(value: &serde_json::Value, name: &str, index: &[i32], out: &mut Vec<Param>) {
    use serde_json::Value;
    let mut row = |v: Option<f64>, t: Option<String>| {
        assert!(
            index.len() <= 2,
            "param rows hold two list indexes; {name} needs {}",
            index.len()
        );
        out.push(Param {
            name: name.to_string(),
            i: index.first().copied().unwrap_or(0),
            j: index.get(1).copied().unwrap_or(0),
            v,
            t,
        });
    };
    match value {
        Value::Null => {}
        Value::Bool(b) => row(Some(if *b { 1.0 } else { 0.0 }), None),
        Value::Number(n) => row(
            Some(n.as_f64().expect("a JSON number is an f64, i64 or u64")),
            None,
        ),
        Value::String(s) => row(None, Some(s.clone())),
        Value::Array(items) => {
            for (k, item) in items.iter().enumerate() {
                let k = i32::try_from(k + 1).expect("a config list is short");
                flatten(item, name, &[index, &[k]].concat(), out);
            }
        }
        Value::Object(map) => {
            let keyed: Option<Vec<i32>> = map.keys().map(|k| k.parse().ok()).collect();
            match keyed {
                Some(keys) if !keys.is_empty() => {
                    for (k, item) in keys.into_iter().zip(map.values()) {
                        flatten(item, name, &[index, &[k]].concat(), out);
                    }
                }
                _ => {
                    for (key, item) in map {
                        let path = if name.is_empty() {
                            key.clone()
                        } else {
                            format!("{name}.{key}")
                        };
                        flatten(item, &path, index, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;
    use wfsim::config;

    fn model(yaml: &str) -> Model {
        let c = config::parse(yaml, Path::new("test.yaml")).unwrap();
        config::validate(c, "test.yaml").unwrap()
    }

    /// Configs that together set every optional section: the defaults; a service-graded match,
    /// core by service, a vesting schedule, fixed level shares, a census date, a negative
    /// growth rate (reduction in force) and the optional keys of excluded sections; core by age
    /// (it excludes core by service); match and core by points, an integrated core at a
    /// fraction of the wage base, schedules by source and a return; the other two integration
    /// levels.
    const CONFIGS: [&str; 6] = [
        "",
        "simulation: {target_growth_rate: -0.05, census_date: \"2024-06-30\", output_dir: out}
census: {date_format: \"%m/%d/%Y\", sheet: Sheet1}
new_hire: {level_shares: [0.3, 0.3, 0.2, 0.1, 0.1]}
employer_match:
  by_service:
    - {min_years: 0, tiers: [{from: 0.0, to: 0.04, rate: 0.5}]}
    - {min_years: 5, tiers: [{from: 0.0, to: 0.03, rate: 1.0}, {from: 0.03, to: 0.06, rate: 0.5}]}
  true_up: true
  last_day_rule: true
employer_core: {by_service: [{min_years: 0, rate: 0.02}, {min_years: 10, rate: 0.04}]}
vesting: {schedule: [0, 0, 0.2, 0.4, 0.6, 0.8, 1]}
",
        "employer_core: {by_age: [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.05}], \
         last_day_rule: true}",
        "employer_match: {by_points: [{min_points: 0, tiers: [{from: 0, to: 0.03, rate: 0.5}]}, \
         {min_points: 60, tiers: [{from: 0, to: 0.06, rate: 1.0}]}]}
employer_core:
  by_points: [{min_points: 0, rate: 0.05}, {min_points: 50, rate: 0.06}]
  integration: {excess_rate: 0.043, level: {fraction: 0.8}}
vesting: {match_schedule: [1.0], core_schedule: [0, 0, 0, 1]}
accounts: {annual_return: 0.04}",
        "employer_core: {rate: 0.03, integration: {excess_rate: 0.03, level: wage_base}}",
        "employer_core: {rate: 0.03, integration: {excess_rate: 0.03, level: {amount: 50000}}}",
    ];

    /// The key paths the SQL reads: every quoted literal shaped like a key path
    /// (`section.key...`) in `params.sql` and in the rule files (which read scalars with
    /// `cfg('...')`), comments left out.
    fn names_read_by_params_sql() -> BTreeSet<String> {
        let files = std::iter::once(include_str!("../sql/params.sql"))
            .chain(crate::YEAR_FILES.iter().map(|(_, sql)| *sql));
        let mut names = BTreeSet::new();
        for line in files.flat_map(str::lines) {
            let code = line.split("--").next().unwrap_or("");
            for (k, literal) in code.split('\'').enumerate() {
                let is_path = literal.contains('.')
                    && literal.split('.').all(|s| {
                        !s.is_empty()
                            && s.bytes()
                                .all(|b| b == b'_' || b.is_ascii_lowercase() || b.is_ascii_digit())
                    });
                if k % 2 == 1 && is_path {
                    names.insert(literal.to_string());
                }
            }
        }
        names
    }

    #[test]
    fn every_config_key_reaches_params_sql() {
        let mut produced = BTreeSet::new();
        let mut all_keys = BTreeSet::new();
        for yaml in CONFIGS {
            let m = model(yaml);
            produced.extend(params(&m).into_iter().map(|p| p.name));
            let mut rows = Vec::new();
            flatten(&m.resolved_config(Some("census.csv")), "", &[], &mut rows);
            all_keys.extend(rows.into_iter().map(|p| p.name));
        }
        let read = names_read_by_params_sql();
        let missing: Vec<&String> = produced.difference(&read).collect();
        let extra: Vec<&String> = read.difference(&produced).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "config keys not read by params.sql (map them there, or add them to NOT_IN_SQL \
             with the reason): {missing:?}\nnames params.sql reads that no config produces \
             (a typo, or a key in NOT_IN_SQL): {extra:?}"
        );
        // The exclusion list names only keys that exist (a census path given, as a run has one).
        for (prefix, _) in NOT_IN_SQL {
            assert!(
                all_keys
                    .iter()
                    .any(|k| k == prefix || k.starts_with(&format!("{prefix}."))),
                "NOT_IN_SQL names {prefix}, which is no config key"
            );
        }
    }

    #[test]
    fn flattening_names_and_indexes() {
        let m = model(CONFIGS[1]);
        let rows = params(&m);
        let find = |name: &str, i: i32, j: i32| {
            rows.iter()
                .find(|p| p.name == name && p.i == i && p.j == j)
                .unwrap_or_else(|| panic!("no row {name} {i} {j}"))
                .clone()
        };
        let v = |name, i, j| find(name, i, j).v.unwrap();
        let t = |name, i, j| find(name, i, j).t.unwrap();
        assert_eq!(
            v("enrollment.auto_enrollment.default_deferral_rate", 0, 0),
            0.06
        );
        assert_eq!(v("enrollment.auto_enrollment.enabled", 0, 0), 1.0);
        assert_eq!(
            t("enrollment.auto_enrollment.scope", 0, 0),
            "new_hires_only"
        );
        assert_eq!(t("simulation.census_date", 0, 0), "2024-06-30");
        assert_eq!(
            t("enrollment.auto_enrollment.hire_date_cutoff", 0, 0),
            "2025-01-01"
        );
        assert_eq!(t("compensation.merit_date", 0, 0), "07-15");
        assert_eq!(v("workforce.termination_age_multipliers", 6, 0), 1.6);
        assert_eq!(v("enrollment.voluntary.deferral_rates", 4, 4), 0.15);
        assert_eq!(v("employer_match.by_service.min_years", 2, 0), 5.0);
        assert_eq!(v("employer_match.by_service.tiers.to", 2, 2), 0.06);
        assert_eq!(v("irs_limits.published.catch_up", 2026, 0), 8000.0);
        assert_eq!(v("model.max_level", 0, 0), 5.0);
        // an empty list gives no row
        assert!(params(&model("employer_match: {tiers: []}"))
            .iter()
            .all(|p| !p.name.starts_with("employer_match.tiers")));
        // an integration level: a map gives its key, a name its text
        let points = params(&model(CONFIGS[3]));
        assert!(points
            .iter()
            .any(|p| p.name == "employer_core.integration.level.fraction"
                && p.v == Some(0.8)
                && p.i == 0));
        let wage_base = params(&model(CONFIGS[4]));
        assert!(wage_base
            .iter()
            .any(|p| p.name == "employer_core.integration.level"
                && p.t.as_deref() == Some("wage_base")));
        assert!(rows
            .iter()
            .all(|p| !excluded(&p.name) && p.v.is_some() != p.t.is_some()));
        // a float keeps its bits (no text round trip)
        let m = model("workforce: {total_termination_rate: 0.30000000000000004}");
        let r = params(&m);
        let x = r
            .iter()
            .find(|p| p.name == "workforce.total_termination_rate")
            .unwrap();
        assert_eq!(
            x.v.unwrap().to_bits(),
            m.config.workforce.total_termination_rate.get().to_bits()
        );
    }
}
