//! The SQL engine writes its own labels and same-date order (its independence is the point);
//! this checks them against the library's event registry, so the two cannot drift apart.

use std::path::Path;
use wfsim::event::{Category, EventType, EVENT_TYPES, KINDS};

fn sql(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn quoted(token: &str) -> Option<&str> {
    token.trim().strip_prefix('\'')?.split('\'').next()
}

/// `(ord, event_type, category)` of every branch of the `raw` union in `events.sql`; the
/// category is `None` where it comes from a column (`term_category`).
fn event_branches() -> Vec<(usize, String, Option<String>)> {
    sql("events.sql")
        .lines()
        .filter_map(|line| line.trim().strip_prefix("SELECT employee_id,"))
        .map(|rest| {
            let fields: Vec<&str> = rest.split(',').map(str::trim).collect();
            let ord = fields[1].trim_end_matches(" AS ord").parse().unwrap();
            let event_type = quoted(fields[2].trim_end_matches(" AS event_type")).unwrap();
            let category = quoted(fields[3].trim_end_matches(" AS category"));
            (ord, event_type.to_string(), category.map(str::to_string))
        })
        .collect()
}

#[test]
fn same_date_order_and_categories_match_the_registry() {
    let branches = event_branches();
    assert!(branches.len() >= EVENT_TYPES.len(), "{branches:?}");
    for (ord, label, category) in &branches {
        let t = EventType::from_label(label)
            .unwrap_or_else(|| panic!("events.sql: unknown event type {label:?}"));
        assert_eq!(*ord, t as usize, "events.sql: same-date order of {label}");
        if let Some(c) = category {
            let c = Category::from_label(c)
                .unwrap_or_else(|| panic!("events.sql: unknown category {c:?}"));
            assert_eq!(
                c.event_type(),
                t,
                "events.sql: category {c:?} under {label}"
            );
        }
    }
    for (t, label) in EVENT_TYPES {
        assert!(
            branches.iter().any(|(_, l, _)| l == label),
            "events.sql never emits {t:?}"
        );
    }
}

#[test]
fn termination_categories_match_the_registry() {
    for (file, category) in [
        ("termination.sql", Category::ExperiencedTermination),
        ("reduction_in_force.sql", Category::ReductionInForce),
        ("new_hire_termination.sql", Category::NewHireTermination),
    ] {
        assert_eq!(category.event_type(), EventType::Termination);
        assert!(
            sql(file).contains(&format!("'{}'", category.label())),
            "{file} does not write {:?}",
            category.label()
        );
    }
    let all_sql: String = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("sql"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for k in KINDS {
        assert!(
            all_sql.contains(&format!("'{}'", k.label)),
            "no SQL file writes the category {:?}",
            k.label
        );
    }
}
