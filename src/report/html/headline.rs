//! The headline: one tile per computable headline KPI (its value, what it is made of, the
//! change of the last complete period and a sparkline), and one line naming the KPIs this
//! input cannot support.

use maud::{Markup, html};

use super::super::Report;
use super::super::text::{count, duration};
use super::super::trend::{self, HEADLINES, Headline, HeadlineId, Unit};
use super::charts::{self, datum};
use super::definition;
use super::definitions::{self, Definition};

fn headline_lead(report: &Report) -> String {
    let unit = report.period.as_deref().unwrap_or("period");
    if report.periods.len() < 2 {
        return "The whole report. With --period (two periods or more) each tile also shows the \
                change of the last complete period against the one before."
            .to_owned();
    }
    let Some((latest, previous)) = trend::compared(report) else {
        return format!(
            "The whole report. A change compares two consecutive complete {unit}s, and this \
             report has none yet: a partial {unit} (the one as-of falls in, or the one the data \
             starts in) is never compared."
        );
    };
    let mut lead = format!(
        "The whole report, and below each figure its last complete {unit}, {}, against {}.",
        report.periods[latest].period, report.periods[previous].period
    );
    let partial = trend::partial_after(report);
    if !partial.is_empty() {
        lead.push_str(&format!(
            " {} is partial (as-of falls in it) and not compared.",
            partial.join(", ")
        ));
    }
    lead
}

/// A baseline the tiles are compared with (`--baseline`): what it is, and the overall value
/// of each headline KPI in it, by headline id.
pub struct Compared {
    pub label: String,
    pub previous: Vec<(HeadlineId, Option<f64>)>,
}

pub fn headline(report: &Report, baseline: Option<&Compared>) -> Markup {
    let (tiles, unknown): (Vec<&Headline>, Vec<&Headline>) = HEADLINES
        .iter()
        .filter(|kpi| kpi.tile.is_some())
        .partition(|kpi| (kpi.overall)(report).is_some());
    // Without a compared pair the lead already says why.
    let notes = if trend::compared(report).is_some() {
        trend::not_comparable_notes(report)
    } else {
        Vec::new()
    };
    let not_comparable = tiles.iter().any(|kpi| {
        report.periods.len() >= 2
            && trend::change(report, kpi).is_none_or(|c| c.settles_at.is_some())
    });
    html! {
        section #headline aria-labelledby="headline-title" {
            h2 #headline-title { "Headline" }
            p.lead { (headline_lead(report)) }
            div.tiles {
                @for kpi in &tiles {
                    @if let Some(value) = (kpi.overall)(report) {
                        (tile(report, kpi, kpi.tile.unwrap_or(kpi.name), value, baseline))
                    }
                }
            }
            @if !unknown.is_empty() {
                // A tile would hold nothing but "n/a": one line names them all instead.
                p.na #not-computable {
                    "Not computable from this input: "
                    @for (k, kpi) in unknown.iter().enumerate() {
                        @if k > 0 { ", " }
                        span data-json=(kpi.overall_path) data-value="null" data-kpi=(kpi.id.as_str()) {
                            (kpi.tile.unwrap_or(kpi.name))
                        }
                        @if let Some(why) = why_not(report, kpi.id) { " (" (why) ")" }
                    }
                    ". " code { "ticketkpi inspect" } " tells what the export lacks."
                }
            }
            @if not_comparable {
                @for note in &notes { p.note { (note) } }
            }
            @if report.periods.len() >= 2 {
                (definition(&definitions::CHANGE))
            }
        }
    }
}

/// Why a headline KPI is null: the report's availability reason, else (a computable KPI with
/// nothing to measure) what is missing.
pub fn why_not(report: &Report, id: HeadlineId) -> Option<&str> {
    let kpi = id.kpi()?;
    report.why_not(kpi.key()).or(match id {
        HeadlineId::Csat => Some("no ticket has a rating"),
        _ => None,
    })
}

fn format_value(value: f64, unit: Unit) -> String {
    trend::format_value(Some(value), unit)
}

/// The line under a tile's sparkline: the last complete period's value and its change.
fn tile_change(report: &Report, kpi: &Headline) -> Markup {
    let Some(change) = trend::change(report, kpi) else {
        return html! { p.change { (trend::NOT_COMPARABLE) ": no two complete periods" } };
    };
    let latest_path = format!("/periods/{}{}", change.latest_index, kpi.period_path);
    let previous_path = format!("/periods/{}{}", change.previous_index, kpi.period_path);
    html! {
        p.change {
            (change.latest.period) ": "
            span data-json=(latest_path) data-value=(datum(change.latest_value)) {
                (trend::format_value(change.latest_value, kpi.unit))
            }
            @match (&change.settles_at, change.delta()) {
                (Some(at), _) => {
                    " · " span.delta.level { (trend::NOT_COMPARABLE) }
                    " (until " (trend::readable_instant(at)) ")"
                }
                (None, Some(delta)) => {
                    @let verdict = trend::verdict(delta, kpi.better);
                    " "
                    span class=(format!("delta {}", verdict.unwrap_or("level")))
                        data-delta=(datum(Some(delta)))
                        data-json-latest=(latest_path)
                        data-json-previous=(previous_path)
                        data-value-previous=(datum(change.previous_value)) {
                        (trend::arrow(delta)) " " (trend::format_delta(delta, kpi.unit))
                    }
                    " vs " (change.previous.period)
                    @if let Some(word) = verdict { " (" (word) ")" }
                }
                (None, None) => {
                    " · change n/a vs " (change.previous.period)
                }
            }
        }
    }
}

/// The line of a tile that compares it with the baseline.
fn baseline_change(kpi: &Headline, value: f64, baseline: &Compared) -> Markup {
    let before = baseline
        .previous
        .iter()
        .find(|(id, _)| *id == kpi.id)
        .and_then(|(_, value)| *value);
    html! {
        p.change.baseline {
            "Baseline: " (trend::format_value(before, kpi.unit))
            @if let Some(before) = before {
                @let delta = value - before;
                @let verdict = trend::verdict(delta, kpi.better);
                " " span class=(format!("delta {}", verdict.unwrap_or("level"))) {
                    (trend::arrow(delta)) " " (trend::format_delta(delta, kpi.unit))
                }
                @if let Some(word) = verdict { " (" (word) ")" }
            }
            " · " (baseline.label)
        }
    }
}

/// A headline KPI's tile; KPIs that are null have none (the headline names them in a line).
fn tile(
    report: &Report,
    kpi: &Headline,
    title: &str,
    value: f64,
    baseline: Option<&Compared>,
) -> Markup {
    let id = format!("tile-{}", kpi.id.as_str());
    let series: Vec<Option<f64>> = report.periods.iter().map(|p| (kpi.period)(p)).collect();
    let paths: Vec<String> = (0..report.periods.len())
        .map(|i| format!("/periods/{i}{}", kpi.period_path))
        .collect();
    html! {
        article.tile aria-labelledby=(id) data-kpi=(kpi.id.as_str()) {
            h3 id=(id) { (title) }
            p.value data-json=(kpi.overall_path) data-value=(datum(Some(value))) { (format_value(value, kpi.unit)) }
            @if let Some(detail) = tile_detail(report, kpi.id) {
                p.detail { (detail) }
            }
            @if let Some(baseline) = baseline {
                (baseline_change(kpi, value, baseline))
            }
            @if report.periods.len() >= 2 {
                (tile_change(report, kpi))
                (charts::sparkline(&format!("spark-{}", kpi.id.as_str()), kpi.name, &series, &paths,
                    &report.periods.iter().map(|p| p.complete).collect::<Vec<_>>()))
                @if let (Some(first), Some(last)) = (report.periods.first(), report.periods.last()) {
                    p.spark-span aria-hidden="true" {
                        span { (trend::period_label(first)) } span { (trend::period_label(last)) }
                    }
                }
            }
            (definition(tile_definition(kpi.id)))
        }
    }
}

fn tile_definition(id: HeadlineId) -> &'static Definition {
    match id {
        HeadlineId::Tickets => &definitions::TICKETS,
        HeadlineId::FrtMedian | HeadlineId::FrtP90 => &definitions::FIRST_RESPONSE,
        HeadlineId::ResolutionMedian => &definitions::RESOLUTION_TIME,
        HeadlineId::Fcr => &definitions::FCR,
        HeadlineId::Csat => &definitions::CSAT,
        HeadlineId::SlaFirstReply => &definitions::SLA,
        HeadlineId::Backlog => &definitions::BACKLOG,
    }
}

/// The line under a tile's value: what it is made of (the KPIs without a tile have none).
fn tile_detail(report: &Report, id: HeadlineId) -> Option<Markup> {
    let kpis = &report.overall;
    match id {
        HeadlineId::Tickets => Some(html! {
            span data-json="/overall/volume/inbound" data-value=(kpis.volume.inbound) { (count(kpis.volume.inbound)) }
            " inbound, "
            span data-json="/overall/volume/outbound" data-value=(kpis.volume.outbound) { (count(kpis.volume.outbound)) }
            " outbound"
        }),
        HeadlineId::FrtMedian => kpis.first_response.as_ref().map(|frt| {
            let business = kpis.first_response_business.as_ref().and_then(|s| s.median);
            html! {
                "p90 "
                span data-json="/overall/first_response/p90" data-value=(datum(frt.summary.p90)) {
                    (frt.summary.p90.map_or_else(|| "n/a".to_owned(), duration))
                }
                ", n=" (count(frt.summary.count)) ", " (count(frt.unanswered)) " unanswered"
                @if let Some(b) = business {
                    br;
                    "in business hours: "
                    span data-json="/overall/first_response_business/median" data-value=(datum(Some(b))) { (duration(b)) }
                }
            }
        }),
        HeadlineId::Fcr => kpis.fcr.as_ref().map(|fcr| {
            html! {
                (count(fcr.first_contact)) " of " (count(fcr.eligible)) " solved with replies"
            }
        }),
        HeadlineId::Csat => kpis.csat.as_ref().map(|csat| {
            html! {
                (count(csat.satisfied)) " of " (count(csat.responses)) " satisfied (score ≥ "
                (csat.satisfied_min) ")"
            }
        }),
        HeadlineId::SlaFirstReply => kpis.sla.first_reply.as_ref().map(|t| {
            let defaults = report.sla_targets == super::super::SlaTargets::Default;
            html! {
                (count(t.met)) " met, " (count(t.breached)) " breached, " (count(t.running)) " running"
                @if defaults {
                    br;
                    span.defaults {
                        "default targets (set yours in ticketkpi.toml)"
                    }
                }
            }
        }),
        HeadlineId::Backlog => kpis.backlog.as_ref().map(|_| {
            html! {
                "open at as-of"
                @if let Some(overdue) = kpis.sla.overdue_backlog {
                    ", "
                    span data-json="/overall/sla/overdue_backlog" data-value=(overdue) { (count(overdue)) }
                    " past their resolution target"
                }
            }
        }),
        HeadlineId::FrtP90 | HeadlineId::ResolutionMedian => None,
    }
}
