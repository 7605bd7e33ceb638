//! Rounding and integer categorical draws (spec §3). Both engines must do exactly this.

use crate::rng::Draw;

/// `x.round()`, half away from zero, exactly, without the libm call `f64::round` compiles to
/// on x86-64 without SSE4.1: money is rounded several times per employee and year.
#[inline]
pub fn round_half_away(x: f64) -> f64 {
    // From 2^52 on every f64 is an integer, the infinities included (`+ 0.0` quiets a
    // signalling NaN, as `f64::round` does).
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x + 0.0;
    }
    let t = x as i64 as f64; // truncated toward zero, exactly
    let fraction = x - t; // exact below 2^52
    let r = if fraction >= 0.5 {
        t + 1.0
    } else if fraction <= -0.5 {
        t - 1.0
    } else {
        t
    };
    r.copysign(x) // -0.3 rounds to -0.0, as with f64::round
}

/// `round_half_away(x * 100) / 100`.
pub fn round_cents(x: f64) -> f64 {
    round_half_away(x * 100.0) / 100.0
}

/// Deferral rates live in basis points: `round_half_away(x * 10000) / 10000`.
pub fn round_bp(x: f64) -> f64 {
    round_half_away(x * 10_000.0) / 10_000.0
}

/// A rate in whole basis points, for the comparisons the spec makes "in basis points".
pub fn bp(x: f64) -> i64 {
    round_half_away(x * 10_000.0) as i64
}

/// A weight converted to integer parts per million.
pub fn ppm(weight: f64) -> u64 {
    (weight * 1e6).round() as u64
}

/// Cumulative integer weights for categorical draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Cumulative(Vec<u64>);

impl Cumulative {
    pub fn from_weights(weights: impl IntoIterator<Item = f64>) -> Cumulative {
        let mut acc = 0u64;
        Cumulative(
            weights
                .into_iter()
                .map(|w| {
                    acc += ppm(w);
                    acc
                })
                .collect(),
        )
    }

    pub fn total(&self) -> u64 {
        self.0.last().copied().unwrap_or(0)
    }

    pub fn running(&self) -> &[u64] {
        &self.0
    }

    /// The smallest index j with `V * C_total < C_j * 2^32`.
    pub fn pick(&self, draw: Draw) -> usize {
        let lhs = u128::from(draw.0) * u128::from(self.total());
        self.0
            .iter()
            .position(|&c| lhs < u128::from(c) << 32)
            .expect("V < 2^32 so the last category always matches")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit for bit `f64::round`, on the edges and on a million values of every magnitude.
    #[test]
    fn round_half_away_is_f64_round() {
        let same = |x: f64| {
            assert_eq!(
                round_half_away(x).to_bits(),
                x.round().to_bits(),
                "{x:e} ({:#x})",
                x.to_bits()
            )
        };
        let two52 = 4_503_599_627_370_496.0f64;
        for x in [
            0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            two52 - 0.5,
            two52 - 1.5,
            two52,
            two52 + 1.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NAN,
        ] {
            same(x);
            same(-x);
            same(f64::from_bits(x.to_bits() + 1));
            same(-f64::from_bits(x.to_bits().saturating_sub(1)));
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..1_000_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            same(f64::from_bits(state)); // any magnitude
            let half = (state % 2_000_000) as f64 / 2.0 - 500_000.0; // k / 2, money-sized
            same(half);
            same(f64::from_bits(half.to_bits() ^ (i & 1)));
            same((state >> 11) as f64 / 1e6 - 4e6); // cents-sized
        }
    }

    #[test]
    fn cents_round_half_away() {
        assert_eq!(round_cents(1.005), 1.0); // 1.005 * 100 = 100.49999999999999
        assert_eq!(round_cents(2.675 * 1.0), 2.68);
        assert_eq!(round_cents(-0.125), -0.13);
        assert_eq!(round_cents(0.125), 0.13);
    }

    #[test]
    fn basis_points() {
        assert_eq!(0.06 + 0.01, 0.06999999999999999);
        assert_eq!(round_bp(0.06 + 0.01), 0.07);
        assert_eq!(round_bp(0.123456), 0.1235);
    }

    #[test]
    fn categorical_boundaries() {
        let c = Cumulative::from_weights([0.25, 0.25, 0.5]);
        assert_eq!(c.running(), &[250_000, 500_000, 1_000_000]);
        assert_eq!(c.pick(Draw(0)), 0);
        assert_eq!(c.pick(Draw((1u32 << 30) - 1)), 0);
        assert_eq!(c.pick(Draw(1u32 << 30)), 1);
        assert_eq!(c.pick(Draw(1u32 << 31)), 2);
        assert_eq!(c.pick(Draw(u32::MAX)), 2);
    }

    #[test]
    fn categorical_skips_zero_weights() {
        let c = Cumulative::from_weights([0.0, 1.0, 0.0]);
        assert_eq!(c.pick(Draw(0)), 1);
        assert_eq!(c.pick(Draw(u32::MAX)), 1);
    }
}
