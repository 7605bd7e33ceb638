-- Every enrollment happens to an eligible employee: one eligible at the start with no event
-- (census baseline) or with an eligibility event earlier in the event order.
with events as (
    select * from {{ ref('stg_wfsim__events') }}
),

eligibility as (
    select employee_id, min(cast(simulation_year as bigint) * 1000000 + event_sequence) as eligible_from_order
    from events
    where event_type = 'eligibility'
    group by employee_id
)

select
    events.employee_id,
    events.simulation_year,
    events.event_sequence,
    events.event_date,
    events.event_category
from events
left join {{ ref('int_employees') }} as employees using (employee_id)
left join eligibility using (employee_id)
where events.event_type = 'enrollment'
  and employees.baseline_eligibility_date is null
  and (eligibility.eligible_from_order is null
       or eligibility.eligible_from_order > cast(events.simulation_year as bigint) * 1000000 + events.event_sequence)
