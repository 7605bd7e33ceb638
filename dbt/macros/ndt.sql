{#- The nondiscrimination tests of spec v1.4 section 9, written once for a single run
    (fct_ndt_by_year) and for every kept run of a batch (batch_ndt_by_run_year). -#}

{#- A deferral or match ratio in hundredths of a percent (537 = 5.37 %):
    round_half_away((amount * 10000) / tc), in DOUBLE, as a BIGINT. -#}
{% macro ndt_ratio(amount, tc) -%}
    cast(round((({{ amount }}) * 10000.0::double) / ({{ tc }})) as bigint)
{%- endmacro %}

{#- pass(h, b) of two integer averages (hundredths of a percent). -#}
{% macro ndt_pass(h, b) -%}
    (100 * ({{ h }}) <= 125 * ({{ b }}) or ({{ h }}) <= least(2 * ({{ b }}), ({{ b }}) + 200))
{%- endmacro %}

{#- " and a.k = b.k" for every run key k: the join condition of two relations of one run. -#}
{% macro ndt_same_run(keys, a, b) -%}
    {%- for k in keys %} and {{ a }}.{{ k }} = {{ b }}.{{ k }}{% endfor -%}
{%- endmacro %}

{#- ndt_year_results(keys): the CTEs (each preceded by a comma, so they continue the caller's
    WITH) that compute a year's tests from two CTEs the caller defines:

    ndt_rows      one row per snapshot row (every row of the year, leavers included): the run
                  `keys`, simulation_year, is_hce, is_key_employee, testing_compensation (tc),
                  in_test_population (eligibility_date <= Dec 31 and tc > 0),
                  is_non_excludable (age >= 21 and tenure_years >= 1), adp_amount (employee
                  deferral - catch-up), acp_amount (match), adp_ratio, acp_ratio (ndt_ratio;
                  null outside the population) and balance_cents.
    ndt_settings  one row per run: the `keys`, start_year, testing_method (current | prior),
                  safe_harbor (none | adp | adp_acp), first_year_nhce_adp, first_year_nhce_acp.

    The last CTE, ndt_results, has one row per run and year with the fields of the summary's
    `ndt` (hce_count, key_count; adp_* and acp_*: n_hce, n_nhce, hce, nhce, limit, pass, excess,
    safe_harbor; coverage_*: n_hce, n_nhce, benefiting_hce, benefiting_nhce, ratio, pass;
    top_heavy_ratio, top_heavy), pass and the flags as BOOLEAN, and the integers behind them
    (adp_hce_average, adp_nhce_average, adp_own_nhce_average, adp_excess_cap, adp_excess_cents
    and their acp_ twins).

    All arithmetic is in integers except where section 9 says DOUBLE:
      avg(group) = round_half_away(S / n)  (S the integer sum of the ratios, S / n in DOUBLE)
      pass(h, b) = 100 h <= 125 b or h <= min(2 b, b + 200)
      limit(b)   = max(1.25 b, min(2 b, b + 200)) / 10000
    h is the HCE average of the population; b the NHCE average (current method), or (prior)
    the NHCE average of year N-1's own population, and in the first simulated year
    round_half_away(first_year_nhce_* x 10000). An empty group's average is null; pass is null
    when h or b is null; a safe harbor makes pass true whatever the figures (excess 0).
    Excess of a failed test: the largest integer L >= 0 with pass(h_L, b), h_L the HCEs'
    average of min(ratio, L), then the sum over the HCEs of the population of
    round_cents(max(d - (L * tc) / 10000, 0)) in cents. h_L for every candidate L (0 up to the
    largest HCE ratio, which fails) comes from the prefix sums of the HCEs' sorted ratios:
    sum(min(ratio, L)) = (the ratios <= L) + L x (the number above L), so the search costs one
    row per candidate, not one per candidate and HCE. -#}
{% macro ndt_year_results(keys=[]) -%}
{%- set key_list %}{% for k in keys %}{{ k }}, {% endfor %}{% endset %}
,

ndt_tests as (
    select * from (values ('adp'), ('acp')) as tests (test)
),

ndt_years as (
    select distinct {{ key_list }} simulation_year from ndt_rows
),

ndt_tested as (
    -- One row per row of the ADP/ACP population and test.
    select
        {%- for k in keys %}
        ndt_rows.{{ k }},
        {%- endfor %}
        ndt_rows.simulation_year,
        ndt_tests.test,
        ndt_rows.is_hce,
        ndt_rows.testing_compensation,
        case ndt_tests.test when 'adp' then ndt_rows.adp_amount else ndt_rows.acp_amount end as amount,
        case ndt_tests.test when 'adp' then ndt_rows.adp_ratio else ndt_rows.acp_ratio end   as ratio
    from ndt_rows
    cross join ndt_tests
    where ndt_rows.in_test_population
),

ndt_groups as (
    select
        {%- for k in keys %}
        ndt_years.{{ k }},
        {%- endfor %}
        ndt_years.simulation_year,
        ndt_tests.test,
        count(ndt_tested.ratio) filter (where ndt_tested.is_hce)                  as n_hce,
        count(ndt_tested.ratio) filter (where not ndt_tested.is_hce)              as n_nhce,
        coalesce(sum(ndt_tested.ratio) filter (where ndt_tested.is_hce), 0)       as s_hce,
        coalesce(sum(ndt_tested.ratio) filter (where not ndt_tested.is_hce), 0)   as s_nhce,
        max(ndt_tested.ratio) filter (where ndt_tested.is_hce)                    as max_hce_ratio
    from ndt_years
    cross join ndt_tests
    left join ndt_tested
        on ndt_tested.simulation_year = ndt_years.simulation_year
       and ndt_tested.test = ndt_tests.test{{ ndt_same_run(keys, 'ndt_tested', 'ndt_years') }}
    group by {% for k in keys %}ndt_years.{{ k }}, {% endfor %}ndt_years.simulation_year, ndt_tests.test
),

ndt_averages as (
    select
        *,
        case when n_hce > 0
             then cast(round(cast(s_hce as double) / cast(n_hce as double)) as bigint) end   as hce_average,
        case when n_nhce > 0
             then cast(round(cast(s_nhce as double) / cast(n_nhce as double)) as bigint) end as own_nhce_average
    from ndt_groups
),

ndt_against as (
    -- b: the NHCE average the HCEs are tested against.
    select
        ndt_averages.*,
        case
            when ndt_settings.testing_method = 'current' then ndt_averages.own_nhce_average
            when ndt_averages.simulation_year = ndt_settings.start_year
                then cast(round(case ndt_averages.test when 'adp' then ndt_settings.first_year_nhce_adp
                                                       else ndt_settings.first_year_nhce_acp end
                                * 10000.0::double) as bigint)
            else prior_year.own_nhce_average
        end                                                                       as nhce_average,
        case ndt_averages.test
            when 'adp' then ndt_settings.safe_harbor in ('adp', 'adp_acp')
            else ndt_settings.safe_harbor = 'adp_acp'
        end                                                                       as safe_harbor
    from ndt_averages
    inner join ndt_settings on true{{ ndt_same_run(keys, 'ndt_settings', 'ndt_averages') }}
    left join ndt_averages as prior_year
        on prior_year.simulation_year = ndt_averages.simulation_year - 1
       and prior_year.test = ndt_averages.test{{ ndt_same_run(keys, 'prior_year', 'ndt_averages') }}
),

ndt_figures as (
    select
        *,
        case when hce_average is not null and nhce_average is not null
             then {{ ndt_pass('hce_average', 'nhce_average') }} end    as figures_pass
    from ndt_against
),

ndt_candidates as (
    -- A failed test (not under a safe harbor): every candidate cap L from 0 below the largest
    -- HCE ratio (at which the uncapped average fails).
    select
        {%- for k in keys %}
        {{ k }},
        {%- endfor %}
        simulation_year,
        test,
        n_hce,
        nhce_average,
        cast(unnest(range(0, max_hce_ratio)) as bigint) as cap
    from ndt_figures
    where not figures_pass and not safe_harbor
),

ndt_hce_ratio_steps as (
    -- Each distinct HCE ratio of a test-year: how many HCE ratios are <= it, and their sum.
    select
        {{ key_list }}
        simulation_year,
        test,
        ratio,
        sum(count(*)) over steps       as n_at_or_below,
        sum(sum(ratio)) over steps     as s_at_or_below
    from ndt_tested
    where is_hce
    group by {{ key_list }} simulation_year, test, ratio
    window steps as (partition by {{ key_list }} simulation_year, test order by ratio)
),

ndt_capped as (
    select
        ndt_candidates.*,
        cast(coalesce(steps.s_at_or_below, 0)
             + ndt_candidates.cap * (ndt_candidates.n_hce - coalesce(steps.n_at_or_below, 0)) as bigint) as s_capped
    from ndt_candidates
    asof left join ndt_hce_ratio_steps as steps
        on steps.simulation_year = ndt_candidates.simulation_year
       and steps.test = ndt_candidates.test{{ ndt_same_run(keys, 'steps', 'ndt_candidates') }}
       and steps.ratio <= ndt_candidates.cap
),

ndt_caps as (
    -- L: the largest candidate at which the capped HCE average passes.
    select
        {{ key_list }}
        simulation_year,
        test,
        max(cap) filter (
            where {{ ndt_pass('cast(round(cast(s_capped as double) / cast(n_hce as double)) as bigint)',
                                  'nhce_average') }}
        ) as excess_cap
    from ndt_capped
    group by {{ key_list }} simulation_year, test
),

ndt_excess as (
    select
        {%- for k in keys %}
        ndt_caps.{{ k }},
        {%- endfor %}
        ndt_caps.simulation_year,
        ndt_caps.test,
        ndt_caps.excess_cap,
        sum(cast(round(
            case when ndt_tested.amount - (cast(ndt_caps.excess_cap as double) * ndt_tested.testing_compensation) / 10000.0::double > 0
                 then ndt_tested.amount - (cast(ndt_caps.excess_cap as double) * ndt_tested.testing_compensation) / 10000.0::double
                 else 0.0::double end * 100) as bigint))                          as excess_cents
    from ndt_caps
    inner join ndt_tested
        on ndt_tested.simulation_year = ndt_caps.simulation_year
       and ndt_tested.test = ndt_caps.test{{ ndt_same_run(keys, 'ndt_tested', 'ndt_caps') }}
       and ndt_tested.is_hce
    group by {% for k in keys %}ndt_caps.{{ k }}, {% endfor %}ndt_caps.simulation_year, ndt_caps.test, ndt_caps.excess_cap
),

ndt_test_results as (
    select
        ndt_figures.*,
        case when ndt_figures.safe_harbor then true else ndt_figures.figures_pass end as pass,
        ndt_excess.excess_cap,
        coalesce(ndt_excess.excess_cents, 0)                                      as excess_cents,
        case when ndt_figures.nhce_average is not null
             then greatest(1.25::double * cast(ndt_figures.nhce_average as double),
                           cast(least(2 * ndt_figures.nhce_average, ndt_figures.nhce_average + 200) as double))
                  / 10000.0::double end                                           as limit_fraction
    from ndt_figures
    left join ndt_excess
        on ndt_excess.simulation_year = ndt_figures.simulation_year
       and ndt_excess.test = ndt_figures.test{{ ndt_same_run(keys, 'ndt_excess', 'ndt_figures') }}
),

ndt_year_totals as (
    select
        {{ key_list }}
        simulation_year,
        count(*) filter (where is_hce)                                            as hce_count,
        count(*) filter (where is_key_employee)                                   as key_count,
        count(*) filter (where is_non_excludable and is_hce)                      as coverage_n_hce,
        count(*) filter (where is_non_excludable and not is_hce)                  as coverage_n_nhce,
        count(*) filter (where is_non_excludable and in_test_population and is_hce)     as coverage_benefiting_hce,
        count(*) filter (where is_non_excludable and in_test_population and not is_hce) as coverage_benefiting_nhce,
        coalesce(sum(balance_cents) filter (where is_key_employee), 0)            as key_balance_cents,
        coalesce(sum(balance_cents), 0)                                           as balance_cents
    from ndt_rows
    group by {{ key_list }} simulation_year
),

ndt_results as (
    select
        {%- for k in keys %}
        totals.{{ k }},
        {%- endfor %}
        totals.simulation_year,
        cast(totals.hce_count as integer)                                         as hce_count,
        cast(totals.key_count as integer)                                         as key_count,
        {%- for t in ['adp', 'acp'] %}
        cast({{ t }}.n_hce as integer)                                            as {{ t }}_n_hce,
        cast({{ t }}.n_nhce as integer)                                           as {{ t }}_n_nhce,
        cast({{ t }}.hce_average as double) / 10000.0::double                     as {{ t }}_hce,
        cast({{ t }}.nhce_average as double) / 10000.0::double                    as {{ t }}_nhce,
        {{ t }}.limit_fraction                                                    as {{ t }}_limit,
        {{ t }}.pass                                                              as {{ t }}_pass,
        {{ cents_to_dollars(t ~ '.excess_cents') }}                               as {{ t }}_excess,
        {{ t }}.safe_harbor                                                       as {{ t }}_safe_harbor,
        {%- endfor %}
        cast(totals.coverage_n_hce as integer)                                    as coverage_n_hce,
        cast(totals.coverage_n_nhce as integer)                                   as coverage_n_nhce,
        cast(totals.coverage_benefiting_hce as integer)                           as coverage_benefiting_hce,
        cast(totals.coverage_benefiting_nhce as integer)                          as coverage_benefiting_nhce,
        case when totals.coverage_n_nhce > 0 and totals.coverage_n_hce > 0 and totals.coverage_benefiting_hce > 0
             then (cast(totals.coverage_benefiting_nhce as double) / cast(totals.coverage_n_nhce as double))
                  / (cast(totals.coverage_benefiting_hce as double) / cast(totals.coverage_n_hce as double))
        end                                                                       as coverage_ratio,
        100 * totals.coverage_benefiting_nhce * totals.coverage_n_hce
            >= 70 * totals.coverage_n_nhce * totals.coverage_benefiting_hce       as coverage_pass,
        case when totals.balance_cents <> 0
             then cast(totals.key_balance_cents as double) / cast(totals.balance_cents as double) end
                                                                                  as top_heavy_ratio,
        coalesce(totals.balance_cents <> 0
                 and cast(totals.key_balance_cents as double) / cast(totals.balance_cents as double)
                     > {{ wfsim_double(0.6) }}, false)                            as top_heavy,
        {%- for t in ['adp', 'acp'] %}
        {{ t }}.hce_average                                                       as {{ t }}_hce_average,
        {{ t }}.nhce_average                                                      as {{ t }}_nhce_average,
        {{ t }}.own_nhce_average                                                  as {{ t }}_own_nhce_average,
        {{ t }}.figures_pass                                                      as {{ t }}_figures_pass,
        {{ t }}.excess_cap                                                        as {{ t }}_excess_cap,
        {{ t }}.excess_cents                                                      as {{ t }}_excess_cents,
        {%- endfor %}
        totals.key_balance_cents,
        totals.balance_cents
    from ndt_year_totals as totals
    {%- for t in ['adp', 'acp'] %}
    inner join ndt_test_results as {{ t }}
        on {{ t }}.test = '{{ t }}'
       and {{ t }}.simulation_year = totals.simulation_year{{ ndt_same_run(keys, t, 'totals') }}
    {%- endfor %}
)
{%- endmacro %}
