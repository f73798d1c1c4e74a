//! `ticketkpi sla`: attainment per policy and target, and with `--breaches` every breached
//! clock with its due time and overrun. Tables, Markdown and the attainment CSV are view
//! sections; JSON, and the CSV of breaches, are the records themselves.

use std::io::{self, Write};

use serde::Serialize;

use super::TabularFormat;
use super::escape::spreadsheet as defuse_formula;
use super::text::{count, duration};
use super::view::{Column, Section, sla_by_policy};
use super::{Style, csv, csv_io};
use crate::metrics::Context;
use crate::metrics::sla::{SlaReport, SlaState, Target};
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
    format: TabularFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let csv = |out: &mut dyn Write| csv::write_section(&attainment_records(report), out);
    super::list::write(report, || attainment(report), csv, format, style, out)
}

/// Attainment per policy, one cell per target: `83.3% (25/30)`.
fn attainment(report: &SlaReport) -> Section {
    sla_by_policy(report, "SLA attainment", true).with_notes(vec![
        "Attainment = met / (met + breached); running clocks are not counted. Overdue: open \
         tickets past their resolution target."
            .to_owned(),
    ])
}

/// Attainment as data: one record per policy and target it sets, with the counts.
fn attainment_records(report: &SlaReport) -> Section {
    let mut rows = Vec::new();
    for policy in &report.policies {
        for target in Target::ALL {
            let Some(attainment) = policy.target(target) else {
                continue;
            };
            rows.push(vec![
                policy.policy.clone(),
                policy.schedule.clone().unwrap_or_default(),
                target.as_str().to_owned(),
                attainment.met.to_string(),
                attainment.breached.to_string(),
                attainment.running.to_string(),
                attainment
                    .attainment
                    .map(|a| a.to_string())
                    .unwrap_or_default(),
            ]);
        }
    }
    let columns = vec![
        Column::label("policy"),
        Column::label("schedule"),
        Column::label("target"),
        Column::figure("met"),
        Column::figure("breached"),
        Column::figure("running"),
        Column::figure("attainment"),
    ];
    Section::new("SLA attainment", columns, rows)
}

pub fn write_breaches(
    breaches: &[Breach],
    format: TabularFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let csv = |out: &mut dyn Write| write_breach_records(breaches, out);
    super::list::write(breaches, || breach_list(breaches), csv, format, style, out)
}

/// Every field, formula-safe: ticket ids and policy names come from the input and the
/// config.
fn write_breach_records(breaches: &[Breach], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    for breach in breaches {
        let mut safe = breach.clone();
        safe.ticket_id = defuse_formula(&safe.ticket_id).into_owned();
        safe.policy = defuse_formula(&safe.policy).into_owned();
        writer.serialize(safe).map_err(csv_io)?;
    }
    writer.flush()
}

/// One line per breached clock, times to the minute.
fn breach_list(breaches: &[Breach]) -> Section {
    let minutes = |at: &str| at.replace('T', " ").chars().take(16).collect::<String>();
    let rows = breaches
        .iter()
        .map(|b| {
            vec![
                b.ticket_id.clone(),
                b.policy.clone(),
                b.target.replace('_', " "),
                minutes(&b.started_at),
                b.due_at.as_deref().map(minutes).unwrap_or_default(),
                b.fulfilled_at
                    .as_deref()
                    .map_or_else(|| "(open)".to_owned(), minutes),
                duration(b.overrun_seconds),
            ]
        })
        .collect();
    let columns = vec![
        Column::label("Ticket"),
        Column::label("Policy"),
        Column::label("Target"),
        Column::label("Started (UTC)"),
        Column::label("Due (UTC)"),
        Column::label("Fulfilled (UTC)"),
        Column::figure("Overrun"),
    ];
    Section::new("SLA breaches", columns, rows)
        .with_notes(vec![format!(
            "{} breached clocks.",
            count(breaches.len() as u64)
        )])
        .listed()
}
