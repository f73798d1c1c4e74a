//! `ticketkpi tickets`: one row per ticket with its derived facts, the table every help desk
//! is asked for and the input for any other tool.

use std::io::{self, Write};

use serde::Serialize;

use super::TabularFormat;
use super::escape::spreadsheet as defuse_formula;
use super::text::opt_duration;
use super::view::{Column, Section};
use super::{Style, csv_io};
use crate::metrics::Context;
use crate::metrics::availability::{Count, Kpi};
use crate::metrics::sla::{SlaState, Target};
use crate::metrics::status_durations::status_times;
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
    /// The ticket's tags, by name: a JSON array, one cell in CSV (joined with `, `).
    pub tags: TagList,
    /// The mapping's attribute columns (`[attributes]`): a JSON object of name -> value (the
    /// ticket's non-empty ones); in CSV one cell, `name=value; name=value`. Absent when the
    /// mapping declares none.
    #[serde(skip_serializing_if = "AttributeList::hidden")]
    pub attributes: AttributeList,
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
    /// Seconds in new + open + on hold, in pending, in on hold (null without a status
    /// history), and the same in business hours (with a report schedule).
    pub requester_wait_seconds: Option<f64>,
    pub agent_wait_seconds: Option<f64>,
    pub on_hold_seconds: Option<f64>,
    pub requester_wait_business_seconds: Option<f64>,
    pub agent_wait_business_seconds: Option<f64>,
    pub on_hold_business_seconds: Option<f64>,
    /// A call's outcome (`answered` or `abandoned`) and its queue wait.
    pub call_outcome: Option<&'static str>,
    pub call_wait_seconds: Option<f64>,
}

impl TicketRow {
    pub fn new(ticket: &Ticket, context: &Context<'_>) -> TicketRow {
        let name = |sym| context.symbols.name(sym).to_owned();
        let clocks = context.sla_clocks(ticket);
        let facts = &context.facts;
        // A clock the input cannot read has no state (as the KPI is null).
        let state = |target: Target, kpi: Kpi| {
            clocks
                .as_ref()
                .and_then(|clocks| clocks.state(target))
                .filter(|_| facts.allows(kpi))
                .map(SlaState::as_str)
        };
        let policy = clocks.as_ref().map(|clocks| clocks.policy);
        let times = |kpi: Kpi, schedule| {
            status_times(ticket, context.as_of, schedule).filter(|_| facts.allows(kpi))
        };
        let calendar = times(Kpi::StatusDurations, None);
        let business = context
            .schedule
            .and_then(|schedule| times(Kpi::StatusDurationsBusiness, Some(schedule)));
        TicketRow {
            ticket_id: ticket.id.clone(),
            channel: name(ticket.channel),
            priority: name(ticket.priority),
            team: name(ticket.team),
            agent: name(ticket.agent),
            category: name(ticket.category),
            tags: TagList::of(&ticket.tags, context.symbols),
            attributes: AttributeList::of(&ticket.attributes, context.symbols),
            direction: match ticket.direction {
                crate::model::Direction::Inbound => "inbound",
                crate::model::Direction::Outbound => "outbound",
                crate::model::Direction::Undecided => "",
            },
            created_at: format_rfc3339(ticket.created_at),
            first_customer_message_at: ticket.first_customer_message_at.map(format_rfc3339),
            first_reply_at: ticket.first_reply_at.map(format_rfc3339),
            first_response_seconds: ticket.first_response_seconds(),
            replies: facts.known(Count::AgentMessages, ticket.replies),
            customer_messages: facts.known(Count::CustomerMessages, ticket.customer_messages),
            bot_messages: facts.known(Count::BotMessages, ticket.bot_messages),
            reopens: facts.known(Count::Reopens, ticket.reopens),
            status: ticket.status.map(|status| status.as_str()),
            first_resolved_at: ticket.first_resolved_at.map(format_rfc3339),
            resolved_at: ticket.resolved_at().map(format_rfc3339),
            resolution_seconds: ticket.resolution_seconds(),
            csat: ticket.csat,
            nps: ticket.nps,
            handle_seconds: ticket.handle_seconds,
            sla_policy: policy.map(|policy| policy.name.clone()),
            sla_first_reply: state(Target::FirstReply, Kpi::SlaFirstReply),
            sla_next_reply_breaches: clocks
                .as_ref()
                .filter(|clocks| clocks.policy.next_reply.is_some())
                .map(|clocks| clocks.count(Target::NextReply, SlaState::Breached) as u32),
            sla_resolution: state(Target::Resolution, Kpi::SlaResolution),
            requester_wait_seconds: calendar.map(|t| t.requester_wait),
            agent_wait_seconds: calendar.map(|t| t.agent_wait),
            on_hold_seconds: calendar.map(|t| t.on_hold),
            requester_wait_business_seconds: business.map(|t| t.requester_wait),
            agent_wait_business_seconds: business.map(|t| t.agent_wait),
            on_hold_business_seconds: business.map(|t| t.on_hold),
            call_outcome: ticket.call.map(|call| {
                if call.answered {
                    "answered"
                } else {
                    "abandoned"
                }
            }),
            call_wait_seconds: ticket.call.and_then(|call| call.wait_seconds),
        }
    }
}

pub fn write(
    rows: &[TicketRow],
    format: TabularFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    #[cfg(feature = "parquet")]
    if format == TabularFormat::Parquet {
        return super::parquet::write_tickets(rows, out);
    }
    #[cfg(not(feature = "parquet"))]
    if format == TabularFormat::Parquet {
        return Err(io::Error::other(
            "this ticketkpi was built without Parquet (cargo feature `parquet`)",
        ));
    }
    let csv = |out: &mut dyn Write| write_csv(rows, out);
    super::list::write(rows, || summary(rows), csv, format, style, out)
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
        for tag in &mut safe.tags.names {
            *tag = defuse_formula(tag).into_owned();
        }
        safe.tags.one_cell = true;
        safe.attributes.one_cell = true;
        writer.serialize(safe).map_err(csv_io)?;
    }
    writer.flush()
}

/// A ticket's tags as the list writes them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagList {
    /// In name order.
    pub names: Vec<String>,
    /// Written as one text (a CSV cell holds no list), the names joined with `, `: read
    /// back by the tags rule, which splits at commas.
    one_cell: bool,
}

impl TagList {
    pub fn of(tags: &[crate::symbols::Sym], symbols: &crate::symbols::Symbols) -> TagList {
        let mut names: Vec<String> = tags.iter().map(|t| symbols.name(*t).to_owned()).collect();
        names.sort_unstable();
        TagList {
            names,
            one_cell: false,
        }
    }

    pub fn joined(&self) -> String {
        self.names.join(", ")
    }
}

impl Serialize for TagList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.one_cell {
            serializer.serialize_str(&self.joined())
        } else {
            self.names.serialize(serializer)
        }
    }
}

/// A ticket's attribute values as the list writes them, by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AttributeList {
    pub pairs: Vec<(String, String)>,
    /// Listed: the mapping declares attribute columns (else the list has no such member).
    pub shown: bool,
    /// Written as one text (CSV), `name=value; name=value`.
    one_cell: bool,
}

impl AttributeList {
    pub fn of(
        attributes: &[(crate::symbols::Sym, crate::symbols::Sym)],
        symbols: &crate::symbols::Symbols,
    ) -> AttributeList {
        let mut pairs: Vec<(String, String)> = attributes
            .iter()
            .map(|(name, value)| {
                (
                    symbols.name(*name).to_owned(),
                    symbols.name(*value).to_owned(),
                )
            })
            .collect();
        pairs.sort();
        AttributeList {
            pairs,
            shown: false,
            one_cell: false,
        }
    }

    fn hidden(&self) -> bool {
        !self.shown
    }
}

impl Serialize for AttributeList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.one_cell {
            let cell: Vec<String> = self
                .pairs
                .iter()
                .map(|(name, value)| format!("{name}={}", defuse_formula(value)))
                .collect();
            return serializer.serialize_str(&cell.join("; "));
        }
        let mut map = serializer.serialize_map(Some(self.pairs.len()))?;
        for (name, value) in &self.pairs {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The columns that fit a terminal, one ticket per line; the tags where a ticket has any.
fn summary(rows: &[TicketRow]) -> Section {
    let tagged = rows.iter().any(|row| !row.tags.names.is_empty());
    let mut columns = vec![
        Column::label("Ticket"),
        Column::label("Channel"),
        Column::label("Priority"),
        Column::label("Created"),
        Column::figure("FRT"),
        Column::figure("Replies"),
        Column::figure("Reopens"),
        Column::label("Status"),
        Column::figure("Resolution"),
        Column::figure("CSAT"),
        Column::label("SLA 1st"),
        Column::label("SLA res"),
    ];
    if tagged {
        columns.push(Column::label("Tags"));
    }
    let rows = rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.ticket_id.clone(),
                row.channel.clone(),
                row.priority.clone(),
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
            ];
            if tagged {
                cells.push(row.tags.joined());
            }
            cells
        })
        .collect();
    Section::new("Tickets", columns, rows).listed()
}
