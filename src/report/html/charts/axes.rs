//! Time axes: logarithmic, so that minutes and weeks both show, with round ticks.

use crate::metrics::distribution::Bucket;
use crate::report::text::duration;

/// Where the ticks of a time axis may go, with their short labels.
const TIME_TICKS: [(f64, &str, bool); 18] = [
    (1.0, "1s", true),
    (10.0, "10s", false),
    (60.0, "1m", true),
    (300.0, "5m", false),
    (900.0, "15m", false),
    (1800.0, "30m", false),
    (3600.0, "1h", true),
    (7200.0, "2h", false),
    (14_400.0, "4h", false),
    (28_800.0, "8h", false),
    (86_400.0, "1d", true),
    (172_800.0, "2d", false),
    (345_600.0, "4d", false),
    (604_800.0, "1w", true),
    (1_209_600.0, "2w", false),
    (2_592_000.0, "30d", true),
    (7_776_000.0, "90d", false),
    (31_536_000.0, "1y", true),
];

/// `1h` rather than `1h 0m` for round values on an axis.
pub(super) fn short_duration(seconds: f64) -> String {
    TIME_TICKS
        .iter()
        .find(|(at, _, _)| *at == seconds)
        .map_or_else(|| duration(seconds), |(_, label, _)| (*label).to_owned())
}

/// A logarithmic time axis from `lo` to `hi` seconds, drawn from `x0` to `x1`.
pub(super) struct LogAxis {
    lo: f64,
    hi: f64,
    x0: f64,
    x1: f64,
}

impl LogAxis {
    /// Spans the positive values between the nearest ticks around them (zero cannot sit on a
    /// log axis: it is drawn at the axis' start and labelled).
    pub(super) fn fit(values: impl IntoIterator<Item = f64>, x0: f64, x1: f64) -> LogAxis {
        let (min, max) = values
            .into_iter()
            .filter(|v| *v > 0.0 && v.is_finite())
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let (min, max) = if min.is_finite() {
            (min, max)
        } else {
            (60.0, 3600.0)
        };
        let lo = TIME_TICKS
            .iter()
            .rev()
            .find(|(at, _, _)| *at <= min)
            .map_or(1.0, |t| t.0);
        let hi = TIME_TICKS
            .iter()
            .find(|(at, _, _)| *at >= max && *at > lo)
            .map_or(max.max(lo * 10.0), |t| t.0);
        LogAxis { lo, hi, x0, x1 }
    }

    pub(super) fn x(&self, seconds: f64) -> f64 {
        let clamped = seconds.clamp(self.lo, self.hi);
        self.x0
            + (clamped.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
                * (self.x1 - self.x0)
    }

    /// The ticks within the axis; only the major ones when all would crowd it.
    pub(super) fn ticks(&self) -> Vec<(f64, &'static str)> {
        let within: Vec<_> = TIME_TICKS
            .iter()
            .filter(|(at, _, _)| *at >= self.lo && *at <= self.hi)
            .collect();
        let crowded = within.len() > 12;
        within
            .into_iter()
            .filter(|(_, _, major)| !crowded || *major)
            .map(|(at, label, _)| (*at, *label))
            .collect()
    }
}

/// The x position of seconds on a histogram's axis: logarithmic from the first bucket's upper
/// edge on; the first bucket, which starts at 0, is drawn linear over a nominal width.
pub(super) struct HistogramAxis {
    first_to: f64,
    log: LogAxis,
    zero_x: f64,
}

impl HistogramAxis {
    pub(super) fn new(buckets: &[Bucket], x0: f64, x1: f64) -> Option<HistogramAxis> {
        let first = buckets.first()?;
        let last = buckets.last()?;
        let first_to = first.to.filter(|to| *to > 0.0)?;
        // The open last bucket gets a nominal width: twice its lower edge.
        let end = last.to.unwrap_or(last.from * 2.0).max(first_to * 2.0);
        // One nominal log step (a halving) for the linear first bucket.
        let span = (end.log10() - first_to.log10()) + 2f64.log10();
        let step = (x1 - x0) * 2f64.log10() / span;
        Some(HistogramAxis {
            first_to,
            log: LogAxis {
                lo: first_to,
                hi: end,
                x0: x0 + step,
                x1,
            },
            zero_x: x0,
        })
    }

    pub(super) fn x(&self, seconds: f64) -> f64 {
        if seconds < self.first_to {
            self.zero_x + seconds.max(0.0) / self.first_to * (self.log.x0 - self.zero_x)
        } else {
            self.log.x(seconds)
        }
    }

    /// A bucket's drawn edges.
    pub(super) fn edges(&self, bucket: &Bucket) -> (f64, f64) {
        let right = bucket.to.map_or(self.log.x1, |to| self.x(to));
        (self.x(bucket.from), right)
    }

    /// How many doublings of time a bucket spans as drawn: the first (from 0) and the open
    /// last bucket are drawn one doubling wide.
    fn doublings(&self, bucket: &Bucket) -> f64 {
        let (left, right) = self.edges(bucket);
        (right - left) / (self.log.x0 - self.zero_x)
    }
}

/// Tickets per doubling of time: the height that makes a bar's area its count, whatever its
/// width on the log axis.
pub(super) fn density(axis: &HistogramAxis, bucket: &Bucket) -> f64 {
    let doublings = axis.doublings(bucket);
    if doublings > 0.0 {
        bucket.count as f64 / doublings
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_spans_the_ticks_around_the_values() {
        let axis = LogAxis::fit([0.0, 115.0, 73_000.0], 0.0, 100.0);
        assert_eq!((axis.lo, axis.hi), (60.0, 86_400.0));
        assert_eq!(axis.x(60.0), 0.0);
        assert_eq!(axis.x(86_400.0), 100.0);
        assert_eq!(axis.x(0.0), 0.0, "zero sits at the axis' start");
    }

    #[test]
    fn histogram_axis_is_linear_in_the_first_bucket_then_log() {
        let buckets = crate::metrics::distribution::histogram([10.0, 100.0]);
        let axis = HistogramAxis::new(&buckets, 0.0, 1000.0).expect("buckets");
        assert_eq!(axis.x(0.0), 0.0);
        assert!(axis.x(30.0) < axis.x(60.0) && axis.x(60.0) < axis.x(3600.0));
        assert!((axis.x(60.0) - 2.0 * axis.x(30.0)).abs() < 1e-9);
        assert!(axis.x(1e12) <= 1000.0);
    }
}
