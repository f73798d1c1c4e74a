//! `--format html`: one self-contained page (inline CSS and SVG; no script, font or request)
//! drawn from the `Report` alone, so that every number on it is the JSON report's.
//!
//! Marks and figures that stand for a number carry `data-json` (its JSON Pointer in the JSON
//! report) and `data-value`; tests/html.rs reads them back and compares.

mod charts;
mod contact_centre;
mod definitions;
mod headline;

use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Report;
use super::text::{count, duration, percent, sanitize};
use super::trend::{self, HeadlineId};
use super::view::footer;
use charts::tickets;
use charts::{NOT_COMPUTABLE, datum};
use definitions::Definition;

const STYLE: &str = include_str!("html/report.css");

pub use headline::Compared;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_compared(report, None, out)
}

/// The page, its tiles compared with a baseline report when there is one (`--baseline`).
pub fn write_compared(
    report: &Report,
    baseline: Option<&Compared>,
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(page(report, baseline).into_string().as_bytes())?;
    writeln!(out)
}

fn page(report: &Report, baseline: Option<&Compared>) -> Markup {
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
                    (headline::headline(report, baseline))
                    (contact_centre::calls(report))
                    (frt_by_group(report))
                    (time_of_day(report))
                    (distributions(report))
                    (backlog(report))
                    (sla(report))
                    (csat(report))
                    (contact_centre::status_durations(report))
                    (data_quality(report))
                    (glossary())
                }
                footer {
                    @for line in footer(report) {
                        p { (sanitize(&line)) }
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

pub(crate) fn definition(def: &Definition) -> Markup {
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
// Chart sections

fn frt_by_group(report: &Report) -> Markup {
    let by = if report.group_by.is_empty() {
        "group".to_owned()
    } else {
        report.group_by.join(" and ")
    };
    let measured = report.groups.iter().any(|g| {
        g.kpis
            .first_response
            .as_ref()
            .is_some_and(|f| f.summary.count > 0)
    });
    if !measured {
        return html! {
            section #frt-by-group aria-labelledby="frt-by-group-title" {
                h2 #frt-by-group-title { "First response time by " (by) }
                p.na data-json="/overall/first_response/median"
                    data-value=(datum(report.overall.first_response.as_ref().and_then(|f| f.summary.median))) {
                    @if report.overall.first_response.is_none() { (NOT_COMPUTABLE) }
                    @else { "No answered inbound ticket in this input: nothing to measure." }
                }
            }
        };
    }
    html! {
        section #frt-by-group aria-labelledby="frt-by-group-title" {
            h2 #frt-by-group-title { "First response time by " (by) }
            p.lead { "Median and 90th percentile per " (by) ", on a logarithmic time axis: \
                      half of the answered tickets waited less than the median, nine in ten less than the p90." }
            (legend(&[("c-median", "median"), ("c-p90", "p90")]))
            (overlap_note(report))
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

/// With `--by tag`, that a ticket counts in each of its groups (the JSON's `groups_overlap`).
fn overlap_note(report: &Report) -> Markup {
    html! {
        @if let Some(overlap) = &report.groups_overlap {
            p.note data-json="/groups_overlap/group_tickets" data-value=(overlap.group_tickets) {
                (sanitize(&overlap.note()))
            }
        }
    }
}

/// When tickets arrive and how fast they are answered, by weekday and hour: what staffing
/// is planned from.
fn time_of_day(report: &Report) -> Markup {
    use charts::heatmap;
    let grid = &report.time_of_day;
    let volume = heatmap::volume(grid);
    let frt = heatmap::first_response(grid);
    let asa = heatmap::speed_of_answer(grid);
    let calls = report.overall.contact_centre.is_some();
    html! {
        section #time-of-day aria-labelledby="time-of-day-title" {
            h2 #time-of-day-title { "By weekday and hour" }
            p.lead { "Tickets by the weekday and hour of their creation, in " (report.tz)
                     ", and their median first response time"
                     @if calls { " (for calls, the median speed of answer of those answered)" }
                     ": darker is more." }
            h3 { (volume.title) }
            (heatmap::heatmap(grid, &volume, &report.tz))
            @match &frt {
                Some(frt) => {
                    h3 { (frt.title) }
                    (heatmap::heatmap(grid, frt, &report.tz))
                }
                None => {
                    p.na data-json="/time_of_day/first_response_median" data-value="null" {
                        "Median first response: " (NOT_COMPUTABLE)
                    }
                }
            }
            @match &asa {
                Some(asa) => {
                    h3 { (asa.title) }
                    (heatmap::heatmap(grid, asa, &report.tz))
                }
                None if calls => {
                    p.na data-json="/time_of_day/speed_of_answer_median" data-value="null" {
                        "Median speed of answer: " (NOT_COMPUTABLE)
                    }
                }
                None => {}
            }
        }
    }
}

/// A histogram with nothing to draw: the KPI is null, or no ticket has a value yet.
fn empty_histogram(buckets: Option<&Vec<crate::metrics::distribution::Bucket>>) -> bool {
    buckets.is_none_or(|b| b.iter().all(|bucket| bucket.count == 0))
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
                @match buckets.filter(|b| !empty_histogram(Some(b))) {
                    Some(buckets) => { (charts::histogram(id, title, buckets, summary.as_ref(), json, class)) }
                    None => {
                        p.na data-json=(format!("{}/count", json.replace("/histograms/", "/overall/"))) data-value=(datum(summary.map(|s| s.count as f64))) {
                            @if buckets.is_none() { (NOT_COMPUTABLE) } @else { "No ticket to measure in this input." }
                        }
                    }
                }
            }
        }
    };
    let frt_path = "/histograms/first_response";
    let resolution_path = "/histograms/resolution_time";
    if empty_histogram(hist.first_response.as_ref())
        && empty_histogram(hist.resolution_time.as_ref())
    {
        return html! {
            section #distributions aria-labelledby="distributions-title" {
                h2 #distributions-title { "How long it takes" }
                p.na { "Neither a first response time nor a resolution time to measure in this input ("
                    (NOT_COMPUTABLE) " or no ticket yet)." }
            }
        };
    }
    html! {
        section #distributions aria-labelledby="distributions-title" {
            h2 #distributions-title { "How long it takes" }
            p.lead { "Every ticket in a bucket of time; the bar's area is its share of the tickets, \
                      the number on it the count; the dashed lines mark the median and the p90." }
            (figure("First response time", "chart-hist-frt", hist.first_response.as_ref(), frt,
                frt_path, "c-frt"))
            (figure("Resolution time", "chart-hist-resolution", hist.resolution_time.as_ref(),
                report.overall.resolution_time, resolution_path, "c-resolution-time"))
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
    let after_as_of = report
        .periods
        .last()
        .is_some_and(|p| trend::ends_after_as_of(report, p));
    let title = if report.periods.is_empty() {
        "Backlog by age".to_owned()
    } else {
        format!("Backlog at the end of each {unit}")
    };
    if bars.iter().all(|b| b.total.is_none()) {
        return html! {
            section #backlog aria-labelledby="backlog-title" {
                h2 #backlog-title { (title) }
                p.na data-json=(bars.first().map_or("/overall/backlog", |b| b.total_path.as_str())) data-value="null" {
                    (NOT_COMPUTABLE)
                    @if report.overall.backlog.is_none() { ": no row carries a status, so every ticket would look open." }
                }
            }
        };
    }
    let unknown_before = bars.iter().any(|b| b.total.is_none()) && report.overall.backlog.is_some();
    html! {
        section #backlog aria-labelledby="backlog-title" {
            h2 #backlog-title { (title) }
            @if report.periods.is_empty() {
                p.lead { "Open tickets at as-of, by age. With --period: the backlog at the end of each period." }
            } @else {
                p.lead { "Tickets open at the end of each " (unit) ", by how long they had been open then." }
            }
            (legend(&legend_items))
            (charts::backlog(report, &bars))
            @if after_as_of {
                p.note { "* ends after as-of: the backlog at as-of." }
            }
            @if unknown_before {
                p.note { "n/a: the state then is unknown, as the export does not date every \
                          resolution (a ticket closed without a solved time)." }
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
    if !any {
        return html! {
            section #sla aria-labelledby="sla-title" {
                h2 #sla-title { "SLA attainment by policy" }
                p.na data-json="/overall/sla/first_reply" data-value="null" {
                    (NOT_COMPUTABLE) ": no policy has a target this input can measure."
                }
            }
        };
    }
    html! {
        section #sla aria-labelledby="sla-title" {
            h2 #sla-title { "SLA attainment by policy" }
            p.lead { "Met over met and breached, per policy and target; running clocks are not counted yet." }
            (legend(&[("c-first-reply", "first reply"), ("c-next-reply", "next reply"), ("c-resolution", "resolution")]))
            (charts::sla(&rows))
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
    if overall.and_then(|c| c.rate).is_none() {
        return html! {
            section #csat aria-labelledby="csat-title" {
                h2 #csat-title { "CSAT" }
                p.na data-json="/overall/csat/rate" data-value="null" {
                    (NOT_COMPUTABLE) ": "
                    (headline::why_not(report, HeadlineId::Csat).unwrap_or("no rating")) "."
                }
            }
        };
    }
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
                @if report.periods.iter().any(|p| !p.complete) {
                    p.note { "* partial: the input does not cover the whole " (unit) "." }
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
    list.extend(value_findings(quality));
    list
}

/// Values read by rule rather than as written, one row each: notes, never problems.
fn value_findings(quality: &crate::metrics::quality::DataQuality) -> Vec<Finding> {
    let note = |what: String, path: String, count: u64, meaning: &'static str| Finding {
        what,
        path,
        count,
        problem: false,
        meaning,
    };
    let statuses = quality.statuses_by_keyword.iter().map(|(value, read)| {
        note(
            format!(
                "Status {:?} read as {}",
                sanitize(value),
                read.status.as_str()
            ),
            format!(
                "/data_quality/statuses_by_keyword/{}/rows",
                pointer_token(value)
            ),
            read.rows,
            "note: a status outside the vocabulary, classified by keyword (rows)",
        )
    });
    let placeholders = quality.placeholder_dates.iter().map(|(column, rows)| {
        note(
            format!("Placeholder dates in {}", sanitize(column)),
            format!("/data_quality/placeholder_dates/{}", pointer_token(column)),
            *rows,
            "note: a \"no date\" value such as 1900-01-01, read as empty (rows)",
        )
    });
    let priorities = quality.unknown_priorities.iter().map(|(value, tickets)| {
        note(
            format!("Priority {:?}", sanitize(value)),
            format!("/data_quality/unknown_priorities/{}", pointer_token(value)),
            *tickets,
            "note: no SLA level or policy names it, so its targets are normal's (tickets)",
        )
    });
    statuses.chain(placeholders).chain(priorities).collect()
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
