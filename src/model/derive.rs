//! From the store to the tickets, a batch at a time: each batch's events are ordered, cut at
//! `as_of` and walked on the threads, then freed, so a caller that folds each batch and drops
//! it never holds every ticket at once (`report` folds 1.4 M tickets in the memory of a few
//! thousand).

use rayon::prelude::*;

use super::stored::{StoredEvent, Tables};
use super::{Seen, Ticket, TicketStore, attributes_at, drop_duplicates, tags_at};
use crate::ingest::{Event, TicketRecord};
use crate::time::Instant;

/// Tickets derived per batch: enough that the threads' hand-over costs nothing, few enough
/// that a batch of derived tickets (~700 bytes each) stays a few megabytes.
const BATCH: usize = 8192;

/// What deriving the tickets counted, beside them (see [`super::Tickets`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeriveCounts {
    pub events_after_as_of: u64,
    pub duplicate_events: u64,
    pub repeated_rows: u64,
}

impl DeriveCounts {
    fn add(&mut self, other: DeriveCounts) {
        self.events_after_as_of += other.events_after_as_of;
        self.duplicate_events += other.duplicate_events;
        self.repeated_rows += other.repeated_rows;
    }
}

/// One ticket of the store, moved out of it to be derived.
struct Held {
    id: String,
    events: Vec<StoredEvent>,
    seen: Seen,
}

impl TicketStore {
    /// Derives the tickets at `as_of` on `threads` threads and hands them to `each` in batches,
    /// in the order [`TicketStore::into_tickets`] lists them (the event-log tickets by first
    /// row, then the ticket-level records by creation and id). A batch's events are freed once
    /// it is derived.
    pub fn derive_in_batches(
        self,
        as_of: Instant,
        threads: usize,
        mut each: impl FnMut(Vec<Ticket>),
    ) -> DeriveCounts {
        let TicketStore {
            index,
            events,
            tables,
            records,
            mut extras,
            ..
        } = self;
        // Ids by slot, moved out of the index (each id is stored once).
        let mut ids: Vec<String> = vec![String::new(); events.len()];
        for (id, slot) in index {
            ids[slot] = id.into_string();
        }
        // No pool (or none to be had): the same tickets, derived on this thread.
        let pool = (threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .ok()
            })
            .flatten();
        let mut counts = DeriveCounts::default();
        let mut held = ids
            .into_iter()
            .zip(events)
            .enumerate()
            .map(|(slot, (id, events))| Held {
                id,
                events,
                seen: extras.remove(&slot).unwrap_or_default(),
            });
        let derive = |held: Held| derive_one(held, &tables, as_of);
        // With a pool, the pool derives the next batch while this thread hands out the one
        // before: `each` (the fold) stays on this thread, whose allocator reuses the memory
        // the events freed (folding on the pool's threads too took 851 MiB at 1 GB, not 729).
        let mut derived: Option<Vec<(Option<Ticket>, DeriveCounts)>> = None;
        loop {
            let batch: Vec<Held> = held.by_ref().take(BATCH).collect();
            if batch.is_empty() && derived.is_none() {
                break;
            }
            let before = derived.take();
            let next: Vec<_> = match &pool {
                Some(pool) => std::thread::scope(|scope| {
                    let deriving = scope
                        .spawn(|| pool.install(|| batch.into_par_iter().map(derive).collect()));
                    if let Some(before) = before {
                        each(tally(before, &mut counts));
                    }
                    deriving
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                }),
                None => {
                    if let Some(before) = before {
                        each(tally(before, &mut counts));
                    }
                    batch.into_iter().map(derive).collect()
                }
            };
            derived = Some(next).filter(|next| !next.is_empty());
        }
        let mut records: Vec<TicketRecord> = records.into_values().collect();
        records.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut records = records.into_iter();
        while !records.as_slice().is_empty() {
            each(
                records
                    .by_ref()
                    .take(BATCH)
                    .filter_map(|record| Ticket::from_record(record, as_of))
                    .collect(),
            );
        }
        counts
    }

    /// The first and last creation of the tickets at `as_of` created within `[since, until]`
    /// (either open), without deriving them: what a `--period` table will span, known before
    /// the tickets are folded.
    pub fn created_range(
        &self,
        as_of: Instant,
        since: Option<Instant>,
        until: Option<Instant>,
    ) -> Option<(Instant, Instant)> {
        let first_events = self.events.iter().filter_map(|events| {
            events
                .iter()
                .map(|event| event.at)
                .filter(|at| *at <= as_of)
                .min()
        });
        let records = self
            .records
            .values()
            .map(|record| record.created_at)
            .filter(|at| *at <= as_of);
        first_events
            .chain(records)
            .filter(|at| since.is_none_or(|since| *at >= since))
            .filter(|at| until.is_none_or(|until| *at <= until))
            .fold(None, |range, at| match range {
                Some((first, last)) => Some((at.min(first), at.max(last))),
                None => Some((at, at)),
            })
    }
}

/// A derived batch's tickets, its counts added to `counts`.
fn tally(derived: Vec<(Option<Ticket>, DeriveCounts)>, counts: &mut DeriveCounts) -> Vec<Ticket> {
    let mut tickets = Vec::with_capacity(derived.len());
    for (ticket, counted) in derived {
        counts.add(counted);
        tickets.extend(ticket);
    }
    tickets
}

/// One ticket: its events ordered (a stable sort keeps input order for equal timestamps, as
/// the contract requires), copies from other files dropped, cut at `as_of`, walked.
fn derive_one(held: Held, tables: &Tables, as_of: Instant) -> (Option<Ticket>, DeriveCounts) {
    let Held {
        id,
        mut events,
        seen,
    } = held;
    events.sort_by_key(|event| event.at);
    let repeats = drop_duplicates(&mut events);
    let kept = events.partition_point(|event| event.at <= as_of);
    let counts = DeriveCounts {
        events_after_as_of: (events.len() - kept) as u64,
        duplicate_events: repeats.dropped,
        repeated_rows: repeats.kept,
    };
    let unpacked: Vec<Event> = events[..kept]
        .iter()
        .map(|event| event.unpack(tables))
        .collect();
    drop(events);
    let ticket = Ticket::derive(id, &unpacked).map(|mut ticket| {
        ticket.tags = tags_at(&seen.tags, as_of);
        ticket.attributes = attributes_at(seen.attributes, as_of);
        ticket
    });
    (ticket, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::store_of;

    /// More tickets than a batch, so that batches and threads both show.
    fn rows() -> Vec<String> {
        (0..BATCH * 2 + 17)
            .flat_map(|i| {
                let minute = (i * 7) % 5000;
                [
                    format!("T{i} {minute} message customer"),
                    format!("T{i} {} message agent", minute + 3 + i % 11),
                    format!("T{i} {} status - status=solved", minute + 40 + i % 13),
                ]
            })
            .collect()
    }

    #[test]
    fn threads_and_batches_derive_what_one_pass_does() {
        let rows = rows();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (store, as_of) = store_of(&rows, Some(4000));
        let one = store.into_tickets(as_of);
        let (store, _) = store_of(&rows, Some(4000));
        let two = store.into_tickets_on(as_of, 2);
        assert_eq!(one.tickets, two.tickets);
        assert_eq!(one.events_after_as_of, two.events_after_as_of);
        assert!(one.events_after_as_of > 0, "as_of cuts some events");
        let (store, _) = store_of(&rows, Some(4000));
        let mut sizes = Vec::new();
        store.derive_in_batches(as_of, 2, |batch| sizes.push(batch.len()));
        assert!(sizes.len() >= 3, "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), one.tickets.len());
    }

    #[test]
    fn the_created_range_is_that_of_the_derived_tickets() {
        let rows = rows();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (store, as_of) = store_of(&rows, Some(4000));
        let range = store.created_range(as_of, None, None);
        let tickets = store.into_tickets(as_of).tickets;
        let first = tickets.iter().map(|t| t.created_at).min();
        let last = tickets.iter().map(|t| t.created_at).max();
        assert_eq!(range, first.zip(last));
        let (store, _) = store_of(&rows, Some(4000));
        let since = first.map(|first| first + 60_000_000);
        let narrowed = store.created_range(as_of, since, None);
        assert!(narrowed.is_some_and(|(from, _)| Some(from) >= since));
    }
}
