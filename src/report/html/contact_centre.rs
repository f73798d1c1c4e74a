//! The HTML page's contact-centre section: the calls' figures, each mark carrying its JSON
//! Pointer (`data-json`) and value so that tests/html.rs reads them back; and the status
//! durations. Absent where the report has neither.

use maud::{Markup, html};

use super::charts::datum;
use crate::metrics::distribution::Summary;
use crate::report::Report;
use crate::report::text::{count, opt_duration, percent};

/// One figure: its text, and the JSON value it shows.
fn figure(pointer: &str, value: Option<f64>, text: String) -> Markup {
    html! { td.num data-json=(pointer) data-value=(datum(value)) { (text) } }
}

fn rate(pointer: &str, value: Option<f64>) -> Markup {
    figure(pointer, value, percent(value))
}

fn seconds(pointer: &str, value: Option<f64>) -> Markup {
    figure(pointer, value, opt_duration(value))
}

fn whole(pointer: &str, value: u64) -> Markup {
    figure(pointer, Some(value as f64), count(value))
}

pub(super) fn calls(report: &Report) -> Markup {
    let Some(calls) = &report.overall.contact_centre else {
        return html! {};
    };
    let base = "/overall/contact_centre";
    let path = |member: &str| format!("{base}/{member}");
    html! {
        section #contact-centre aria-labelledby="contact-centre-title" {
            h2 #contact-centre-title { "Calls" }
            p.lead { "Offered calls: answered, or abandoned in the menu (IVR) or the queue; the speed of answer and the service level." }
            table {
                thead { tr { th scope="col" { "KPI" } th.num scope="col" { "Value" } th scope="col" { "Of" } } }
                tbody {
                    tr { td { "Offered" } (whole(&path("offered"), calls.offered)) td { "answered + abandoned" } }
                    tr { td { "Answered" } (whole(&path("answered"), calls.answered)) td { (percent(calls.answer_rate)) " of offered" } }
                    tr { td { "Abandonment rate" } (rate(&path("abandonment/rate"), calls.abandonment.rate)) td { (count(calls.abandoned)) " abandoned" } }
                    @if let (Some(ivr), Some(queue)) = (calls.abandonment.in_ivr, calls.abandonment.in_queue) {
                        tr { td { "  in the menu (IVR)" } (whole(&path("abandonment/in_ivr"), ivr)) td { (percent(calls.abandonment.ivr_rate)) " of offered" } }
                        tr { td { "  in the queue" } (whole(&path("abandonment/in_queue"), queue)) td { (percent(calls.abandonment.queue_rate)) " of offered" } }
                    }
                    @if let Some(short) = calls.short_abandons {
                        tr { td { "Short abandons (left out)" } (whole(&path("short_abandons"), short)) td {} }
                    }
                    @if let Some(asa) = &calls.asa {
                        (asa_rows(&path("asa"), asa))
                    }
                    @if let Some(level) = &calls.service_level {
                        tr {
                            td { "Service level (" (level.threshold_seconds) " s)" }
                            (rate(&path("service_level/rate"), level.rate))
                            td { (count(level.met)) " of " (count(level.considered)) " calls" }
                        }
                    }
                }
            }
            @if let Some(level) = &calls.service_level {
                p.note { "Service level, abandon policy " code { (level.abandon_policy.as_str()) } ": " (level.formula) "." }
            }
        }
    }
}

fn asa_rows(pointer: &str, asa: &Summary) -> Markup {
    html! {
        tr { td { "ASA (mean)" } (seconds(&format!("{pointer}/mean"), asa.mean)) td { (count(asa.count)) " answered calls" } }
        tr { td { "ASA median" } (seconds(&format!("{pointer}/median"), asa.median)) td {} }
        tr { td { "ASA p90" } (seconds(&format!("{pointer}/p90"), asa.p90)) td {} }
    }
}

pub(super) fn status_durations(report: &Report) -> Markup {
    let Some(durations) = &report.overall.status_durations else {
        return html! {};
    };
    let base = "/overall/status_durations";
    let rows = [
        (
            "Requester wait (new, open, on hold)",
            "requester_wait",
            &durations.requester_wait,
        ),
        ("Agent wait (pending)", "agent_wait", &durations.agent_wait),
        ("On hold", "on_hold", &durations.on_hold),
    ];
    html! {
        section #status-durations aria-labelledby="status-durations-title" {
            h2 #status-durations-title { "Time in each status" }
            table {
                thead { tr {
                    th scope="col" { "Per ticket" } th.num scope="col" { "Median" }
                    th.num scope="col" { "Mean" } th.num scope="col" { "p90" }
                } }
                tbody {
                    @for (name, key, summary) in rows {
                        tr {
                            td { (name) }
                            (seconds(&format!("{base}/{key}/median"), summary.median))
                            (seconds(&format!("{base}/{key}/mean"), summary.mean))
                            (seconds(&format!("{base}/{key}/p90"), summary.p90))
                        }
                    }
                }
            }
        }
    }
}
