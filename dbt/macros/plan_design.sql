{#- The employer match as a share of pay for one deferral rate: the sum over the tiers of
    tier rate x the part of the deferral rate inside [from, to). Tiers come from the var
    employer_match_tiers, in the order listed. -#}
{% macro matched_share_of_pay(deferral_rate) -%}
    {%- set tiers = var('employer_match_tiers') -%}
    {%- if tiers | length == 0 -%}
    0.0::double
    {%- else -%}
    (
    {%- for tier in tiers %}
        {{ wfsim_double(tier['rate']) }} * least(greatest(({{ deferral_rate }}) - {{ wfsim_double(tier['from']) }}, 0.0::double),
                                           {{ wfsim_double(tier['to']) }} - {{ wfsim_double(tier['from']) }})
        {%- if not loop.last %} +{% endif %}
    {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}

{#- The largest match any deferral rate can earn, as a share of pay. -#}
{% macro max_matched_share_of_pay() -%}
    {{ matched_share_of_pay('1.0::double') }}
{%- endmacro %}
