-- The retirement plan by year, among employees active at Dec 31: eligible, participants
-- (enrolled), participation rate (participants / eligible), average deferral rate of
-- participants; and the year's enrollment events: auto-enrollments, voluntary enrollments,
-- opt-outs (opt-out rate = opt-outs / auto-enrollments of the year) and escalations.
with run_config as (
    select * from {{ ref('stg_wfsim__run_config') }}
),

workforce as (
    select * from {{ ref('int_workforce_replayed') }}
    where employment_status = 'active'
),

events as (
    select
        simulation_year,
        count(*) filter (where event_type = 'eligibility')                        as newly_eligible,
        count(*) filter (where event_category = 'auto_enrollment')               as auto_enrollments,
        count(*) filter (where event_category = 'voluntary_enrollment')          as voluntary_enrollments,
        count(*) filter (where event_type = 'opt_out')                           as opt_outs,
        count(*) filter (where event_type = 'deferral_escalation')               as escalations
    from {{ ref('stg_wfsim__events') }}
    group by simulation_year
),

state as (
    select
        simulation_year,
        count(*)                                                                  as active_headcount,
        count(*) filter (where plan_eligible)                                     as eligible,
        count(*) filter (where is_enrolled)                                       as participants,
        -- Rates are whole basis points: add them as integers, divide once.
        sum(cast(round(deferral_rate * 10000) as bigint)) filter (where is_enrolled) as participant_rate_bp,
        count(*) filter (where is_enrolled and deferral_rate >= run_config.deferral_cap) as participants_at_cap,
        count(*) filter (where ever_opted_out)                                    as ever_opted_out
    from workforce
    cross join run_config
    group by simulation_year
)

select
    state.simulation_year,
    cast(state.active_headcount as integer)                                       as active_headcount,
    cast(state.eligible as integer)                                               as eligible,
    cast(state.participants as integer)                                           as participants,
    {{ pct('state.participants', 'state.eligible') }}                             as participation_rate_pct,
    {{ pct('state.participant_rate_bp / 10000.0', 'state.participants') }}          as average_deferral_rate_pct,
    cast(state.participants_at_cap as integer)                                    as participants_at_cap,
    cast(coalesce(events.newly_eligible, 0) as integer)                           as newly_eligible,
    cast(coalesce(events.auto_enrollments, 0) as integer)                         as auto_enrollments,
    cast(coalesce(events.voluntary_enrollments, 0) as integer)                    as voluntary_enrollments,
    cast(coalesce(events.opt_outs, 0) as integer)                                 as opt_outs,
    {{ pct('coalesce(events.opt_outs, 0)', 'coalesce(events.auto_enrollments, 0)') }} as opt_out_rate_pct,
    cast(coalesce(events.escalations, 0) as integer)                              as escalations,
    cast(state.ever_opted_out as integer)                                         as ever_opted_out
from state
left join events using (simulation_year)
order by state.simulation_year
