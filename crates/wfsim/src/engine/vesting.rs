//! §4.12 vesting and forfeitures: the employer account, without investment returns, and the
//! unvested part a leaver forfeits.

use super::context::YearContext;
use super::employee::Employee;
use crate::date::years_between_ymd;
use crate::event::Contributions;
use crate::numerics::round_cents;

/// Adds the year's employer money to `emp`'s account and fills the vesting columns of `money`.
pub fn apply(ctx: &YearContext, emp: &mut Employee, money: &mut Contributions) {
    let bal = round_cents(emp.employer_balance + money.employer_match + money.employer_core);
    let service_end = emp.termination.map_or(ctx.dec31_ymd, |t| t.date.ymd());
    let vested = ctx
        .model
        .config
        .vesting
        .schedule
        .vested(years_between_ymd(emp.hire_ymd, service_end));
    money.vested_fraction = vested;
    if emp.termination.is_some() {
        money.forfeiture = round_cents(bal * (1.0 - vested));
        money.employer_balance = round_cents(bal - money.forfeiture);
    } else {
        money.forfeiture = 0.0;
        money.employer_balance = bal;
    }
    emp.employer_balance = money.employer_balance;
}
