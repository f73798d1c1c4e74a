//! `ticketkpi sla`: attainment per policy and target, and with `--breaches` every breached
//! clock with its due time and overrun.

use std::io::{self, Write};

use serde::Serialize;

use super::markdown::write_section;
use super::table::{render, write_table};
use super::text::{count, defuse_formula, duration, sanitize};
use super::view::{Section, attainment_cell};
use super::{Style, csv_io};
use crate::cli::ReportFormat;
use crate::metrics::Context;
use crate::metrics::sla::{SlaReport, SlaState, TargetAttainment};
use crate::model::Ticket;
use crate::time::format_rfc3339;

/// One breached SLA clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    pub ticket_id: String,
    pub policy: String,
    pub target: &'static str,
    pub started_at: String,
    /// When the target was reached on the clock (null if the schedule has no hours).
    pub due_at: Option<String>,
    /// When the clock stopped (reply or resolution); null while it still runs.
    pub fulfilled_at: Option<String>,
    pub target_seconds: f64,
    pub elapsed_seconds: f64,
    pub overrun_seconds: f64,
}

/// Every breached clock of `tickets`, worst first: the longest overrun, then by ticket and
/// target for a stable order.
pub fn breaches(tickets: &[Ticket], context: &Context<'_>) -> Vec<Breach> {
    let mut list = Vec::new();
    for ticket in tickets {
        let Some(clocks) = context.sla_clocks(ticket) else {
            continue;
        };
        let breached = clocks
            .outcomes
            .iter()
            .filter(|outcome| outcome.state == SlaState::Breached);
        for outcome in breached {
            list.push(Breach {
                ticket_id: ticket.id.clone(),
                policy: clocks.policy.name.clone(),
                target: outcome.target.as_str(),
                started_at: format_rfc3339(outcome.start),
                due_at: clocks.due(outcome).map(format_rfc3339),
                fulfilled_at: outcome.stopped_at.map(format_rfc3339),
                target_seconds: outcome.target_seconds,
                elapsed_seconds: outcome.elapsed,
                overrun_seconds: outcome.elapsed - outcome.target_seconds,
            });
        }
    }
    list.sort_by(|a, b| {
        b.overrun_seconds
            .total_cmp(&a.overrun_seconds)
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
            .then_with(|| a.target.cmp(b.target))
    });
    list
}

pub fn write_attainment(
    report: &SlaReport,
    format: ReportFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        ReportFormat::Csv => {
            let mut writer = ::csv::Writer::from_writer(out);
            writer
                .write_record([
                    "policy",
                    "schedule",
                    "target",
                    "met",
                    "breached",
                    "running",
                    "attainment",
                ])
                .map_err(csv_io)?;
            for policy in &report.policies {
                for (target, attainment) in targets(
                    policy.first_reply.as_ref(),
                    policy.next_reply.as_ref(),
                    policy.resolution.as_ref(),
                ) {
                    writer
                        .write_record([
                            defuse_formula(&policy.policy).as_ref(),
                            policy.schedule.as_deref().unwrap_or(""),
                            target,
                            &attainment.met.to_string(),
                            &attainment.breached.to_string(),
                            &attainment.running.to_string(),
                            &attainment
                                .attainment
                                .map(|a| a.to_string())
                                .unwrap_or_default(),
                        ])
                        .map_err(csv_io)?;
                }
            }
            writer.flush()
        }
        // The command line offers HTML for `report` only (see cli::tabular_formats).
        ReportFormat::Html => Err(io::Error::other("the HTML format is for `report` only")),
        ReportFormat::Table | ReportFormat::Markdown => {
            let cell = attainment_cell;
            let section = Section {
                title: "SLA attainment".to_owned(),
                headers: vec![
                    "Policy".into(),
                    "Hours".into(),
                    "Tickets".into(),
                    "First reply".into(),
                    "Next reply".into(),
                    "Resolution".into(),
                    "Overdue".into(),
                ],
                rows: report
                    .policies
                    .iter()
                    .map(|p| {
                        vec![
                            sanitize(&p.policy),
                            p.schedule.clone().unwrap_or_else(|| "calendar".to_owned()),
                            count(p.tickets),
                            cell(p.first_reply.as_ref()),
                            cell(p.next_reply.as_ref()),
                            cell(p.resolution.as_ref()),
                            p.overdue_backlog.map_or_else(|| "-".to_owned(), count),
                        ]
                    })
                    .collect(),
                figures: vec![false, false, true, true, true, true, true],
            };
            if format == ReportFormat::Markdown {
                write_section(&section, out)
            } else {
                write_table(&render(&section, style), out)?;
                writeln!(
                    out,
                    "Attainment = met / (met + breached); running clocks are not counted. Overdue: open tickets past their resolution target."
                )
            }
        }
    }
}

fn targets<'a>(
    first: Option<&'a TargetAttainment>,
    next: Option<&'a TargetAttainment>,
    resolution: Option<&'a TargetAttainment>,
) -> impl Iterator<Item = (&'static str, &'a TargetAttainment)> {
    [
        ("first_reply", first),
        ("next_reply", next),
        ("resolution", resolution),
    ]
    .into_iter()
    .filter_map(|(name, attainment)| attainment.map(|a| (name, a)))
}

pub fn write_breaches(
    breaches: &[Breach],
    format: ReportFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, breaches)?;
            writeln!(out)
        }
        ReportFormat::Csv => {
            let mut writer = ::csv::Writer::from_writer(out);
            for breach in breaches {
                let mut safe = breach.clone();
                safe.ticket_id = defuse_formula(&safe.ticket_id).into_owned();
                safe.policy = defuse_formula(&safe.policy).into_owned();
                writer.serialize(safe).map_err(csv_io)?;
            }
            writer.flush()
        }
        // The command line offers HTML for `report` only (see cli::tabular_formats).
        ReportFormat::Html => Err(io::Error::other("the HTML format is for `report` only")),
        ReportFormat::Table | ReportFormat::Markdown => {
            let minutes = |at: &str| at.replace('T', " ").chars().take(16).collect::<String>();
            let section = Section {
                title: "SLA breaches".to_owned(),
                headers: [
                    "Ticket",
                    "Policy",
                    "Target",
                    "Started (UTC)",
                    "Due (UTC)",
                    "Fulfilled (UTC)",
                    "Overrun",
                ]
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
                rows: breaches
                    .iter()
                    .map(|b| {
                        vec![
                            sanitize(&b.ticket_id),
                            sanitize(&b.policy),
                            b.target.replace('_', " "),
                            minutes(&b.started_at),
                            b.due_at.as_deref().map(minutes).unwrap_or_default(),
                            b.fulfilled_at
                                .as_deref()
                                .map_or_else(|| "(open)".to_owned(), minutes),
                            duration(b.overrun_seconds),
                        ]
                    })
                    .collect(),
                figures: vec![false, false, false, false, false, false, true],
            };
            if format == ReportFormat::Markdown {
                write_section(&section, out)
            } else {
                let mut table = render(&section, style);
                table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
                write_table(&table, out)?;
                writeln!(out, "{} breached clocks.", count(breaches.len() as u64))
            }
        }
    }
}
