//! What a year produces: events and year-end snapshot rows (spec §5), handed to the writer.

use crate::date::Date;
use crate::engine::employee::EnrollmentMethod;
use std::sync::Arc;

/// Event types in their same-date order (spec §4.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    Hire,
    Eligibility,
    Enrollment,
    OptOut,
    DeferralEscalation,
    Promotion,
    Raise,
    Termination,
}

impl EventType {
    pub const ALL: [EventType; 8] = [
        EventType::Hire,
        EventType::Eligibility,
        EventType::Enrollment,
        EventType::OptOut,
        EventType::DeferralEscalation,
        EventType::Promotion,
        EventType::Raise,
        EventType::Termination,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EventType::Hire => "hire",
            EventType::Eligibility => "eligibility",
            EventType::Enrollment => "enrollment",
            EventType::OptOut => "opt_out",
            EventType::DeferralEscalation => "deferral_escalation",
            EventType::Promotion => "promotion",
            EventType::Raise => "raise",
            EventType::Termination => "termination",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    NewHire,
    ExperiencedTermination,
    ReductionInForce,
    NewHireTermination,
    Promotion,
    MeritCola,
    PlanEligibility,
    VoluntaryEnrollment,
    AutoEnrollment,
    OptOut,
    AutoEscalation,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::NewHire,
        Category::ExperiencedTermination,
        Category::ReductionInForce,
        Category::NewHireTermination,
        Category::Promotion,
        Category::MeritCola,
        Category::PlanEligibility,
        Category::VoluntaryEnrollment,
        Category::AutoEnrollment,
        Category::OptOut,
        Category::AutoEscalation,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::NewHire => "new_hire",
            Category::ExperiencedTermination => "experienced_termination",
            Category::ReductionInForce => "reduction_in_force",
            Category::NewHireTermination => "new_hire_termination",
            Category::Promotion => "promotion",
            Category::MeritCola => "merit_cola",
            Category::PlanEligibility => "plan_eligibility",
            Category::VoluntaryEnrollment => "voluntary_enrollment",
            Category::AutoEnrollment => "auto_enrollment",
            Category::OptOut => "opt_out",
            Category::AutoEscalation => "auto_escalation",
        }
    }
}

/// One event. `row` indexes the year's snapshot rows, which carry the employee id.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub row: u32,
    pub event_type: EventType,
    pub category: Category,
    pub date: Date,
    pub sequence: i32,
    pub level: u8,
    pub previous_level: Option<u8>,
    pub compensation: f64,
    pub previous_compensation: Option<f64>,
    pub deferral_rate: f64,
    pub previous_deferral_rate: Option<f64>,
    pub age: i32,
    pub tenure: i32,
    pub probability: Option<f64>,
    pub draw: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailedStatus {
    ContinuousActive,
    NewHireActive,
    ExperiencedTermination,
    NewHireTermination,
}

impl DetailedStatus {
    pub fn label(self) -> &'static str {
        match self {
            DetailedStatus::ContinuousActive => "continuous_active",
            DetailedStatus::NewHireActive => "new_hire_active",
            DetailedStatus::ExperiencedTermination => "experienced_termination",
            DetailedStatus::NewHireTermination => "new_hire_termination",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotRow {
    pub employee_id: Arc<str>,
    pub birth_date: Date,
    pub hire_date: Date,
    pub termination_date: Option<Date>,
    pub status: DetailedStatus,
    pub level: u8,
    pub annual_salary: f64,
    pub prorated_compensation: f64,
    pub age: i32,
    pub tenure: i32,
    pub plan_eligible: bool,
    pub eligibility_date: Option<Date>,
    pub is_enrolled: bool,
    pub enrollment_date: Option<Date>,
    pub enrollment_method: Option<EnrollmentMethod>,
    pub ever_opted_out: bool,
    pub deferral_rate: f64,
    pub auto_escalation_opt_out: bool,
    pub escalations_received: i32,
}

/// Per-year counts for the summary table and `generation_summary.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct YearCounts {
    pub year: i32,
    pub n_start: i64,
    pub target: i64,
    pub experienced_terminations: i64,
    pub rif_terminations: i64,
    pub hires: i64,
    pub new_hire_terminations: i64,
    pub promotions: i64,
    pub raises: i64,
    pub eligibilities: i64,
    pub voluntary_enrollments: i64,
    pub auto_enrollments: i64,
    pub opt_outs: i64,
    pub escalations: i64,
    pub n_end: i64,
    pub events: i64,
}

impl YearCounts {
    pub fn growth_pct(&self) -> f64 {
        if self.n_start == 0 {
            0.0
        } else {
            (self.n_end - self.n_start) as f64 * 100.0 / self.n_start as f64
        }
    }
}

/// Everything one simulated year hands to the writer.
#[derive(Debug)]
pub struct YearOutput {
    pub year: i32,
    pub events: Vec<Event>,
    pub snapshots: Vec<SnapshotRow>,
    pub counts: YearCounts,
}
