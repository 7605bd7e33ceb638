{#- 100 * numerator / denominator rounded to 2 decimals (null when the denominator is 0). -#}
{% macro pct(numerator, denominator) -%}
    case when ({{ denominator }}) = 0 then null
         else round(100.0 * cast({{ numerator }} as double) / cast({{ denominator }} as double) * 100) / 100 end
{%- endmacro %}
