-- Pay by year. Salaries are the annual rates of employees active at Dec 31; payroll is the
-- prorated compensation of everyone employed in the year (leavers included). Money is summed in
-- whole cents as integers, so totals do not depend on the order DuckDB adds rows in.
-- Raise percentages are dollar-weighted: total raise / total salary before the raise.
with workforce as (
    select * from {{ ref('int_workforce_replayed') }}
),

raises as (
    select
        simulation_year,
        count(*) filter (where event_type = 'raise')                                   as merit_raises,
        {{ sum_cents("case when event_type = 'raise' then compensation_amount - previous_compensation else 0 end") }} as merit_raise_amount,
        {{ sum_cents("case when event_type = 'raise' then previous_compensation else 0 end") }}                     as merit_raise_base,
        count(*) filter (where event_type = 'promotion')                               as promotions,
        {{ sum_cents("case when event_type = 'promotion' then compensation_amount - previous_compensation else 0 end") }} as promotion_raise_amount,
        {{ sum_cents("case when event_type = 'promotion' then previous_compensation else 0 end") }}                     as promotion_raise_base
    from {{ ref('stg_wfsim__events') }}
    where event_type in ('raise', 'promotion')
    group by simulation_year
),

pay as (
    select
        simulation_year,
        count(*) filter (where employment_status = 'active')                          as active_headcount,
        {{ sum_cents("case when employment_status = 'active' then annual_salary else 0 end") }} as total_active_salary,
        median(annual_salary) filter (where employment_status = 'active')              as median_salary,
        {{ sum_cents('prorated_compensation') }}                                        as total_prorated_payroll,
        count(*)                                                                        as employees_paid
    from workforce
    group by simulation_year
)

select
    pay.simulation_year,
    cast(pay.active_headcount as integer)                                            as active_headcount,
    {{ round_cents('pay.total_active_salary / nullif(pay.active_headcount, 0)') }}  as average_salary,
    {{ round_cents('pay.median_salary') }}                                          as median_salary,
    pay.total_prorated_payroll,
    cast(pay.employees_paid as integer)                                              as employees_paid,
    cast(coalesce(raises.merit_raises, 0) as integer)                               as merit_raises,
    {{ round_cents('raises.merit_raise_amount / nullif(raises.merit_raises, 0)') }} as average_merit_raise,
    {{ pct('raises.merit_raise_amount', 'raises.merit_raise_base') }}              as average_merit_raise_pct,
    cast(coalesce(raises.promotions, 0) as integer)                                 as promotions,
    {{ round_cents('raises.promotion_raise_amount / nullif(raises.promotions, 0)') }} as average_promotion_raise,
    {{ pct('raises.promotion_raise_amount', 'raises.promotion_raise_base') }}      as average_promotion_raise_pct,
    {{ pct('coalesce(raises.merit_raise_amount, 0) + coalesce(raises.promotion_raise_amount, 0)',
           'coalesce(raises.merit_raise_base, 0) + coalesce(raises.promotion_raise_base, 0)') }} as average_raise_pct
from pay
left join raises using (simulation_year)
order by pay.simulation_year
