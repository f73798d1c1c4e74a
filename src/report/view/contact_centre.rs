//! The contact-centre sections: the calls' figures overall and per group (the per-agent and
//! per-queue numbers: answered, ASA, service level), and the status durations. Each is shown
//! only where the report has it; JSON's `availability` says why not elsewhere.

use super::{Column, Section, tables};
use crate::metrics::KpiBlock;
use crate::metrics::contact_centre::ContactCentreReport;
use crate::metrics::distribution::Summary;
use crate::metrics::status_durations::StatusDurationsReport;
use crate::report::Report;
use crate::report::text::{count, opt_duration, percent};

fn distribution(summary: Option<&Summary>) -> (String, String) {
    match summary {
        None => ("n/a".to_owned(), String::new()),
        Some(s) if s.count == 0 => ("n/a".to_owned(), "no data".to_owned()),
        Some(s) => (
            opt_duration(s.mean),
            format!(
                "median {}, p90 {}, n={}",
                opt_duration(s.median),
                opt_duration(s.p90),
                count(s.count)
            ),
        ),
    }
}

fn ratio_detail(part: u64, whole: u64, what: &str) -> String {
    format!("{} of {} {what}", count(part), count(whole))
}

/// The calls overall, with the service level's formula under the table.
pub(super) fn overall(report: &Report) -> Option<Section> {
    let calls = report.overall.contact_centre.as_ref()?;
    let why = |key: &str| {
        report
            .why_not(key)
            .unwrap_or("not in this input")
            .to_owned()
    };
    let mut rows = vec![
        vec![
            "Offered".to_owned(),
            count(calls.offered),
            short_abandons(calls),
        ],
        vec![
            "Answered".to_owned(),
            percent(calls.answer_rate),
            ratio_detail(calls.answered, calls.offered, "offered"),
        ],
        vec![
            "Abandonment rate".to_owned(),
            percent(calls.abandonment.rate),
            match (calls.abandonment.in_ivr, calls.abandonment.in_queue) {
                (Some(ivr), Some(queue)) => format!(
                    "{} abandoned: {} in the menu (IVR, {}), {} in the queue ({})",
                    count(calls.abandoned),
                    count(ivr),
                    percent(calls.abandonment.ivr_rate),
                    count(queue),
                    percent(calls.abandonment.queue_rate)
                ),
                _ => format!("{} abandoned", count(calls.abandoned)),
            },
        ],
    ];
    let (asa, asa_detail) = match &calls.asa {
        Some(summary) => distribution(Some(summary)),
        None => ("n/a".to_owned(), why("contact_centre.asa")),
    };
    rows.push(vec!["ASA (mean)".to_owned(), asa, asa_detail]);
    let mut notes = Vec::new();
    match &calls.service_level {
        Some(level) => {
            rows.push(vec![
                format!("Service level ({} s)", level.threshold_seconds),
                percent(level.rate),
                ratio_detail(level.met, level.considered, "calls"),
            ]);
            notes.push(format!(
                "Service level, abandon policy {}: {}.",
                level.abandon_policy.as_str(),
                level.formula
            ));
        }
        None => rows.push(vec![
            "Service level".to_owned(),
            "n/a".to_owned(),
            why("contact_centre.service_level"),
        ]),
    }
    if calls.unknown_wait > 0 {
        notes.push(format!(
            "{} calls have queue times that contradict each other: left out of ASA and \
             service level.",
            count(calls.unknown_wait)
        ));
    }
    Some(
        Section::new(
            "Contact centre (calls)",
            vec![
                Column::label("KPI"),
                Column::figure("Value"),
                Column::label("Detail"),
            ],
            rows,
        )
        .with_notes(notes),
    )
}

fn short_abandons(calls: &ContactCentreReport) -> String {
    match calls.short_abandons {
        Some(short) => format!("{} short abandons left out", count(short)),
        None => "answered + abandoned".to_owned(),
    }
}

/// The calls per group (`--by agent`: each agent's answered calls and ASA).
pub(super) fn by_group(report: &Report) -> Option<Section> {
    report.overall.contact_centre.as_ref()?;
    if report.groups.is_empty() {
        return None;
    }
    let mut columns = tables::group_columns(report);
    for header in [
        "Offered",
        "Answered",
        "Abandoned",
        "ASA mean",
        "Service\nlevel",
    ] {
        columns.push(Column::figure(header));
    }
    let rows = report
        .groups
        .iter()
        .map(|group| {
            let mut row = tables::group_labels(report, group);
            row.extend(group_cells(&group.kpis));
            row
        })
        .collect();
    Some(Section::new(
        format!("Calls by {}", report.group_by.join(" and ")),
        columns,
        rows,
    ))
}

fn group_cells(kpis: &KpiBlock) -> Vec<String> {
    let Some(calls) = &kpis.contact_centre else {
        return vec!["n/a".to_owned(); 5];
    };
    vec![
        count(calls.offered),
        count(calls.answered),
        percent(calls.abandonment.rate),
        calls
            .asa
            .as_ref()
            .map_or_else(|| "n/a".to_owned(), |asa| opt_duration(asa.mean)),
        calls
            .service_level
            .as_ref()
            .map_or_else(|| "n/a".to_owned(), |level| percent(level.rate)),
    ]
}

/// Requester wait, agent wait and on-hold time, in calendar time and business hours.
pub(super) fn status_durations(report: &Report) -> Option<Section> {
    let calendar = report.overall.status_durations.as_ref()?;
    let mut rows = rows_of(calendar, "");
    if let Some(business) = &report.overall.status_durations_business {
        rows.extend(rows_of(business, ", business hours"));
    }
    Some(
        Section::new(
            "Status durations (per ticket)",
            vec![
                Column::label("Time"),
                Column::figure("Mean"),
                Column::label("Detail"),
            ],
            rows,
        )
        .with_notes(vec![
            "Requester wait: new, open and on hold; agent wait: pending; until solved.".to_owned(),
        ]),
    )
}

fn rows_of(durations: &StatusDurationsReport, suffix: &str) -> Vec<Vec<String>> {
    [
        ("Requester wait", &durations.requester_wait),
        ("Agent wait", &durations.agent_wait),
        ("On hold", &durations.on_hold),
    ]
    .into_iter()
    .map(|(name, summary)| {
        let (value, detail) = distribution(Some(summary));
        vec![format!("{name}{suffix}"), value, detail]
    })
    .collect()
}
