//! Rounding and integer categorical draws (spec §3). Both engines must do exactly this.

use crate::rng::Draw;

/// `round_half_away(x * 100) / 100`.
pub fn round_cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Deferral rates live in basis points: `round_half_away(x * 10000) / 10000`.
pub fn round_bp(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
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
