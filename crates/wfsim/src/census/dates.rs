//! Census dates: ISO always, Excel's own date cells always (the xlsx reader writes them as ISO),
//! and one declared `census.date_format`. A date is never guessed: without a declared format,
//! `03/04/1990` is an error, not March 4 or April 3.

use crate::config::DateFormat;
use crate::date::Date;
use chrono::NaiveDate;

impl DateFormat {
    /// The date `text` holds in this format, with an optional time of day after a space
    /// (`3/15/1987 0:00`, as spreadsheets export), which is ignored.
    fn parse(&self, text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, self.as_str())
            .ok()
            .or_else(|| {
                let (date, time) = text.split_once(' ')?;
                (!self.as_str().contains(' ') && is_time(time.trim()))
                    .then(|| NaiveDate::parse_from_str(date, self.as_str()).ok())
                    .flatten()
            })
    }
}

/// `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, optionally followed by AM or PM.
fn is_time(text: &str) -> bool {
    let clock = text
        .strip_suffix("AM")
        .or_else(|| text.strip_suffix("PM"))
        .or_else(|| text.strip_suffix("am"))
        .or_else(|| text.strip_suffix("pm"))
        .map_or(text, str::trim_end);
    let parts: Vec<&str> = clock.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().enumerate().all(|(i, p)| {
            let digits = if i == 2 {
                p.split('.').next().unwrap_or("")
            } else {
                p
            };
            (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        })
}

/// A census date cell: ISO (`YYYY-MM-DD`, optionally with a time), else the declared format.
pub(super) fn parse(text: &str, format: Option<&DateFormat>) -> Option<Date> {
    Date::parse_iso(text).or_else(|| format?.parse(text).map(Date::from_naive))
}

/// What a date cell that failed to parse should have looked like.
pub(super) fn expected(format: Option<&DateFormat>) -> String {
    match format {
        Some(f) => format!("not a valid date (expected census.date_format \"{f}\" or YYYY-MM-DD)"),
        None => "not a valid date (expected YYYY-MM-DD, optionally with a time; for other layouts declare census.date_format, e.g. \"%m/%d/%Y\": wfsim never guesses whether 03/04/1990 is March 4 or April 3)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::from_ymd(y, m, d)
    }

    #[test]
    fn a_declared_format_reads_its_dates_and_iso_always_works() {
        let us = DateFormat::new("%m/%d/%Y").unwrap();
        assert_eq!(parse("03/15/1987", Some(&us)), ymd(1987, 3, 15));
        assert_eq!(parse("3/4/1990", Some(&us)), ymd(1990, 3, 4));
        assert_eq!(parse("3/4/1990 0:00", Some(&us)), ymd(1990, 3, 4));
        assert_eq!(parse("3/4/1990 12:00:00 AM", Some(&us)), ymd(1990, 3, 4));
        assert_eq!(parse("1990-03-04", Some(&us)), ymd(1990, 3, 4));
        assert_eq!(parse("15/03/1987", Some(&us)), None);
        assert_eq!(parse("3/4/1990 soon", Some(&us)), None);
        let eu = DateFormat::new("%d.%m.%Y").unwrap();
        assert_eq!(parse("04.03.1990", Some(&eu)), ymd(1990, 3, 4));
        let named = DateFormat::new("%d-%b-%Y").unwrap();
        assert_eq!(parse("15-Mar-1987", Some(&named)), ymd(1987, 3, 15));
    }

    #[test]
    fn without_a_format_only_iso_is_read() {
        assert_eq!(parse("03/15/1987", None), None);
        assert_eq!(parse("1987-03-15", None), ymd(1987, 3, 15));
        assert!(expected(None).contains("never guesses"));
    }

    #[test]
    fn formats_that_read_a_date_two_ways_or_not_at_all_are_refused() {
        for (bad, why) in [
            ("%m/%d/%y", "two-digit years"),
            ("%m/%Y", "lacks a day"),
            ("%d/%m/%d/%Y", "twice"),
            ("%m/%d/%Y %H:%M", "%H is not a date field"),
            ("%Y-%d-%m", "day before the month"),
            ("%m/%d/%Y%", "lone `%`"),
            ("", "lacks a year"),
        ] {
            let e = DateFormat::new(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        for good in [
            "%m/%d/%Y",
            "%d/%m/%Y",
            "%Y/%m/%d",
            "%-m/%-d/%Y",
            "%e %B %Y",
            "%Y%m%d",
        ] {
            assert!(DateFormat::new(good).is_ok(), "{good}");
        }
    }
}
