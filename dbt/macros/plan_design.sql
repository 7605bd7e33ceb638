{#- The plan design's formulas (spec 4.11). The design itself is data: it comes from the run's
    resolved config (stg_wfsim__run_config), never from vars, so these macros take SQL
    expressions for it. -#}

{#- mshare(x): the employer match as a share of pay for the deferral rate x under the tier list
    `tiers` (a list of {from, to, rate} structs), folded in listed order from 0.0:
    acc = acc + rate_t * min(max(x - from_t, 0), to_t - from_t). -#}
{% macro match_share(x, tiers) -%}
    list_reduce(list_transform({{ tiers }},
                               lambda t: t.rate * least(greatest(({{ x }}) - t."from", 0.0::double), t."to" - t."from")),
                lambda acc, term: acc + term,
                0.0::double)
{%- endmacro %}

{#- The entry of a step table (a list of structs, thresholds strictly increasing from 0) with
    the largest `key` not above `value` (the first entry when none is). -#}
{% macro step_at(steps, key, value) -%}
    coalesce(list_filter({{ steps }}, lambda e: e.{{ key }} <= ({{ value }}))[-1], ({{ steps }})[1])
{%- endmacro %}
