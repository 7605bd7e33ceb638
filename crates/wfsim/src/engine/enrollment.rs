//! §4.8 enrollment: voluntary enrollment of the newly eligible, auto-enrollment with its
//! opt-out, and year-over-year conversion of eligible non-participants.

use super::context::YearContext;
use super::employee::{Employee, StartOfYear};
use crate::bands::{conversion_tenure_group, enrollment_age_group, income_band, opt_out_age_group};
use crate::config::AutoEnrollmentScope;
use crate::date::Date;
use crate::numerics::{round_bp, round_half_away};
use crate::rng::Stream;

/// An enrollment decided by a draw, to be applied on `date` if still eligible and not enrolled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    pub date: Date,
    pub rate: f64,
    pub probability: f64,
    pub draw: f64,
}

/// Step 1: voluntary enrollment of an employee whose eligibility date E falls in this year.
pub fn voluntary(ctx: &YearContext, emp: &Employee, start: &StartOfYear) -> Option<Decision> {
    let v = &ctx.model.config.enrollment.voluntary;
    let (age, income) = (enrollment_age_group(start.age), income_band(start.salary));
    let p = (v.base_by_age[age].get()
        * v.income_multipliers[income].get()
        * v.level_multipliers[usize::from(start.level) - 1].get()
        * v.voluntary_enrollment_rate.get())
    .min(1.0);
    let u = ctx.fires(&emp.id, Stream::VoluntaryEnrollment, p)?;
    let window = ctx
        .model
        .config
        .enrollment
        .auto_enrollment
        .window_days
        .get();
    let date = emp
        .eligibility_rule_date
        .add_days(
            ctx.draw(&emp.id, Stream::EnrollmentTiming)
                .day_offset(window),
        )
        .min(ctx.dec31);
    // The config holds rates in basis points, so the clamped rate is one too.
    let rate = v.deferral_rates[age][income]
        .get()
        .clamp(v.min_rate.get(), v.max_rate.get());
    Some(Decision {
        date,
        rate: match_response(ctx, emp, start, rate),
        probability: p,
        draw: u.u(),
    })
}

/// Step 2: the auto-enrollment date of an employee in scope, `max(E, Jan1(start)) + window`.
pub fn auto_enrollment_date(ctx: &YearContext, emp: &Employee) -> Option<Date> {
    let ae = &ctx.model.config.enrollment.auto_enrollment;
    let in_scope = match ae.scope {
        AutoEnrollmentScope::NewHiresOnly => emp.hire_date >= ctx.model.hire_date_cutoff,
        AutoEnrollmentScope::AllEligible => true,
    };
    (ae.enabled && in_scope && !emp.plan_ineligible).then(|| {
        emp.eligibility_rule_date
            .max(Date::jan1(ctx.model.config.simulation.start_year))
            .add_days(ae.window_days.get())
    })
}

/// Step 3: the opt-out that follows an auto-enrollment on `ae_date`, if it fires.
pub fn opt_out(
    ctx: &YearContext,
    emp: &Employee,
    start: &StartOfYear,
    ae_date: Date,
) -> Option<Decision> {
    let ae = &ctx.model.config.enrollment.auto_enrollment;
    let p_opt = ae.opt_out_rates[opt_out_age_group(start.age)][income_band(start.salary)].get();
    let (sens, reference) = (
        ae.opt_out_default_sensitivity.get(),
        ae.opt_out_reference_rate.get(),
    );
    let p = (p_opt * (1.0 + sens * ((ae.default_deferral_rate.get() - reference) * 100.0)))
        .clamp(0.0, 1.0);
    let u = ctx.fires(&emp.id, Stream::OptOut, p)?;
    let date = ae_date
        .add_days(
            ctx.draw(&emp.id, Stream::OptOutTiming)
                .day_offset(ae.opt_out_grace_period_days.get()),
        )
        .min(ctx.dec31);
    Some(Decision {
        date,
        rate: 0.0,
        probability: p,
        draw: u.u(),
    })
}

/// Step 4: year-over-year conversion of an eligible non-participant.
pub fn conversion(ctx: &YearContext, emp: &Employee, start: &StartOfYear) -> Option<Decision> {
    let c = &ctx.model.config.enrollment.conversion;
    let age = enrollment_age_group(start.age);
    let p = c.base_by_age[age].get()
        * c.income_multipliers[income_band(start.salary)].get()
        * c.tenure_multipliers[conversion_tenure_group(start.tenure)].get();
    let u = ctx.fires(&emp.id, Stream::Conversion, p)?;
    let date = ctx.day_of_year(ctx.draw(&emp.id, Stream::EnrollmentTiming));
    Some(Decision {
        date,
        rate: match_response(ctx, emp, start, c.deferral_rate_by_age[age].get()),
        probability: p,
        draw: u.u(),
    })
}

/// Step 5, the match magnet: a voluntary enrollee (steps 1 and 4) whose chosen rate is below
/// the full-match rate M of their tier set (tenure at Jan 1, hires 0) takes M instead when
/// `u(id, N, "match_response") < q`. Not logged: the event keeps the enrollment decision's draw.
fn match_response(ctx: &YearContext, emp: &Employee, start: &StartOfYear, rate: f64) -> f64 {
    let q = ctx.model.config.enrollment.match_response.probability.get();
    if q <= 0.0 {
        return rate;
    }
    let full = ctx
        .model
        .config
        .employer_match
        .tiers_for(start.tenure.max(0))
        .full_match_rate();
    let bp = |x: f64| round_half_away(x * 10_000.0) as i64;
    if bp(rate) < bp(full) && ctx.fires(&emp.id, Stream::MatchResponse, q).is_some() {
        round_bp(full)
    } else {
        rate
    }
}
