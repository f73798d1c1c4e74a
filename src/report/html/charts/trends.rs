//! Series over the periods: the CSAT line and a tile's sparkline.

use maud::{Markup, html};

use super::{c, datum, label_every, runs, svg};
use crate::report::Report;
use crate::report::text::percent;
use crate::report::trend::period_label;

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
