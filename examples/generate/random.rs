//! Random draws that give the same result on every platform: integer weights, and skewed
//! delays interpolated from a table instead of computed with `ln`/`exp`.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
/// Quantiles of a right-skewed delay (close to a lognormal with sigma 1) as multiples of its
/// median. Interpolating between them needs no transcendental functions, which keeps the output
/// identical across platforms.
const SKEW: [(f64, f64); 9] = [
    (0.0, 0.08),
    (0.1, 0.3),
    (0.25, 0.55),
    (0.5, 1.0),
    (0.75, 1.9),
    (0.9, 3.6),
    (0.97, 7.0),
    (0.995, 14.0),
    (1.0, 30.0),
];

/// A positive duration in seconds with the given median and a long right tail.
pub fn skewed(rng: &mut ChaCha8Rng, median: i64) -> i64 {
    let u: f64 = rng.random();
    let i = SKEW
        .partition_point(|&(p, _)| p <= u)
        .clamp(1, SKEW.len() - 1);
    let ((p0, m0), (p1, m1)) = (SKEW[i - 1], SKEW[i]);
    let multiple = m0 + (u - p0) / (p1 - p0) * (m1 - m0);
    ((median as f64 * multiple) as i64).max(1)
}

/// Draws from a weighted table (integer weights keep the draw portable).
pub fn pick<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|&(_, weight)| weight).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, weight) in table {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    table[table.len() - 1].0
}

pub fn is_weekend(day: i64) -> bool {
    // Day 0 (1970-01-01) was a Thursday.
    matches!((day + 4).rem_euclid(7), 0 | 6)
}
