-- Shared helpers of the SQL reference engine (spec §1-§3). Created once per connection.
-- `{seed}` is replaced by simulation.random_seed written in decimal before this file runs
-- (an integer in a string literal: no DECIMAL typing is involved).

-- §2: V = the first 8 hex digits of md5("{employee_id}|{N}|{stream}|{seed}") as an unsigned
-- 32-bit integer. The one random function of every rule.
CREATE OR REPLACE MACRO rng_v(id, yr, stream) AS
    ('0x' || substr(md5(id || '|' || yr::VARCHAR || '|' || stream || '|' || '{seed}'), 1, 8))::UBIGINT;

-- u = V / 2^32, as DOUBLE (both operands are exact doubles).
CREATE OR REPLACE MACRO u(id, yr, stream) AS
    rng_v(id, yr, stream)::DOUBLE / 4294967296::DOUBLE;

-- u of an already computed V.
CREATE OR REPLACE MACRO v_to_u(v) AS v::DOUBLE / 4294967296::DOUBLE;

-- §3: day_offset(u, n) = floor(u * n), an integer in 0..n.
CREATE OR REPLACE MACRO day_offset(uu, n) AS floor(uu * n::DOUBLE)::INTEGER;

-- §3: round_half_away(x * 100) / 100 and the basis-point twin.
CREATE OR REPLACE MACRO round_cents(x) AS round(x * 100) / 100;
CREATE OR REPLACE MACRO round_bp(x) AS round(x * 10000) / 10000;

-- §1: completed years from a to b, month/day compared as written.
CREATE OR REPLACE MACRO years_between(a, b) AS
    year(b) - year(a)
    - CASE WHEN month(b) < month(a) OR (month(b) = month(a) AND day(b) < day(a)) THEN 1 ELSE 0 END;

-- First date with years_between(b, d) >= n. The first of the month plus (day - 1) days turns
-- a Feb 29 birthday into Mar 1 in common years.
CREATE OR REPLACE MACRO anniversary(b, n) AS
    make_date(year(b) + n, month(b), 1) + (day(b) - 1)::INTEGER;

-- Hired on or before d and not terminated on or before d.
CREATE OR REPLACE MACRO active_on(hire, term, d) AS
    hire <= d AND (term IS NULL OR term > d);

-- Bands of §1 as 0-based indices (add 1 to index a DuckDB list).
CREATE OR REPLACE MACRO age_band(a) AS
    CASE WHEN a < 25 THEN 0 WHEN a < 35 THEN 1 WHEN a < 45 THEN 2
         WHEN a < 55 THEN 3 WHEN a < 65 THEN 4 ELSE 5 END;
CREATE OR REPLACE MACRO tenure_band(t) AS
    CASE WHEN t < 2 THEN 0 WHEN t < 5 THEN 1 WHEN t < 10 THEN 2 WHEN t < 20 THEN 3 ELSE 4 END;
CREATE OR REPLACE MACRO income_band(s) AS
    CASE WHEN s < 50000 THEN 0 WHEN s < 100000 THEN 1 WHEN s < 200000 THEN 2 ELSE 3 END;
-- Voluntary enrollment and conversion study: <31, <46, <56, else.
CREATE OR REPLACE MACRO enrollment_age_group(a) AS
    CASE WHEN a < 31 THEN 0 WHEN a < 46 THEN 1 WHEN a < 56 THEN 2 ELSE 3 END;
-- Opt-out study: <30, <45, <60, else.
CREATE OR REPLACE MACRO opt_out_age_group(a) AS
    CASE WHEN a < 30 THEN 0 WHEN a < 45 THEN 1 WHEN a < 60 THEN 2 ELSE 3 END;
-- Conversion tenure groups: <2, <5, else.
CREATE OR REPLACE MACRO conversion_tenure_group(t) AS
    CASE WHEN t < 2 THEN 0 WHEN t < 5 THEN 1 ELSE 2 END;

-- §4.5: round_cents(min(S * (1 + cap_pct), S + cap_amount, S * (1 + r))).
CREATE OR REPLACE MACRO promotion_salary(s, r, cap_pct, cap_amount) AS
    round_cents(least(least(s * (1 + cap_pct), s + cap_amount), s * (1 + r)));

-- §4.6: round_cents(S * (1 + (merit_rate + cola_rate))).
CREATE OR REPLACE MACRO merit_salary(s, merit_rate, cola_rate) AS
    round_cents(s * (1 + (merit_rate + cola_rate)));

-- max(x, 0) as the native engine's f64::max(x, 0.0) returns it: +0.0 also for x = -0.0 (DuckDB's
-- greatest keeps the first of two equal values, and round_cents of a small negative is -0.0).
CREATE OR REPLACE MACRO max0(x) AS CASE WHEN x > 0 THEN x ELSE 0::DOUBLE END;

-- §4.11 mshare(x): the tiers of a set folded in listed order from 0.0,
-- acc = acc + rate_t * min(max(x - from_t, 0), to_t - from_t).
CREATE OR REPLACE MACRO mshare(tiers, x) AS
    list_reduce(list_prepend(0::DOUBLE,
                    list_transform(tiers, lambda tier: tier.rate
                        * least(max0(x - tier.lo), tier.hi - tier.lo))),
                lambda acc, term: acc + term);

-- §4.13 a limit projected `times` years from its published amount: x = x * factor one year at
-- a time (a fold, bit for bit the loop; not pow()), then floor(x / step) * step; unchanged
-- when times = 0.
CREATE OR REPLACE MACRO project_limit(amount, times, factor, step) AS
    CASE WHEN times = 0 THEN amount
         ELSE floor(list_reduce(list_prepend(amount, list_transform(range(times), lambda k: factor)),
                                lambda acc, f: acc * f) / step::DOUBLE) * step::DOUBLE END;

-- §4.8 step 5, the match magnet: a voluntary rate below the full-match rate m (compared in
-- basis points) becomes round_bp(m) when u(id, N, 'match_response') < q.
CREATE OR REPLACE MACRO match_response(id, yr, rate, m, q) AS
    CASE WHEN q > 0 AND round(rate * 10000) < round(m * 10000)
              AND u(id, yr, 'match_response') < q
         THEN round_bp(m) ELSE rate END;
