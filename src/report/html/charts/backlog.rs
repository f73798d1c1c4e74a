//! Backlog by age: stacked bars, one per period (or one at as_of without periods).

use maud::{Markup, html};

use super::{c, label_every, nice_ticks, svg};
use crate::metrics::backlog::AgeBuckets;
use crate::report::Report;
use crate::report::text::count;
use crate::report::trend::ends_after_as_of;

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
