//! The year's plan figures from its snapshot rows, with the definitions of the batch metrics
//! (spec §8): counts of the actives at Dec 31, rates from integer counts and basis points, money
//! summed as integer cents (never as floats across employees).

use crate::event::SnapshotRow;
use serde::ser::SerializeMap;

/// `round_half_away(x * 100)` as integer cents.
pub fn cents(x: f64) -> i64 {
    crate::numerics::round_half_away(x * 100.0) as i64
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearTotals {
    /// Active at Dec 31 and plan-eligible.
    pub eligible_end: i64,
    /// Active at Dec 31, eligible and enrolled.
    pub enrolled_end: i64,
    /// Sum of the deferral rates of the `enrolled_end`, in basis points.
    pub deferral_bp: i64,
    /// Sums over every row of the year (leavers included), in cents.
    pub payroll: i64,
    pub employee_deferrals: i64,
    pub employer_match: i64,
    pub employer_core: i64,
    pub forfeitures: i64,
    /// Year-end account balances (spec §4.12), every row, in cents.
    pub employee_balances: i64,
    pub employer_balances: i64,
}

impl YearTotals {
    pub fn of(rows: &[SnapshotRow]) -> YearTotals {
        let mut t = YearTotals::default();
        for r in rows {
            if r.termination_date.is_none() && r.plan_eligible {
                t.eligible_end += 1;
                if r.is_enrolled {
                    t.enrolled_end += 1;
                    t.deferral_bp +=
                        crate::numerics::round_half_away(r.deferral_rate * 10_000.0) as i64;
                }
            }
            t.payroll += cents(r.prorated_compensation);
            t.employee_deferrals += cents(r.money.employee_deferral);
            t.employer_match += cents(r.money.employer_match);
            t.employer_core += cents(r.money.employer_core);
            t.forfeitures += cents(r.money.forfeiture);
            t.employee_balances += cents(r.money.employee_balance);
            t.employer_balances += cents(r.money.employer_balance);
        }
        t
    }

    /// Adds the totals of other rows of the year: every figure is an integer sum.
    pub fn add(&mut self, other: &YearTotals) {
        let YearTotals {
            eligible_end,
            enrolled_end,
            deferral_bp,
            payroll,
            employee_deferrals,
            employer_match,
            employer_core,
            forfeitures,
            employee_balances,
            employer_balances,
        } = *other;
        self.eligible_end += eligible_end;
        self.enrolled_end += enrolled_end;
        self.deferral_bp += deferral_bp;
        self.payroll += payroll;
        self.employee_deferrals += employee_deferrals;
        self.employer_match += employer_match;
        self.employer_core += employer_core;
        self.forfeitures += forfeitures;
        self.employee_balances += employee_balances;
        self.employer_balances += employer_balances;
    }

    /// `employer_match + employer_core - forfeitures`, in cents.
    pub fn employer_cost(&self) -> i64 {
        self.employer_match + self.employer_core - self.forfeitures
    }

    pub fn participation_rate(&self) -> Option<f64> {
        (self.eligible_end > 0).then(|| self.enrolled_end as f64 / self.eligible_end as f64)
    }

    pub fn avg_deferral_rate(&self) -> Option<f64> {
        (self.enrolled_end > 0)
            .then(|| self.deferral_bp as f64 / 10_000.0 / self.enrolled_end as f64)
    }

    /// The quotient of the two dollar values.
    pub fn employer_cost_pct_of_payroll(&self) -> Option<f64> {
        (self.payroll != 0).then(|| dollars(self.employer_cost()) / dollars(self.payroll))
    }

    /// The figures under their metric names (spec §8), money in dollars.
    pub fn serialize_entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("eligible_end", &self.eligible_end)?;
        m.serialize_entry("enrolled_end", &self.enrolled_end)?;
        m.serialize_entry("participation_rate", &self.participation_rate())?;
        m.serialize_entry("avg_deferral_rate", &self.avg_deferral_rate())?;
        m.serialize_entry("payroll", &dollars(self.payroll))?;
        m.serialize_entry("employee_deferrals", &dollars(self.employee_deferrals))?;
        m.serialize_entry("employer_match", &dollars(self.employer_match))?;
        m.serialize_entry("employer_core", &dollars(self.employer_core))?;
        m.serialize_entry("forfeitures", &dollars(self.forfeitures))?;
        m.serialize_entry("employer_cost", &dollars(self.employer_cost()))?;
        m.serialize_entry(
            "employer_cost_pct_of_payroll",
            &self.employer_cost_pct_of_payroll(),
        )?;
        m.serialize_entry("employee_balances", &dollars(self.employee_balances))?;
        m.serialize_entry("employer_balances", &dollars(self.employer_balances))
    }
}

/// `1,234,567` from the digits of a non-negative integer.
pub fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Integer cents as float dollars.
pub fn dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_round_half_away() {
        assert_eq!(cents(0.125), 13);
        assert_eq!(cents(-0.125), -13);
        assert_eq!(cents(1234.56), 123_456);
    }

    #[test]
    fn rates_are_null_without_a_denominator() {
        let t = YearTotals::default();
        assert_eq!(t.participation_rate(), None);
        assert_eq!(t.avg_deferral_rate(), None);
        assert_eq!(t.employer_cost_pct_of_payroll(), None);
        let t = YearTotals {
            eligible_end: 4,
            enrolled_end: 3,
            deferral_bp: 1500,
            payroll: 1_000_000,
            employer_match: 30_000,
            employer_core: 10_000,
            forfeitures: 5_000,
            ..t
        };
        assert_eq!(t.participation_rate(), Some(0.75));
        // sum of basis points / 10000 / count, as spec §8 writes it
        assert_eq!(t.avg_deferral_rate(), Some(0.15 / 3.0));
        assert_eq!(t.employer_cost(), 35_000);
        assert_eq!(t.employer_cost_pct_of_payroll(), Some(0.035));
    }
}
