//! The charts, as inline SVG with real `<text>`. Each mark that stands for a number carries
//! `data-json` (a JSON Pointer into the JSON report) and `data-value` (the number), so the page
//! can be checked against `--format json` mark by mark (tests/html.rs).
//!
//! Every SVG element is written with an explicit end tag (`rect {}`): in HTML, a `<rect ...>`
//! without one would swallow the next element as its child.

use maud::{Markup, html};

use super::super::Report;
use super::super::text::{count, duration, percent, sanitize};
use super::super::trend::{ends_after_as_of, period_label};
use crate::metrics::backlog::AgeBuckets;
use crate::metrics::distribution::{Bucket, Summary};
use crate::metrics::sla::TargetAttainment;

pub const NOT_COMPUTABLE: &str = "n/a — not computable from this input";

/// Coordinates to a tenth of a pixel: crisp enough, and short and stable in snapshots.
fn c(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0 + 0.0; // + 0.0 turns -0 into 0
    format!("{rounded}")
}

/// A number as `data-value` holds it: Rust's shortest round-trip form, `null` for none.
pub fn datum(value: Option<f64>) -> String {
    value.map_or_else(|| "null".to_owned(), |v| format!("{v}"))
}

/// An SVG chart, labelled for assistive technology by its title and description.
fn svg(id: &str, title: &str, desc: &str, width: f64, height: f64, body: Markup) -> Markup {
    html! {
        svg class="chart" id=(id) viewBox=(format!("0 0 {width} {height}"))
            role="img" aria-labelledby=(format!("{id}-title {id}-desc"))
            xmlns="http://www.w3.org/2000/svg" {
            title id=(format!("{id}-title")) { (title) }
            desc id=(format!("{id}-desc")) { (desc) }
            (body)
        }
    }
}

/// `1 ticket`, `12 tickets`.
pub fn tickets(n: u64) -> String {
    if n == 1 {
        "1 ticket".to_owned()
    } else {
        format!("{} tickets", count(n))
    }
}

/// Labels longer than a chart's label column are cut; the full text stays in a `<title>`.
fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

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
fn short_duration(seconds: f64) -> String {
    TIME_TICKS
        .iter()
        .find(|(at, _, _)| *at == seconds)
        .map_or_else(|| duration(seconds), |(_, label, _)| (*label).to_owned())
}

/// A logarithmic time axis from `lo` to `hi` seconds, drawn from `x0` to `x1`.
struct LogAxis {
    lo: f64,
    hi: f64,
    x0: f64,
    x1: f64,
}

impl LogAxis {
    /// Spans the positive values between the nearest ticks around them (zero cannot sit on a
    /// log axis: it is drawn at the axis' start and labelled).
    fn fit(values: impl IntoIterator<Item = f64>, x0: f64, x1: f64) -> LogAxis {
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

    fn x(&self, seconds: f64) -> f64 {
        let clamped = seconds.clamp(self.lo, self.hi);
        self.x0
            + (clamped.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
                * (self.x1 - self.x0)
    }

    /// The ticks within the axis; only the major ones when all would crowd it.
    fn ticks(&self) -> Vec<(f64, &'static str)> {
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

/// A linear count axis from 0 to a round maximum at or above `max`, with its ticks: steps of
/// 1, 2 or 5 times a power of ten, never below 1 (a count axis has no 2.5).
fn nice_ticks(max: f64) -> (f64, Vec<f64>) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, vec![0.0, 1.0]);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(1.0);
    let top = (max / step).ceil() * step;
    let ticks = (0..=((top / step).round() as usize))
        .map(|i| i as f64 * step)
        .collect();
    (top, ticks)
}

/// The runs of consecutive known values, each as (index, value) points: a line is drawn
/// through each run and broken between them, since a missing value is a gap, not a zero.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs: Vec<Vec<(usize, f64)>> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let Some(value) = value else { continue };
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|(j, _)| j + 1 == i) => run.push((i, *value)),
            _ => runs.push(vec![(i, *value)]),
        }
    }
    runs
}

/// How often to label the x axis so that about `room` labels fit.
fn label_every(n: usize, room: usize) -> usize {
    n.div_ceil(room.max(1)).max(1)
}

// ---------------------------------------------------------------------------------------------
// First response time by group: median and p90 bars on a log time axis.

pub fn frt_by_group(report: &Report) -> Markup {
    if report.groups.is_empty() {
        return html! { p.na { "No groups: the input has no tickets." } };
    }
    let (width, label_w, value_w) = (1000.0, 190.0, 130.0);
    let (x0, x1) = (label_w, width - value_w);
    let values = report.groups.iter().flat_map(|g| {
        let s = g.kpis.first_response.as_ref().map(|f| f.summary);
        [s.and_then(|s| s.median), s.and_then(|s| s.p90)]
    });
    let axis = LogAxis::fit(values.flatten(), x0, x1);
    let (bar, gap, row) = (13.0, 3.0, 44.0);
    let top = 24.0;
    let height = top + row * report.groups.len() as f64 + 24.0;
    let axis_y = height - 22.0;
    let by = report.group_by.join(" and ");
    let body = html! {
        @for (at, label) in axis.ticks() {
            line.grid x1=(c(axis.x(at))) x2=(c(axis.x(at))) y1=(c(top - 6.0)) y2=(c(axis_y)) {}
            text.tick x=(c(axis.x(at))) y=(c(axis_y + 16.0)) text-anchor="middle" { (label) }
        }
        @for (i, group) in report.groups.iter().enumerate() {
            @let y = top + row * i as f64;
            @let label = report.group_by.iter()
                .map(|d| sanitize(&group.label(d)))
                .collect::<Vec<_>>().join(" · ");
            @let frt = group.kpis.first_response.as_ref();
            g {
                title { (label) }
                text.label x=(c(label_w - 10.0)) y=(c(y + bar)) text-anchor="end" { (clip(&label, 22)) }
                text.small x=(c(label_w - 10.0)) y=(c(y + 2.0 * bar + gap)) text-anchor="end" {
                    "n=" (frt.map_or(0, |f| f.summary.count))
                }
            }
            @match frt.filter(|f| f.summary.count > 0) {
                None => {
                    text.na x=(c(x0 + 6.0)) y=(c(y + bar + 4.0))
                        data-json=(format!("/groups/{i}/kpis/first_response/median")) data-value="null" { (NOT_COMPUTABLE) }
                }
                Some(frt) => {
                    @for (k, (name, class, value)) in [("median", "c-median", frt.summary.median), ("p90", "c-p90", frt.summary.p90)].into_iter().enumerate() {
                        @let by_ = y + k as f64 * (bar + gap);
                        @let end = value.map_or(x0, |v| if v > 0.0 { axis.x(v) } else { x0 });
                        rect class=(class) x=(c(x0)) y=(c(by_)) width=(c((end - x0).max(1.5))) height=(c(bar))
                            data-json=(format!("/groups/{i}/kpis/first_response/{name}")) data-value=(datum(value)) {
                            title { (label) " " (name) ": " (value.map_or_else(|| "n/a".to_owned(), duration)) }
                        }
                        text.value x=(c(end + 5.0)) y=(c(by_ + bar - 2.5)) {
                            (value.map_or_else(|| "n/a".to_owned(), duration))
                        }
                    }
                }
            }
        }
        line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(axis_y)) y2=(c(axis_y)) {}
    };
    svg(
        "chart-frt-groups",
        &format!("First response time by {by}: median and p90"),
        &format!(
            "Horizontal bars on a logarithmic time axis, two per {by}: the median and the 90th \
             percentile of the first response time. {} groups.",
            report.groups.len()
        ),
        width,
        height,
        body,
    )
}

// ---------------------------------------------------------------------------------------------
// Histograms on a log time axis.

/// The x position of seconds on a histogram's axis: logarithmic from the first bucket's upper
/// edge on; the first bucket, which starts at 0, is drawn linear over a nominal width.
struct HistogramAxis {
    first_to: f64,
    log: LogAxis,
    zero_x: f64,
}

impl HistogramAxis {
    fn new(buckets: &[Bucket], x0: f64, x1: f64) -> Option<HistogramAxis> {
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

    fn x(&self, seconds: f64) -> f64 {
        if seconds < self.first_to {
            self.zero_x + seconds.max(0.0) / self.first_to * (self.log.x0 - self.zero_x)
        } else {
            self.log.x(seconds)
        }
    }

    /// A bucket's drawn edges.
    fn edges(&self, bucket: &Bucket) -> (f64, f64) {
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
fn density(axis: &HistogramAxis, bucket: &Bucket) -> f64 {
    let doublings = axis.doublings(bucket);
    if doublings > 0.0 {
        bucket.count as f64 / doublings
    } else {
        0.0
    }
}

pub fn histogram(
    id: &str,
    title: &str,
    buckets: &[Bucket],
    summary: Option<&Summary>,
    json: &str,
    class: &str,
) -> Markup {
    let (width, height) = (1000.0, 262.0);
    let (x0, x1, top, base) = (76.0, 980.0, 48.0, 222.0);
    let Some(axis) = HistogramAxis::new(buckets, x0, x1) else {
        return html! { p.na { (NOT_COMPUTABLE) } };
    };
    // Heights are densities, so that a wide bucket is not drawn as if it were a tall one.
    let max = buckets
        .iter()
        .map(|b| density(&axis, b))
        .fold(0.0, f64::max);
    let (y_top, y_ticks) = nice_ticks(max);
    let y = |n: f64| base - n / y_top * (base - top);
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    let range = |b: &Bucket| match b.to {
        Some(to) => format!("{} to {}", short_duration(b.from), short_duration(to)),
        None => format!("{} or more", short_duration(b.from)),
    };
    let markers = summary.map_or_else(Vec::new, |s| {
        [("median", s.median), ("p90", s.p90)]
            .into_iter()
            .filter_map(|(name, v)| v.map(|v| (name, v)))
            .collect()
    });
    let body = html! {
        @for n in &y_ticks {
            line.grid x1=(c(x0)) x2=(c(x1)) y1=(c(y(*n))) y2=(c(y(*n))) {}
            text.tick x=(c(x0 - 6.0)) y=(c(y(*n) + 4.0)) text-anchor="end" { (count(*n as u64)) }
        }
        // The unit runs up the y axis, clear of the median and p90 labels above the bars.
        text.small x="0" y="0" text-anchor="middle"
            transform=(format!("translate(14 {}) rotate(-90)", c((top + base) / 2.0))) { "tickets per doubling" }
        @for (i, bucket) in buckets.iter().enumerate() {
            @let (left, right) = axis.edges(bucket);
            @let d = density(&axis, bucket);
            rect class=(class) x=(c(left + 1.0)) y=(c(y(d))) width=(c((right - left - 2.0).max(1.0))) height=(c(base - y(d)))
                data-json=(format!("{json}/{i}/count")) data-value=(bucket.count) {
                title { (range(bucket)) ": " (tickets(bucket.count)) }
            }
            text.tick x=(c(left)) y=(c(base + 16.0)) text-anchor="middle" { (short_duration(bucket.from).replace("0s", "0")) }
        }
        line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(base)) y2=(c(base)) {}
        // The median and p90 lines go under the counts, whose halo keeps them readable.
        @for (k, (name, value)) in markers.iter().enumerate() {
            @let x = axis.x(*value);
            line.marker x1=(c(x)) x2=(c(x)) y1=(c(top - 30.0 + 14.0 * k as f64)) y2=(c(base)) {}
            text.marker-label x=(c(x + 4.0)) y=(c(top - 30.0 + 14.0 * k as f64 + 10.0))
                data-json=(format!("{}/{name}", summary_path(json))) data-value=(datum(Some(*value))) {
                (name) " " (duration(*value))
            }
        }
        @for bucket in buckets.iter().filter(|b| b.count > 0) {
            @let (left, right) = axis.edges(bucket);
            text.value x=(c((left + right) / 2.0)) y=(c(y(density(&axis, bucket)) - 4.0)) text-anchor="middle" { (count(bucket.count)) }
        }
    };
    svg(
        id,
        title,
        &format!(
            "Histogram of {total} tickets on a logarithmic time axis from 0 to {} and more; each \
             bar's area is its count of tickets.{}",
            buckets
                .last()
                .map_or_else(String::new, |b| short_duration(b.from)),
            markers
                .iter()
                .map(|(name, v)| format!(" The {name} is {}.", duration(*v)))
                .collect::<String>()
        ),
        width,
        height,
        body,
    )
}

/// `/histograms/first_response` -> `/overall/first_response`: where the summary of the
/// histogram's values is.
fn summary_path(histogram: &str) -> String {
    histogram.replace("/histograms/", "/overall/")
}

// ---------------------------------------------------------------------------------------------
// Backlog by age: stacked bars, one per period (or one at as_of without periods).

pub const AGE_CLASSES: [&str; 5] = ["c-age0", "c-age1", "c-age2", "c-age3", "c-age4"];

pub struct BacklogBar {
    pub label: String,
    pub total: Option<u64>,
    pub total_path: String,
    pub ages: Option<AgeBuckets>,
    pub ages_path: String,
}

pub fn backlog_bars(report: &Report) -> Vec<BacklogBar> {
    if report.periods.is_empty() {
        let label = report.as_of.as_deref().map_or_else(
            || "as of".to_owned(),
            |at| format!("as of {}", at.get(..10).unwrap_or(at)),
        );
        return vec![BacklogBar {
            label,
            total: report.overall.backlog.as_ref().map(|b| b.open),
            total_path: "/overall/backlog/open".to_owned(),
            ages: report.overall.backlog.as_ref().map(|b| b.age),
            ages_path: "/overall/backlog/age".to_owned(),
        }];
    }
    report
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| BacklogBar {
            label: if ends_after_as_of(report, p) {
                format!("{}*", p.period)
            } else {
                p.period.clone()
            },
            total: p.backlog_at_end,
            total_path: format!("/periods/{i}/backlog_at_end"),
            ages: p.backlog_age_at_end,
            ages_path: format!("/periods/{i}/backlog_age_at_end"),
        })
        .collect()
}

/// The non-empty age segments of a bar, youngest at the bottom: (label, age index, count
/// below it, count).
fn stack(ages: &AgeBuckets) -> Vec<(&'static str, usize, u64, u64)> {
    let mut below = 0;
    let mut segments = Vec::new();
    for (k, (label, n)) in ages.labelled().into_iter().enumerate() {
        if n > 0 {
            segments.push((label, k, below, n));
        }
        below += n;
    }
    segments
}

pub fn backlog(report: &Report, bars: &[BacklogBar]) -> Markup {
    let (width, height) = (1000.0, 246.0);
    let (x0, x1, top, base) = (56.0, 980.0, 24.0, 220.0);
    // The scale takes in what is drawn, the age stacks as well as the totals (which are
    // their sums), so that no bar can rise above the chart.
    let stacked = |b: &BacklogBar| {
        b.ages
            .map(|a| a.labelled().iter().map(|(_, n)| n).sum::<u64>())
    };
    let max = bars
        .iter()
        .flat_map(|b| [b.total, stacked(b)])
        .flatten()
        .max()
        .unwrap_or(0) as f64;
    let (y_top, y_ticks) = nice_ticks(max);
    let y = |n: f64| base - n / y_top * (base - top);
    let slot = (x1 - x0) / bars.len().max(1) as f64;
    let bar_w = (slot * 0.6).min(64.0);
    let every = label_every(bars.len(), 14);
    let body = html! {
        @for n in &y_ticks {
            line.grid x1=(c(x0)) x2=(c(x1)) y1=(c(y(*n))) y2=(c(y(*n))) {}
            text.tick x=(c(x0 - 6.0)) y=(c(y(*n) + 4.0)) text-anchor="end" { (count(*n as u64)) }
        }
        @for (i, bar) in bars.iter().enumerate() {
            @let mid = x0 + slot * (i as f64 + 0.5);
            @let left = mid - bar_w / 2.0;
            @match (bar.total, bar.ages) {
                (None, _) => {
                    text.na x=(c(mid)) y=(c(base - 6.0)) text-anchor="middle"
                        data-json=(bar.total_path) data-value="null" { "n/a" }
                }
                (Some(total), ages) => {
                    @if let Some(ages) = ages {
                        @for (label, k, bottom, n) in stack(&ages) {
                            rect class=(AGE_CLASSES[k]) x=(c(left)) y=(c(y((bottom + n) as f64))) width=(c(bar_w))
                                height=(c(y(bottom as f64) - y((bottom + n) as f64)))
                                data-json=(format!("{}/{label}", bar.ages_path)) data-value=(n) {
                                title { (bar.label) ", open " (label) ": " (count(n)) }
                            }
                        }
                    } @else {
                        // Age unknown (a ticket table without dated resolutions): the total alone.
                        rect.c-age-unknown x=(c(left)) y=(c(y(total as f64))) width=(c(bar_w)) height=(c(base - y(total as f64))) {
                            title { (bar.label) ": " (count(total)) " open, age unknown" }
                        }
                    }
                    text.value x=(c(mid)) y=(c(y(total as f64) - 5.0)) text-anchor="middle"
                        data-json=(bar.total_path) data-value=(total) { (count(total)) }
                }
            }
            @if i % every == 0 || i + 1 == bars.len() {
                text.tick x=(c(mid)) y=(c(base + 16.0)) text-anchor="middle" { (bar.label) }
            }
        }
        line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(base)) y2=(c(base)) {}
    };
    let unit = report.period.as_deref().unwrap_or("period");
    let desc = bars
        .iter()
        .map(|b| {
            format!(
                "{}: {}",
                b.label,
                b.total.map_or_else(|| "n/a".to_owned(), count)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    svg(
        "chart-backlog",
        &if report.periods.is_empty() {
            "Backlog by age".to_owned()
        } else {
            format!("Backlog at the end of each {unit}, by age")
        },
        &format!("Stacked bars of open tickets by age. {desc}."),
        width,
        height,
        body,
    )
}

// ---------------------------------------------------------------------------------------------
// SLA attainment per policy and target: horizontal bars on 0-100 %.

pub const TARGETS: [(&str, &str, &str); 3] = [
    ("first_reply", "First reply", "c-first-reply"),
    ("next_reply", "Next reply", "c-next-reply"),
    ("resolution", "Resolution", "c-resolution"),
];

/// One block of bars: a policy (or all of them) and its targets.
pub struct SlaRow<'r> {
    pub name: String,
    pub note: String,
    pub path: String,
    pub targets: [Option<&'r TargetAttainment>; 3],
}

pub fn sla_rows(report: &Report) -> Vec<SlaRow<'_>> {
    let sla = &report.overall.sla;
    let mut rows = vec![SlaRow {
        name: "All policies".to_owned(),
        note: tickets(report.overall.tickets),
        path: "/overall/sla".to_owned(),
        targets: [
            sla.first_reply.as_ref(),
            sla.next_reply.as_ref(),
            sla.resolution.as_ref(),
        ],
    }];
    // One policy alone is the same as all of them together.
    if sla.policies.len() > 1 {
        rows.extend(sla.policies.iter().enumerate().map(|(i, p)| SlaRow {
            name: sanitize(&p.policy),
            note: format!(
                "{}, {}",
                tickets(p.tickets),
                p.schedule.as_deref().map_or_else(
                    || "calendar time".to_owned(),
                    |s| format!("{} hours", sanitize(s))
                )
            ),
            path: format!("/overall/sla/policies/{i}"),
            targets: [
                p.first_reply.as_ref(),
                p.next_reply.as_ref(),
                p.resolution.as_ref(),
            ],
        }));
    }
    rows
}

pub fn attainment_text(t: &TargetAttainment) -> String {
    format!(
        "{} — {} met, {} breached, {} running",
        percent(t.attainment),
        count(t.met),
        count(t.breached),
        count(t.running)
    )
}

pub fn sla(rows: &[SlaRow<'_>]) -> Markup {
    let (width, label_w, track_w) = (1000.0, 250.0, 420.0);
    let (x0, x1) = (label_w, label_w + track_w);
    let (bar, line_h, head_h, gap) = (14.0, 20.0, 22.0, 12.0);
    let block =
        |row: &SlaRow<'_>| head_h + line_h * row.targets.iter().flatten().count() as f64 + gap;
    let top = 26.0;
    let height = top + rows.iter().map(block).sum::<f64>() + 4.0;
    let x = |rate: f64| x0 + rate.clamp(0.0, 1.0) * track_w;
    // Where each row starts, and each of its targets' lines (targets not set are left out).
    let mut layout = Vec::with_capacity(rows.len());
    let mut y = top;
    for row in rows {
        let lines: Vec<(usize, &TargetAttainment, f64)> = row
            .targets
            .iter()
            .enumerate()
            .filter_map(|(k, t)| t.map(|t| (k, t)))
            .enumerate()
            .map(|(line, (k, t))| (k, t, y + head_h + line_h * line as f64))
            .collect();
        layout.push((row, y, lines));
        y += block(row);
    }
    let body = html! {
        @for pct in [0.0, 0.25, 0.5, 0.75, 1.0] {
            text.tick x=(c(x(pct))) y=(c(top - 10.0)) text-anchor="middle" { (format!("{:.0}%", pct * 100.0)) }
        }
        @for pct in [0.5, 1.0] {
            line.grid x1=(c(x(pct))) x2=(c(x(pct))) y1=(c(top - 4.0)) y2=(c(height - 4.0)) {}
        }
        @for (row, start, lines) in &layout {
            text.label x="8" y=(c(start + 14.0)) { (clip(&row.name, 26)) title { (row.name) } }
            text.small x=(c(x0)) y=(c(start + 14.0)) { (row.note) }
            @for (k, t, ty) in lines {
                @let (key, name, class) = TARGETS[*k];
                @let ty = *ty;
                text.small x=(c(x0 - 10.0)) y=(c(ty + bar - 3.0)) text-anchor="end" { (name) }
                rect.track x=(c(x0)) y=(c(ty)) width=(c(track_w)) height=(c(bar)) {}
                @match t.attainment {
                    Some(rate) => {
                        rect class=(class) x=(c(x0)) y=(c(ty)) width=(c(x(rate) - x0)) height=(c(bar))
                            data-json=(format!("{}/{key}/attainment", row.path)) data-value=(datum(Some(rate))) {
                            title { (row.name) ", " (name) ": " (attainment_text(t)) }
                        }
                        text.value x=(c(x1 + 8.0)) y=(c(ty + bar - 3.0)) { (attainment_text(t)) }
                    }
                    None => {
                        text.na x=(c(x0 + 6.0)) y=(c(ty + bar - 3.0))
                            data-json=(format!("{}/{key}/attainment", row.path)) data-value="null" {
                            // The target is measurable here (else it has no line): null
                            // attainment means no clock has stopped or breached yet.
                            @if t.running > 0 { "n/a — every clock still running" }
                            @else { "n/a — no clock under this policy" }
                        }
                    }
                }
            }
        }
    };
    svg(
        "chart-sla",
        "SLA attainment by policy and target",
        &rows
            .iter()
            .map(|row| {
                let targets: Vec<String> = row
                    .targets
                    .iter()
                    .zip(TARGETS)
                    .filter_map(|(t, (_, name, _))| {
                        t.map(|t| format!("{name} {}", percent(t.attainment)))
                    })
                    .collect();
                format!("{}: {}.", row.name, targets.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" "),
        width,
        height,
        body,
    )
}

// ---------------------------------------------------------------------------------------------
// CSAT over the periods: a line on 0-100 %, broken where a period has no rating.

pub fn csat_trend(report: &Report) -> Markup {
    let periods = &report.periods;
    let (width, height) = (1000.0, 260.0);
    let (x0, x1, top, base) = (56.0, 980.0, 30.0, 200.0);
    let slot = (x1 - x0) / periods.len().max(1) as f64;
    let x = |i: usize| x0 + slot * (i as f64 + 0.5);
    let y = |rate: f64| base - rate.clamp(0.0, 1.0) * (base - top);
    let rates: Vec<Option<f64>> = periods
        .iter()
        .map(|p| p.kpis.csat.as_ref().and_then(|c| c.rate))
        .collect();
    let runs = runs(&rates);
    let every = label_every(periods.len(), 14);
    let body = html! {
        @for pct in [0.0, 0.25, 0.5, 0.75, 1.0] {
            line.grid x1=(c(x0)) x2=(c(x1)) y1=(c(y(pct))) y2=(c(y(pct))) {}
            text.tick x=(c(x0 - 6.0)) y=(c(y(pct) + 4.0)) text-anchor="end" { (format!("{:.0}%", pct * 100.0)) }
        }
        @for run in runs.iter().filter(|run| run.len() > 1) {
            polyline.c-csat-line points=(run.iter().map(|(i, r)| format!("{},{}", c(x(*i)), c(y(*r)))).collect::<Vec<_>>().join(" ")) {}
        }
        @for (i, period) in periods.iter().enumerate() {
            @let csat = period.kpis.csat.as_ref();
            @match rates[i] {
                Some(rate) => {
                    circle.c-csat cx=(c(x(i))) cy=(c(y(rate))) r="4.5"
                        data-json=(format!("/periods/{i}/kpis/csat/rate")) data-value=(datum(Some(rate))) {
                        title { (period_label(period)) ": " (percent(Some(rate))) }
                    }
                    @if periods.len() <= 26 {
                        text.value x=(c(x(i))) y=(c(y(rate) - 10.0)) text-anchor="middle" { (percent(Some(rate))) }
                    }
                }
                None => {
                    text.na x=(c(x(i))) y=(c(base - 6.0)) text-anchor="middle"
                        data-json=(format!("/periods/{i}/kpis/csat/rate")) data-value="null" { "n/a" }
                }
            }
            @if i % every == 0 || i + 1 == periods.len() {
                text.tick x=(c(x(i))) y=(c(base + 18.0)) text-anchor="middle" {
                    (period.period) @if !period.complete { "*" }
                }
                text.small x=(c(x(i))) y=(c(base + 34.0)) text-anchor="middle"
                    data-json=(format!("/periods/{i}/kpis/csat/responses")) data-value=(datum(csat.map(|c| c.responses as f64))) {
                    "n=" (csat.map_or(0, |c| c.responses))
                }
            }
        }
        line.axis x1=(c(x0)) x2=(c(x1)) y1=(c(base)) y2=(c(base)) {}
    };
    let unit = report.period.as_deref().unwrap_or("period");
    svg(
        "chart-csat",
        &format!("CSAT by {unit}"),
        &format!(
            "Line chart of the CSAT rate per {unit}: {}.",
            periods
                .iter()
                .zip(&rates)
                .map(|(p, r)| format!("{} {}", p.period, percent(*r)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        width,
        height,
        body,
    )
}

// ---------------------------------------------------------------------------------------------
// A tile's sparkline: the KPI over the periods.

/// `complete` marks each period whose whole span the input covers; a partial one is drawn as
/// a hollow dot, off the line.
pub fn sparkline(
    id: &str,
    name: &str,
    values: &[Option<f64>],
    paths: &[String],
    complete: &[bool],
) -> Markup {
    let (width, height, pad) = (200.0, 36.0, 4.0);
    let known = values.iter().flatten().copied();
    let (lo, hi) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let step = (width - 2.0 * pad) / (values.len().max(2) - 1) as f64;
    let x = |i: usize| pad + step * i as f64;
    let y = |v: f64| {
        if hi > lo {
            height - pad - (v - lo) / (hi - lo) * (height - 2.0 * pad)
        } else {
            height / 2.0
        }
    };
    // Only complete periods are joined: a partial one is not a point of the trend.
    let whole: Vec<Option<f64>> = values
        .iter()
        .zip(complete)
        .map(|(v, whole)| v.filter(|_| *whole))
        .collect();
    let runs = runs(&whole);
    html! {
        svg class="spark" id=(id) viewBox=(format!("0 0 {width} {height}")) role="img"
            aria-label=(format!("{name} over the {} periods", values.len()))
            xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none" {
            @for run in runs.iter().filter(|run| run.len() > 1) {
                polyline.spark-line points=(run.iter().map(|(i, v)| format!("{},{}", c(x(*i)), c(y(*v)))).collect::<Vec<_>>().join(" ")) {}
            }
            @for (i, (value, path)) in values.iter().zip(paths).enumerate() {
                @if let Some(v) = value {
                    circle.spark-dot.last[i + 1 == values.len()].partial[!complete.get(i).copied().unwrap_or(true)]
                        cx=(c(x(i))) cy=(c(y(*v))) r="2.5"
                        data-json=(path) data-value=(datum(Some(*v))) {}
                }
            }
        }
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
    fn lines_break_at_missing_values() {
        let runs = runs(&[Some(1.0), Some(2.0), None, Some(4.0)]);
        assert_eq!(runs, vec![vec![(0, 1.0), (1, 2.0)], vec![(3, 4.0)]]);
    }

    #[test]
    fn nice_ticks_round_up() {
        assert_eq!(nice_ticks(9.0), (10.0, vec![0.0, 5.0, 10.0]));
        assert_eq!(nice_ticks(3.0).0, 3.0);
        assert_eq!(nice_ticks(0.0).0, 1.0);
        assert_eq!(nice_ticks(130.0), (150.0, vec![0.0, 50.0, 100.0, 150.0]));
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

    #[test]
    fn count_axes_have_no_fractional_ticks() {
        assert_eq!(nice_ticks(1.0), (1.0, vec![0.0, 1.0]));
        assert_eq!(nice_ticks(3.0), (3.0, vec![0.0, 1.0, 2.0, 3.0]));
    }
}
