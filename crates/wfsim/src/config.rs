//! The assumptions YAML (spec §6, §7). Every key has a default; unknown keys and
//! out-of-range values are errors that name the key path.

use crate::date::Date;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub simulation: Simulation,
    pub workforce: Workforce,
    pub compensation: Compensation,
    pub promotion: Promotion,
    pub eligibility: Eligibility,
    pub enrollment: Enrollment,
    pub deferral_auto_escalation: Escalation,
    pub job_levels: Vec<JobLevel>,
    pub new_hire: NewHire,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    pub start_year: i32,
    pub end_year: i32,
    pub random_seed: u64,
    pub target_growth_rate: f64,
    /// `YYYY-MM-DD`; default Dec 31 of `start_year - 1`.
    pub census_date: Option<String>,
    pub scenario_id: String,
    pub plan_design_id: String,
    /// Census file (CSV or Parquet); relative paths are resolved against the config file.
    pub census_path: Option<PathBuf>,
    /// Output directory; relative paths are resolved against the working directory.
    pub output_dir: Option<PathBuf>,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            start_year: 2025,
            end_year: 2029,
            random_seed: 42,
            target_growth_rate: 0.03,
            census_date: None,
            scenario_id: "default".into(),
            plan_design_id: "default".into(),
            census_path: None,
            output_dir: None,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Workforce {
    pub total_termination_rate: f64,
    pub new_hire_termination_rate: f64,
    /// By age band `<25 25-34 35-44 45-54 55-64 65+`.
    pub termination_age_multipliers: Vec<f64>,
    /// By tenure band `<2 2-4 5-9 10-19 20+`.
    pub termination_tenure_multipliers: Vec<f64>,
    /// By level, ascending.
    pub termination_level_multipliers: Vec<f64>,
}

impl Default for Workforce {
    fn default() -> Self {
        Workforce {
            total_termination_rate: 0.12,
            new_hire_termination_rate: 0.25,
            termination_age_multipliers: vec![1.4, 1.2, 1.0, 0.8, 0.9, 1.6],
            termination_tenure_multipliers: vec![1.5, 1.1, 0.8, 0.6, 0.5],
            termination_level_multipliers: vec![1.0, 0.95, 0.9, 0.85, 0.8],
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Compensation {
    pub cola_rate: f64,
    /// By level, ascending.
    pub merit_rate_by_level: Vec<f64>,
    /// `MM-DD`.
    pub merit_date: String,
    pub merit_min_tenure_years: i32,
}

impl Default for Compensation {
    fn default() -> Self {
        Compensation {
            cola_rate: 0.02,
            merit_rate_by_level: vec![0.025, 0.030, 0.035, 0.040, 0.045],
            merit_date: "07-15".into(),
            merit_min_tenure_years: 1,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Promotion {
    pub base_rate: f64,
    pub level_dampening: f64,
    pub min_tenure_years: i32,
    pub max_age: i32,
    /// By tenure band.
    pub tenure_multipliers: Vec<f64>,
    /// By age band.
    pub age_multipliers: Vec<f64>,
    pub base_increase_pct: f64,
    pub distribution_range: f64,
    pub max_cap_pct: f64,
    pub max_cap_amount: f64,
    /// `MM-DD`.
    pub promotion_date: String,
}

impl Default for Promotion {
    fn default() -> Self {
        Promotion {
            base_rate: 0.04,
            level_dampening: 0.15,
            min_tenure_years: 1,
            max_age: 65,
            tenure_multipliers: vec![0.5, 1.5, 1.8, 0.8, 0.2],
            age_multipliers: vec![1.6, 1.4, 1.1, 0.7, 0.3, 0.1],
            base_increase_pct: 0.20,
            distribution_range: 0.05,
            max_cap_pct: 0.30,
            max_cap_amount: 500_000.0,
            promotion_date: "02-01".into(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Eligibility {
    pub minimum_age: i32,
    pub waiting_period_days: i32,
    pub new_hire_ineligible_pct: f64,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility {
            minimum_age: 21,
            waiting_period_days: 0,
            new_hire_ineligible_pct: 0.0,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Enrollment {
    pub auto_enrollment: AutoEnrollment,
    pub voluntary: Voluntary,
    pub conversion: Conversion,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AutoEnrollmentScope {
    NewHiresOnly,
    AllEligible,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AutoEnrollment {
    pub enabled: bool,
    pub scope: AutoEnrollmentScope,
    /// `YYYY-MM-DD`; default Jan 1 of `start_year`.
    pub hire_date_cutoff: Option<String>,
    pub window_days: i32,
    pub default_deferral_rate: f64,
    pub opt_out_grace_period_days: i32,
    /// Rows by age group `<30 <45 <60 else`, columns by income band.
    pub opt_out_rates: Vec<Vec<f64>>,
}

impl Default for AutoEnrollment {
    fn default() -> Self {
        AutoEnrollment {
            enabled: true,
            scope: AutoEnrollmentScope::NewHiresOnly,
            hire_date_cutoff: None,
            window_days: 45,
            default_deferral_rate: 0.06,
            opt_out_grace_period_days: 30,
            opt_out_rates: vec![
                vec![0.2106, 0.1620, 0.1296, 0.0810],
                vec![0.1287, 0.0990, 0.0792, 0.0495],
                vec![0.0819, 0.0630, 0.0504, 0.0315],
                vec![0.0468, 0.0360, 0.0288, 0.0180],
            ],
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Voluntary {
    pub voluntary_enrollment_rate: f64,
    /// By age group `<31 <46 <56 else`.
    pub base_by_age: Vec<f64>,
    /// By income band.
    pub income_multipliers: Vec<f64>,
    /// By level.
    pub level_multipliers: Vec<f64>,
    /// Rows by age group, columns by income band.
    pub deferral_rates: Vec<Vec<f64>>,
    pub min_rate: f64,
    pub max_rate: f64,
}

impl Default for Voluntary {
    fn default() -> Self {
        Voluntary {
            voluntary_enrollment_rate: 1.0,
            base_by_age: vec![0.30, 0.55, 0.70, 0.80],
            income_multipliers: vec![0.70, 1.00, 1.15, 1.25],
            level_multipliers: vec![0.90, 0.90, 1.00, 1.00, 1.10],
            deferral_rates: vec![
                vec![0.03, 0.03, 0.04, 0.06],
                vec![0.04, 0.06, 0.08, 0.10],
                vec![0.05, 0.08, 0.10, 0.12],
                vec![0.06, 0.10, 0.12, 0.15],
            ],
            min_rate: 0.01,
            max_rate: 0.10,
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Conversion {
    /// By age group `<31 <46 <56 else`.
    pub base_by_age: Vec<f64>,
    pub income_multipliers: Vec<f64>,
    /// By tenure group `<2 <5 else`.
    pub tenure_multipliers: Vec<f64>,
    /// Deferral rate by age group.
    pub deferral_rate_by_age: Vec<f64>,
}

impl Default for Conversion {
    fn default() -> Self {
        Conversion {
            base_by_age: vec![0.03, 0.05, 0.07, 0.08],
            income_multipliers: vec![0.8, 1.0, 1.2, 1.3],
            tenure_multipliers: vec![0.7, 1.0, 1.1],
            deferral_rate_by_age: vec![0.03, 0.04, 0.05, 0.06],
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EscalationScope {
    AutoEnrolled,
    All,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Escalation {
    pub enabled: bool,
    pub increment_amount: f64,
    pub maximum_rate: f64,
    pub first_escalation_delay_years: i32,
    pub applies_to: EscalationScope,
    /// `MM-DD`.
    pub escalation_date: String,
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation {
            enabled: true,
            increment_amount: 0.01,
            maximum_rate: 0.10,
            first_escalation_delay_years: 1,
            applies_to: EscalationScope::All,
            escalation_date: "01-01".into(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JobLevel {
    pub level: u8,
    pub min_salary: f64,
    pub max_salary: f64,
    pub hire_percentile: f64,
    /// Census rows without a level get the highest level whose threshold their salary reaches.
    pub census_salary_threshold: f64,
}

fn default_levels() -> Vec<JobLevel> {
    [
        (56_000.0, 80_000.0, 0.25, 0.0),
        (81_000.0, 120_000.0, 0.30, 81_000.0),
        (121_000.0, 160_000.0, 0.35, 121_000.0),
        (161_000.0, 300_000.0, 0.40, 161_000.0),
        (275_000.0, 500_000.0, 0.45, 300_000.0),
    ]
    .into_iter()
    .zip(1u8..)
    .map(
        |((min_salary, max_salary, hire_percentile, census_salary_threshold), level)| JobLevel {
            level,
            min_salary,
            max_salary,
            hire_percentile,
            census_salary_threshold,
        },
    )
    .collect()
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgeWeight {
    pub age: i32,
    pub weight: f64,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NewHire {
    pub salary_spread: f64,
    pub age_distribution: Vec<AgeWeight>,
    /// Fixed share of hires per level (ascending, summing to 1); absent = adaptive.
    pub level_shares: Option<Vec<f64>>,
}

impl Default for NewHire {
    fn default() -> Self {
        NewHire {
            salary_spread: 0.09,
            age_distribution: [
                (22, 0.05),
                (25, 0.15),
                (28, 0.20),
                (32, 0.25),
                (35, 0.15),
                (40, 0.10),
                (45, 0.08),
                (50, 0.02),
            ]
            .into_iter()
            .map(|(age, weight)| AgeWeight { age, weight })
            .collect(),
            level_shares: None,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            simulation: Simulation::default(),
            workforce: Workforce::default(),
            compensation: Compensation::default(),
            promotion: Promotion::default(),
            eligibility: Eligibility::default(),
            enrollment: Enrollment::default(),
            deferral_auto_escalation: Escalation::default(),
            job_levels: default_levels(),
            new_hire: NewHire::default(),
        }
    }
}

fn round_rates_to_bp(config: &mut Config) {
    use crate::numerics::round_bp;
    let e = &mut config.enrollment;
    let ae = &mut e.auto_enrollment;
    ae.default_deferral_rate = round_bp(ae.default_deferral_rate);
    let v = &mut e.voluntary;
    v.min_rate = round_bp(v.min_rate);
    v.max_rate = round_bp(v.max_rate);
    v.deferral_rates
        .iter_mut()
        .flatten()
        .for_each(|r| *r = round_bp(*r));
    e.conversion
        .deferral_rate_by_age
        .iter_mut()
        .for_each(|r| *r = round_bp(*r));
    let esc = &mut config.deferral_auto_escalation;
    esc.maximum_rate = round_bp(esc.maximum_rate);
}

/// A month and day within any year (`MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    fn parse(text: &str) -> Option<MonthDay> {
        let (m, d) = text.trim().split_once('-')?;
        if m.len() != 2 || d.len() != 2 {
            return None;
        }
        let md = MonthDay {
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        // Feb 29 would not exist in common years.
        (Date::from_ymd(2023, md.month, md.day).is_some()).then_some(md)
    }

    pub fn in_year(self, year: i32) -> Date {
        Date::from_ymd(year, self.month, self.day).expect("validated against a common year")
    }
}

/// A validated configuration with the derived values the engines need.
#[derive(Clone, Debug)]
pub struct Model {
    pub config: Config,
    pub census_date: Date,
    pub hire_date_cutoff: Date,
    pub merit_date: MonthDay,
    pub promotion_date: MonthDay,
    pub escalation_date: MonthDay,
    /// The new-hire age distribution as integer weights (spec §3).
    pub hire_ages: crate::numerics::Cumulative,
}

impl Model {
    pub fn max_level(&self) -> u8 {
        self.config.job_levels.len() as u8
    }

    pub fn level(&self, level: u8) -> &JobLevel {
        &self.config.job_levels[usize::from(level) - 1]
    }
}

pub fn parse(text: &str, path: &Path) -> Result<Config> {
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let inner = e.into_inner().to_string();
        Error::Config {
            file: path.display().to_string(),
            key: if key == "." {
                "(top level)".into()
            } else {
                key
            },
            message: inner,
        }
    })
}

struct Checker<'a> {
    file: &'a str,
}

impl Checker<'_> {
    fn fail(&self, key: &str, message: String) -> Error {
        Error::Config {
            file: self.file.into(),
            key: key.into(),
            message,
        }
    }

    fn range(&self, key: &str, v: f64, lo: f64, hi: f64, what: &str) -> Result<()> {
        if v.is_finite() && v >= lo && v <= hi {
            Ok(())
        } else {
            Err(self.fail(key, format!("value {v} is out of range: {what}")))
        }
    }

    fn probability(&self, key: &str, v: f64) -> Result<()> {
        self.range(key, v, 0.0, 1.0, "a probability must be in [0, 1]")
    }

    fn multipliers(&self, key: &str, v: &[f64], len: usize) -> Result<()> {
        self.length(key, v.len(), len)?;
        for (i, &m) in v.iter().enumerate() {
            self.range(
                &format!("{key}[{i}]"),
                m,
                0.0,
                1e6,
                "a multiplier must be finite and >= 0",
            )?;
        }
        Ok(())
    }

    fn probabilities(&self, key: &str, v: &[f64], len: usize) -> Result<()> {
        self.length(key, v.len(), len)?;
        for (i, &p) in v.iter().enumerate() {
            self.probability(&format!("{key}[{i}]"), p)?;
        }
        Ok(())
    }

    fn length(&self, key: &str, got: usize, want: usize) -> Result<()> {
        if got == want {
            Ok(())
        } else {
            Err(self.fail(key, format!("expected {want} values, found {got}")))
        }
    }

    fn int(&self, key: &str, v: i32, lo: i32, hi: i32) -> Result<()> {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err(self.fail(
                key,
                format!("value {v} is out of range: must be in {lo}..={hi}"),
            ))
        }
    }

    fn month_day(&self, key: &str, text: &str) -> Result<MonthDay> {
        MonthDay::parse(text).ok_or_else(|| {
            self.fail(
                key,
                format!("value {text:?} is not a valid MM-DD date (Feb 29 is not allowed)"),
            )
        })
    }

    fn date(&self, key: &str, text: &str) -> Result<Date> {
        Date::parse_iso(text).ok_or_else(|| {
            self.fail(
                key,
                format!("value {text:?} is not a valid YYYY-MM-DD date"),
            )
        })
    }
}

/// Checks every range of spec §6 and derives the dates; `file` names the config in messages.
/// Deferral rates are rounded to basis points here, once (spec §3: every rate that is read).
pub fn validate(mut config: Config, file: &str) -> Result<Model> {
    round_rates_to_bp(&mut config);
    let c = Checker { file };
    let s = &config.simulation;
    c.int("simulation.start_year", s.start_year, 1900, 2999)?;
    c.int("simulation.end_year", s.end_year, 1900, 2999)?;
    if s.end_year < s.start_year {
        return Err(c.fail(
            "simulation.end_year",
            format!(
                "end_year {} is before start_year {}",
                s.end_year, s.start_year
            ),
        ));
    }
    if s.end_year - s.start_year + 1 >= 100 {
        return Err(c.fail(
            "simulation.end_year",
            format!(
                "a horizon of {} years is too long (at most 99)",
                s.end_year - s.start_year + 1
            ),
        ));
    }
    if !(s.target_growth_rate.is_finite()
        && s.target_growth_rate > -1.0
        && s.target_growth_rate <= 10.0)
    {
        return Err(c.fail(
            "simulation.target_growth_rate",
            format!(
                "value {} is out of range: must be > -1 and <= 10",
                s.target_growth_rate
            ),
        ));
    }
    for (key, v) in [
        ("simulation.scenario_id", &s.scenario_id),
        ("simulation.plan_design_id", &s.plan_design_id),
    ] {
        if v.is_empty() || v.contains(['|', '/', '\\']) {
            return Err(c.fail(
                key,
                format!("value {v:?} must be non-empty and contain no '|', '/' or '\\'"),
            ));
        }
    }
    let census_date = match &s.census_date {
        Some(t) => c.date("simulation.census_date", t)?,
        None => Date::dec31(s.start_year - 1),
    };
    if census_date >= Date::jan1(s.start_year) {
        return Err(c.fail(
            "simulation.census_date",
            format!(
                "census date {census_date} must be before Jan 1 of start_year {}",
                s.start_year
            ),
        ));
    }

    let levels = config.job_levels.len();
    if levels == 0 || levels > 20 {
        return Err(c.fail(
            "job_levels",
            format!("expected 1 to 20 levels, found {levels}"),
        ));
    }
    for (i, l) in config.job_levels.iter().enumerate() {
        let key = format!("job_levels[{i}]");
        if usize::from(l.level) != i + 1 {
            return Err(c.fail(
                &format!("{key}.level"),
                format!(
                    "value {} is out of order: levels must be listed 1, 2, 3, … ascending",
                    l.level
                ),
            ));
        }
        c.range(
            &format!("{key}.min_salary"),
            l.min_salary,
            0.01,
            1e9,
            "a salary must be > 0",
        )?;
        c.range(
            &format!("{key}.max_salary"),
            l.max_salary,
            l.min_salary,
            1e9,
            "max_salary must be >= min_salary",
        )?;
        c.probability(&format!("{key}.hire_percentile"), l.hire_percentile)?;
        c.range(
            &format!("{key}.census_salary_threshold"),
            l.census_salary_threshold,
            0.0,
            1e9,
            "a salary threshold must be >= 0",
        )?;
    }

    let w = &config.workforce;
    c.probability("workforce.total_termination_rate", w.total_termination_rate)?;
    c.range(
        "workforce.new_hire_termination_rate",
        w.new_hire_termination_rate,
        0.0,
        0.999_999,
        "must be in [0, 1)",
    )?;
    c.multipliers(
        "workforce.termination_age_multipliers",
        &w.termination_age_multipliers,
        6,
    )?;
    c.multipliers(
        "workforce.termination_tenure_multipliers",
        &w.termination_tenure_multipliers,
        5,
    )?;
    c.multipliers(
        "workforce.termination_level_multipliers",
        &w.termination_level_multipliers,
        levels,
    )?;

    let comp = &config.compensation;
    c.range(
        "compensation.cola_rate",
        comp.cola_rate,
        -0.5,
        1.0,
        "must be in [-0.5, 1]",
    )?;
    c.length(
        "compensation.merit_rate_by_level",
        comp.merit_rate_by_level.len(),
        levels,
    )?;
    for (i, &m) in comp.merit_rate_by_level.iter().enumerate() {
        c.range(
            &format!("compensation.merit_rate_by_level[{i}]"),
            m,
            -0.5,
            1.0,
            "must be in [-0.5, 1]",
        )?;
    }
    let merit_date = c.month_day("compensation.merit_date", &comp.merit_date)?;
    c.int(
        "compensation.merit_min_tenure_years",
        comp.merit_min_tenure_years,
        0,
        100,
    )?;

    let p = &config.promotion;
    c.probability("promotion.base_rate", p.base_rate)?;
    c.probability("promotion.level_dampening", p.level_dampening)?;
    c.int("promotion.min_tenure_years", p.min_tenure_years, 0, 100)?;
    c.int("promotion.max_age", p.max_age, 0, 150)?;
    c.multipliers("promotion.tenure_multipliers", &p.tenure_multipliers, 5)?;
    c.multipliers("promotion.age_multipliers", &p.age_multipliers, 6)?;
    c.range(
        "promotion.base_increase_pct",
        p.base_increase_pct,
        0.0,
        10.0,
        "must be in [0, 10]",
    )?;
    c.range(
        "promotion.distribution_range",
        p.distribution_range,
        0.0,
        10.0,
        "must be in [0, 10]",
    )?;
    c.range(
        "promotion.max_cap_pct",
        p.max_cap_pct,
        0.0,
        10.0,
        "must be in [0, 10]",
    )?;
    c.range(
        "promotion.max_cap_amount",
        p.max_cap_amount,
        0.0,
        1e9,
        "must be >= 0",
    )?;
    let promotion_date = c.month_day("promotion.promotion_date", &p.promotion_date)?;

    let e = &config.eligibility;
    c.int("eligibility.minimum_age", e.minimum_age, 0, 100)?;
    c.int(
        "eligibility.waiting_period_days",
        e.waiting_period_days,
        0,
        3660,
    )?;
    c.probability(
        "eligibility.new_hire_ineligible_pct",
        e.new_hire_ineligible_pct,
    )?;

    let ae = &config.enrollment.auto_enrollment;
    let hire_date_cutoff = match &ae.hire_date_cutoff {
        Some(t) => c.date("enrollment.auto_enrollment.hire_date_cutoff", t)?,
        None => Date::jan1(s.start_year),
    };
    c.int(
        "enrollment.auto_enrollment.window_days",
        ae.window_days,
        0,
        366,
    )?;
    c.range(
        "enrollment.auto_enrollment.default_deferral_rate",
        ae.default_deferral_rate,
        0.0,
        1.0,
        "a deferral rate must be in [0, 1]",
    )?;
    c.int(
        "enrollment.auto_enrollment.opt_out_grace_period_days",
        ae.opt_out_grace_period_days,
        1,
        366,
    )?;
    c.length(
        "enrollment.auto_enrollment.opt_out_rates",
        ae.opt_out_rates.len(),
        4,
    )?;
    for (i, row) in ae.opt_out_rates.iter().enumerate() {
        c.probabilities(
            &format!("enrollment.auto_enrollment.opt_out_rates[{i}]"),
            row,
            4,
        )?;
    }
    let v = &config.enrollment.voluntary;
    c.range(
        "enrollment.voluntary.voluntary_enrollment_rate",
        v.voluntary_enrollment_rate,
        0.0,
        1e6,
        "a multiplier must be finite and >= 0",
    )?;
    c.probabilities("enrollment.voluntary.base_by_age", &v.base_by_age, 4)?;
    c.multipliers(
        "enrollment.voluntary.income_multipliers",
        &v.income_multipliers,
        4,
    )?;
    c.multipliers(
        "enrollment.voluntary.level_multipliers",
        &v.level_multipliers,
        levels,
    )?;
    c.length(
        "enrollment.voluntary.deferral_rates",
        v.deferral_rates.len(),
        4,
    )?;
    for (i, row) in v.deferral_rates.iter().enumerate() {
        c.probabilities(&format!("enrollment.voluntary.deferral_rates[{i}]"), row, 4)?;
    }
    c.probability("enrollment.voluntary.min_rate", v.min_rate)?;
    c.range(
        "enrollment.voluntary.max_rate",
        v.max_rate,
        v.min_rate,
        1.0,
        "must be in [min_rate, 1]",
    )?;
    let conv = &config.enrollment.conversion;
    c.probabilities("enrollment.conversion.base_by_age", &conv.base_by_age, 4)?;
    c.multipliers(
        "enrollment.conversion.income_multipliers",
        &conv.income_multipliers,
        4,
    )?;
    c.multipliers(
        "enrollment.conversion.tenure_multipliers",
        &conv.tenure_multipliers,
        3,
    )?;
    c.probabilities(
        "enrollment.conversion.deferral_rate_by_age",
        &conv.deferral_rate_by_age,
        4,
    )?;

    let esc = &config.deferral_auto_escalation;
    c.range(
        "deferral_auto_escalation.increment_amount",
        esc.increment_amount,
        0.0,
        1.0,
        "must be in [0, 1]",
    )?;
    c.probability("deferral_auto_escalation.maximum_rate", esc.maximum_rate)?;
    c.int(
        "deferral_auto_escalation.first_escalation_delay_years",
        esc.first_escalation_delay_years,
        0,
        100,
    )?;
    let escalation_date = c.month_day(
        "deferral_auto_escalation.escalation_date",
        &esc.escalation_date,
    )?;

    let nh = &config.new_hire;
    c.range(
        "new_hire.salary_spread",
        nh.salary_spread,
        0.0,
        1.0,
        "must be in [0, 1]",
    )?;
    if nh.age_distribution.is_empty() {
        return Err(c.fail(
            "new_hire.age_distribution",
            "expected at least one age".into(),
        ));
    }
    for (i, a) in nh.age_distribution.iter().enumerate() {
        c.int(
            &format!("new_hire.age_distribution[{i}].age"),
            a.age,
            14,
            100,
        )?;
        c.probability(&format!("new_hire.age_distribution[{i}].weight"), a.weight)?;
    }
    let hire_ages =
        crate::numerics::Cumulative::from_weights(nh.age_distribution.iter().map(|a| a.weight));
    if hire_ages.total() == 0 {
        return Err(c.fail(
            "new_hire.age_distribution",
            "the weights sum to zero".into(),
        ));
    }
    if let Some(shares) = &nh.level_shares {
        c.probabilities("new_hire.level_shares", shares, levels)?;
        let sum: f64 = shares.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(c.fail(
                "new_hire.level_shares",
                format!("shares sum to {sum}, not 1"),
            ));
        }
    }

    Ok(Model {
        config,
        census_date,
        hire_date_cutoff,
        merit_date,
        promotion_date,
        escalation_date,
        hire_ages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config> {
        parse(text, Path::new("test.yaml"))
    }

    #[test]
    fn example_config_lists_exactly_the_defaults() {
        let text = include_str!("../../../config/simulation.yaml");
        assert_eq!(parse_str(text).unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_names_its_path() {
        let e = parse_str("workforce:\n  total_termination_rat: 0.1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("workforce.total_termination_rat") || e.contains("total_termination_rat"),
            "{e}"
        );
        assert!(e.contains("unknown field"), "{e}");
    }

    #[test]
    fn wrong_type_names_its_path() {
        let e = parse_str("simulation:\n  start_year: soon\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("simulation.start_year"), "{e}");
    }

    #[test]
    fn unknown_enum_value() {
        let e = parse_str("enrollment:\n  auto_enrollment:\n    scope: everyone\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("enrollment.auto_enrollment.scope") && e.contains("everyone"),
            "{e}"
        );
    }

    fn invalid(yaml: &str) -> String {
        validate(parse_str(yaml).unwrap(), "test.yaml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn ranges_are_checked_with_key_paths() {
        assert!(invalid("workforce:\n  total_termination_rate: 1.5\n")
            .contains("workforce.total_termination_rate"));
        assert!(invalid("workforce:\n  new_hire_termination_rate: 1.0\n")
            .contains("workforce.new_hire_termination_rate"));
        assert!(invalid("simulation:\n  target_growth_rate: -1.0\n")
            .contains("simulation.target_growth_rate"));
        assert!(
            invalid("simulation:\n  start_year: 2030\n  end_year: 2029\n")
                .contains("simulation.end_year")
        );
        assert!(invalid("simulation:\n  start_year: 2000\n  end_year: 2099\n").contains("horizon"));
        assert!(
            invalid("new_hire:\n  level_shares: [0.5, 0.5, 0.1, 0, 0]\n")
                .contains("new_hire.level_shares")
        );
        assert!(invalid("promotion:\n  age_multipliers: [1, 1]\n")
            .contains("promotion.age_multipliers"));
        assert!(
            invalid("compensation:\n  merit_date: \"02-29\"\n").contains("compensation.merit_date")
        );
    }

    #[test]
    fn defaults_validate_and_derive_dates() {
        let m = validate(Config::default(), "defaults").unwrap();
        assert_eq!(m.census_date, Date::dec31(2024));
        assert_eq!(m.hire_date_cutoff, Date::jan1(2025));
        assert_eq!(m.max_level(), 5);
    }
}
