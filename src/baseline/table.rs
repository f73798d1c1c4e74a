//! The table's comparison with the baseline: each headline KPI now, in the baseline, and the
//! change as an arrow and the delta, with whether it is better or worse.

use std::io::{self, Write};

use serde_json::Value;

use super::Baseline;
use crate::report::trend::{self, HEADLINES, Headline};
use crate::report::view::{Column, Section};
use crate::report::{Style, table};

/// The section, from the report's JSON and the baseline's.
pub fn section(current: &Value, baseline: &Baseline) -> Section {
    let rows = HEADLINES
        .iter()
        .map(|kpi| {
            let now = current.pointer(kpi.overall_path).and_then(Value::as_f64);
            let before = baseline
                .report
                .pointer(kpi.overall_path)
                .and_then(Value::as_f64);
            vec![
                kpi.name.to_owned(),
                trend::format_value(now, kpi.unit),
                trend::format_value(before, kpi.unit),
                change(now, before, kpi),
            ]
        })
        .collect();
    Section::new(
        format!("Since the baseline, {}", baseline.label()),
        vec![
            Column::label("KPI"),
            Column::figure("Now"),
            Column::figure("Baseline"),
            Column::label("Change"),
        ],
        rows,
    )
}

/// `↑ +5m 12s (worse)`, `→ +0`, or `n/a` when either side is not computable.
fn change(now: Option<f64>, before: Option<f64>, kpi: &Headline) -> String {
    let (Some(now), Some(before)) = (now, before) else {
        return "n/a".to_owned();
    };
    let delta = now - before;
    let mut text = format!(
        "{} {}",
        trend::arrow(delta),
        trend::format_delta(delta, kpi.unit)
    );
    if let Some(word) = trend::verdict(delta, kpi.better) {
        text.push_str(&format!(" ({word})"));
    }
    text
}

/// Writes the section after the report's table.
pub fn write(
    current: &Value,
    baseline: &Baseline,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let section = section(current, baseline);
    writeln!(out)?;
    if style.color {
        writeln!(out, "\x1b[1m{}\x1b[0m", section.title)?;
    } else {
        writeln!(out, "{}", section.title)?;
    }
    table::write_section(&section, style, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(median: f64, csat: Option<f64>) -> Value {
        json!({
            "as_of": "2026-03-30T23:59:59Z",
            "overall": {
                "tickets": 100,
                "first_response": { "median": median },
                "csat": { "rate": csat },
            }
        })
    }

    #[test]
    fn each_headline_kpi_has_its_arrow_delta_and_verdict() {
        let baseline = Baseline {
            file: "monday.json".to_owned(),
            report: report(1800.0, Some(0.8)),
        };
        let section = section(&report(2112.0, Some(0.75)), &baseline);
        assert_eq!(
            section.title,
            "Since the baseline, monday.json (as of 2026-03-30 23:59 UTC)"
        );
        let row = |name: &str| {
            section
                .rows
                .iter()
                .find(|row| row[0] == name)
                .unwrap_or_else(|| panic!("no row {name}"))
                .clone()
        };
        assert_eq!(
            row("First response (median)"),
            [
                "First response (median)",
                "35m 12s",
                "30m 0s",
                "↑ +5m 12s (worse)"
            ]
        );
        assert_eq!(
            row("CSAT"),
            ["CSAT", "75.0%", "80.0%", "↓ -5.0 pts (worse)"]
        );
        assert_eq!(row("Tickets")[3], "→ +0");
        // A KPI neither report has reads n/a, not a change of zero.
        assert_eq!(row("Backlog (at end)")[3], "n/a");
    }
}
