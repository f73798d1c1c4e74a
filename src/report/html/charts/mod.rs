//! The charts, as inline SVG with real `<text>`. Each mark that stands for a number carries
//! `data-json` (a JSON Pointer into the JSON report) and `data-value` (the number), so the page
//! can be checked against `--format json` mark by mark (tests/html.rs).
//!
//! Every SVG element is written with an explicit end tag (`rect {}`): in HTML, a `<rect ...>`
//! without one would swallow the next element as its child.

mod axes;
mod backlog;
mod durations;
pub mod heatmap;
mod sla;
mod trends;

use maud::{Markup, html};

use crate::report::text::count;

pub use backlog::{AGE_CLASSES, backlog, backlog_bars};
pub use durations::{frt_by_group, histogram};
pub use sla::{TARGETS, sla, sla_rows};
pub use trends::{csat_trend, sparkline};

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn count_axes_have_no_fractional_ticks() {
        assert_eq!(nice_ticks(1.0), (1.0, vec![0.0, 1.0]));
        assert_eq!(nice_ticks(3.0), (3.0, vec![0.0, 1.0, 2.0, 3.0]));
    }
}
