//! Validation: a mapped row becomes what its shape makes of it (an event, a message of a
//! thread, a ticket record), or the reason it is invalid. Pure, so that chunks of a file are
//! converted on several threads.

use super::Event;
use super::extras::Extras;
use super::mapping::{MappedField, MappedRow, Mapping, Shape};
use super::row::{self, Field, RowError, RowRules};
use super::ticket_record::{self, TicketRecord};
use super::values::ValueNotes;
use crate::symbols::Symbols;

/// A valid row, converted to what its shape makes of it, with what it says beyond that.
#[derive(Debug, Clone)]
pub(crate) struct Converted<'r> {
    pub record: Record<'r>,
    pub notes: ValueNotes,
}

#[derive(Debug, Clone)]
pub(crate) enum Record<'r> {
    Event {
        ticket_id: std::borrow::Cow<'r, str>,
        event: Event,
        /// The row's tags and attribute values, beside the event (see `extras`).
        extras: Extras,
    },
    Message {
        id: String,
        parent: Option<String>,
        event: Event,
        extras: Extras,
    },
    Ticket(Box<TicketRecord>),
}

impl Converted<'_> {
    /// The same, owning its ticket id (to outlive the row it came from).
    pub(crate) fn into_owned(self) -> Converted<'static> {
        let record = match self.record {
            Record::Event {
                ticket_id,
                event,
                extras,
            } => Record::Event {
                ticket_id: std::borrow::Cow::Owned(ticket_id.into_owned()),
                event,
                extras,
            },
            Record::Message {
                id,
                parent,
                event,
                extras,
            } => Record::Message {
                id,
                parent,
                event,
                extras,
            },
            Record::Ticket(record) => Record::Ticket(record),
        };
        Converted {
            record,
            notes: self.notes,
        }
    }

    /// Rewrites interned values from a chunk's own table to the shared one.
    pub fn remap(&mut self, map: &[crate::symbols::Sym]) {
        let (attributes, extras) = match &mut self.record {
            Record::Event { event, extras, .. } | Record::Message { event, extras, .. } => {
                (&mut event.attributes, extras)
            }
            Record::Ticket(record) => (&mut record.attributes, &mut record.extras),
        };
        attributes.remap(map);
        extras.remap(map);
    }
}

/// Validates a mapped row into what its shape makes of it. Pure, so chunks of a file can be
/// converted on several threads.
pub(crate) fn convert<'r>(
    mapping: &Mapping,
    row: &'r MappedRow<'_>,
    fingerprint: u64,
    source: u16,
    rules: &RowRules,
    symbols: &mut Symbols,
) -> Result<Converted<'r>, RowError> {
    let mut notes = row.notes.clone();
    let unknown_status = mapping.unknown_status;
    let record = match mapping.shape {
        Shape::Events => {
            let (ticket_id, mut event) = row::parse_row_noting(
                &row.event_values(),
                rules,
                unknown_status,
                symbols,
                &mut notes,
            )?;
            event.fingerprint = fingerprint;
            event.source = source;
            Record::Event {
                ticket_id: std::borrow::Cow::Borrowed(ticket_id),
                event,
                extras: Extras::of(row, mapping, symbols),
            }
        }
        Shape::Threads => {
            let mut values = row.event_values();
            values.set(Field::TicketId, row.get(MappedField::MessageId));
            let (id, mut event) =
                row::parse_row_noting(&values, rules, unknown_status, symbols, &mut notes)?;
            event.fingerprint = fingerprint;
            event.source = source;
            let parent = row.get(MappedField::ParentId);
            Record::Message {
                id: id.to_owned(),
                parent: (!parent.is_empty()).then(|| parent.to_owned()),
                event,
                extras: Extras::of(row, mapping, symbols),
            }
        }
        Shape::Tickets => {
            let ticket = ticket_record::TicketRules {
                order: row.order.as_deref(),
                rollover: &mapping.rollover,
                unknown_status,
                mapping,
            };
            Record::Ticket(Box::new(ticket_record::parse_ticket_row(
                row, ticket, rules, symbols, &mut notes,
            )?))
        }
    };
    Ok(Converted { record, notes })
}
