//! Distributions of durations (or any values): count, mean, median, p90.

use serde::Serialize;

/// Collects values; exact percentiles need them all, and their number is bounded by the
/// number of tickets (or of answered customer runs), not by the rows of the export.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Distribution {
    values: Vec<f64>,
}

/// The summary every distribution reports. Empty: `count` 0 and null statistics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub count: u64,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

impl Distribution {
    pub fn observe(&mut self, value: f64) {
        self.values.push(value);
    }

    pub fn extend(&mut self, values: &[f64]) {
        self.values.extend_from_slice(values);
    }

    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn merge(&mut self, other: Distribution) {
        self.values.extend(other.values);
    }

    pub fn finish(mut self) -> Summary {
        self.values.sort_by(f64::total_cmp);
        summarize(&self.values)
    }
}

/// Summary of already sorted values.
pub fn summarize(sorted: &[f64]) -> Summary {
    Summary {
        count: sorted.len() as u64,
        mean: mean(sorted),
        median: percentile(sorted, 0.5),
        p90: percentile(sorted, 0.9),
    }
}

/// The mean of sorted values. Summing them sorted makes it independent of input order (and
/// of how files or threads were merged); rounding may not take it outside the values.
pub fn mean(sorted: &[f64]) -> Option<f64> {
    let (first, last) = (sorted.first()?, sorted.last()?);
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    Some(mean.clamp(*first, *last))
}

/// Linear interpolation between closest ranks (numpy's default, DuckDB's `quantile_cont`):
/// the value at position `(n - 1) * q` of the sorted values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = last as f64 * q;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * fraction)
}

/// Upper bounds (seconds, exclusive) of the histogram buckets: roughly doubling, so a log
/// time axis shows minutes and weeks alike. The last bucket is open-ended.
pub const HISTOGRAM_EDGES: [f64; 14] = [
    60.0,
    300.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    14_400.0,
    28_800.0,
    86_400.0,
    172_800.0,
    345_600.0,
    604_800.0,
    1_209_600.0,
    2_592_000.0,
];

/// One histogram bucket: values in `[from, to)` seconds (`to` null: no upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket {
    pub from: f64,
    pub to: Option<f64>,
    pub count: u64,
}

/// Counts of `values` per bucket of [`HISTOGRAM_EDGES`].
pub fn histogram(values: impl IntoIterator<Item = f64>) -> Vec<Bucket> {
    let mut counts = [0u64; HISTOGRAM_EDGES.len() + 1];
    for value in values {
        counts[HISTOGRAM_EDGES.partition_point(|edge| *edge <= value)] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(i, count)| Bucket {
            from: if i == 0 { 0.0 } else { HISTOGRAM_EDGES[i - 1] },
            to: HISTOGRAM_EDGES.get(i).copied(),
            count: *count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn histogram_buckets_are_half_open() {
        let buckets = histogram([0.0, 59.9, 60.0, 3600.0, 1e9]);
        assert_eq!(buckets.len(), HISTOGRAM_EDGES.len() + 1);
        assert_eq!(buckets[0].count, 2);
        assert_eq!(buckets[1].count, 1, "60 s opens the second bucket");
        assert_eq!(buckets[5].from, 3600.0);
        assert_eq!(buckets[5].count, 1);
        assert_eq!(buckets.last().map(|b| (b.to, b.count)), Some((None, 1)));
        assert_eq!(buckets.iter().map(|b| b.count).sum::<u64>(), 5);
    }

    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&values, 0.5), Some(2.5));
        // numpy.percentile([1, 2, 3, 4], 90) == 3.7
        assert!((percentile(&values, 0.9).unwrap() - 3.7).abs() < 1e-12);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn empty_distribution_has_count_zero_and_nulls() {
        let summary = Distribution::default().finish();
        assert_eq!(
            summary,
            Summary {
                count: 0,
                mean: None,
                median: None,
                p90: None
            }
        );
    }

    #[test]
    fn merging_equals_one_pass() {
        let mut left = Distribution::default();
        let mut right = Distribution::default();
        let mut whole = Distribution::default();
        for (i, value) in [5.0, 1.0, 9.0, 3.0, 3.0, 8.0].into_iter().enumerate() {
            whole.observe(value);
            if i % 2 == 0 {
                left.observe(value)
            } else {
                right.observe(value)
            }
        }
        left.merge(right);
        assert_eq!(left.finish(), whole.finish());
    }

    #[test]
    fn the_mean_of_equal_values_is_that_value() {
        assert_eq!(mean(&[0.2, 0.2, 0.2]), Some(0.2));
    }

    #[test]
    fn summary_of_unsorted_input() {
        let mut distribution = Distribution::default();
        distribution.extend(&[30.0, 10.0, 20.0]);
        let summary = distribution.finish();
        assert_eq!(summary.count, 3);
        assert_eq!(summary.mean, Some(20.0));
        assert_eq!(summary.median, Some(20.0));
        assert_eq!(summary.p90, Some(28.0));
    }
}
