//! Events as the store keeps them until the whole input is read.
//!
//! Every event of the export waits in memory for the end of the input (rows need not be
//! sorted, and the default `as_of` is the latest timestamp), so its size is the tool's memory.
//! An event is 24 bytes: its instant, a 32-bit row hash (plenty to tell rows of one ticket and
//! instant apart), its source, kind, author and status packed in one byte, and two indices:
//! its attributes, interned per distinct set (a ticket's rows mostly repeat them), and its
//! numbers (CSAT, NPS, sentiment, handle time): out of line, only those it has (most rows
//! have none, a rating one), with a bit each saying which. 72 bytes (112 before that) become
//! 24, plus 8 per number.

use rustc_hash::FxHashMap;

use crate::ingest::Event;
use crate::ingest::event::{Attributes, AuthorType, EventKind, Status};
use crate::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct StoredEvent {
    pub at: Instant,
    pub fingerprint: u32,
    /// Index into [`Tables::attributes`].
    attributes: u32,
    /// Index into [`Tables::numbers`] of the first of the numbers `present` says it has.
    numbers: u32,
    pub source: u16,
    /// Kind (2 bits), author (3 bits: 0 for none), status (3 bits: 0 for none).
    packed: u8,
    /// Bit i: the event has number i (CSAT, NPS, sentiment, handle seconds, in that order).
    present: u8,
}

/// What events share, out of line: distinct attribute sets and the rows' numbers.
#[derive(Debug, Default)]
pub struct Tables {
    attributes: Vec<Attributes>,
    /// The symbols of an attribute set -> its index in `attributes`.
    attribute_ids: FxHashMap<[u32; 5], u32>,
    /// The numbers events have, event after event (see `StoredEvent::present`).
    numbers: Vec<f64>,
}

fn symbols_of(attributes: &Attributes) -> [u32; 5] {
    [
        attributes.channel,
        attributes.agent,
        attributes.team,
        attributes.priority,
        attributes.category,
    ]
    .map(|sym| u32::try_from(sym.index()).unwrap_or(u32::MAX))
}

/// A table index. Saturating, as `Symbols` does: 2^32 entries would take over 100 GB of
/// events, far beyond any `--max-memory` a 2-core batch job runs with.
fn index_of(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Tables {
    fn attributes_id(&mut self, attributes: Attributes) -> u32 {
        let key = symbols_of(&attributes);
        if let Some(id) = self.attribute_ids.get(&key) {
            return *id;
        }
        let id = index_of(self.attributes.len());
        self.attributes.push(attributes);
        self.attribute_ids.insert(key, id);
        id
    }

    /// What the tables hold, roughly: each entry with its share of growth slack (1.5x), an
    /// attribute set also with its hash map entry (key, value, control byte, load factor).
    pub fn estimated_bytes(&self) -> u64 {
        let attribute = std::mem::size_of::<Attributes>() + (20 + 4 + 1) * 8 / 7;
        let numbers = std::mem::size_of::<f64>();
        (self.attributes.len() * attribute * 3 / 2 + self.numbers.len() * numbers * 3 / 2) as u64
    }
}

impl StoredEvent {
    pub fn pack(event: Event, tables: &mut Tables) -> StoredEvent {
        let values = [event.csat, event.nps, event.sentiment, event.handle_seconds];
        let numbers = index_of(tables.numbers.len());
        let mut present = 0u8;
        for (bit, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                present |= 1 << bit;
                tables.numbers.push(value);
            }
        }
        StoredEvent {
            at: event.at,
            // Folded, not truncated, so both halves of the hash count.
            fingerprint: (event.fingerprint ^ (event.fingerprint >> 32)) as u32,
            attributes: tables.attributes_id(event.attributes),
            numbers,
            source: event.source,
            present,
            packed: event.kind as u8
                | (event.author.map_or(0, |author| author as u8 + 1) << 2)
                | (event.status.map_or(0, |status| status as u8 + 1) << 5),
        }
    }

    pub fn unpack(&self, tables: &Tables) -> Event {
        let mut held = tables.numbers.iter().skip(self.numbers as usize).copied();
        let numbers: [Option<f64>; 4] = std::array::from_fn(|bit| {
            (self.present & (1 << bit) != 0)
                .then(|| held.next())
                .flatten()
        });
        Event {
            at: self.at,
            kind: self.kind(),
            author: self.author(),
            status: self.status(),
            attributes: tables
                .attributes
                .get(self.attributes as usize)
                .copied()
                .unwrap_or_default(),
            csat: numbers[0],
            nps: numbers[1],
            sentiment: numbers[2],
            handle_seconds: numbers[3],
            fingerprint: u64::from(self.fingerprint),
            source: self.source,
        }
    }

    fn kind(&self) -> EventKind {
        EventKind::ALL[usize::from(self.packed & 0b11)]
    }

    fn author(&self) -> Option<AuthorType> {
        let code = usize::from((self.packed >> 2) & 0b111);
        code.checked_sub(1)
            .and_then(|i| AuthorType::ALL.get(i).copied())
    }

    fn status(&self) -> Option<Status> {
        let code = usize::from(self.packed >> 5);
        code.checked_sub(1)
            .and_then(|i| Status::ALL.get(i).copied())
    }

    /// What makes two events copies of one row: the same source row (by its hash) and the
    /// same event (kind, author and status: the packed byte). Sortable, so that copies can
    /// be found by sorting.
    pub fn row_key(&self) -> (u32, u8) {
        (self.fingerprint, self.packed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbols::Symbols;

    fn event(kind: EventKind, author: Option<AuthorType>, status: Option<Status>) -> Event {
        Event {
            at: 42,
            kind,
            author,
            status,
            attributes: Attributes::default(),
            csat: None,
            nps: None,
            sentiment: None,
            handle_seconds: None,
            fingerprint: 7,
            source: 3,
        }
    }

    #[test]
    fn packing_keeps_every_value_and_absence() {
        let mut symbols = Symbols::default();
        let mut tables = Tables::default();
        let mut rating = event(EventKind::Rating, Some(AuthorType::Customer), None);
        rating.csat = Some(4.5);
        rating.sentiment = Some(-0.1);
        rating.handle_seconds = Some(0.0);
        rating.attributes.channel = symbols.intern("email");
        rating.attributes.category = symbols.intern("billing");
        rating.fingerprint = 0xdead_beef;
        assert_eq!(
            StoredEvent::pack(rating.clone(), &mut tables).unpack(&tables),
            rating
        );
        assert_eq!(std::mem::size_of::<StoredEvent>(), 24);
    }

    #[test]
    fn every_kind_author_and_status_survives_the_packed_byte() {
        let mut tables = Tables::default();
        let authors = std::iter::once(None).chain(AuthorType::ALL.into_iter().map(Some));
        for author in authors {
            let statuses = std::iter::once(None).chain(Status::ALL.into_iter().map(Some));
            for status in statuses {
                for kind in EventKind::ALL {
                    let original = event(kind, author, status);
                    let stored = StoredEvent::pack(original.clone(), &mut tables);
                    assert_eq!(stored.unpack(&tables), original);
                }
            }
        }
        assert!(tables.numbers.is_empty(), "no numbers, no side entry");
    }

    #[test]
    fn each_event_reads_back_its_own_numbers_and_only_those_it_has() {
        let mut tables = Tables::default();
        let mut call = event(EventKind::Message, Some(AuthorType::Agent), None);
        call.handle_seconds = Some(310.0);
        let plain = event(EventKind::Message, Some(AuthorType::Customer), None);
        let mut survey = event(EventKind::Rating, None, None);
        survey.nps = Some(9.0);
        survey.csat = Some(-0.0);
        let events = [call, plain, survey];
        let stored: Vec<StoredEvent> = events
            .iter()
            .map(|e| StoredEvent::pack(e.clone(), &mut tables))
            .collect();
        for (original, stored) in events.iter().zip(&stored) {
            assert_eq!(&stored.unpack(&tables), original);
        }
        assert_eq!(
            tables.numbers.len(),
            3,
            "one f64 per number held, none for absence"
        );
    }

    #[test]
    fn an_attribute_set_is_held_once() {
        let mut symbols = Symbols::default();
        let mut tables = Tables::default();
        let mut first = event(EventKind::Message, Some(AuthorType::Agent), None);
        first.attributes.agent = symbols.intern("ana");
        let mut other = first.clone();
        other.attributes.team = symbols.intern("tier 1");
        for _ in 0..3 {
            StoredEvent::pack(first.clone(), &mut tables);
        }
        StoredEvent::pack(other, &mut tables);
        assert_eq!(tables.attributes.len(), 2);
    }
}
