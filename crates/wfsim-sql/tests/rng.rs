//! The SQL random function and numerics agree with the native ones (spec §2, §3).

use std::path::Path;
use wfsim::config;
use wfsim::rng::{Rng, Stream};
use wfsim_sql::SqlEngine;

const STREAMS: [Stream; 17] = [
    Stream::Termination,
    Stream::TerminationDate,
    Stream::Rif,
    Stream::NhTermination,
    Stream::NhTerminationDate,
    Stream::HireAge,
    Stream::HireDate,
    Stream::HireSalary,
    Stream::HireIneligible,
    Stream::Promotion,
    Stream::PromotionRaise,
    Stream::VoluntaryEnrollment,
    Stream::EnrollmentTiming,
    Stream::OptOut,
    Stream::OptOutTiming,
    Stream::Conversion,
    Stream::MatchResponse,
];

fn engine(seed: u64) -> SqlEngine {
    let yaml = format!("simulation: {{random_seed: {seed}}}\n");
    let model =
        config::validate(config::parse(&yaml, Path::new("t.yaml")).unwrap(), "t.yaml").unwrap();
    SqlEngine::new(&model, &[]).unwrap()
}

#[test]
fn sql_u_matches_native_for_many_keys() {
    for seed in [42u64, 7, 0, 18_446_744_073_709_551_615] {
        let e = engine(seed);
        let rng = Rng::new(seed);
        let mut stmt = e
            .connection()
            .prepare("SELECT rng_v(?, ?, ?)::BIGINT, u(?, ?, ?)")
            .unwrap();
        let mut n = 0;
        for i in 0..400 {
            let id = if i % 3 == 0 {
                format!("NH_{}_{:06}", 2025 + i % 5, i)
            } else {
                format!("EMP_{i:06}")
            };
            let year: i32 = 2020 + i % 17;
            for s in STREAMS {
                let (v, u): (i64, f64) = stmt
                    .query_row(
                        wfsim_sql::duckdb::params![id, year, s.name(), id, year, s.name()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                let d = rng.draw(&id, year, s);
                assert_eq!(v as u32, d.0, "{id}|{year}|{}|{seed}", s.name());
                assert_eq!(u.to_bits(), d.u().to_bits());
                n += 1;
            }
        }
        assert_eq!(n, 400 * STREAMS.len());
    }
}

#[test]
fn published_vectors() {
    let e = engine(42);
    let v: i64 = e
        .connection()
        .query_row(
            "SELECT rng_v('EMP_000001', 2025, 'termination')::BIGINT",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, 0x32bd9c58);
}

#[test]
fn rounding_and_dates_match_native() {
    let e = engine(1);
    let c = e.connection();
    for x in [
        1.005f64,
        2.675,
        0.125,
        -0.125,
        1234.565,
        99999.995,
        0.07 * 3.0,
    ] {
        let (cents, bp): (f64, f64) = c
            .query_row(
                "SELECT round_cents(?::DOUBLE), round_bp(?::DOUBLE)",
                [x, x],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            cents.to_bits(),
            wfsim::numerics::round_cents(x).to_bits(),
            "{x}"
        );
        assert_eq!(bp.to_bits(), wfsim::numerics::round_bp(x).to_bits(), "{x}");
    }
    let yb: Vec<i64> = c
        .prepare(
            "SELECT years_between(a::DATE, b::DATE) FROM (VALUES
               ('2004-02-29', '2025-02-28'), ('2004-02-29', '2025-03-01'),
               ('2004-02-29', '2028-02-29'), ('1990-12-31', '2025-12-30')) t(a, b)",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|x| x.unwrap())
        .collect();
    assert_eq!(yb, [20, 21, 24, 34]);
    let ann: String = c
        .query_row(
            "SELECT anniversary(DATE '2004-02-29', 21)::VARCHAR",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ann, "2025-03-01");
}
