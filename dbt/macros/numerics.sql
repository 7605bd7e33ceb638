{#- Numerics of the wfsim specification (section 3), written once. -#}

{#- A config value as a DOUBLE. DuckDB types a literal such as 0.1 as DECIMAL, and decimal
    arithmetic gives different results from the engine's f64, so values go through a string. -#}
{% macro wfsim_double(value) -%}
    cast('{{ value }}' as double)
{%- endmacro %}

{#- round_half_away(x * 100) / 100: DuckDB's round() on a DOUBLE rounds .5 away from zero,
    like Rust's f64::round. Never round(x, 2). -#}
{% macro round_cents(x) -%}
    (round(({{ x }}) * 100) / 100)
{%- endmacro %}

{% macro round_bp(x) -%}
    (round(({{ x }}) * 10000) / 10000)
{%- endmacro %}

{#- Money summed across rows without float-order effects: values already in whole cents are
    added as integers, so the total is the same whatever order DuckDB adds them in. -#}
{% macro sum_cents(x) -%}
    ({{ sum_cents_int(x) }} / 100)::double
{%- endmacro %}

{#- The same total as an integer number of cents (HUGEINT), for sums and differences of totals
    that must stay exact until the final division by 100. -#}
{% macro sum_cents_int(x) -%}
    sum(cast(round(({{ x }}) * 100) as hugeint))
{%- endmacro %}

{#- Left fold of DOUBLE terms in a given order: acc = acc + term, starting from 0.0.
    sum() adds in no fixed order; this adds in exactly the order given. -#}
{% macro ordered_fsum(term, order_by) -%}
    list_reduce(list(({{ term }})::double order by {{ order_by }}), lambda acc, t: acc + t, 0.0::double)
{%- endmacro %}

{#- An integer number of cents as DOUBLE dollars, the engine's `cents as f64 / 100.0`: the
    integer converted to DOUBLE (exact below 2^53 cents), then one IEEE division by 100. -#}
{% macro cents_to_dollars(cents) -%}
    (cast({{ cents }} as double) / cast(100 as double))
{%- endmacro %}
