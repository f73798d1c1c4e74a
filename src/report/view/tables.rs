//! The report's breakdown tables: SLA by policy, by group and by period, sharing the
//! headline columns.

use super::{Column, Section};
use crate::metrics::KpiBlock;
use crate::metrics::sla::{SlaReport, TargetAttainment};
use crate::report::Report;
use crate::report::text::{count, opt_duration, percent};

/// Attainment per SLA policy, a cell per target (`83.3% (25/30)`), and with `overdue` the
/// open tickets past their resolution target.
pub fn sla_by_policy(sla: &SlaReport, title: &str, overdue: bool) -> Section {
    let cell = attainment_cell;
    let rows = sla
        .policies
        .iter()
        .map(|p| {
            let mut row = vec![
                p.policy.clone(),
                p.schedule.clone().unwrap_or_else(|| "calendar".to_owned()),
                count(p.tickets),
                cell(p.first_reply.as_ref()),
                cell(p.next_reply.as_ref()),
                cell(p.resolution.as_ref()),
            ];
            if overdue {
                row.push(p.overdue_backlog.map_or_else(|| "-".to_owned(), count));
            }
            row
        })
        .collect();
    let mut columns = vec![
        Column::label("Policy"),
        Column::label("Hours"),
        Column::figure("Tickets"),
        Column::figure("First reply"),
        Column::figure("Next reply"),
        Column::figure("Resolution"),
    ];
    if overdue {
        columns.push(Column::figure("Overdue"));
    }
    Section::new(title, columns, rows)
}

/// `83.3% (25/30)`: attainment with met over met + breached; `-` for a target not set.
fn attainment_cell(attainment: Option<&TargetAttainment>) -> String {
    attainment.map_or_else(
        || "-".to_owned(),
        |a| {
            format!(
                "{} ({}/{})",
                percent(a.attainment),
                count(a.met),
                count(a.met + a.breached)
            )
        },
    )
}

/// The headline columns shared by the group and period tables.
fn headline(kpis: &KpiBlock) -> Vec<String> {
    vec![
        count(kpis.tickets),
        opt_duration(
            kpis.first_response
                .as_ref()
                .and_then(|frt| frt.summary.median),
        ),
        opt_duration(kpis.first_response.as_ref().and_then(|frt| frt.summary.p90)),
        kpis.resolution_time
            .as_ref()
            .map_or_else(|| "n/a".to_owned(), |s| opt_duration(s.median)),
        percent(kpis.fcr.as_ref().and_then(|fcr| fcr.rate)),
        percent(kpis.csat.as_ref().and_then(|csat| csat.rate)),
        percent(kpis.sla.first_reply.as_ref().and_then(|t| t.attainment)),
    ]
}

const HEADLINE: [&str; 7] = [
    "Tickets",
    "FRT\nmedian",
    "FRT\np90",
    "Resol.\nmedian",
    "FCR",
    "CSAT",
    "SLA 1st\nreply",
];

pub(super) fn breakdown(report: &Report) -> Section {
    let mut columns: Vec<Column> = report
        .group_by
        .iter()
        .map(|d| Column::label(&capitalize(d)))
        .collect();
    columns.extend(HEADLINE.iter().map(|h| Column::figure(h)));
    columns.push(Column::figure("Backlog"));
    let rows = report
        .groups
        .iter()
        .map(|group| {
            let mut row: Vec<String> = report
                .group_by
                .iter()
                .map(|d| group.label(d).into_owned())
                .collect();
            row.extend(headline(&group.kpis));
            row.push(
                group
                    .kpis
                    .backlog
                    .as_ref()
                    .map_or_else(|| "n/a".to_owned(), |b| count(b.open)),
            );
            row
        })
        .collect();
    Section::new(
        format!("By {}", report.group_by.join(" and ")),
        columns,
        rows,
    )
}

pub(super) fn periods(report: &Report) -> Section {
    let mut columns = vec![Column::label("Period")];
    columns.extend(HEADLINE.iter().map(|h| Column::figure(h)));
    columns.push(Column::figure("Backlog\nat end"));
    let rows = report
        .periods
        .iter()
        .map(|period| {
            let mut row = vec![period.period.clone()];
            row.extend(headline(&period.kpis));
            row.push(
                period
                    .backlog_at_end
                    .map_or_else(|| "n/a".to_owned(), count),
            );
            row
        })
        .collect();
    Section::new(
        format!(
            "By {} (tickets created in the period; backlog at its end)",
            report.period.as_deref().unwrap_or("period")
        ),
        columns,
        rows,
    )
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
