//! The headline KPIs across `--period` periods: each one's series and the change of the
//! latest complete period against the one before. The trend section of the tables
//! (`view`: a sparkline and an arrow per KPI) and the HTML report's tiles read the same
//! definitions, so both show the same change.
//!
//! Like is compared with like. A partial period (the one `as_of` falls in, or the one the data
//! starts in the middle of) is never compared. And periods group tickets by creation, so a
//! KPI measured at a later event (a reply, a resolution) is not final for a period whose
//! tickets are still young: the latest complete period is compared on such a KPI only once its
//! youngest tickets are older than the KPI's 90th percentile over the whole report (by then
//! nine in ten tickets would have reached the event); before, it is "not comparable yet".

use chrono_tz::Tz;

use super::Report;
use super::text::{count, duration, percent};
use crate::metrics::KpiBlock;
use crate::metrics::availability::Kpi;
use crate::metrics::periods::PeriodBlock;
use crate::time::{Instant, MICROS_PER_SECOND, format_rfc3339, parse_timestamp};

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

/// The later event a KPI of a period waits for, for the tickets created in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waits {
    /// Nothing: a count by creation, or a state at the period's end.
    Nothing,
    /// The first reply (FRT, first-reply SLA).
    FirstReply,
    /// The resolution (resolution time; FCR and CSAT, which come with or after it).
    Resolution,
}

/// Which headline KPI: what the HTML report matches its tiles on (definition, detail line,
/// why it is null), so that a new headline is a compile error until each has its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadlineId {
    Tickets,
    FrtMedian,
    FrtP90,
    ResolutionMedian,
    Fcr,
    Csat,
    SlaFirstReply,
    Backlog,
}

impl HeadlineId {
    /// Its name in the HTML (`data-kpi`, element ids).
    pub fn as_str(self) -> &'static str {
        match self {
            HeadlineId::Tickets => "tickets",
            HeadlineId::FrtMedian => "frt_median",
            HeadlineId::FrtP90 => "frt_p90",
            HeadlineId::ResolutionMedian => "resolution_median",
            HeadlineId::Fcr => "fcr",
            HeadlineId::Csat => "csat",
            HeadlineId::SlaFirstReply => "sla_first_reply",
            HeadlineId::Backlog => "backlog",
        }
    }

    /// The KPI whose availability it follows; `None` for the ticket count, always known.
    pub fn kpi(self) -> Option<Kpi> {
        match self {
            HeadlineId::Tickets => None,
            HeadlineId::FrtMedian | HeadlineId::FrtP90 => Some(Kpi::FirstResponse),
            HeadlineId::ResolutionMedian => Some(Kpi::ResolutionTime),
            HeadlineId::Fcr => Some(Kpi::Fcr),
            HeadlineId::Csat => Some(Kpi::Csat),
            HeadlineId::SlaFirstReply => Some(Kpi::SlaFirstReply),
            HeadlineId::Backlog => Some(Kpi::Backlog),
        }
    }
}

/// A headline KPI: how to read it from the overall block and from a period, and where it sits
/// in the JSON report (JSON Pointers, so that the HTML can name the number it draws).
pub struct Headline {
    pub id: HeadlineId,
    pub name: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Pointer of the overall value.
    pub overall_path: &'static str,
    /// Pointer of the value within one element of `/periods`.
    pub period_path: &'static str,
    pub overall: fn(&Report) -> Option<f64>,
    pub period: fn(&PeriodBlock) -> Option<f64>,
    pub waits: Waits,
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
        id: HeadlineId::Tickets,
        name: "Tickets",
        unit: Unit::Count,
        better: Better::Neither,
        overall_path: "/overall/tickets",
        period_path: "/kpis/tickets",
        overall: |r| Some(r.overall.tickets as f64),
        period: |p| Some(p.kpis.tickets as f64),
        waits: Waits::Nothing,
        tile: Some("Tickets"),
    },
    Headline {
        id: HeadlineId::FrtMedian,
        name: "First response (median)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/first_response/median",
        period_path: "/kpis/first_response/median",
        overall: |r| frt_median(&r.overall),
        period: |p| frt_median(&p.kpis),
        waits: Waits::FirstReply,
        tile: Some("First response (median)"),
    },
    Headline {
        id: HeadlineId::FrtP90,
        name: "First response (p90)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/first_response/p90",
        period_path: "/kpis/first_response/p90",
        overall: |r| frt_p90(&r.overall),
        period: |p| frt_p90(&p.kpis),
        waits: Waits::FirstReply,
        tile: None,
    },
    Headline {
        id: HeadlineId::ResolutionMedian,
        name: "Resolution time (median)",
        unit: Unit::Duration,
        better: Better::Lower,
        overall_path: "/overall/resolution_time/median",
        period_path: "/kpis/resolution_time/median",
        overall: |r| resolution_median(&r.overall),
        period: |p| resolution_median(&p.kpis),
        waits: Waits::Resolution,
        tile: None,
    },
    Headline {
        id: HeadlineId::Fcr,
        name: "First contact resolution",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/fcr/rate",
        period_path: "/kpis/fcr/rate",
        overall: |r| fcr(&r.overall),
        period: |p| fcr(&p.kpis),
        waits: Waits::Resolution,
        tile: Some("First contact resolution"),
    },
    Headline {
        id: HeadlineId::Csat,
        name: "CSAT",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/csat/rate",
        period_path: "/kpis/csat/rate",
        overall: |r| csat(&r.overall),
        period: |p| csat(&p.kpis),
        waits: Waits::Resolution,
        tile: Some("CSAT"),
    },
    Headline {
        id: HeadlineId::SlaFirstReply,
        name: "SLA first reply",
        unit: Unit::Rate,
        better: Better::Higher,
        overall_path: "/overall/sla/first_reply/attainment",
        period_path: "/kpis/sla/first_reply/attainment",
        overall: |r| sla_first_reply(&r.overall),
        period: |p| sla_first_reply(&p.kpis),
        waits: Waits::FirstReply,
        tile: Some("SLA first reply"),
    },
    // A period's own `kpis.backlog` holds only the tickets created in it; the backlog a lead
    // watches is everything open at the period's end.
    Headline {
        id: HeadlineId::Backlog,
        name: "Backlog (at end)",
        unit: Unit::Count,
        better: Better::Lower,
        overall_path: "/overall/backlog/open",
        period_path: "/backlog_at_end",
        overall: |r| r.overall.backlog.as_ref().map(|b| b.open as f64),
        period: |p| p.backlog_at_end.map(|n| n as f64),
        waits: Waits::Nothing,
        tile: Some("Backlog"),
    },
];

/// The latest complete period against the one before it, for one KPI.
pub struct Change<'r> {
    pub latest: &'r PeriodBlock,
    pub previous: &'r PeriodBlock,
    /// Their places in `/periods`.
    pub latest_index: usize,
    pub previous_index: usize,
    pub latest_value: Option<f64>,
    pub previous_value: Option<f64>,
    /// When the latest period's tickets are still too young for this KPI: the instant they
    /// are old enough (RFC 3339, UTC).
    pub settles_at: Option<String>,
}

impl Change<'_> {
    /// Latest minus previous; `None` when either is not computable or the latest is not
    /// settled yet.
    pub fn delta(&self) -> Option<f64> {
        if self.settles_at.is_some() {
            return None;
        }
        Some(self.latest_value? - self.previous_value?)
    }
}

/// The latest complete period and the one before it, when both are complete: the two a
/// change compares.
pub fn compared(report: &Report) -> Option<(usize, usize)> {
    let latest = report.periods.iter().rposition(|p| p.complete)?;
    let previous = latest.checked_sub(1)?;
    report.periods[previous]
        .complete
        .then_some((latest, previous))
}

/// `None` unless the report has two consecutive complete periods.
pub fn change<'r>(report: &'r Report, kpi: &Headline) -> Option<Change<'r>> {
    let (latest_index, previous_index) = compared(report)?;
    let latest = &report.periods[latest_index];
    let previous = &report.periods[previous_index];
    Some(Change {
        latest,
        previous,
        latest_index,
        previous_index,
        latest_value: (kpi.period)(latest),
        previous_value: (kpi.period)(previous),
        settles_at: settles_at(report, latest, kpi.waits).map(format_rfc3339),
    })
}

/// The 90th percentile over the whole report of the time a KPI waits for: how old a period's
/// tickets must be for its figure to be (nearly) final.
pub fn horizon(report: &Report, waits: Waits) -> Option<f64> {
    let overall = &report.overall;
    match waits {
        Waits::Nothing => None,
        Waits::FirstReply => overall.first_response.as_ref().and_then(|f| f.summary.p90),
        Waits::Resolution => overall.resolution_time.as_ref().and_then(|s| s.p90),
    }
}

fn instant(text: &str) -> Option<Instant> {
    parse_timestamp(text, Tz::UTC).ok()
}

/// When a period's youngest tickets become older than the KPI's horizon, if that is after
/// `as_of`; `None` when the figure is settled (or waits for nothing).
fn settles_at(report: &Report, period: &PeriodBlock, waits: Waits) -> Option<Instant> {
    let horizon = horizon(report, waits)?;
    let end = instant(&period.end)?;
    let as_of = instant(report.as_of.as_deref()?)?;
    let settled = end.checked_add((horizon * MICROS_PER_SECOND as f64).ceil() as i64)?;
    (settled > as_of).then_some(settled)
}

/// `2026-04-02 11:00 UTC`: when a figure settles, to the minute.
pub fn readable_instant(rfc3339: &str) -> String {
    let minute = rfc3339.get(..16).unwrap_or(rfc3339);
    format!("{} UTC", minute.replace('T', " "))
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

/// A period's name, marked when the input does not cover all of it (its figures are not
/// final, and a short week compared with a full one is no trend).
pub fn period_label(period: &PeriodBlock) -> String {
    if period.complete {
        period.period.clone()
    } else {
        format!("{} (partial)", period.period)
    }
}

/// Whether a period ends after `as_of`, so that its backlog at end is the one at `as_of`.
/// Both are RFC 3339 UTC strings written the same way, so they compare as text.
pub fn ends_after_as_of(report: &Report, period: &PeriodBlock) -> bool {
    report
        .as_of
        .as_deref()
        .is_some_and(|as_of| period.end.as_str() > as_of)
}

/// The periods a change leaves out for being partial, after the compared ones: the ones
/// `as_of` is in. Named in the trend's title and the tiles' lead.
pub fn partial_after(report: &Report) -> Vec<&str> {
    let from = compared(report).map_or(0, |(latest, _)| latest + 1);
    report.periods[from..]
        .iter()
        .filter(|p| !p.complete)
        .map(|p| p.period.as_str())
        .collect()
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

pub const NOT_COMPARABLE: &str = "not comparable yet";

/// Why the KPIs marked "not comparable yet" are: the latest compared period's tickets are
/// younger than their horizon, or there are no two complete periods.
pub fn not_comparable_notes(report: &Report) -> Vec<String> {
    let unit = report.period.as_deref().unwrap_or("period");
    let Some((latest, _)) = compared(report) else {
        return vec![format!(
            "Not comparable yet: a change needs two consecutive complete {unit}s; a partial \
             {unit} (the one as-of falls in, or the data starts in) is never compared."
        )];
    };
    let period = &report.periods[latest];
    let mut notes = Vec::new();
    for waits in [Waits::FirstReply, Waits::Resolution] {
        let Some(at) = settles_at(report, period, waits) else {
            continue;
        };
        let (kpis, clock) = match waits {
            Waits::FirstReply => ("first response and SLA first reply", "first response"),
            _ => ("resolution time, FCR and CSAT", "resolution"),
        };
        notes.push(format!(
            "Not comparable yet: {kpis} of {} until {}, when its newest tickets are older \
             than the p90 {clock} time ({}).",
            period.period,
            readable_instant(&format_rfc3339(at)),
            horizon(report, waits).map_or_else(|| "n/a".to_owned(), duration),
        ));
    }
    notes
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
    fn settling_instants_read_to_the_minute() {
        assert_eq!(
            readable_instant("2026-04-03T03:47:12Z"),
            "2026-04-03 03:47 UTC"
        );
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

    #[test]
    fn each_headline_follows_the_availability_of_the_kpi_it_reads() {
        let mut names: Vec<&str> = HEADLINES.iter().map(|h| h.id.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), HEADLINES.len(), "one name per headline");
        for headline in &HEADLINES {
            let read = match headline.id.kpi() {
                Some(kpi) => format!("/overall/{}/", kpi.key().replace('.', "/")),
                None => "/overall/tickets".to_owned(),
            };
            assert!(
                headline.overall_path.starts_with(&read),
                "{} reads {} but follows {read}",
                headline.id.as_str(),
                headline.overall_path
            );
        }
    }
}
