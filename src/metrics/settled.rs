//! What tickets folded away contribute to a report: `report --state` folds the tickets that
//! nothing but their own new events could change into this (their accumulators, the
//! time-of-day grid, their share of the periods' backlogs and the counts the report shows),
//! so that a later night merges it instead of deriving those tickets again.
//!
//! It is the fold of one set of settings (the `--by`, `--period`, zone, window and KPI
//! settings it was made with): the state keys it by them (src/state/fold.rs).

use chrono_tz::Tz;

use super::Context;
use super::backlog::EarlierBacklog;
use super::fold::TicketFold;
use super::time_of_day::TimeOfDayCells;
use crate::model::Ticket;
use crate::time::{Instant, Period};

/// The accumulated state of tickets no longer held.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Settled {
    pub fold: TicketFold,
    pub time_of_day: TimeOfDayCells,
    pub backlog: EarlierBacklog,
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
            time_of_day: TimeOfDayCells::default(),
            backlog: EarlierBacklog::default(),
            tickets: 0,
            filtered_out: 0,
            left_out: 0,
            duplicate_events: 0,
            repeated_rows: 0,
            created: None,
        }
    }

    /// Folds `tickets` (the kept ones) at `context.as_of`; `empty` as for [`Settled::new`].
    /// `periods_from` is where the report's periods start (the first creation of all its
    /// tickets): their ends before `as_of` get these tickets' backlog.
    pub fn observe(
        &mut self,
        tickets: &[Ticket],
        empty: TicketFold,
        context: &Context<'_>,
        tz: Tz,
        period: Option<Period>,
        periods_from: Option<Instant>,
    ) {
        let folded = empty.fold(tickets, context, 1);
        let fold = std::mem::replace(&mut self.fold, TicketFold::new(Vec::new(), tz, None));
        self.fold = fold.merge(folded);
        for ticket in tickets {
            self.time_of_day.observe(ticket, tz);
            self.created = Some(match self.created {
                Some((first, last)) => (first.min(ticket.created_at), last.max(ticket.created_at)),
                None => (ticket.created_at, ticket.created_at),
            });
        }
        self.tickets += tickets.len() as u64;
        if let (Some(period), Some(from)) = (period, periods_from) {
            let ends = period_ends_before(period, tz, from, context.as_of);
            self.backlog.merge(EarlierBacklog::of(tickets, &ends));
        }
    }

    pub fn merge(&mut self, other: Settled) {
        let fold = std::mem::replace(&mut self.fold, TicketFold::new(Vec::new(), Tz::UTC, None));
        self.fold = fold.merge(other.fold);
        self.time_of_day.merge(other.time_of_day);
        self.backlog.merge(other.backlog);
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

/// The last instants of the periods from the one of `from` on that end before `as_of`: the
/// instants a report's period backlogs are taken at (buckets tile time, so any report whose
/// periods reach back to `from` takes them at these).
fn period_ends_before(period: Period, tz: Tz, from: Instant, as_of: Instant) -> Vec<Instant> {
    let mut ends = Vec::new();
    let mut at = from;
    loop {
        let bucket = period.bucket_of(at, tz);
        if bucket.end > as_of {
            return ends;
        }
        ends.push(bucket.end - 1);
        at = bucket.end.max(at + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MICROS_PER_SECOND;

    #[test]
    fn period_ends_stop_before_as_of() {
        let day = 86_400 * MICROS_PER_SECOND;
        let ends = period_ends_before(Period::Day, Tz::UTC, day / 2, 3 * day + 5);
        assert_eq!(ends, [day - 1, 2 * day - 1, 3 * day - 1]);
        assert!(period_ends_before(Period::Day, Tz::UTC, day / 2, day - 1).is_empty());
    }
}
