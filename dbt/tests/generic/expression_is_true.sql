{#- Fails on every row where the SQL expression is not true (null counts as a failure). Usable
    on a model or on a column (the column name is then only documentation). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
