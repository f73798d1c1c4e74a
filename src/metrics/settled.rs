//! What tickets folded away contribute to a report: `report --state` folds the tickets that
//! nothing but their own new events could change into this (their accumulators, the
//! time-of-day grid and the periods' open spans included, which are accumulators of the fold,
//! and the counts the report shows), so that a later night merges it instead of deriving
//! those tickets again.
//!
//! It is the fold of one set of settings (the `--by`, `--period`, zone, window and KPI
//! settings it was made with): the state keys it by them (src/state/fold.rs).

use chrono_tz::Tz;

use super::Context;
use super::fold::TicketFold;
use crate::model::Ticket;
use crate::time::Instant;

/// The accumulated state of tickets no longer held.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Settled {
    pub fold: TicketFold,
    /// Tickets observed (kept by `--since`/`--until` and `--where`).
    pub tickets: u64,
    /// Left out by `--since`/`--until`, and by `--where`.
    pub filtered_out: u64,
    pub left_out: u64,
    /// What deriving them counted: copies from another file dropped, and repeats kept.
    pub duplicate_events: u64,
    pub repeated_rows: u64,
    /// The first and last creation of the tickets observed.
    pub created: Option<(Instant, Instant)>,
}

impl Settled {
    /// Nothing folded yet: `empty` is the empty fold of the report's settings.
    pub fn new(empty: TicketFold) -> Settled {
        Settled {
            fold: empty,
            tickets: 0,
            filtered_out: 0,
            left_out: 0,
            duplicate_events: 0,
            repeated_rows: 0,
            created: None,
        }
    }

    /// Folds `tickets` (the kept ones) at `context.as_of`; `empty` as for [`Settled::new`].
    pub fn observe(&mut self, tickets: &[Ticket], empty: TicketFold, context: &Context<'_>) {
        let folded = empty.fold(tickets, context, 1);
        let fold = std::mem::replace(&mut self.fold, TicketFold::new(Vec::new(), Tz::UTC, None));
        self.fold = fold.merge(folded);
        for ticket in tickets {
            self.created = Some(match self.created {
                Some((first, last)) => (first.min(ticket.created_at), last.max(ticket.created_at)),
                None => (ticket.created_at, ticket.created_at),
            });
        }
        self.tickets += tickets.len() as u64;
    }

    pub fn merge(&mut self, other: Settled) {
        let fold = std::mem::replace(&mut self.fold, TicketFold::new(Vec::new(), Tz::UTC, None));
        self.fold = fold.merge(other.fold);
        self.tickets += other.tickets;
        self.filtered_out += other.filtered_out;
        self.left_out += other.left_out;
        self.duplicate_events += other.duplicate_events;
        self.repeated_rows += other.repeated_rows;
        self.created = match (self.created, other.created) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        };
    }
}
