//! Files in the tree that are generated from the library's tables must match them. Run with
//! `WFSIM_BLESS=1` to rewrite a file that drifted (then review and commit the change).

use std::path::Path;

fn check(relative: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    if std::env::var_os("WFSIM_BLESS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    panic!(
        "{relative} is not what the library generates; run `WFSIM_BLESS=1 cargo test -p wfsim --test generated` and commit it.\nexpected:\n{expected}\nfound:\n{actual}"
    );
}

#[test]
fn dbt_event_types_seed() {
    check(
        "dbt/seeds/event_types.csv",
        &wfsim::event::event_types_csv(),
    );
}

#[test]
fn dbt_batch_metrics_seed() {
    check(
        "dbt/seeds/batch_metrics.csv",
        &wfsim::batch::metrics::metrics_csv(),
    );
}
