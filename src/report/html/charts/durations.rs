//! How long it takes: first response time by group (median and p90 bars) and the
//! histograms of first response and resolution times, on log time axes.

use maud::{Markup, html};

use super::axes::{HistogramAxis, LogAxis, density, short_duration};
use super::{NOT_COMPUTABLE, c, clip, datum, nice_ticks, svg, tickets};
use crate::metrics::distribution::{Bucket, Summary};
use crate::report::Report;
use crate::report::text::{count, duration, sanitize};

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
