//! §4.8 enrollment: voluntary enrollment of the newly eligible, auto-enrollment with its
//! opt-out, and year-over-year conversion of eligible non-participants.
//!
//! A year's enrollment actions are decided at its start, a chunk of employees at a time: the
//! decision draws of every candidate are made together, then the timing and match-response
//! draws of those whose decision fired (several keys per md5 call, see [`crate::md5_lanes`]).

use super::context::YearContext;
use super::eligibility;
use super::employee::{Employee, StartOfYear};
use crate::bands::{conversion_tenure_group, enrollment_age_group, income_band, opt_out_age_group};
use crate::config::AutoEnrollmentScope;
use crate::date::Date;
use crate::numerics::{bp, round_bp};
use crate::rng::{Draw, Stream};

/// An enrollment decided by a draw, to be applied on `date` if still eligible and not enrolled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    pub date: Date,
    pub rate: f64,
    pub probability: f64,
    pub draw: f64,
}

/// The plan actions of one employee's year (spec §4.7, §4.8), decided at its start; whether
/// each takes effect is checked on its date.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PlanYear {
    /// E, when the employee becomes eligible this year.
    pub eligibility: Option<Date>,
    pub auto_enrollment: Option<Date>,
    /// Voluntary enrollment of the newly eligible (step 1) or conversion of an employee eligible
    /// since before Jan 1 (step 4): never both.
    pub enrollment: Option<Decision>,
    /// The opt-out that follows the auto-enrollment (step 3).
    pub opt_out: Option<Decision>,
}

/// [`PlanYear`] of each employee of `emps` (at the start of the year as in `starts`), in
/// order, with the draws made together.
pub fn decide_each(ctx: &YearContext, emps: &[Employee], starts: &[StartOfYear]) -> Vec<PlanYear> {
    let candidates: Vec<Candidates> = emps
        .iter()
        .zip(starts)
        .map(|(e, start)| candidates(ctx, e, start))
        .collect();
    let mut draws_of = vec![Draws::default(); emps.len()];
    let decisions: Vec<(usize, Stream)> = candidates
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let enroll = c
                .enroll
                .filter(|e| e.probability > 0.0)
                .map(|e| (i, e.stream));
            let opt_out = c.opt_out.filter(|&p| p > 0.0).map(|_| (i, Stream::OptOut));
            enroll.into_iter().chain(opt_out)
        })
        .collect();
    draw(ctx, emps, &decisions, &mut draws_of);
    let follow_ups: Vec<(usize, Stream)> = candidates
        .iter()
        .zip(&draws_of)
        .enumerate()
        .flat_map(|(i, (c, d))| {
            let enroll = c.enroll.filter(|e| fired(d.enroll, e.probability));
            let timing = enroll.map(|_| (i, Stream::EnrollmentTiming));
            let response = enroll
                .filter(|e| e.match_rate.is_some())
                .map(|_| (i, Stream::MatchResponse));
            let opt_out = c
                .opt_out
                .filter(|&p| fired(d.opt_out, p))
                .map(|_| (i, Stream::OptOutTiming));
            timing.into_iter().chain(response).chain(opt_out)
        })
        .collect();
    draw(ctx, emps, &follow_ups, &mut draws_of);
    candidates
        .iter()
        .zip(&draws_of)
        .map(|(c, d)| c.decide(ctx, d))
        .collect()
}

/// An enrollment candidate: the decision draw still to be made and what follows it.
#[derive(Clone, Copy, Debug)]
struct Enroll {
    stream: Stream,
    probability: f64,
    /// The enrollment date from the timing draw.
    timing: Timing,
    /// The chosen rate, before the match response.
    rate: f64,
    /// The full-match rate of the employee's tier set, when the rate is below it and the match
    /// response is on (step 5).
    match_rate: Option<f64>,
}

#[derive(Clone, Copy, Debug)]
enum Timing {
    /// `min(E + day_offset(u, window_days), Dec31)` (step 1).
    AfterEligibility(Date),
    /// `Jan1 + day_offset(u, D(N))` (step 4).
    DayOfYear,
}

/// What an employee's year asks of the random function, known before any draw.
#[derive(Clone, Copy, Debug)]
struct Candidates {
    eligibility: Option<Date>,
    auto_enrollment: Option<Date>,
    enroll: Option<Enroll>,
    /// The opt-out probability, when auto-enrollment is scheduled.
    opt_out: Option<f64>,
}

/// The draws of one employee's enrollment decisions, each made only when needed.
#[derive(Clone, Copy, Debug, Default)]
struct Draws {
    enroll: Option<Draw>,
    enroll_timing: Option<Draw>,
    match_response: Option<Draw>,
    opt_out: Option<Draw>,
    opt_out_timing: Option<Draw>,
}

/// Makes the draws `requests` asks for (employee index, stream) and files each in `draws_of`.
fn draw(
    ctx: &YearContext,
    emps: &[Employee],
    requests: &[(usize, Stream)],
    draws_of: &mut [Draws],
) {
    let mut draws = Vec::with_capacity(requests.len());
    ctx.rng.draws_into(
        ctx.year,
        requests.iter().map(|&(i, stream)| (&*emps[i].id, stream)),
        &mut draws,
    );
    for (&(i, stream), u) in requests.iter().zip(draws) {
        let d = &mut draws_of[i];
        let slot = match stream {
            Stream::VoluntaryEnrollment | Stream::Conversion => &mut d.enroll,
            Stream::EnrollmentTiming => &mut d.enroll_timing,
            Stream::MatchResponse => &mut d.match_response,
            Stream::OptOut => &mut d.opt_out,
            Stream::OptOutTiming => &mut d.opt_out_timing,
            other => unreachable!("{other:?} is not an enrollment stream"),
        };
        *slot = Some(u);
    }
}

/// `u < p` for a draw made only when `p > 0`.
fn fired(u: Option<Draw>, p: f64) -> bool {
    u.is_some_and(|u| u.below(p))
}

fn candidates(ctx: &YearContext, emp: &Employee, start: &StartOfYear) -> Candidates {
    let e = emp.eligibility_rule_date;
    let eligible_at_start = emp.is_eligible();
    let newly_eligible = eligibility::event_due(
        e,
        eligible_at_start,
        emp.plan_ineligible,
        ctx.jan1,
        ctx.dec31,
    );
    let ae_date = auto_enrollment_date(ctx, emp).filter(|&d| ctx.contains(d));
    let open = emp.enrollment.is_none() && !emp.ever_opted_out;
    let auto_enrollment = ae_date.filter(|_| open);
    let enroll = if newly_eligible {
        Some(voluntary(ctx, emp, start))
    } else if eligible_at_start && open && ae_date.is_none() && e < ctx.jan1 {
        Some(conversion(ctx, start))
    } else {
        None
    };
    Candidates {
        eligibility: newly_eligible.then_some(e),
        auto_enrollment,
        enroll,
        opt_out: auto_enrollment.map(|_| opt_out_probability(ctx, start)),
    }
}

impl Candidates {
    fn decide(&self, ctx: &YearContext, d: &Draws) -> PlanYear {
        let cfg = &ctx.model.config.enrollment;
        let enrollment = self
            .enroll
            .filter(|e| fired(d.enroll, e.probability))
            .map(|e| {
                let timing = d.enroll_timing.expect("drawn for a fired enrollment");
                let date = match e.timing {
                    Timing::AfterEligibility(from) => from
                        .add_days(timing.day_offset(cfg.auto_enrollment.window_days.get()))
                        .min(ctx.dec31),
                    Timing::DayOfYear => ctx.day_of_year(timing),
                };
                let rate = match e.match_rate {
                    Some(m) if fired(d.match_response, cfg.match_response.probability.get()) => {
                        round_bp(m)
                    }
                    _ => e.rate,
                };
                Decision {
                    date,
                    rate,
                    probability: e.probability,
                    draw: d.enroll.expect("drawn").u(),
                }
            });
        let opt_out = self.opt_out.filter(|&p| fired(d.opt_out, p)).map(|p| {
            let grace = cfg.auto_enrollment.opt_out_grace_period_days.get();
            let timing = d.opt_out_timing.expect("drawn for a fired opt-out");
            let from = self.auto_enrollment.expect("an opt-out follows one");
            Decision {
                date: from.add_days(timing.day_offset(grace)).min(ctx.dec31),
                rate: 0.0,
                probability: p,
                draw: d.opt_out.expect("drawn").u(),
            }
        });
        PlanYear {
            eligibility: self.eligibility,
            auto_enrollment: self.auto_enrollment,
            enrollment,
            opt_out,
        }
    }
}

/// Step 1: voluntary enrollment of an employee whose eligibility date E falls in this year.
fn voluntary(ctx: &YearContext, emp: &Employee, start: &StartOfYear) -> Enroll {
    let v = &ctx.model.config.enrollment.voluntary;
    let (age, income) = (enrollment_age_group(start.age), income_band(start.salary));
    let p = (v.base_by_age[age].get()
        * v.income_multipliers[income].get()
        * v.level_multipliers[usize::from(start.level) - 1].get()
        * v.voluntary_enrollment_rate.get())
    .min(1.0);
    // The config holds rates in basis points, so the clamped rate is one too.
    let rate = v.deferral_rates[age][income]
        .get()
        .clamp(v.min_rate.get(), v.max_rate.get());
    enroll(
        ctx,
        start,
        Stream::VoluntaryEnrollment,
        p,
        Timing::AfterEligibility(emp.eligibility_rule_date),
        rate,
    )
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

/// Step 3: the probability of opting out after an auto-enrollment,
/// `min(1, max(0, p_opt * (1 + sens * ((default - reference) * 100))))`.
pub fn opt_out_probability(ctx: &YearContext, start: &StartOfYear) -> f64 {
    let ae = &ctx.model.config.enrollment.auto_enrollment;
    let p_opt = ae.opt_out_rates[opt_out_age_group(start.age)][income_band(start.salary)].get();
    let (sens, reference) = (
        ae.opt_out_default_sensitivity.get(),
        ae.opt_out_reference_rate.get(),
    );
    (p_opt * (1.0 + sens * ((ae.default_deferral_rate.get() - reference) * 100.0))).clamp(0.0, 1.0)
}

/// Step 4: year-over-year conversion of an eligible non-participant.
fn conversion(ctx: &YearContext, start: &StartOfYear) -> Enroll {
    let c = &ctx.model.config.enrollment.conversion;
    let age = enrollment_age_group(start.age);
    let p = c.base_by_age[age].get()
        * c.income_multipliers[income_band(start.salary)].get()
        * c.tenure_multipliers[conversion_tenure_group(start.tenure)].get();
    enroll(
        ctx,
        start,
        Stream::Conversion,
        p,
        Timing::DayOfYear,
        c.deferral_rate_by_age[age].get(),
    )
}

/// M of steps 5 and 6: the full-match rate of the employee's tier set (tenure at Jan 1, hires
/// 0; points = age + that tenure).
pub fn full_match_rate(ctx: &YearContext, start: &StartOfYear) -> f64 {
    let tenure = start.tenure.max(0);
    ctx.model
        .config
        .employer_match
        .tiers_for(tenure, start.age + tenure)
        .full_match_rate()
}

/// An enrollment candidate (steps 1 and 4) with step 5, the match magnet: a voluntary enrollee (steps 1 and 4) whose chosen rate is below
/// the full-match rate M of their tier set (tenure at Jan 1, hires 0) takes M instead when
/// `u(id, N, "match_response") < q`. Not logged: the event keeps the enrollment decision's draw.
fn enroll(
    ctx: &YearContext,
    start: &StartOfYear,
    stream: Stream,
    probability: f64,
    timing: Timing,
    rate: f64,
) -> Enroll {
    let q = ctx.model.config.enrollment.match_response.probability.get();
    let match_rate = (q > 0.0)
        .then(|| full_match_rate(ctx, start))
        .filter(|&m| bp(rate) < bp(m));
    Enroll {
        stream,
        probability,
        timing,
        rate,
        match_rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::census::synthetic;
    use crate::config::{parse, validate};
    use crate::rng::Rng;
    use std::path::Path;

    /// The draws one at a time, as `YearContext::draw` makes them.
    fn one_at_a_time(ctx: &YearContext, emp: &Employee) -> PlanYear {
        let c = candidates(ctx, emp, &emp.start_of_year(ctx));
        let id = &*emp.id;
        let mut d = Draws::default();
        if let Some(e) = c.enroll {
            d.enroll = (e.probability > 0.0).then(|| ctx.draw(id, e.stream));
            if fired(d.enroll, e.probability) {
                d.enroll_timing = Some(ctx.draw(id, Stream::EnrollmentTiming));
                d.match_response = e.match_rate.map(|_| ctx.draw(id, Stream::MatchResponse));
            }
        }
        if let Some(p) = c.opt_out {
            d.opt_out = (p > 0.0).then(|| ctx.draw(id, Stream::OptOut));
            if fired(d.opt_out, p) {
                d.opt_out_timing = Some(ctx.draw(id, Stream::OptOutTiming));
            }
        }
        c.decide(ctx, &d)
    }

    /// Batched draws decide what single draws decide, on every path: voluntary enrollment and
    /// conversion (with and without the match response) and opt-out.
    #[test]
    fn decide_each_is_the_draws_one_at_a_time() {
        let yaml = "enrollment:
  auto_enrollment: {scope: all_eligible, window_days: 45, opt_out_rates: [[0.5,0.5,0.5,0.5],[0.4,0.4,0.4,0.4],[0.3,0.3,0.3,0.3],[0.2,0.2,0.2,0.2]]}
  voluntary: {voluntary_enrollment_rate: 2.0}
  conversion: {base_by_age: [0.3, 0.3, 0.3, 0.3]}
  match_response: {probability: 0.5}
";
        let model = validate(parse(yaml, Path::new("t.yaml")).unwrap(), "t.yaml").unwrap();
        let census = synthetic::generate(
            &model,
            &synthetic::Spec {
                employees: 6_000,
                seed: 3,
                census_date: model.census_date,
            },
        );
        // A third are hired during the years tested, so their eligibility date falls in them.
        let emps: Vec<Employee> = census
            .into_iter()
            .enumerate()
            .map(|(i, mut c)| {
                if i % 3 == 0 {
                    c.hire_date = Date::jan1(2025).add_days((i * 7 % 1000) as i32);
                    c.deferral_rate = 0.0;
                }
                Employee::from_census(&model, &c)
            })
            .collect();
        let rng = Rng::new(11);
        let (mut voluntary, mut conversions, mut responses, mut opt_outs) = (0, 0, 0, 0);
        for year in [2025, 2026, 2027] {
            let ctx = YearContext::new(&model, &rng, year);
            let want: Vec<PlanYear> = emps.iter().map(|e| one_at_a_time(&ctx, e)).collect();
            let starts: Vec<StartOfYear> = emps.iter().map(|e| e.start_of_year(&ctx)).collect();
            assert_eq!(decide_each(&ctx, &emps, &starts), want, "{year}");
            for (p, e) in want.iter().zip(&emps) {
                if let Some(d) = p.enrollment {
                    if p.eligibility.is_some() {
                        voluntary += 1;
                    } else {
                        conversions += 1;
                    }
                    let full = candidates(&ctx, e, &e.start_of_year(&ctx))
                        .enroll
                        .and_then(|c| c.match_rate);
                    responses += usize::from(full.is_some_and(|m| d.rate == round_bp(m)));
                }
                opt_outs += usize::from(p.opt_out.is_some());
            }
        }
        assert!(voluntary > 20 && conversions > 20 && responses > 20 && opt_outs > 20,
            "{voluntary} voluntary, {conversions} conversions, {responses} responses, {opt_outs} opt-outs");
    }
}
