//! The per-ticket facts as they travel between the fold and the KPI aggregates: the
//! library's `Ticket`, its five labels as text (symbols are indices into a table of one
//! partition, meaningless in another), and what the fold found beside it.

use datafusion::error::{DataFusionError, Result};
use serde::{Deserialize, Serialize};
use ticketkpi::model::Ticket;
use ticketkpi::symbols::{Sym, Symbols};

/// One ticket id's fold: the ticket at `as_of` (none when all its events are later), and the
/// counts the report's input and data-quality blocks add up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketFacts {
    /// Its symbols index `labels`.
    pub ticket: Option<Ticket>,
    /// `labels[0]` is the empty value; then the ticket's own labels.
    pub labels: Vec<String>,
    pub counts: FoldCounts,
}

/// What folding events into tickets counts beside the tickets (see `model::Tickets`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoldCounts {
    pub events_after_as_of: u64,
    pub duplicate_events: u64,
    pub repeated_rows: u64,
}

impl FoldCounts {
    pub fn add(&mut self, other: FoldCounts) {
        self.events_after_as_of += other.events_after_as_of;
        self.duplicate_events += other.duplicate_events;
        self.repeated_rows += other.repeated_rows;
    }
}

/// The ticket's symbols, in a fixed order.
fn symbols_of(ticket: &mut Ticket) -> [&mut Sym; 5] {
    [
        &mut ticket.channel,
        &mut ticket.priority,
        &mut ticket.category,
        &mut ticket.team,
        &mut ticket.agent,
    ]
}

impl TicketFacts {
    /// The facts of `ticket`, whose symbols are in `symbols`.
    pub fn new(ticket: Option<Ticket>, symbols: &Symbols, counts: FoldCounts) -> TicketFacts {
        // A table of the ticket's own labels: its symbols are small indices into it.
        let mut own = Symbols::default();
        let ticket = ticket.map(|mut ticket| {
            for sym in symbols_of(&mut ticket) {
                *sym = own.intern(symbols.name(*sym));
            }
            ticket
        });
        TicketFacts {
            ticket,
            labels: own.names().map(str::to_owned).collect(),
            counts,
        }
    }

    /// The ticket with its labels interned in `symbols`.
    pub fn into_ticket(self, symbols: &mut Symbols) -> Option<Ticket> {
        let map = symbols.absorb_names(self.labels.iter().map(String::as_str));
        self.ticket.map(|mut ticket| {
            for sym in symbols_of(&mut ticket) {
                *sym = sym.remapped(&map);
            }
            ticket
        })
    }

    pub fn encode(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self)
            .map_err(|error| DataFusionError::Internal(format!("encoding a ticket: {error}")))
    }

    pub fn decode(bytes: &[u8]) -> Result<TicketFacts> {
        postcard::from_bytes(bytes).map_err(|error| {
            DataFusionError::Execution(format!(
                "reading ticket facts: {error} (the argument of ticket_report and ticket_kpis is \
                 what ticket_fold or ticket_record_fold returns)"
            ))
        })
    }
}
