//! `--format html`: one self-contained page (inline CSS and SVG; no script, font or request)
//! drawn from the `Report` alone, so that every number on it is the JSON report's.
//!
//! Marks and figures that stand for a number carry `data-json` (its JSON Pointer in the JSON
//! report) and `data-value`; tests/html.rs reads them back and compares.

mod charts;
mod definitions;

use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Report;
use super::text::{count, duration, percent, sanitize};
use super::trend::{self, HEADLINES, Headline, Unit};
use super::view::footer;
use charts::tickets;
use charts::{NOT_COMPUTABLE, datum};
use definitions::Definition;

const STYLE: &str = include_str!("html/report.css");

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(page(report).into_string().as_bytes())?;
    writeln!(out)
}

fn page(report: &Report) -> Markup {
    let title = match report.as_of.as_deref() {
        Some(at) => format!("Support KPIs as of {}", readable_time(at)),
        None => "Support KPIs".to_owned(),
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("{} {}", report.tool.name, report.tool.version));
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (title) }
                    p.meta { (meta_line(report)) }
                }
                main {
                    (headline(report))
                    (frt_by_group(report))
                    (distributions(report))
                    (backlog(report))
                    (sla(report))
                    (csat(report))
                    (data_quality(report))
                    (glossary())
                }
                footer {
                    @for line in footer(report) {
                        p { (line) }
                    }
                    p { "Made by " (report.tool.name) " " (report.tool.version) " from the same report as "
                        code { "--format json" } " (schema version " (report.schema_version) ")." }
                }
            }
        }
    }
}

/// `2026-03-31T23:59:59Z` as `2026-03-31 23:59:59 UTC`.
fn readable_time(at: &str) -> String {
    at.replace('T', " ").replace('Z', " UTC")
}

fn meta_line(report: &Report) -> String {
    let input = &report.input;
    let files = match input.files.as_slice() {
        [one] => sanitize(one),
        many => format!("{} files", many.len()),
    };
    let mut parts = vec![
        files,
        tickets(input.tickets),
        format!("time zone {}", report.tz),
    ];
    if let Some(period) = &report.period {
        parts.push(format!("by {period}"));
    }
    if let Some(config) = &report.config {
        parts.push(format!("settings from {}", sanitize(config)));
    }
    parts.join(" · ")
}

fn definition(def: &Definition) -> Markup {
    html! {
        details.definition {
            summary { "Definition: " (def.name) }
            p { strong { (def.name) } ": " (def.text) }
        }
    }
}

fn legend(items: &[(&str, &str)]) -> Markup {
    html! {
        ul.legend aria-hidden="true" {
            @for (class, label) in items {
                li { span class=(format!("swatch {class}")) {} (label) }
            }
        }
    }
}

/// Every definition at once, for paper (on screen each is one click away, by its number).
fn glossary() -> Markup {
    html! {
        section #definitions.print-only aria-labelledby="definitions-title" {
            h2 #definitions-title { "Definitions" }
            dl.glossary {
                @for def in definitions::ALL {
                    dt { (def.name) }
                    dd { (def.text) }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Headline tiles

fn headline(report: &Report) -> Markup {
    let lead = match report.periods.as_slice() {
        [.., previous, latest] => format!(
            "The whole report, and below each figure its latest {}, {}, against {}.",
            report.period.as_deref().unwrap_or("period"),
            trend::period_label(report, latest),
            previous.period
        ),
        _ => "The whole report. With --period (two periods or more) each tile also shows the \
              change of the latest period against the one before."
            .to_owned(),
    };
    html! {
        section #headline aria-labelledby="headline-title" {
            h2 #headline-title { "Headline" }
            p.lead { (lead) }
            div.tiles {
                @for kpi in &HEADLINES {
                    @if let Some(title) = kpi.tile {
                        (tile(report, kpi, title))
                    }
                }
            }
            @if report.periods.len() >= 2 {
                (definition(&definitions::CHANGE))
            }
        }
    }
}

fn format_value(value: f64, unit: Unit) -> String {
    trend::format_value(Some(value), unit)
}

fn tile(report: &Report, kpi: &Headline, title: &str) -> Markup {
    let value = (kpi.overall)(report);
    let id = format!("tile-{}", kpi.id);
    let change = trend::change(report, kpi);
    let series: Vec<Option<f64>> = report.periods.iter().map(|p| (kpi.period)(p)).collect();
    let paths: Vec<String> = (0..report.periods.len())
        .map(|i| format!("/periods/{i}{}", kpi.period_path))
        .collect();
    html! {
        article.tile aria-labelledby=(id) data-kpi=(kpi.id) {
            h3 id=(id) { (title) }
            @match value {
                Some(v) => {
                    p.value data-json=(kpi.overall_path) data-value=(datum(Some(v))) { (format_value(v, kpi.unit)) }
                }
                None => {
                    p.value.na data-json=(kpi.overall_path) data-value="null" { (NOT_COMPUTABLE) }
                }
            }
            @if let Some(detail) = tile_detail(report, kpi.id) {
                p.detail { (detail) }
            }
            @if let Some(change) = change {
                @let latest_index = report.periods.len() - 1;
                p.change {
                    (trend::period_label(report, change.latest)) ": "
                    span data-json=(format!("/periods/{latest_index}{}", kpi.period_path))
                        data-value=(datum(change.latest_value)) {
                        (trend::format_value(change.latest_value, kpi.unit))
                    }
                    @match change.delta() {
                        Some(delta) => {
                            @let verdict = trend::verdict(delta, kpi.better);
                            " "
                            span class=(format!("delta {}", verdict.unwrap_or("level")))
                                data-delta=(datum(Some(delta)))
                                data-json-latest=(format!("/periods/{latest_index}{}", kpi.period_path))
                                data-json-previous=(format!("/periods/{}{}", latest_index - 1, kpi.period_path))
                                data-value-previous=(datum(change.previous_value)) {
                                (trend::arrow(delta)) " " (trend::format_delta(delta, kpi.unit))
                            }
                            " vs " (change.previous.period)
                            @if let Some(word) = verdict { " (" (word) ")" }
                        }
                        None => {
                            " · change n/a vs " (change.previous.period)
                        }
                    }
                }
                (charts::sparkline(&format!("spark-{}", kpi.id), kpi.name, &series, &paths))
                @if let (Some(first), Some(last)) = (report.periods.first(), report.periods.last()) {
                    p.spark-span aria-hidden="true" { span { (first.period) } span { (last.period) } }
                }
            }
            (definition(tile_definition(kpi.id)))
        }
    }
}

fn tile_definition(id: &str) -> &'static Definition {
    match id {
        "frt_median" | "frt_p90" => &definitions::FIRST_RESPONSE,
        "resolution_median" => &definitions::RESOLUTION_TIME,
        "fcr" => &definitions::FCR,
        "csat" => &definitions::CSAT,
        "sla_first_reply" => &definitions::SLA,
        "backlog" => &definitions::BACKLOG,
        _ => &definitions::TICKETS,
    }
}

/// The line under a tile's value: what it is made of.
fn tile_detail(report: &Report, id: &str) -> Option<Markup> {
    let kpis = &report.overall;
    match id {
        "tickets" => Some(html! {
            span data-json="/overall/volume/inbound" data-value=(kpis.volume.inbound) { (count(kpis.volume.inbound)) }
            " inbound, "
            span data-json="/overall/volume/outbound" data-value=(kpis.volume.outbound) { (count(kpis.volume.outbound)) }
            " outbound"
        }),
        "frt_median" => kpis.first_response.as_ref().map(|frt| {
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
        "fcr" => kpis.fcr.as_ref().map(|fcr| {
            html! {
                (count(fcr.first_contact)) " of " (count(fcr.eligible)) " solved with replies"
            }
        }),
        "csat" => kpis.csat.as_ref().map(|csat| {
            html! {
                (count(csat.satisfied)) " of " (count(csat.responses)) " satisfied (score ≥ "
                (csat.satisfied_min) ")"
            }
        }),
        "sla_first_reply" => kpis.sla.first_reply.as_ref().map(|t| {
            html! {
                (count(t.met)) " met, " (count(t.breached)) " breached, " (count(t.running)) " running"
            }
        }),
        "backlog" => kpis.backlog.as_ref().map(|_| {
            html! {
                "open at as-of"
                @if let Some(overdue) = kpis.sla.overdue_backlog {
                    ", "
                    span data-json="/overall/sla/overdue_backlog" data-value=(overdue) { (count(overdue)) }
                    " past their resolution target"
                }
            }
        }),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Chart sections

fn frt_by_group(report: &Report) -> Markup {
    let by = if report.group_by.is_empty() {
        "group".to_owned()
    } else {
        report.group_by.join(" and ")
    };
    html! {
        section #frt-by-group aria-labelledby="frt-by-group-title" {
            h2 #frt-by-group-title { "First response time by " (by) }
            p.lead { "Median and 90th percentile per " (by) ", on a logarithmic time axis: \
                      half of the answered tickets waited less than the median, nine in ten less than the p90." }
            (legend(&[("c-median", "median"), ("c-p90", "p90")]))
            (charts::frt_by_group(report))
            (definition(&definitions::FIRST_RESPONSE))
            details.numbers {
                summary { "The numbers" }
                table {
                    thead { tr {
                        th scope="col" { (by) }
                        th.num scope="col" { "Tickets" } th.num scope="col" { "Answered" }
                        th.num scope="col" { "FRT median" } th.num scope="col" { "FRT p90" }
                    } }
                    tbody {
                        @for group in &report.groups {
                            @let frt = group.kpis.first_response.as_ref();
                            tr {
                                td { (report.group_by.iter().map(|d| sanitize(&group.label(d))).collect::<Vec<_>>().join(" · ")) }
                                td.num { (count(group.kpis.tickets)) }
                                td.num { (frt.map_or_else(|| "n/a".to_owned(), |f| count(f.summary.count))) }
                                td.num { (frt.and_then(|f| f.summary.median).map_or_else(|| "n/a".to_owned(), duration)) }
                                td.num { (frt.and_then(|f| f.summary.p90).map_or_else(|| "n/a".to_owned(), duration)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn distributions(report: &Report) -> Markup {
    let hist = &report.histograms;
    let frt = report.overall.first_response.as_ref().map(|f| f.summary);
    let figure = |title: &str,
                  id: &str,
                  buckets: Option<&Vec<crate::metrics::distribution::Bucket>>,
                  summary: Option<crate::metrics::distribution::Summary>,
                  json: &str,
                  class: &str| {
        html! {
            figure {
                h3 { (title) }
                @match buckets {
                    Some(buckets) => { (charts::histogram(id, title, buckets, summary.as_ref(), json, class)) }
                    None => { p.na { (NOT_COMPUTABLE) } }
                }
            }
        }
    };
    html! {
        section #distributions aria-labelledby="distributions-title" {
            h2 #distributions-title { "How long it takes" }
            p.lead { "Every ticket in a bucket of time; the dashed lines mark the median and the p90." }
            (figure("First response time", "chart-hist-frt", hist.first_response.as_ref(), frt,
                "/histograms/first_response", "c-frt"))
            (figure("Resolution time", "chart-hist-resolution", hist.resolution_time.as_ref(),
                report.overall.resolution_time, "/histograms/resolution_time", "c-resolution-time"))
            (definition(&definitions::HISTOGRAM))
            (definition(&definitions::RESOLUTION_TIME))
        }
    }
}

fn backlog(report: &Report) -> Markup {
    let bars = charts::backlog_bars(report);
    let unit = report.period.as_deref().unwrap_or("period");
    let ages = ["0-1d", "1-3d", "3-7d", "7-30d", "30d+"];
    let legend_items: Vec<(&str, &str)> = charts::AGE_CLASSES.iter().copied().zip(ages).collect();
    let partial = report
        .periods
        .last()
        .is_some_and(|p| trend::is_partial(report, p));
    html! {
        section #backlog aria-labelledby="backlog-title" {
            @if report.periods.is_empty() {
                h2 #backlog-title { "Backlog by age" }
                p.lead { "Open tickets at as-of, by age. With --period: the backlog at the end of each period." }
            } @else {
                h2 #backlog-title { "Backlog at the end of each " (unit) }
                p.lead { "Tickets open at the end of each " (unit) ", by how long they had been open then." }
            }
            @if bars.iter().all(|b| b.total.is_none()) {
                p.na data-json=(bars.first().map_or("/overall/backlog", |b| b.total_path.as_str())) data-value="null" { (NOT_COMPUTABLE) }
            } @else {
                (legend(&legend_items))
                (charts::backlog(report, &bars))
                @if partial {
                    p.note { "* ends after as-of: the backlog at as-of." }
                }
            }
            (definition(&definitions::BACKLOG))
            details.numbers {
                summary { "The numbers" }
                table {
                    thead { tr {
                        th scope="col" { (if report.periods.is_empty() { "At" } else { "Period" }) }
                        th.num scope="col" { "Open" }
                        @for age in ages { th.num scope="col" { (age) } }
                    } }
                    tbody {
                        @for bar in &bars {
                            tr {
                                td { (bar.label) }
                                td.num { (bar.total.map_or_else(|| "n/a".to_owned(), count)) }
                                @for (_, n) in bar.ages.map(|a| a.labelled().to_vec()).unwrap_or_default() {
                                    td.num { (count(n)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn sla(report: &Report) -> Markup {
    let rows = charts::sla_rows(report);
    let any = rows.iter().any(|r| r.targets.iter().any(Option::is_some));
    html! {
        section #sla aria-labelledby="sla-title" {
            h2 #sla-title { "SLA attainment by policy" }
            p.lead { "Met over met and breached, per policy and target; running clocks are not counted yet." }
            @if any {
                (legend(&[("c-first-reply", "first reply"), ("c-next-reply", "next reply"), ("c-resolution", "resolution")]))
                (charts::sla(&rows))
            } @else {
                p.na { (NOT_COMPUTABLE) }
            }
            (definition(&definitions::SLA))
            details.numbers {
                summary { "The numbers" }
                table {
                    thead { tr {
                        th scope="col" { "Policy" } th scope="col" { "Target" }
                        th.num scope="col" { "Met" } th.num scope="col" { "Breached" }
                        th.num scope="col" { "Running" } th.num scope="col" { "Attainment" }
                    } }
                    tbody {
                        @for row in &rows {
                            @for (target, (_, name, _)) in row.targets.iter().zip(charts::TARGETS) {
                                @if let Some(t) = target {
                                    tr {
                                        td { (row.name) } td { (name) }
                                        td.num { (count(t.met)) } td.num { (count(t.breached)) }
                                        td.num { (count(t.running)) } td.num { (percent(t.attainment)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn csat(report: &Report) -> Markup {
    let unit = report.period.as_deref().unwrap_or("period");
    let overall = report.overall.csat.as_ref();
    html! {
        section #csat aria-labelledby="csat-title" {
            h2 #csat-title { "CSAT by " (unit) }
            @if report.periods.is_empty() {
                p.lead {
                    "Over the whole report: "
                    span data-json="/overall/csat/rate" data-value=(datum(overall.and_then(|c| c.rate))) {
                        (overall.and_then(|c| c.rate).map_or_else(|| NOT_COMPUTABLE.to_owned(), |r| percent(Some(r))))
                    }
                    ". A trend needs --period."
                }
            } @else {
                p.lead { "Share of satisfied ratings among the tickets created in each " (unit)
                    "; n is the number of ratings. A gap is a " (unit) " without ratings." }
                (charts::csat_trend(report))
                @if report.periods.last().is_some_and(|p| trend::is_partial(report, p)) {
                    p.note { "* ends after as-of." }
                }
            }
            (definition(&definitions::CSAT))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Data quality

struct Finding {
    what: String,
    path: String,
    count: u64,
    /// A problem (`--strict` fails on it) rather than a note.
    problem: bool,
    meaning: &'static str,
}

fn findings(report: &Report) -> Vec<Finding> {
    let quality = &report.data_quality;
    let mut list = vec![Finding {
        what: "Rejected rows".to_owned(),
        path: "/data_quality/rows_rejected".to_owned(),
        count: quality.rows_rejected,
        problem: true,
        meaning: "invalid rows, skipped with --skip-invalid",
    }];
    list.extend(
        report
            .input
            .rejects_by_reason
            .iter()
            .map(|(reason, n)| Finding {
                what: format!("  rejected: {}", sanitize(reason)),
                path: format!("/input/rejects_by_reason/{}", pointer_token(reason)),
                count: *n,
                problem: true,
                meaning: "invalid rows for this reason",
            }),
    );
    list.extend([
        Finding {
            what: "Duplicate events".to_owned(),
            path: "/data_quality/duplicate_events".to_owned(),
            count: quality.duplicate_events,
            problem: true,
            meaning: "rows repeated verbatim from an earlier input file, counted once",
        },
        Finding {
            what: "Negative first response times".to_owned(),
            path: "/data_quality/negative_durations/first_response".to_owned(),
            count: quality.negative_durations.first_response,
            problem: true,
            meaning: "a first reply dated before the ticket's start: left out of FRT",
        },
        Finding {
            what: "Negative resolution times".to_owned(),
            path: "/data_quality/negative_durations/resolution".to_owned(),
            count: quality.negative_durations.resolution,
            problem: true,
            meaning: "a resolution dated before the ticket's start: left out of resolution time",
        },
        Finding {
            what: "Rows repeated within a file".to_owned(),
            path: "/data_quality/repeated_rows_within_a_file".to_owned(),
            count: quality.repeated_rows_within_a_file,
            problem: false,
            meaning: "note: kept (logs with coarse timestamps repeat status changes)",
        },
        Finding {
            what: "Tickets on several channels".to_owned(),
            path: "/data_quality/tickets_on_several_channels".to_owned(),
            count: quality.tickets_on_several_channels,
            problem: false,
            meaning: "note: each is reported in the channel of its first customer message",
        },
        Finding {
            what: "Tickets with a changed priority".to_owned(),
            path: "/data_quality/tickets_with_several_priorities".to_owned(),
            count: quality.tickets_with_several_priorities,
            problem: false,
            meaning: "note: each is reported with its priority at as-of",
        },
    ]);
    list
}

/// A JSON Pointer reference token (RFC 6901): `~` and `/` escaped.
fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn data_quality(report: &Report) -> Markup {
    let problems = report.data_quality.problems();
    let list = findings(report);
    html! {
        section #data-quality aria-labelledby="data-quality-title" {
            h2 #data-quality-title { "Data quality" }
            @if problems.is_empty() {
                p.lead { "No problem found: nothing rejected, duplicated or negative. Notes below are for information." }
            } @else {
                p.lead.status-finding { "Found: " (problems.join(", ")) ". These are left out of the KPIs; --strict would exit with code 3." }
            }
            table {
                thead { tr {
                    th scope="col" { "Finding" } th.num scope="col" { "Count" } th scope="col" { "What it means" }
                } }
                tbody {
                    @for finding in &list {
                        tr class=[(finding.problem && finding.count > 0).then_some("finding")] {
                            td { (finding.what) }
                            td.num.status-finding[finding.problem && finding.count > 0]
                                data-json=(finding.path) data-value=(finding.count) { (count(finding.count)) }
                            td { (finding.meaning) }
                        }
                    }
                    @if report.input.events_after_as_of > 0 {
                        tr {
                            td { "Events after as-of" }
                            td.num data-json="/input/events_after_as_of" data-value=(report.input.events_after_as_of) {
                                (count(report.input.events_after_as_of))
                            }
                            td { "ignored: later than the moment the report describes" }
                        }
                    }
                }
            }
            (definition(&definitions::DATA_QUALITY))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_escape_tilde_and_slash() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_token("bad_timestamp"), "bad_timestamp");
    }
}
