//! §4.12 accounts, vesting and forfeitures: the employee account and the match and core
//! sub-accounts grow by the year's return and contributions; a leaver forfeits the unvested
//! part of each sub-account under its own schedule.

use super::context::YearContext;
use super::employee::Employee;
use crate::date::years_between_ymd;
use crate::event::Contributions;
use crate::numerics::round_cents;

/// Credits the return and the year's money to `emp`'s accounts and fills the account and
/// vesting columns of `money`.
pub fn apply(ctx: &YearContext, emp: &mut Employee, money: &mut Contributions) {
    let c = &ctx.model.config;
    let growth = 1.0 + c.accounts.annual_return.get();
    let a = &mut emp.accounts;
    let employee = round_cents(a.employee * growth + money.employee_deferral);
    let mbal = round_cents(a.matched * growth + money.employer_match);
    let cbal = round_cents(a.core * growth + money.employer_core);

    let service_end = emp.termination.map_or(ctx.dec31_ymd, |t| t.date.ymd());
    let years = years_between_ymd(emp.hire_ymd, service_end);
    let vf_m = c.vesting.match_schedule().vested(years);
    let vf_c = c.vesting.core_schedule().vested(years);
    let (matched, core) = if emp.termination.is_some() {
        let fm = round_cents(mbal * (1.0 - vf_m));
        let fc = round_cents(cbal * (1.0 - vf_c));
        money.forfeiture = round_cents(fm + fc);
        (round_cents(mbal - fm), round_cents(cbal - fc))
    } else {
        money.forfeiture = 0.0;
        (mbal, cbal)
    };
    money.vested_fraction = vf_m;
    money.core_vested_fraction = vf_c;
    money.employee_balance = employee;
    money.core_balance = core;
    money.employer_balance = round_cents(matched + core);
    a.employee = employee;
    a.matched = matched;
    a.core = core;
}
