//! The report's breakdown tables: SLA by policy, by group and by period, the last two with
//! the columns of `columns` (the KPIs the export supports, or `--columns`).

use super::columns::{self, ColumnDef};
use super::{Column, Section};
use crate::metrics::group::GroupBlock;
use crate::metrics::sla::{SlaReport, TargetAttainment};
use crate::report::Report;
use crate::report::text::{count, percent};

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

/// The KPI columns of a breakdown table (see `columns`), without `skip`, and by default
/// without `narrower` too (what `--columns` asks for is shown).
fn kpi_columns(report: &Report, skip: &str, narrower: &[&str]) -> Vec<&'static ColumnDef> {
    columns::chosen(report)
        .into_iter()
        .filter(|c| c.name != skip)
        .filter(|c| report.columns.is_some() || !narrower.contains(&c.name))
        .collect()
}

pub(super) fn breakdown(report: &Report) -> Section {
    let kpis = kpi_columns(report, "", &[]);
    let mut columns = group_columns(report);
    columns.extend(kpis.iter().map(|c| Column::figure(c.header)));
    let rows = report
        .groups
        .iter()
        .map(|group| {
            let mut row = group_labels(report, group);
            row.extend(kpis.iter().map(|c| (c.cell)(&group.kpis)));
            row
        })
        .collect();
    Section::new(
        format!("By {}", report.group_by.join(" and ")),
        columns,
        rows,
    )
    .with_notes(breakdown_notes(report))
}

/// How to read the groups: how tickets are attributed to an agent or a team and to an hour.
fn breakdown_notes(report: &Report) -> Vec<String> {
    let by = |d: &str| report.group_by.iter().any(|g| g == d);
    let mut notes = Vec::new();
    if by("agent") || by("team") {
        notes.push(
            "A ticket counts for its assignee: the agent (and team) of its last agent \
             message, or of the ticket row."
                .to_owned(),
        );
    }
    if by("hour") || by("weekday") {
        notes.push(format!(
            "Hour and weekday of the ticket's creation, in {}.",
            report.tz
        ));
    }
    notes.extend(report.groups_overlap.as_ref().map(|overlap| overlap.note()));
    notes
}

/// The period table: the breakdown's columns, with the backlog at each period's end
/// instead of at as_of.
pub(super) fn periods(report: &Report) -> Section {
    // Room for the period's label and its backlog at the end, in 80 columns.
    let kpis = kpi_columns(report, "backlog", &["replies"]);
    let backlog = report
        .availability
        .iter()
        .all(|a| a.kpi != "backlog" || a.computable);
    let mut columns = vec![Column::label("Period")];
    columns.extend(kpis.iter().map(|c| Column::figure(c.header)));
    if backlog {
        columns.push(Column::figure("Backlog\nat end"));
    }
    let rows = report
        .periods
        .iter()
        .map(|period| {
            let mut row = vec![period.period.clone()];
            row.extend(kpis.iter().map(|c| (c.cell)(&period.kpis)));
            if backlog {
                row.push(
                    period
                        .backlog_at_end
                        .map_or_else(|| "n/a".to_owned(), count),
                );
            }
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

/// The label columns of a table by group: one per `--by` dimension.
pub(super) fn group_columns(report: &Report) -> Vec<Column> {
    report
        .group_by
        .iter()
        .map(|d| Column::label(&capitalize(d)))
        .collect()
}

/// A group's labels, in the order of [`group_columns`].
pub(super) fn group_labels(report: &Report, group: &GroupBlock) -> Vec<String> {
    report
        .group_by
        .iter()
        .map(|d| group.label(d).into_owned())
        .collect()
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
