-- The batch metrics of spec section 8, recomputed from the kept snapshots and events of every
-- run: one row per (scenario_id, random_seed, simulation_year), the columns of metrics.parquet
-- in its order and types (random_seed BIGINT, counts and flags INTEGER, the rest DOUBLE).
--
-- The metric columns, their order and their types come from the seed batch_metrics (generated
-- by the wfsim library from the engine's METRICS list), read at run time: one column per row in
-- `position` order, typed by its `kind` (count and flag INTEGER, money and rate DOUBLE). Its
-- events_<event_type> rows (event_type set) are generated here as counts of that event_type, so
-- an event type added to the library needs no edit in dbt. Every other metric is computed below
-- under its name; a seed metric without a definition here fails compilation by name.
--
-- - n_start: the year's snapshot rows that are not this year's hires (A(N), the actives at
--   Jan 1); target: the run's generation_summary.json (the snapshots cannot show it).
-- - events_<event_type>: the year's events of that event_type; n_end: snapshot rows without a
--   termination date.
-- - eligible_end / enrolled_end: active at Dec 31 and plan-eligible / and enrolled.
-- - participation_rate = enrolled_end / eligible_end; avg_deferral_rate = the enrolled actives'
--   deferral rates as integer basis points round(rate * 10000), summed, / 10000 / enrolled_end;
--   both null when their denominator is 0.
-- - Money over every snapshot row of the year, leavers included: each value as integer cents
--   round(x * 100) (half away from zero, like the engine), summed as integers, / 100 as DOUBLE.
--   employer_cost = match + core - forfeitures in cents; employer_cost_pct_of_payroll is the
--   quotient of the two DOUBLE dollar values (null when payroll is 0); employee_balances and
--   employer_balances are the snapshots' year-end employee_balance and employer_balance summed
--   the same way (spec v1.4 4.12).
--
-- - The nondiscrimination tests (spec v1.4 section 9) from batch_ndt_by_run_year, which
--   recomputes them from the kept snapshots and events (the HCEs and key employees are the
--   snapshots'): hce_count (every row of the year), the ADP and ACP figures adp_hce, adp_nhce,
--   adp_limit (fractions), adp_excess (integer cents / 100) and acp_* likewise,
--   coverage_ratio, top_heavy_ratio; the flags adp_pass, acp_pass, coverage_pass and
--   top_heavy (kind `flag`) are its booleans cast to INTEGER: 1, 0, or null where the test
--   does not apply.
--
-- The grain is every (run, year) that a run's summary or its snapshots name, so a year missing
-- from either side still shows and fails assert_batch_metrics_equal_metrics_parquet (a year
-- without a summary has a null target; a year without snapshot rows or events counts 0).
-- depends_on: {{ ref('batch_metrics') }}
{%- set metrics = batch_metrics() %}
{%- set event_metrics = metrics | selectattr('event_type') | list %}

with snapshots as (
    select * from {{ ref('stg_wfsim_batch__snapshots') }}
),

events as (
    select * from {{ ref('stg_wfsim_batch__events') }}
),

run_years as (
    select * from {{ ref('stg_wfsim_batch__run_years') }}
),

ndt as (
    select * from {{ ref('batch_ndt_by_run_year') }}
),

grain as (
    select scenario_id, random_seed, simulation_year from run_years
    union
    select distinct scenario_id, random_seed, simulation_year from snapshots
),

hires as (
    select distinct scenario_id, random_seed, simulation_year, employee_id
    from events
    where event_type = 'hire'
),

event_counts as (
    select
        scenario_id,
        random_seed,
        simulation_year
        {%- for m in event_metrics %},
        count(*) filter (where event_type = '{{ m.event_type }}') as {{ m.metric }}
        {%- endfor %}
    from events
    group by scenario_id, random_seed, simulation_year
),

snapshot_rows as (
    select
        snapshots.*,
        hires.employee_id is not null                                    as hired_this_year,
        snapshots.termination_date is null                               as active_at_year_end,
        snapshots.termination_date is null and snapshots.plan_eligible  as eligible_at_year_end,
        snapshots.termination_date is null and snapshots.plan_eligible
            and snapshots.is_enrolled                                    as enrolled_at_year_end
    from snapshots
    left join hires
        on  hires.scenario_id = snapshots.scenario_id
        and hires.random_seed = snapshots.random_seed
        and hires.simulation_year = snapshots.simulation_year
        and hires.employee_id = snapshots.employee_id
),

snapshot_totals as (
    select
        scenario_id,
        random_seed,
        simulation_year,
        count(*) filter (where not hired_this_year)                                 as n_start,
        count(*) filter (where active_at_year_end)                                  as n_end,
        count(*) filter (where eligible_at_year_end)                                as eligible_end,
        count(*) filter (where enrolled_at_year_end)                                as enrolled_end,
        coalesce(sum(cast(round(deferral_rate * 10000) as bigint))
                     filter (where enrolled_at_year_end), 0)                        as deferral_bp,
        sum(cast(round(prorated_compensation * 100) as bigint))                     as payroll_cents,
        sum(cast(round(employee_deferral * 100) as bigint))                         as employee_deferrals_cents,
        sum(cast(round(employer_match * 100) as bigint))                            as employer_match_cents,
        sum(cast(round(employer_core * 100) as bigint))                             as employer_core_cents,
        sum(cast(round(forfeiture * 100) as bigint))                                as forfeitures_cents,
        sum(cast(round(employee_balance * 100) as bigint))                          as employee_balances_cents,
        sum(cast(round(employer_balance * 100) as bigint))                          as employer_balances_cents
    from snapshot_rows
    group by scenario_id, random_seed, simulation_year
),

joined as (
    select
        grain.scenario_id,
        grain.random_seed,
        grain.simulation_year,
        coalesce(snapshot_totals.n_start, 0)                  as n_start,
        run_years.target,
        {%- for m in event_metrics %}
        coalesce(event_counts.{{ m.metric }}, 0) as {{ m.metric }},
        {%- endfor %}
        coalesce(snapshot_totals.n_end, 0)                    as n_end,
        coalesce(snapshot_totals.eligible_end, 0)             as eligible_end,
        coalesce(snapshot_totals.enrolled_end, 0)             as enrolled_end,
        coalesce(snapshot_totals.deferral_bp, 0)              as deferral_bp,
        coalesce(snapshot_totals.payroll_cents, 0)            as payroll_cents,
        coalesce(snapshot_totals.employee_deferrals_cents, 0) as employee_deferrals_cents,
        coalesce(snapshot_totals.employer_match_cents, 0)     as employer_match_cents,
        coalesce(snapshot_totals.employer_core_cents, 0)      as employer_core_cents,
        coalesce(snapshot_totals.forfeitures_cents, 0)        as forfeitures_cents,
        coalesce(snapshot_totals.employer_match_cents + snapshot_totals.employer_core_cents
                 - snapshot_totals.forfeitures_cents, 0)       as employer_cost_cents,
        coalesce(snapshot_totals.employee_balances_cents, 0)  as employee_balances_cents,
        coalesce(snapshot_totals.employer_balances_cents, 0)  as employer_balances_cents,
        coalesce(ndt.hce_count, 0)                            as ndt_hce_count,
        {%- for t in ['adp', 'acp'] %}
        ndt.{{ t }}_hce                                       as ndt_{{ t }}_hce,
        ndt.{{ t }}_nhce                                      as ndt_{{ t }}_nhce,
        ndt.{{ t }}_limit                                     as ndt_{{ t }}_limit,
        ndt.{{ t }}_pass                                      as ndt_{{ t }}_pass,
        coalesce(ndt.{{ t }}_excess_cents, 0)                 as ndt_{{ t }}_excess_cents,
        {%- endfor %}
        ndt.coverage_ratio                                    as ndt_coverage_ratio,
        ndt.coverage_pass                                     as ndt_coverage_pass,
        ndt.top_heavy_ratio                                   as ndt_top_heavy_ratio,
        ndt.top_heavy                                         as ndt_top_heavy
    from grain
    left join run_years
        on  run_years.scenario_id = grain.scenario_id
        and run_years.random_seed = grain.random_seed
        and run_years.simulation_year = grain.simulation_year
    left join snapshot_totals
        on  snapshot_totals.scenario_id = grain.scenario_id
        and snapshot_totals.random_seed = grain.random_seed
        and snapshot_totals.simulation_year = grain.simulation_year
    left join event_counts
        on  event_counts.scenario_id = grain.scenario_id
        and event_counts.random_seed = grain.random_seed
        and event_counts.simulation_year = grain.simulation_year
    left join ndt
        on  ndt.scenario_id = grain.scenario_id
        and ndt.random_seed = grain.random_seed
        and ndt.simulation_year = grain.simulation_year
)

{#- The metrics other than the event counts, by name: each one's value before the cast to
    its kind's type. -#}
{%- set definitions = {
    'n_start': 'n_start',
    'target': 'target',
    'n_end': 'n_end',
    'eligible_end': 'eligible_end',
    'enrolled_end': 'enrolled_end',
    'participation_rate':
        'case when eligible_end > 0'
        ~ ' then cast(enrolled_end as double) / cast(eligible_end as double) end',
    'avg_deferral_rate':
        'case when enrolled_end > 0 then cast(deferral_bp as double) / cast(10000 as double)'
        ~ ' / cast(enrolled_end as double) end',
    'payroll': cents_to_dollars('payroll_cents'),
    'employee_deferrals': cents_to_dollars('employee_deferrals_cents'),
    'employer_match': cents_to_dollars('employer_match_cents'),
    'employer_core': cents_to_dollars('employer_core_cents'),
    'forfeitures': cents_to_dollars('forfeitures_cents'),
    'employer_cost': cents_to_dollars('employer_cost_cents'),
    'employer_cost_pct_of_payroll':
        'case when payroll_cents <> 0 then ' ~ cents_to_dollars('employer_cost_cents')
        ~ ' / ' ~ cents_to_dollars('payroll_cents') ~ ' end',
    'employee_balances': cents_to_dollars('employee_balances_cents'),
    'employer_balances': cents_to_dollars('employer_balances_cents'),
    'hce_count': 'ndt_hce_count',
    'coverage_ratio': 'ndt_coverage_ratio',
    'coverage_pass': 'ndt_coverage_pass',
    'top_heavy_ratio': 'ndt_top_heavy_ratio',
    'top_heavy': 'ndt_top_heavy',
} %}
{%- for t in ['adp', 'acp'] %}
    {%- do definitions.update({
        t ~ '_hce': 'ndt_' ~ t ~ '_hce',
        t ~ '_nhce': 'ndt_' ~ t ~ '_nhce',
        t ~ '_limit': 'ndt_' ~ t ~ '_limit',
        t ~ '_pass': 'ndt_' ~ t ~ '_pass',
        t ~ '_excess': cents_to_dollars('ndt_' ~ t ~ '_excess_cents'),
    }) %}
{%- endfor %}

select
    scenario_id,
    cast(random_seed as bigint)      as random_seed,
    cast(simulation_year as integer) as simulation_year
    {%- for m in metrics %}
        {%- if m.event_type %}
            {%- set value = m.metric %}
        {%- elif m.metric in definitions %}
            {%- set value = definitions[m.metric] %}
        {%- else %}
            {{- exceptions.raise_compiler_error(
                "batch_metrics_by_run_year: the seed batch_metrics lists the metric " ~ m.metric
                ~ ", which is neither an events_<event_type> count nor computed by this model") }}
        {%- endif %},
    cast({{ value }} as {{ batch_metric_type(m.kind) }}) as {{ m.metric }}
    {%- endfor %}
from joined
