//! Band indices of spec §1 and §7 (lower bound inclusive, upper exclusive).

// The counts size the per-band lists of the config, so a list of the wrong length fails to parse.
pub const AGE_BANDS: usize = 6;
pub const TENURE_BANDS: usize = 5;
pub const INCOME_BANDS: usize = 4;
pub const ENROLLMENT_AGE_GROUPS: usize = 4;
pub const OPT_OUT_AGE_GROUPS: usize = 4;
pub const CONVERSION_TENURE_GROUPS: usize = 3;

pub const AGE_BAND_LABELS: [&str; AGE_BANDS] = ["<25", "25-34", "35-44", "45-54", "55-64", "65+"];
pub const TENURE_BAND_LABELS: [&str; TENURE_BANDS] = ["<2", "2-4", "5-9", "10-19", "20+"];

pub fn age_band(age: i32) -> usize {
    match age {
        ..25 => 0,
        25..35 => 1,
        35..45 => 2,
        45..55 => 3,
        55..65 => 4,
        _ => 5,
    }
}

pub fn tenure_band(tenure: i32) -> usize {
    match tenure {
        ..2 => 0,
        2..5 => 1,
        5..10 => 2,
        10..20 => 3,
        _ => 4,
    }
}

/// Income band from annual salary: low, moderate, high, executive.
pub fn income_band(salary: f64) -> usize {
    if salary < 50_000.0 {
        0
    } else if salary < 100_000.0 {
        1
    } else if salary < 200_000.0 {
        2
    } else {
        3
    }
}

/// Age groups of the voluntary-enrollment and conversion studies: <31, <46, <56, else.
pub fn enrollment_age_group(age: i32) -> usize {
    match age {
        ..31 => 0,
        31..46 => 1,
        46..56 => 2,
        _ => 3,
    }
}

/// Age groups of the opt-out study: <30, <45, <60, else.
pub fn opt_out_age_group(age: i32) -> usize {
    match age {
        ..30 => 0,
        30..45 => 1,
        45..60 => 2,
        _ => 3,
    }
}

/// Tenure groups of the conversion study: <2, <5, else.
pub fn conversion_tenure_group(tenure: i32) -> usize {
    match tenure {
        ..2 => 0,
        2..5 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges() {
        assert_eq!(
            [24, 25, 34, 35, 44, 45, 54, 55, 64, 65].map(age_band),
            [0, 1, 1, 2, 2, 3, 3, 4, 4, 5]
        );
        assert_eq!(
            [1, 2, 4, 5, 9, 10, 19, 20].map(tenure_band),
            [0, 1, 1, 2, 2, 3, 3, 4]
        );
        assert_eq!(
            [49_999.99, 50_000.0, 99_999.99, 100_000.0, 199_999.0, 200_000.0].map(income_band),
            [0, 1, 1, 2, 2, 3]
        );
        assert_eq!(
            [30, 31, 45, 46, 55, 56].map(enrollment_age_group),
            [0, 1, 1, 2, 2, 3]
        );
        assert_eq!(
            [29, 30, 44, 45, 59, 60].map(opt_out_age_group),
            [0, 1, 1, 2, 2, 3]
        );
        assert_eq!([1, 2, 4, 5].map(conversion_tenure_group), [0, 1, 1, 2]);
    }
}
