//! Calendar dates as proleptic-Gregorian day numbers (days since 1970-01-01, Arrow's `date32`).
//!
//! The model only ever needs "add k days", "compare", and the (year, month, day) triple for
//! `years_between`, so a plain `i32` with chrono for the conversions is enough.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(pub i32);

const UNIX_EPOCH_CE: i32 = 719_163;

impl Date {
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date::from_naive)
    }

    pub fn from_naive(d: NaiveDate) -> Date {
        Date(d.num_days_from_ce() - UNIX_EPOCH_CE)
    }

    pub fn naive(self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.0 + UNIX_EPOCH_CE).expect("date in chrono range")
    }

    pub fn jan1(year: i32) -> Date {
        Date::from_ymd(year, 1, 1).expect("valid year")
    }

    pub fn dec31(year: i32) -> Date {
        Date::from_ymd(year, 12, 31).expect("valid year")
    }

    /// The (year, month, day) triple, by Hinnant's `civil_from_days` (exact over the whole
    /// proleptic Gregorian calendar): `years_between` runs for every employee and event, and
    /// this is several times faster than going through chrono.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Days since 0000-03-01; unsigned arithmetic (cheaper divisions) for every date after it.
        let z = i64::from(self.0) + 719_468;
        let (era, doe) = match u32::try_from(z) {
            Ok(z) => (i64::from(z / 146_097), z % 146_097),
            Err(_) => (z.div_euclid(146_097), z.rem_euclid(146_097) as u32),
        };
        // doe: day of the 400-year era [0, 146096]; yoe: year of the era [0, 399].
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year
        let mp = (5 * doy + 2) / 153; // March = 0
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = i64::from(yoe) + era * 400 + i64::from(month <= 2);
        (year as i32, month, day)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn add_days(self, k: i32) -> Date {
        Date(self.0 + k)
    }

    /// Days from `self` to `later` (positive when `later` is after `self`).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time part (`T…` or ` …`), which is ignored.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let date_part = match s.find(['T', ' ']) {
            Some(10) => &s[..10],
            Some(_) => return None,
            None => s,
        };
        if date_part.len() != 10 {
            return None;
        }
        // Plain `DDDD-DD-DD` (every census date) without chrono's format interpreter.
        let b = date_part.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b[r.clone()].iter().all(u8::is_ascii_digit).then(|| {
                b[r].iter()
                    .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
            })
        };
        if b[4] == b'-' && b[7] == b'-' {
            if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
                return Date::from_ymd(y as i32, m, d);
            }
        }
        NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
            .ok()
            .map(Date::from_naive)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.naive().format("%Y-%m-%d"))
    }
}

/// Days in year `n` (365 or 366).
pub fn days_in_year(n: i32) -> i32 {
    Date::jan1(n + 1).0 - Date::jan1(n).0
}

/// A date split into (year, month, day).
pub type Ymd = (i32, u32, u32);

/// Completed years from `a` to `b` (spec §1): month/day compared as written, so a Feb 29
/// birthday is reached on Mar 1 in common years.
pub fn years_between(a: Date, b: Date) -> i32 {
    years_between_ymd(a.ymd(), b.ymd())
}

/// [`years_between`] on (year, month, day) triples, for callers that reuse one side's triple.
pub fn years_between_ymd(a: Ymd, b: Ymd) -> i32 {
    let ((ay, am, ad), (by, bm, bd)) = (a, b);
    by - ay - i32::from((bm, bd) < (am, ad))
}

/// First date on which `years_between(birth, d) >= years`.
pub fn anniversary(birth: Date, years: i32) -> Date {
    let (y, m, d) = birth.ymd();
    Date::from_ymd(y + years, m, d).unwrap_or_else(|| {
        // Only Feb 29 in a common year is invalid; the anniversary is then reached on Mar 1.
        Date::from_ymd(y + years, 3, 1).expect("Mar 1 exists")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn ymd_matches_chrono() {
        for day in (-800_000..800_000).step_by(7).chain(-1_000..100_000) {
            let n = Date(day).naive();
            assert_eq!(Date(day).ymd(), (n.year(), n.month(), n.day()), "day {day}");
        }
    }

    #[test]
    fn parse_iso_matches_chrono() {
        for s in [
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "9999-12-31",
            "2024-1-011",
            "+202-01-01",
            "2024/01/01",
            "1969-12-31",
        ] {
            let chrono = NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(Date::from_naive);
            assert_eq!(Date::parse_iso(s), chrono, "{s}");
        }
    }

    #[test]
    fn epoch_is_zero() {
        assert_eq!(d("1970-01-01").0, 0);
        assert_eq!(d("2025-01-01").0, 20089);
    }

    #[test]
    fn years_between_rules() {
        assert_eq!(years_between(d("1990-07-01"), d("2025-01-01")), 34);
        assert_eq!(years_between(d("1990-01-01"), d("2025-01-01")), 35);
        assert_eq!(years_between(d("1990-12-31"), d("2025-12-30")), 34);
        assert_eq!(years_between(d("1990-12-31"), d("2025-12-31")), 35);
        // Feb 29 birthday: not yet on Feb 28 of a common year, reached on Mar 1.
        assert_eq!(years_between(d("2004-02-29"), d("2025-02-28")), 20);
        assert_eq!(years_between(d("2004-02-29"), d("2025-03-01")), 21);
        assert_eq!(years_between(d("2004-02-29"), d("2028-02-29")), 24);
    }

    #[test]
    fn anniversary_feb29() {
        assert_eq!(anniversary(d("2004-02-29"), 21), d("2025-03-01"));
        assert_eq!(anniversary(d("2004-02-29"), 24), d("2028-02-29"));
        assert_eq!(anniversary(d("2000-06-15"), 21), d("2021-06-15"));
    }

    #[test]
    fn days_in_years() {
        assert_eq!(days_in_year(2024), 366);
        assert_eq!(days_in_year(2025), 365);
        assert_eq!(days_in_year(2100), 365);
        assert_eq!(days_in_year(2000), 366);
    }

    #[test]
    fn parse_accepts_time_part_and_rejects_garbage() {
        assert_eq!(
            Date::parse_iso("2024-05-01T00:00:00"),
            Some(d("2024-05-01"))
        );
        assert_eq!(
            Date::parse_iso("2024-05-01 12:00:00"),
            Some(d("2024-05-01"))
        );
        assert_eq!(Date::parse_iso("2025-02-30"), None);
        assert_eq!(Date::parse_iso("45123"), None);
        assert_eq!(Date::parse_iso("05/01/2024"), None);
        assert_eq!(Date::parse_iso("2024-5-1"), None);
    }
}
