-- The seed event_types orders the event types: each event_type has one same_date_order, and
-- no two types share one (so same-date events of an employee have one order). Returns each
-- type or order that breaks this.
with pairs as (
    select distinct event_type, same_date_order from {{ ref('event_types') }}
)

select 'event_type' as key, event_type as value, list(same_date_order) as paired_with
from pairs group by event_type having count(*) > 1
union all
select 'same_date_order', cast(same_date_order as varchar), list(event_type)
from pairs group by same_date_order having count(*) > 1
