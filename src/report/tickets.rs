//! `ticketkpi tickets`: one row per ticket with its derived facts, the table every help desk
//! is asked for and the input for any other tool.

use std::io::{self, Write};

use comfy_table::ContentArrangement;
use serde::Serialize;

use super::markdown::write_section;
use super::table::{render, write_table};
use super::text::{defuse_formula, opt_duration, sanitize};
use super::view::Section;
use super::{Style, csv_io};
use crate::cli::ReportFormat;
use crate::ingest::mapping::MappedField;
use crate::metrics::Context;
use crate::metrics::availability::Kpi;
use crate::metrics::sla::{SlaState, Target};
use crate::model::Ticket;
use crate::time::format_rfc3339;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketRow {
    pub ticket_id: String,
    pub channel: String,
    pub priority: String,
    pub team: String,
    pub agent: String,
    pub category: String,
    pub direction: &'static str,
    pub created_at: String,
    pub first_customer_message_at: Option<String>,
    pub first_reply_at: Option<String>,
    pub first_response_seconds: Option<f64>,
    /// Null where the export cannot tell (a ticket table without the column).
    pub replies: Option<u32>,
    pub customer_messages: Option<u32>,
    pub bot_messages: Option<u32>,
    pub reopens: Option<u32>,
    pub status: Option<&'static str>,
    pub first_resolved_at: Option<String>,
    /// The last resolution, for tickets solved at as_of.
    pub resolved_at: Option<String>,
    pub resolution_seconds: Option<f64>,
    pub csat: Option<f64>,
    pub nps: Option<f64>,
    pub handle_seconds: Option<f64>,
    /// The SLA policy that applies, and the state of its clocks.
    pub sla_policy: Option<String>,
    pub sla_first_reply: Option<&'static str>,
    /// Next-reply clocks breached (of all customer runs after the first reply).
    pub sla_next_reply_breaches: Option<u32>,
    pub sla_resolution: Option<&'static str>,
}

impl TicketRow {
    pub fn new(ticket: &Ticket, context: &Context<'_>) -> TicketRow {
        let name = |sym| context.symbols.name(sym).to_owned();
        let (policy, outcomes) = context.sla_outcomes(ticket);
        let state = |target: Target| {
            outcomes
                .iter()
                .find(|outcome| outcome.target == target)
                .map(|outcome| outcome.state.as_str())
        };
        let policy = policy.map(|index| &context.sla.policies[index]);
        // Counts exist per event; a ticket table has them only as columns.
        let coverage = context.facts.coverage;
        let per_event = coverage.per_event;
        let known = |target| per_event || coverage.fed(target);
        let allows = |kpi| context.facts.allows(kpi);
        TicketRow {
            ticket_id: ticket.id.clone(),
            channel: name(ticket.channel),
            priority: name(ticket.priority),
            team: name(ticket.team),
            agent: name(ticket.agent),
            category: name(ticket.category),
            direction: match ticket.direction {
                crate::model::Direction::Inbound => "inbound",
                crate::model::Direction::Outbound => "outbound",
                crate::model::Direction::Undecided => "",
            },
            created_at: format_rfc3339(ticket.created_at),
            first_customer_message_at: ticket.first_customer_message_at.map(format_rfc3339),
            first_reply_at: ticket.first_reply_at.map(format_rfc3339),
            first_response_seconds: ticket.first_response_seconds(),
            replies: known(MappedField::Replies).then_some(ticket.replies),
            customer_messages: known(MappedField::CustomerMessages)
                .then_some(ticket.customer_messages),
            bot_messages: per_event.then_some(ticket.bot_messages),
            reopens: known(MappedField::Reopens).then_some(ticket.reopens),
            status: ticket.status.map(|status| status.as_str()),
            first_resolved_at: ticket.first_resolved_at.map(format_rfc3339),
            resolved_at: ticket.resolved_at().map(format_rfc3339),
            resolution_seconds: ticket.resolution_seconds(),
            csat: ticket.csat,
            nps: ticket.nps,
            handle_seconds: ticket.handle_seconds,
            sla_policy: policy.map(|policy| policy.name.clone()),
            // A clock the input cannot read has no state (as the KPI is null).
            sla_first_reply: state(Target::FirstReply).filter(|_| allows(Kpi::SlaFirstReply)),
            sla_next_reply_breaches: policy.filter(|p| p.next_reply.is_some()).map(|_| {
                outcomes
                    .iter()
                    .filter(|o| o.target == Target::NextReply && o.state == SlaState::Breached)
                    .count() as u32
            }),
            sla_resolution: state(Target::Resolution).filter(|_| allows(Kpi::SlaResolution)),
        }
    }
}

pub fn write(
    rows: &[TicketRow],
    format: ReportFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)
        }
        ReportFormat::Csv => write_csv(rows, out),
        // The command line offers HTML for `report` only (see cli::tabular_formats).
        ReportFormat::Html => Err(io::Error::other("the HTML format is for `report` only")),
        ReportFormat::Table => {
            // A list is read line by line: one ticket per line, however wide, never wrapped.
            let mut table = render(&summary(rows, sanitize), style);
            table.set_content_arrangement(ContentArrangement::Disabled);
            write_table(&table, out)
        }
        ReportFormat::Markdown => write_section(&summary(rows, str::to_owned), out),
    }
}

/// Every field, formula-safe: ids and names come from the input.
fn write_csv(rows: &[TicketRow], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    for row in rows {
        let mut safe = row.clone();
        for text in [
            &mut safe.ticket_id,
            &mut safe.channel,
            &mut safe.priority,
            &mut safe.team,
            &mut safe.agent,
            &mut safe.category,
        ] {
            *text = defuse_formula(text).into_owned();
        }
        writer.serialize(safe).map_err(csv_io)?;
    }
    writer.flush()
}

/// The columns that fit a terminal.
fn summary(rows: &[TicketRow], label: impl Fn(&str) -> String) -> Section {
    let headers = [
        "Ticket",
        "Channel",
        "Priority",
        "Created",
        "FRT",
        "Replies",
        "Reopens",
        "Status",
        "Resolution",
        "CSAT",
        "SLA 1st",
        "SLA res",
    ];
    Section {
        title: "Tickets".to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        figures: vec![
            false, false, false, false, true, true, true, false, true, true, false, false,
        ],
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    label(&row.ticket_id),
                    label(&row.channel),
                    label(&row.priority),
                    // Minutes are enough to find a ticket; the exact instant is in csv/json.
                    row.created_at.replace('T', " ").chars().take(16).collect(),
                    opt_duration(row.first_response_seconds),
                    row.replies.map(|n| n.to_string()).unwrap_or_default(),
                    row.reopens.map(|n| n.to_string()).unwrap_or_default(),
                    row.status.unwrap_or_default().to_owned(),
                    opt_duration(row.resolution_seconds),
                    row.csat.map(|score| score.to_string()).unwrap_or_default(),
                    row.sla_first_reply.unwrap_or_default().to_owned(),
                    row.sla_resolution.unwrap_or_default().to_owned(),
                ]
            })
            .collect(),
    }
}
