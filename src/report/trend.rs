//! The headline KPIs across `--period` periods: each one's series, the change of the latest
//! period against the one before, and the terminal's trend section (a sparkline and an arrow
//! per KPI). The HTML report's tiles read the same definitions, so both show the same change.

use std::io::{self, Write};

use super::text::{count, duration, percent};
use super::view::Section;
use super::{Report, Style};
use crate::metrics::KpiBlock;
use crate::metrics::group::PeriodBlock;

/// How a KPI's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Seconds.
    Duration,
    /// A fraction 0..1; changes are in percentage points.
    Rate,
}

/// Which way is an improvement; `Neither` for volume, where more tickets is not worse service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

/// A headline KPI: how to read it from the overall block and from a period, and where it sits
/// in the JSON report (JSON Pointers, so that the HTML can name the number it draws).
pub struct Headline {
    pub id: &'static str,
    pub name: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Pointer of the overall value.
    pub overall_path: &'static str,
    /// Pointer of the value within one element of `/periods`.
    pub period_path: &'static str,
    pub overall: fn(&Report) -> Option<f64>,
    pub period: fn(&PeriodBlock) -> Option<f64>,
    /// The title of its tile in the HTML report, if it has one (the terminal trend shows every
    /// headline).
    pub tile: Option<&'static str>,
}

fn frt_median(kpis: &KpiBlock) -> Option<f64> {
    kpis.first_response.as_ref().and_then(|f| f.summary.median)
}

fn frt_p90(kpis: &KpiBlock) -> Option<f64> {
    kpis.first_response.as_ref().and_then(|f| f.summary.p90)
}

fn resolution_median(kpis: &KpiBlock) -> Option<f64> {
    kpis.resolution_time.as_ref().and_then(|s| s.median)
}

fn fcr(kpis: &KpiBlock) -> Option<f64> {
    kpis.fcr.as_ref().and_then(|f| f.rate)
}

fn csat(kpis: &KpiBlock) -> Option<f64> {
    kpis.csat.as_ref().and_then(|c| c.rate)
}

fn sla_first_reply(kpis: &KpiBlock) -> Option<f64> {
    kpis.sla.first_reply.as_ref().and_then(|t| t.attainment)
}

/// The headline KPIs, in the order of the period table's columns.
pub const HEADLINES: [Headline; 8] = [
    Headline {
        id: "tickets",
        name: "Tickets",
        unit: Unit::Count,
        better: Better::Neither,
        overall_path: "/overall/tickets",
        period_path: "/kpis/tickets",
        overall: |r| Some(r.overall.tickets as f64),
        period: |p| Some(p.kpis.tickets as f64),
        tile: Some("Tickets"),
    },
    Headline {
        id: "frt_median",
        name: "First response (median)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/first_response/median",
        period_path: "/kpis/first_response/median",
        overall: |r| frt_median(&r.overall),
        period: |p| frt_median(&p.kpis),
        tile: Some("First response (median)"),
    },
    Headline {
        id: "frt_p90",
        name: "First response (p90)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/first_response/p90",
        period_path: "/kpis/first_response/p90",
        overall: |r| frt_p90(&r.overall),
        period: |p| frt_p90(&p.kpis),
        tile: None,
    },
    Headline {
        id: "resolution_median",
        name: "Resolution time (median)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/resolution_time/median",
        period_path: "/kpis/resolution_time/median",
        overall: |r| resolution_median(&r.overall),
        period: |p| resolution_median(&p.kpis),
        tile: None,
    },
    Headline {
        id: "fcr",
        name: "First contact resolution",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/fcr/rate",
        period_path: "/kpis/fcr/rate",
        overall: |r| fcr(&r.overall),
        period: |p| fcr(&p.kpis),
        tile: Some("First contact resolution"),
    },
    Headline {
        id: "csat",
        name: "CSAT",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/csat/rate",
        period_path: "/kpis/csat/rate",
        overall: |r| csat(&r.overall),
        period: |p| csat(&p.kpis),
        tile: Some("CSAT"),
    },
    Headline {
        id: "sla_first_reply",
        name: "SLA first reply",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/sla/first_reply/attainment",
        period_path: "/kpis/sla/first_reply/attainment",
        overall: |r| sla_first_reply(&r.overall),
        period: |p| sla_first_reply(&p.kpis),
        tile: Some("SLA first reply"),
    },
    // A period's own `kpis.backlog` holds only the tickets created in it; the backlog a lead
    // watches is everything open at the period's end.
    Headline {
        id: "backlog",
        name: "Backlog (at end)",
        unit: Unit::Count,
        better: Better::Lower,
        overall_path: "/overall/backlog/open",
        period_path: "/backlog_at_end",
        overall: |r| r.overall.backlog.as_ref().map(|b| b.open as f64),
        period: |p| p.backlog_at_end.map(|n| n as f64),
        tile: Some("Backlog"),
    },
];

/// The latest period against the one before.
pub struct Change<'r> {
    pub latest: &'r PeriodBlock,
    pub previous: &'r PeriodBlock,
    pub latest_value: Option<f64>,
    pub previous_value: Option<f64>,
}

impl Change<'_> {
    /// Latest minus previous; `None` when either is not computable.
    pub fn delta(&self) -> Option<f64> {
        Some(self.latest_value? - self.previous_value?)
    }
}

/// `None` unless the report has two periods or more.
pub fn change<'r>(report: &'r Report, kpi: &Headline) -> Option<Change<'r>> {
    let [.., previous, latest] = report.periods.as_slice() else {
        return None;
    };
    Some(Change {
        latest,
        previous,
        latest_value: (kpi.period)(latest),
        previous_value: (kpi.period)(previous),
    })
}

/// Whether a change is an improvement, in words (colour alone would not tell everyone).
pub fn verdict(delta: f64, better: Better) -> Option<&'static str> {
    match better {
        _ if delta == 0.0 => None,
        Better::Neither => None,
        Better::Higher if delta > 0.0 => Some("better"),
        Better::Lower if delta < 0.0 => Some("better"),
        _ => Some("worse"),
    }
}

/// Up, down or level.
pub fn arrow(delta: f64) -> char {
    if delta > 0.0 {
        '↑'
    } else if delta < 0.0 {
        '↓'
    } else {
        '→'
    }
}

/// A value as the tables show it.
pub fn format_value(value: Option<f64>, unit: Unit) -> String {
    match (value, unit) {
        (None, _) => "n/a".to_owned(),
        // Counts come from u64 and are whole.
        (Some(v), Unit::Count) => count(v.max(0.0) as u64),
        (Some(v), Unit::Duration) => duration(v),
        (Some(v), Unit::Rate) => percent(Some(v)),
    }
}

/// A change with its sign: `+5`, `-12m 3s`, `+2.1 pts` (rates change in percentage points).
pub fn format_delta(delta: f64, unit: Unit) -> String {
    let sign = if delta < 0.0 { "-" } else { "+" };
    let size = delta.abs();
    match unit {
        Unit::Count => format!("{sign}{}", count(size.round() as u64)),
        Unit::Duration => format!("{sign}{}", duration(size)),
        Unit::Rate => format!("{sign}{:.1} pts", size * 100.0),
    }
}

/// A period's name, marked when it ends after `as_of` (its figures are not final, and a
/// short week compared with a full one is no trend).
pub fn period_label(report: &Report, period: &PeriodBlock) -> String {
    if is_partial(report, period) {
        format!("{} (partial)", period.period)
    } else {
        period.period.clone()
    }
}

/// Both are RFC 3339 UTC strings written the same way, so they compare as text.
pub fn is_partial(report: &Report, period: &PeriodBlock) -> bool {
    report
        .as_of
        .as_deref()
        .is_some_and(|as_of| period.end.as_str() > as_of)
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One block per value, scaled between the smallest and largest; `·` where a value is not
/// computable, so that a gap reads as a gap rather than as a low.
pub fn sparkline(values: &[Option<f64>]) -> String {
    let known = values.iter().flatten().copied();
    let (low, high) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    values
        .iter()
        .map(|value| match value {
            None => '·',
            // All equal: a level line at mid height.
            Some(_) if high <= low => SPARKS[3],
            Some(v) => {
                let step = ((v - low) / (high - low) * (SPARKS.len() - 1) as f64).round();
                SPARKS[(step as usize).min(SPARKS.len() - 1)]
            }
        })
        .collect()
}

/// At 80 columns the sparkline has room for this many periods; older ones are left out.
const MAX_SPARK: usize = 24;

/// The trend section: for each headline KPI, its sparkline over the periods, the latest
/// period's value and its change against the one before. `None` with fewer than two periods.
pub fn section(report: &Report) -> Option<Section> {
    if report.periods.len() < 2 {
        return None;
    }
    let shown = &report.periods[report.periods.len().saturating_sub(MAX_SPARK)..];
    let rows = HEADLINES
        .iter()
        .map(|kpi| {
            let series: Vec<Option<f64>> = shown.iter().map(|p| (kpi.period)(p)).collect();
            let change = change(report, kpi);
            let latest = change.as_ref().and_then(|c| c.latest_value);
            let delta = change.as_ref().and_then(Change::delta).map_or_else(
                || "n/a".to_owned(),
                |delta| {
                    let mut text = format!("{} {}", arrow(delta), format_delta(delta, kpi.unit));
                    if let Some(word) = verdict(delta, kpi.better) {
                        text.push_str(", ");
                        text.push_str(word);
                    }
                    text
                },
            );
            vec![
                kpi.name.to_owned(),
                sparkline(&series),
                format_value(latest, kpi.unit),
                delta,
            ]
        })
        .collect();
    let unit = report.period.as_deref().unwrap_or("period");
    let names = match report.periods.as_slice() {
        [.., previous, latest] => {
            format!("{} vs {}", period_label(report, latest), previous.period)
        }
        _ => String::new(),
    };
    let older = if shown.len() < report.periods.len() {
        format!(", last {} shown", shown.len())
    } else {
        String::new()
    };
    Some(Section {
        title: format!("Trend by {unit} (change: {names}{older})"),
        headers: vec![
            "KPI".into(),
            "Trend".into(),
            "Latest".into(),
            "Change".into(),
        ],
        rows,
        figures: vec![false, false, true, false],
    })
}

/// Writes the trend section as a table (nothing with fewer than two periods).
pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let Some(section) = section(report) else {
        return Ok(());
    };
    let title = if style.color {
        format!("\x1b[1m{}\x1b[0m", section.title)
    } else {
        section.title.clone()
    };
    writeln!(out, "{title}")?;
    super::table::write_table(&super::table::render(&section, style), out)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_between_min_and_max_and_marks_gaps() {
        assert_eq!(sparkline(&[Some(1.0), Some(8.0), None]), "▁█·");
        assert_eq!(sparkline(&[Some(0.0), Some(0.5), Some(1.0)]), "▁▅█");
        assert_eq!(sparkline(&[Some(3.0), Some(3.0)]), "▄▄");
        assert_eq!(sparkline(&[None, None]), "··");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn deltas_keep_their_sign_and_unit() {
        assert_eq!(format_delta(5.0, Unit::Count), "+5");
        assert_eq!(format_delta(-723.0, Unit::Duration), "-12m 3s");
        assert_eq!(format_delta(0.021, Unit::Rate), "+2.1 pts");
        assert_eq!(format_delta(0.0, Unit::Rate), "+0.0 pts");
    }

    #[test]
    fn verdicts_follow_the_kpis_direction() {
        assert_eq!(verdict(-60.0, Better::Lower), Some("better"));
        assert_eq!(verdict(60.0, Better::Lower), Some("worse"));
        assert_eq!(verdict(0.1, Better::Higher), Some("better"));
        assert_eq!(verdict(5.0, Better::Neither), None);
        assert_eq!(verdict(0.0, Better::Higher), None);
        assert_eq!(arrow(0.0), '→');
    }
}
