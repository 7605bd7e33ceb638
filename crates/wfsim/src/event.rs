//! The rows of the data contract between the engines and the writers: events and year-end
//! snapshot rows (spec §5). Both engines produce these; nothing here knows how. The year they
//! make up, and its counts, are [`crate::year`].
//!
//! Every kind of event is described once, in [`EVENT_TYPES`] and [`KINDS`]: labels, same-date
//! order, counter names and table headers all come from those two tables, so adding an event
//! kind is a row there plus the rule that emits it.

use crate::date::Date;
use std::sync::Arc;

/// Event types; the variant order is the same-date order of spec §4.10 (and [`EVENT_TYPES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    Hire,
    Eligibility,
    Enrollment,
    OptOut,
    DeferralChange,
    DeferralEscalation,
    Promotion,
    Raise,
    Termination,
}

/// Each event type with its `event_type` label, in same-date order.
pub const EVENT_TYPES: [(EventType, &str); 9] = [
    (EventType::Hire, "hire"),
    (EventType::Eligibility, "eligibility"),
    (EventType::Enrollment, "enrollment"),
    (EventType::OptOut, "opt_out"),
    (EventType::DeferralChange, "deferral_change"),
    (EventType::DeferralEscalation, "deferral_escalation"),
    (EventType::Promotion, "promotion"),
    (EventType::Raise, "raise"),
    (EventType::Termination, "termination"),
];

impl EventType {
    pub const ALL: [EventType; 9] = {
        let mut all = [EventType::Hire; 9];
        let mut i = 0;
        while i < 9 {
            all[i] = EVENT_TYPES[i].0;
            i += 1;
        }
        all
    };

    pub fn label(self) -> &'static str {
        EVENT_TYPES[self as usize].1
    }

    pub fn from_label(label: &str) -> Option<EventType> {
        EVENT_TYPES
            .iter()
            .find(|(_, l)| *l == label)
            .map(|(t, _)| *t)
    }
}

/// Event categories (`event_category`); the variant order is the order of [`KINDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    ExperiencedTermination,
    ReductionInForce,
    NewHire,
    NewHireTermination,
    Promotion,
    MeritCola,
    PlanEligibility,
    VoluntaryEnrollment,
    AutoEnrollment,
    OptOut,
    MatchResponse,
    AutoEscalation,
}

/// One kind of event: a category, the type it belongs to and how it is counted and shown.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    pub category: Category,
    pub event_type: EventType,
    /// The `event_category` value.
    pub label: &'static str,
    /// Its counter in [`YearCounts`] and `generation_summary.json`.
    pub counter: &'static str,
    /// Its column header in the printed summary table.
    pub column: &'static str,
}

const fn kind(
    category: Category,
    event_type: EventType,
    label: &'static str,
    counter: &'static str,
    column: &'static str,
) -> Kind {
    Kind {
        category,
        event_type,
        label,
        counter,
        column,
    }
}

/// Every event kind, in the order of the year's flow (leavers, hires, then the plan), which
/// is the order of the counters and of the summary table's columns.
pub const KINDS: [Kind; 12] = [
    kind(
        Category::ExperiencedTermination,
        EventType::Termination,
        "experienced_termination",
        "experienced_terminations",
        "exp_term",
    ),
    kind(
        Category::ReductionInForce,
        EventType::Termination,
        "reduction_in_force",
        "rif_terminations",
        "rif",
    ),
    kind(
        Category::NewHire,
        EventType::Hire,
        "new_hire",
        "hires",
        "hires",
    ),
    kind(
        Category::NewHireTermination,
        EventType::Termination,
        "new_hire_termination",
        "new_hire_terminations",
        "nh_term",
    ),
    kind(
        Category::Promotion,
        EventType::Promotion,
        "promotion",
        "promotions",
        "promo",
    ),
    kind(
        Category::MeritCola,
        EventType::Raise,
        "merit_cola",
        "raises",
        "raises",
    ),
    kind(
        Category::PlanEligibility,
        EventType::Eligibility,
        "plan_eligibility",
        "eligibilities",
        "elig",
    ),
    kind(
        Category::VoluntaryEnrollment,
        EventType::Enrollment,
        "voluntary_enrollment",
        "voluntary_enrollments",
        "vol_enr",
    ),
    kind(
        Category::AutoEnrollment,
        EventType::Enrollment,
        "auto_enrollment",
        "auto_enrollments",
        "auto_enr",
    ),
    kind(
        Category::OptOut,
        EventType::OptOut,
        "opt_out",
        "opt_outs",
        "opt_out",
    ),
    kind(
        Category::MatchResponse,
        EventType::DeferralChange,
        "match_response",
        "deferral_changes",
        "mresp",
    ),
    kind(
        Category::AutoEscalation,
        EventType::DeferralEscalation,
        "auto_escalation",
        "escalations",
        "escal",
    ),
];

impl Category {
    pub const ALL: [Category; 12] = {
        let mut all = [Category::NewHire; 12];
        let mut i = 0;
        while i < 12 {
            all[i] = KINDS[i].category;
            i += 1;
        }
        all
    };

    pub fn kind(self) -> &'static Kind {
        &KINDS[self as usize]
    }

    pub fn label(self) -> &'static str {
        self.kind().label
    }

    pub fn event_type(self) -> EventType {
        self.kind().event_type
    }

    pub fn from_label(label: &str) -> Option<Category> {
        KINDS.iter().find(|k| k.label == label).map(|k| k.category)
    }
}

/// The event kinds as CSV (`event_category,event_type,same_date_order,counter`), in [`KINDS`]
/// order: the dbt project's seed `dbt/seeds/event_types.csv`, so its models and tests read the
/// kinds from this table instead of restating them (a test keeps the file in step).
pub fn event_types_csv() -> String {
    let mut out = String::from("event_category,event_type,same_date_order,counter\n");
    for k in &KINDS {
        let order = k.event_type as usize + 1;
        let line = format!(
            "{},{},{order},{}\n",
            k.label,
            k.event_type.label(),
            k.counter
        );
        out.push_str(&line);
    }
    out
}

/// How an employee came to be enrolled (`enrollment_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrollmentMethod {
    Census,
    Auto,
    Voluntary,
}

impl EnrollmentMethod {
    pub const ALL: [EnrollmentMethod; 3] = [
        EnrollmentMethod::Census,
        EnrollmentMethod::Auto,
        EnrollmentMethod::Voluntary,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EnrollmentMethod::Census => "census",
            EnrollmentMethod::Auto => "auto",
            EnrollmentMethod::Voluntary => "voluntary",
        }
    }

    pub fn from_label(label: &str) -> Option<EnrollmentMethod> {
        Self::ALL.into_iter().find(|m| m.label() == label)
    }
}

/// One event. `row` indexes the year's snapshot rows, which carry the employee id. Kept small
/// (96 bytes): a large year holds millions of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub row: u32,
    pub event_type: EventType,
    pub category: Category,
    pub date: Date,
    pub sequence: i32,
    pub level: u8,
    pub compensation: f64,
    pub deferral_rate: f64,
    pub age: i32,
    pub tenure: i32,
    /// The state before the event: every event but a hire has it.
    pub previous: Option<Previous>,
    /// The draw that decided the event, if one did.
    pub decision: Option<Drawn>,
}

/// The columns of spec §5 that the two optional parts hold.
impl Event {
    pub fn previous_level(&self) -> Option<u8> {
        self.previous.map(|p| p.level)
    }

    pub fn previous_compensation(&self) -> Option<f64> {
        self.previous.map(|p| p.compensation)
    }

    pub fn previous_deferral_rate(&self) -> Option<f64> {
        self.previous.map(|p| p.deferral_rate)
    }

    pub fn probability(&self) -> Option<f64> {
        self.decision.and_then(|d| d.probability)
    }

    pub fn draw(&self) -> Option<f64> {
        self.decision.map(|d| d.draw)
    }
}

/// `previous_level_id`, `previous_compensation` and `prev_employee_deferral_rate`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Previous {
    pub level: u8,
    pub compensation: f64,
    pub deferral_rate: f64,
}

/// `event_probability` and `random_draw`: a reduction in force and a new-hire termination are
/// decided by ranking draws, with no probability compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drawn {
    pub probability: Option<f64>,
    pub draw: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailedStatus {
    ContinuousActive,
    NewHireActive,
    ExperiencedTermination,
    NewHireTermination,
}

impl DetailedStatus {
    pub const ALL: [DetailedStatus; 4] = [
        DetailedStatus::ContinuousActive,
        DetailedStatus::NewHireActive,
        DetailedStatus::ExperiencedTermination,
        DetailedStatus::NewHireTermination,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DetailedStatus::ContinuousActive => "continuous_active",
            DetailedStatus::NewHireActive => "new_hire_active",
            DetailedStatus::ExperiencedTermination => "experienced_termination",
            DetailedStatus::NewHireTermination => "new_hire_termination",
        }
    }

    pub fn from_label(label: &str) -> Option<DetailedStatus> {
        Self::ALL.into_iter().find(|s| s.label() == label)
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
    pub money: Contributions,
    /// Spec §9: highly compensated (look-back pay or ownership) and key employee (top-heavy).
    pub is_hce: bool,
    pub is_key_employee: bool,
}

/// The year's plan money of one employee (spec §4.11, §4.12), in dollars and cents.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Contributions {
    pub eligible_compensation: f64,
    pub elected_deferral: f64,
    pub employee_deferral: f64,
    pub catch_up_deferral: f64,
    pub employer_match: f64,
    pub employer_core: f64,
    pub vested_fraction: f64,
    pub forfeiture: f64,
    pub employer_balance: f64,
    pub employee_balance: f64,
    /// The core part of `employer_balance`.
    pub core_balance: f64,
    pub core_vested_fraction: f64,
    /// The nondiscrimination tests' pay (spec §9): `P = round_cents(ex_elig * factor)`, the
    /// eligible pay with 401(a)(17) applied. Not a snapshot column.
    pub testing_pay: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_stay_small() {
        assert_eq!(std::mem::size_of::<Event>(), 96);
    }

    #[test]
    fn tables_are_indexed_by_their_enums() {
        for (i, (t, _)) in EVENT_TYPES.iter().enumerate() {
            assert_eq!(*t as usize, i, "{t:?}");
        }
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.category as usize, i, "{:?}", k.category);
        }
    }

    #[test]
    fn labels_and_counters_are_unique() {
        for (i, a) in KINDS.iter().enumerate() {
            for b in &KINDS[i + 1..] {
                assert_ne!(a.label, b.label);
                assert_ne!(a.counter, b.counter);
                assert_ne!(a.column, b.column);
            }
            assert_eq!(Category::from_label(a.label), Some(a.category));
        }
        for (t, label) in EVENT_TYPES {
            assert_eq!(EventType::from_label(label), Some(t));
            assert!(KINDS.iter().any(|k| k.event_type == t), "{t:?} has no kind");
        }
    }
}
