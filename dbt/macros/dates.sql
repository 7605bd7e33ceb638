{#- Dates of the wfsim specification (section 1). -#}

{#- Completed years from a to b; month and day compared as written (Feb 29 birthdays reach an
    age on Mar 1 in common years). -#}
{% macro years_between(a, b) -%}
    (year({{ b }}) - year({{ a }})
     - case when month({{ b }}) * 100 + day({{ b }}) < month({{ a }}) * 100 + day({{ a }}) then 1 else 0 end)::integer
{%- endmacro %}

{% macro is_leap_year(y) -%}
    (({{ y }}) % 4 = 0 and (({{ y }}) % 100 <> 0 or ({{ y }}) % 400 = 0))
{%- endmacro %}

{#- The first date at which years_between(d, date) >= n. -#}
{% macro anniversary(d, n) -%}
    case
        when month({{ d }}) = 2 and day({{ d }}) = 29 and not {{ is_leap_year('year(' ~ d ~ ') + ' ~ n) }}
            then make_date((year({{ d }}) + {{ n }})::bigint, 3, 1)
        else make_date((year({{ d }}) + {{ n }})::bigint, month({{ d }})::bigint, day({{ d }})::bigint)
    end
{%- endmacro %}

{% macro jan1(y) -%}make_date(({{ y }})::bigint, 1, 1){%- endmacro %}
{% macro dec31(y) -%}make_date(({{ y }})::bigint, 12, 31){%- endmacro %}
{% macro days_in_year(y) -%}(case when {{ is_leap_year(y) }} then 366 else 365 end){%- endmacro %}

{#- Band labels of the specification. -#}
{% macro age_band(age) -%}
    case when {{ age }} < 25 then '<25' when {{ age }} < 35 then '25-34' when {{ age }} < 45 then '35-44'
         when {{ age }} < 55 then '45-54' when {{ age }} < 65 then '55-64' else '65+' end
{%- endmacro %}

{% macro tenure_band(tenure) -%}
    case when {{ tenure }} < 2 then '<2' when {{ tenure }} < 5 then '2-4' when {{ tenure }} < 10 then '5-9'
         when {{ tenure }} < 20 then '10-19' else '20+' end
{%- endmacro %}
