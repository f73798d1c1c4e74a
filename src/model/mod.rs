//! The ticket model: events grouped by ticket, ordered, cut at `as_of`, folded into facts.

pub mod call;
mod derive;
mod stored;
pub mod ticket;

use std::collections::HashMap;

use rustc_hash::FxHashMap;

pub use call::Call;
pub use derive::DeriveCounts;
pub use ticket::{Direction, ReplyState, Ticket};

use crate::ingest::extras::Extras;
use crate::ingest::{Event, TicketRecord};
use crate::symbols::Sym;
use crate::time::Instant;
use stored::{StoredEvent, Tables};

/// Events collected per ticket, in input order.
///
/// Rows need not be sorted, and the default `as_of` is only known once every row is read, so
/// each ticket keeps its events until [`TicketStore::into_tickets`].
#[derive(Debug, Default)]
pub struct TicketStore {
    /// Ticket id -> slot. FxHash: ids are hashed once per row of the export, and
    /// SipHash's protection against crafted keys buys nothing for a local batch job.
    index: FxHashMap<Box<str>, usize>,
    /// Per slot, the ticket's events in input order (compact: see `stored`).
    events: Vec<Vec<StoredEvent>>,
    /// The events' attribute sets and numbers, out of line.
    tables: Tables,
    event_count: u64,
    /// Tickets read from ticket-level exports: one record each, the winning row.
    records: HashMap<String, TicketRecord>,
    /// The text of the ids held (an id can be of any length), for the estimate.
    id_bytes: u64,
    /// Per slot, what its rows said beyond the events (tags, attribute values).
    extras: FxHashMap<usize, Seen>,
    extra_entries: u64,
    /// The tickets will be folded a batch at a time (`derive_in_batches`), not all held:
    /// what each costs at the peak is then its share of the fold, not a derived ticket.
    folded: bool,
}

/// What a ticket costs at the peak beyond its events, when every derived ticket is held:
/// valgrind massif measured 464 bytes a `Ticket` and about 230 in its own vectors
/// (BENCHMARKS.md, 2026-12-02, store).
const HELD_TICKET_BYTES: u64 = 700;

/// The same when the tickets are folded a batch at a time: its index entry, slot and share of
/// the fold's values (durations for the medians). Growth of `report`'s peak RSS (one thread)
/// on the generated exports, less 30 bytes an event: 213 bytes a ticket from 140 k to 1.4 M
/// tickets, 299 from 14 k to 140 k (BENCHMARKS.md, 2026-12-02, folded).
const FOLDED_TICKET_BYTES: u64 = 250;

/// What a ticket's rows said beyond their events, until the end of the input.
#[derive(Debug, Default)]
struct Seen {
    /// Each tag, with the earliest instant a row carried it: a ticket's tags at `as_of` are
    /// those seen by then (the union over its rows).
    tags: Vec<(Sym, Instant)>,
    /// Every (name, instant, value) of an attribute column, in input order: the value at
    /// `as_of` is the last non-empty one in event order, as for the category.
    attributes: Vec<(Sym, Instant, Sym)>,
}

/// The tickets at `as_of`, and how many events lay beyond it.
#[derive(Debug)]
pub struct Tickets {
    pub tickets: Vec<Ticket>,
    pub events_after_as_of: u64,
    /// Copies of a row (same ticket and timestamp, verbatim) beyond the most that any one
    /// input file has: an export loaded twice, or overlapping nightly files. Dropped,
    /// reported here.
    pub duplicate_events: u64,
    /// Verbatim repeats within one file: kept (a log with coarse timestamps can repeat a
    /// status change within a minute), reported as a note.
    pub repeated_rows: u64,
}

impl TicketStore {
    pub fn push(&mut self, ticket_id: &str, event: Event) {
        let slot = match self.index.get(ticket_id) {
            Some(slot) => *slot,
            None => {
                let slot = self.events.len();
                self.id_bytes += ticket_id.len() as u64;
                self.index.insert(ticket_id.into(), slot);
                self.events.push(Vec::new());
                slot
            }
        };
        let event = StoredEvent::pack(event, &mut self.tables);
        if let Some(events) = self.events.get_mut(slot) {
            grow_for_one_more(events);
            events.push(event);
        }
        self.event_count += 1;
    }

    /// The tags and attribute values of an event pushed before (for `ticket_id`), dated
    /// `at`: each tag is kept with the earliest instant a row carried it.
    pub fn push_extras(&mut self, ticket_id: &str, at: Instant, extras: &Extras) {
        let Some(slot) = self.index.get(ticket_id).copied() else {
            return;
        };
        let seen = self.extras.entry(slot).or_default();
        for tag in &extras.tags {
            match seen.tags.iter_mut().find(|(known, _)| known == tag) {
                Some((_, first)) => *first = (*first).min(at),
                None => {
                    seen.tags.push((*tag, at));
                    self.extra_entries += 1;
                }
            }
        }
        for (name, value) in &extras.attributes {
            seen.attributes.push((*name, at, *value));
            self.extra_entries += 1;
        }
    }

    /// A ticket-level row. When an export repeats a ticket (audit rows), the row with the
    /// greatest `order` wins, and the later one among equals.
    pub fn push_record(&mut self, record: TicketRecord) {
        match self.records.get_mut(&record.id) {
            Some(kept) if kept.order > record.order => {}
            Some(kept) => *kept = record,
            None => {
                // The id twice: the record's own and the key.
                self.id_bytes += 2 * record.id.len() as u64;
                self.records.insert(record.id.clone(), record);
            }
        }
    }

    /// A store whose tickets will be derived and folded a batch at a time, for the estimate.
    pub fn folding() -> TicketStore {
        TicketStore {
            folded: true,
            ..TicketStore::default()
        }
    }

    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    /// What holding the input takes, roughly: each event with its share of `Vec` growth,
    /// the tables of attribute sets and numbers, per ticket its index entry and the derived
    /// ticket to come (or its share of the fold, when folding), and the text of its id.
    pub fn estimated_bytes(&self) -> u64 {
        let per_ticket = if self.folded {
            FOLDED_TICKET_BYTES
        } else {
            HELD_TICKET_BYTES
        };
        // Growth slack: a quarter at most, or 3 events on a small ticket (`grow_for_one_more`).
        let per_event = std::mem::size_of::<StoredEvent>() as u64 * 5 / 4;
        let per_extra = std::mem::size_of::<(Sym, Instant, Sym)>() as u64 * 2;
        self.event_count * per_event
            + self.tables.estimated_bytes()
            + self.len() as u64 * per_ticket
            + self.id_bytes
            + self.extra_entries * per_extra
    }

    /// The text of the ticket ids held.
    pub fn id_bytes(&self) -> u64 {
        self.id_bytes
    }

    pub fn len(&self) -> usize {
        self.events.len() + self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Orders each ticket's events (timestamp, then input order), drops those after `as_of`
    /// and derives the tickets. A ticket whose events all lie after `as_of` does not exist yet.
    pub fn into_tickets(self, as_of: Instant) -> Tickets {
        self.into_tickets_on(as_of, 1)
    }

    /// [`TicketStore::into_tickets`] on `threads` threads: the same tickets in the same order.
    pub fn into_tickets_on(self, as_of: Instant, threads: usize) -> Tickets {
        let mut tickets = Vec::with_capacity(self.len());
        let counts = self.derive_in_batches(as_of, threads, |batch| tickets.extend(batch));
        Tickets {
            tickets,
            events_after_as_of: counts.events_after_as_of,
            duplicate_events: counts.duplicate_events,
            repeated_rows: counts.repeated_rows,
        }
    }
}

/// The tags seen by `as_of`, as a set.
fn tags_at(seen: &[(Sym, Instant)], as_of: Instant) -> Vec<Sym> {
    let mut tags: Vec<Sym> = seen
        .iter()
        .filter(|(_, at)| *at <= as_of)
        .map(|(tag, _)| *tag)
        .collect();
    tags.sort_unstable();
    tags
}

/// Each attribute's last value by `as_of` in event order (time, then input order), by name.
fn attributes_at(mut seen: Vec<(Sym, Instant, Sym)>, as_of: Instant) -> Vec<(Sym, Sym)> {
    seen.retain(|(_, at, _)| *at <= as_of);
    // Stable: among equal instants input order stays, and the last one wins.
    seen.sort_by_key(|(name, at, _)| (*name, *at));
    let mut last: Vec<(Sym, Sym)> = Vec::new();
    for (name, _, value) in seen {
        match last.last_mut() {
            Some((known, kept)) if *known == name => *kept = value,
            _ => last.push((name, value)),
        }
    }
    last
}

/// Room for one more event, growing by a quarter (at least 4) rather than doubling: a
/// ticket's few events would otherwise leave on average a third of its `Vec` empty, which
/// massif measured at 53 bytes an event for 24-byte events. Geometric still, so a ticket
/// with many events is copied a bounded number of times per event.
fn grow_for_one_more(events: &mut Vec<StoredEvent>) {
    if events.len() == events.capacity() {
        events.reserve_exact((events.len() / 4).max(4));
    }
}

struct Repeats {
    dropped: u64,
    kept: u64,
}

/// Keeps, of the copies of one row at one instant (same ticket, same source row by its hash,
/// same event), as many as the input file with the most of them has, and drops the rest as
/// duplicates; the copies kept beyond the first are repeats within a file (noted). Only a
/// copy in another file is surely a duplicate: real exports repeat rows legitimately within
/// a file (a brand's answer split over two tweets in one second, the same status change
/// twice within a minute in a log kept to the minute). Taking the largest count per file,
/// rather than the first file's, makes the result the same in any order of the files.
/// `events` is sorted by time, so copies are within a run of equal timestamps; each run is
/// sorted once, so many events at one instant cost `n log n`.
fn drop_duplicates(events: &mut Vec<StoredEvent>) -> Repeats {
    let mut repeats = Repeats {
        dropped: 0,
        kept: 0,
    };
    let mut keep = vec![true; events.len()];
    let mut start = 0;
    while start < events.len() {
        let at = events[start].at;
        let len = events[start..].iter().take_while(|e| e.at == at).count();
        if len > 1 {
            mark_copies(
                &events[start..start + len],
                &mut keep[start..start + len],
                &mut repeats,
            );
        }
        start += len;
    }
    let mut kept = keep.into_iter();
    events.retain(|_| kept.next().unwrap_or(true));
    repeats
}

/// Within the events of one instant: for each row, clears `keep` of its copies beyond the
/// most that one source has (the earliest copies stay, in input order).
fn mark_copies(run: &[StoredEvent], keep: &mut [bool], repeats: &mut Repeats) {
    let mut order: Vec<usize> = (0..run.len()).collect();
    order.sort_by_key(|&i| (run[i].row_key(), run[i].source, i));
    for copies in order.chunk_by(|a, b| run[*a].row_key() == run[*b].row_key()) {
        if copies.len() < 2 {
            continue;
        }
        // Sorted by source within the row: the longest run of one source.
        let most = copies
            .chunk_by(|a, b| run[*a].source == run[*b].source)
            .map(<[usize]>::len)
            .max()
            .unwrap_or(1);
        let mut in_input_order = copies.to_vec();
        in_input_order.sort_unstable();
        for &i in &in_input_order[most..] {
            keep[i] = false;
        }
        repeats.dropped += (copies.len() - most) as u64;
        repeats.kept += (most - 1) as u64;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::event::Status;
    use crate::ingest::row::{Field, RowRules, RowValues, parse_row};
    use crate::symbols::Symbols;
    use crate::time::parse_timestamp;

    /// Builds tickets from compact rows:
    /// `"ticket minute event author [key=value ...]"`, minutes after 2026-03-02T00:00:00Z.
    pub(crate) fn tickets_from(rows: &[&str], as_of_minute: Option<i64>) -> (Vec<Ticket>, Symbols) {
        let (tickets, symbols, _) = build(rows, as_of_minute);
        (tickets, symbols)
    }

    /// Like [`tickets_from`], also returning the `as_of` used.
    pub(crate) fn build(
        rows: &[&str],
        as_of_minute: Option<i64>,
    ) -> (Vec<Ticket>, Symbols, Instant) {
        let (store, symbols, as_of) = stored(rows, as_of_minute);
        (store.into_tickets(as_of).tickets, symbols, as_of)
    }

    /// The store [`build`] derives its tickets from, and the `as_of` it uses.
    pub(crate) fn store_of(rows: &[&str], as_of_minute: Option<i64>) -> (TicketStore, Instant) {
        let (store, _, as_of) = stored(rows, as_of_minute);
        (store, as_of)
    }

    fn stored(rows: &[&str], as_of_minute: Option<i64>) -> (TicketStore, Symbols, Instant) {
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        let base = parse_timestamp("2026-03-02T00:00:00Z", chrono_tz::Tz::UTC).unwrap();
        let mut latest = i64::MIN;
        for row in rows {
            let mut parts = row.split_whitespace();
            let id = parts.next().unwrap();
            let minute: i64 = parts.next().unwrap().parse().unwrap();
            let event = parts.next().unwrap();
            let author = parts.next().unwrap();
            let mut values = RowValues::default();
            values.set(Field::TicketId, id);
            values.set(Field::Event, event);
            values.set(Field::AuthorType, if author == "-" { "" } else { author });
            let pairs: Vec<(Field, &str)> = parts
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap();
                    (key.parse::<Field>().unwrap(), value)
                })
                .collect();
            for (field, value) in &pairs {
                values.set(*field, value);
            }
            // Unix seconds keep the helper short; parse_row reads them like any timestamp.
            let seconds = ((base + minute * 60_000_000) / 1_000_000).to_string();
            values.set(Field::Timestamp, &seconds);
            let (id, event) = parse_row(&values, &RowRules::default(), &mut symbols).unwrap();
            latest = latest.max(event.at);
            let at = event.at;
            let extras = Extras {
                tags: crate::ingest::tags::intern(values.get(Field::Tags), None, &mut symbols),
                attributes: Vec::new(),
            };
            store.push(id, event);
            store.push_extras(id, at, &extras);
        }
        let as_of = as_of_minute.map_or(latest, |minute| base + minute * 60_000_000);
        (store, symbols, as_of)
    }

    #[test]
    fn tags_are_the_union_over_the_rows_until_as_of() {
        let rows = [
            "T 0 message customer tags=billing;vip",
            "T 5 message agent",
            "T 9 message customer tags=Refund;billing",
            "T 20 message agent tags=late",
        ];
        let (tickets, symbols) = tickets_from(&rows, Some(10));
        let mut names: Vec<&str> = tickets[0].tags.iter().map(|t| symbols.name(*t)).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["billing", "refund", "vip"],
            "a tag first seen after as_of is not the ticket's yet"
        );
        let (tickets, _) = tickets_from(&["U 0 message customer"], None);
        assert!(tickets[0].tags.is_empty());
    }

    #[test]
    fn an_attribute_is_its_last_value_in_event_order_until_as_of() {
        let mut symbols = Symbols::default();
        let plan = symbols.intern("plan");
        let (pro, free, ent) = (
            symbols.intern("pro"),
            symbols.intern("free"),
            symbols.intern("ent"),
        );
        // Pushed out of time order: free at 5, pro at 1, ent at 9; two values at 5.
        let seen = vec![
            (plan, 5, free),
            (plan, 1, pro),
            (plan, 5, pro),
            (plan, 9, ent),
        ];
        assert_eq!(
            attributes_at(seen.clone(), 6),
            [(plan, pro)],
            "at 5 the later row wins; 9 is after as_of"
        );
        assert_eq!(attributes_at(seen.clone(), 9), [(plan, ent)]);
        assert!(attributes_at(seen, 0).is_empty());
    }

    fn one(rows: &[&str]) -> Ticket {
        let (mut tickets, _) = tickets_from(rows, None);
        assert_eq!(tickets.len(), 1);
        tickets.remove(0)
    }

    #[test]
    fn first_response_is_first_reply_after_first_customer_message() {
        let ticket = one(&[
            "T 0 message customer",
            "T 5 message bot",
            "T 7 note agent",
            "T 30 message agent",
            "T 90 message agent",
        ]);
        assert_eq!(ticket.direction, Direction::Inbound);
        assert_eq!(ticket.first_response_seconds(), Some(1800.0));
        assert_eq!(
            ticket.replies, 2,
            "bot messages and notes are never replies"
        );
        assert_eq!(ticket.bot_messages, 1);
        assert_eq!(ticket.notes, 1);
        assert_eq!(ticket.reply_state(), Some(ReplyState::Answered));
    }

    #[test]
    fn outbound_tickets_have_no_first_response() {
        let ticket = one(&[
            "T 0 message bot",
            "T 1 message agent",
            "T 10 message customer",
            "T 20 message agent",
        ]);
        assert_eq!(
            ticket.direction,
            Direction::Outbound,
            "bots do not decide direction"
        );
        assert_eq!(ticket.first_response_seconds(), None);
        assert_eq!(ticket.reply_state(), None);
        assert_eq!(
            ticket.response_waits().collect::<Vec<_>>(),
            vec![600.0],
            "later customer runs still count as response times"
        );
    }

    #[test]
    fn response_times_run_from_the_first_message_of_each_customer_run() {
        let ticket = one(&[
            "T 0 message customer",
            "T 2 message customer",
            "T 3 message bot",
            "T 4 note agent",
            "T 10 message agent",
            "T 11 message agent",
            "T 20 message customer",
            "T 50 message agent",
            "T 60 message customer",
        ]);
        assert_eq!(
            ticket.response_waits().collect::<Vec<_>>(),
            vec![600.0, 1800.0]
        );
        assert!(
            ticket.waiting_since.is_some(),
            "the last run waits at as_of"
        );
        assert_eq!(ticket.first_response_seconds(), Some(600.0));
    }

    #[test]
    fn unsorted_rows_are_ordered_by_timestamp_and_ties_keep_input_order() {
        let ticket = one(&[
            "T 30 message agent",
            "T 0 message customer",
            "T 0 message agent",
        ]);
        assert_eq!(
            ticket.first_response_seconds(),
            Some(0.0),
            "a reply at the same instant counts"
        );
        let tie = one(&["T 0 message agent", "T 0 message customer"]);
        assert_eq!(tie.direction, Direction::Outbound);
    }

    #[test]
    fn resolutions_and_reopens_by_status_and_by_customer_message() {
        let ticket = one(&[
            "T 0 message customer status=new",
            "T 10 message agent status=solved",
            "T 20 message customer",
            "T 30 message agent status=solved",
            "T 40 status system status=open",
            "T 50 status - status=closed",
        ]);
        assert_eq!(ticket.reopens, 2);
        assert_eq!(ticket.first_resolution_seconds(), Some(600.0));
        assert_eq!(ticket.resolution_seconds(), Some(3000.0));
        assert_eq!(ticket.status, Some(Status::Closed));
        assert!(ticket.solved_at(ticket.created_at + 15 * 60_000_000));
        assert!(!ticket.solved_at(ticket.created_at + 25 * 60_000_000));
    }

    #[test]
    fn a_customer_message_does_not_reopen_a_closed_ticket_or_a_row_with_a_status() {
        let closed = one(&[
            "T 0 message customer",
            "T 10 message agent status=closed",
            "T 20 message customer",
        ]);
        assert_eq!(closed.reopens, 0);
        assert!(closed.is_solved());
        let with_status = one(&[
            "T 0 message customer",
            "T 10 message agent status=solved",
            "T 20 message customer status=solved",
        ]);
        assert_eq!(with_status.reopens, 0);
        assert_eq!(with_status.resolution_seconds(), Some(600.0));
    }

    #[test]
    fn solved_to_closed_is_not_a_second_resolution() {
        let ticket = one(&[
            "T 0 message customer",
            "T 10 message agent status=solved",
            "T 40 status - status=closed",
        ]);
        assert_eq!(ticket.resolution_seconds(), Some(600.0));
        assert_eq!(ticket.solved_changes.len(), 1);
    }

    #[test]
    fn unanswered_and_closed_without_reply_at_as_of() {
        let (tickets, _) = tickets_from(
            &[
                "A 0 message customer",
                "A 100 message agent",
                "B 0 message customer",
                "B 5 message bot status=solved",
                "C 0 message customer status=open",
            ],
            Some(50),
        );
        let state = |id: &str| tickets.iter().find(|t| t.id == id).unwrap().reply_state();
        assert_eq!(
            state("A"),
            Some(ReplyState::Unanswered),
            "the reply is after as_of"
        );
        assert_eq!(state("B"), Some(ReplyState::ClosedWithoutReply));
        assert_eq!(state("C"), Some(ReplyState::Unanswered));
    }

    #[test]
    fn events_after_as_of_are_ignored_and_counted() {
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        let rules = RowRules::default();
        for (id, time) in [("A", "100"), ("A", "300"), ("B", "400")] {
            let mut values = RowValues::default();
            values.set(Field::TicketId, id);
            values.set(Field::Timestamp, time);
            values.set(Field::AuthorType, "customer");
            let (id, event) = parse_row(&values, &rules, &mut symbols).unwrap();
            store.push(id, event);
        }
        let result = store.into_tickets(200 * 1_000_000);
        assert_eq!(result.tickets.len(), 1, "B does not exist yet at as_of");
        assert_eq!(result.events_after_as_of, 2);
    }

    #[test]
    fn repeats_within_a_file_are_kept_and_noted() {
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        let rules = RowRules::default();
        for (time, author) in [
            ("100", "customer"),
            ("200", "agent"),
            ("100", "customer"),
            ("200", "bot"),
        ] {
            let mut values = RowValues::default();
            values.set(Field::TicketId, "A");
            values.set(Field::Timestamp, time);
            values.set(Field::AuthorType, author);
            let (id, event) = parse_row(&values, &rules, &mut symbols).unwrap();
            store.push(id, event);
        }
        let result = store.into_tickets(1_000_000_000);
        assert_eq!(
            result.duplicate_events, 0,
            "repeats within one file are kept"
        );
        assert_eq!(
            result.repeated_rows, 1,
            "and noted; the bot message at 200 is another row"
        );
        assert_eq!(result.tickets[0].customer_messages, 2);
        assert_eq!(result.tickets[0].bot_messages, 1);
    }

    /// The messages kept and the counts, for one row copied into files in this order.
    fn copies_in(files: &[u16]) -> (u32, u64, u64) {
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        let rules = RowRules::default();
        for source in files {
            let mut values = RowValues::default();
            values.set(Field::TicketId, "A");
            values.set(Field::Timestamp, "100");
            values.set(Field::AuthorType, "customer");
            let (id, mut event) = parse_row(&values, &rules, &mut symbols).unwrap();
            event.fingerprint = 42;
            event.source = *source;
            store.push(id, event);
        }
        let result = store.into_tickets(1_000_000_000);
        (
            result.tickets[0].customer_messages,
            result.duplicate_events,
            result.repeated_rows,
        )
    }

    #[test]
    fn copies_kept_are_the_most_one_file_has_in_any_file_order() {
        // (messages kept, duplicates dropped, repeats within a file noted)
        assert_eq!(copies_in(&[0, 0, 1]), (2, 1, 1));
        assert_eq!(
            copies_in(&[0, 1, 1]),
            (2, 1, 1),
            "the same files, the other order"
        );
        assert_eq!(copies_in(&[0, 1, 1, 1]), (3, 1, 2));
        assert_eq!(copies_in(&[1, 1, 1, 0]), (3, 1, 2));
        assert_eq!(copies_in(&[1, 0, 1, 1]), (3, 1, 2));
        assert_eq!(
            copies_in(&[0, 1, 2]),
            (1, 2, 0),
            "an export loaded three times"
        );
        assert_eq!(copies_in(&[3]), (1, 0, 0));
    }

    #[test]
    fn a_tickets_events_leave_at_most_a_quarter_or_three_slots_empty() {
        let mut events = Vec::new();
        let event = StoredEvent::pack(
            Event {
                at: 0,
                kind: crate::ingest::event::EventKind::Message,
                author: None,
                status: None,
                attributes: Default::default(),
                csat: None,
                nps: None,
                sentiment: None,
                handle_seconds: None,
                fingerprint: 0,
                source: 0,
            },
            &mut Tables::default(),
        );
        for len in 1..=10_000usize {
            grow_for_one_more(&mut events);
            events.push(event);
            assert!(
                events.capacity() <= len + (len / 4).max(3),
                "{len}: {}",
                events.capacity()
            );
        }
    }

    #[test]
    fn many_events_at_one_instant_are_sorted_not_compared_pairwise() {
        // 200,000 distinct rows of one ticket in one second: pairwise, 2e10 comparisons.
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        let rules = RowRules::default();
        for row in 0..200_000u64 {
            let mut values = RowValues::default();
            values.set(Field::TicketId, "A");
            values.set(Field::Timestamp, "100");
            values.set(Field::AuthorType, "customer");
            let (id, mut event) = parse_row(&values, &rules, &mut symbols).unwrap();
            event.fingerprint = row % 150_000;
            event.source = u16::from(row >= 150_000);
            store.push(id, event);
        }
        let started = std::time::Instant::now();
        let result = store.into_tickets(1_000_000_000);
        assert_eq!(result.tickets[0].customer_messages, 150_000);
        assert_eq!(result.duplicate_events, 50_000);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn channel_is_the_first_customer_messages_then_any_rows() {
        let (tickets, symbols) = tickets_from(
            &[
                "A 0 message bot channel=chat",
                "A 1 message customer channel=WhatsApp",
                "B 0 status - channel=email status=new",
                "B 1 message customer",
                "C 0 message customer",
            ],
            None,
        );
        let channel = |id: &str| {
            symbols
                .label(tickets.iter().find(|t| t.id == id).unwrap().channel)
                .into_owned()
        };
        assert_eq!(channel("A"), "whatsapp");
        assert_eq!(channel("B"), "email", "no channel on the customer message");
        assert_eq!(channel("C"), "(none)");
    }

    #[test]
    fn attributes_take_the_last_non_empty_value_and_agent_the_last_agent_message() {
        let (tickets, symbols) = tickets_from(
            &[
                "T 0 message customer priority=low team=tier1",
                "T 1 message agent agent=ann priority=high",
                "T 2 note agent agent=bob",
                "T 3 message customer priority= category=billing",
            ],
            None,
        );
        let ticket = &tickets[0];
        assert_eq!(symbols.name(ticket.priority), "high");
        assert_eq!(symbols.name(ticket.team), "tier1");
        assert_eq!(symbols.name(ticket.category), "billing");
        assert_eq!(
            symbols.name(ticket.agent),
            "ann",
            "notes are not agent messages"
        );
    }

    #[test]
    fn last_rating_wins_and_handle_time_sums() {
        let ticket = one(&[
            "T 0 message customer sentiment=-0.5",
            "T 1 message agent handle_seconds=60",
            "T 2 message agent talk_seconds=30 hold_seconds=5",
            "T 3 rating customer csat=2",
            "T 4 message customer sentiment=0.25 nps=9",
            "T 5 rating customer csat=5",
        ]);
        assert_eq!(ticket.csat, Some(5.0));
        assert_eq!(ticket.nps, Some(9.0));
        assert_eq!(ticket.handle_seconds, Some(95.0));
        assert_eq!(ticket.sentiment_change(), Some(0.75));
    }

    #[test]
    fn redirects_count_distinct_channels_on_message_rows_only() {
        let ticket = one(&[
            "T 0 message customer channel=chat",
            "T 1 status - channel=email status=open",
            "T 2 message agent channel=Chat",
        ]);
        assert_eq!(ticket.message_channels, 1);
        let redirected = one(&[
            "T 0 message customer channel=chat",
            "T 1 message agent channel=email",
        ]);
        assert_eq!(redirected.message_channels, 2);
    }
}
