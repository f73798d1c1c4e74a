//! Events as the store keeps them until the whole input is read.
//!
//! Every event of the export waits in memory for the end of the input (rows need not be
//! sorted, and the default `as_of` is the latest timestamp), so its size is the tool's memory:
//! `Option<f64>` takes 16 bytes where a NaN-marked `f64` takes 8, and a 32-bit row hash is
//! plenty to tell rows of one ticket and instant apart. 112 bytes become 72.

use crate::ingest::Event;
use crate::ingest::event::{Attributes, AuthorType, EventKind, Status};
use crate::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct StoredEvent {
    pub at: Instant,
    csat: f64,
    nps: f64,
    sentiment: f64,
    handle_seconds: f64,
    attributes: Attributes,
    pub fingerprint: u32,
    pub source: u16,
    pub kind: EventKind,
    pub author: Option<AuthorType>,
    pub status: Option<Status>,
}

/// NaN marks "no value": validated inputs are finite, so NaN never means a value.
fn pack(value: Option<f64>) -> f64 {
    value.unwrap_or(f64::NAN)
}

fn unpack(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

impl StoredEvent {
    pub fn pack(event: Event) -> StoredEvent {
        StoredEvent {
            at: event.at,
            csat: pack(event.csat),
            nps: pack(event.nps),
            sentiment: pack(event.sentiment),
            handle_seconds: pack(event.handle_seconds),
            attributes: event.attributes,
            // Folded, not truncated, so both halves of the hash count.
            fingerprint: (event.fingerprint ^ (event.fingerprint >> 32)) as u32,
            source: event.source,
            kind: event.kind,
            author: event.author,
            status: event.status,
        }
    }

    pub fn unpack(&self) -> Event {
        Event {
            at: self.at,
            kind: self.kind,
            author: self.author,
            status: self.status,
            attributes: self.attributes,
            csat: unpack(self.csat),
            nps: unpack(self.nps),
            sentiment: unpack(self.sentiment),
            handle_seconds: unpack(self.handle_seconds),
            fingerprint: u64::from(self.fingerprint),
            source: self.source,
        }
    }

    /// What makes two events copies of one row: the same source row (by its hash) and the
    /// same event. Sortable, so that copies can be found by sorting.
    pub fn row_key(&self) -> (u32, u8, u8, u8) {
        (
            self.fingerprint,
            self.kind as u8,
            self.author.map_or(0, |author| author as u8 + 1),
            self.status.map_or(0, |status| status as u8 + 1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_every_value_and_absence() {
        let event = Event {
            at: 42,
            kind: EventKind::Rating,
            author: Some(AuthorType::Customer),
            status: None,
            attributes: Attributes::default(),
            csat: Some(4.5),
            nps: None,
            sentiment: Some(-0.1),
            handle_seconds: Some(0.0),
            fingerprint: 7,
            source: 3,
        };
        assert_eq!(StoredEvent::pack(event.clone()).unpack(), event);
        assert!(
            std::mem::size_of::<StoredEvent>() <= 72,
            "{}",
            std::mem::size_of::<StoredEvent>()
        );
    }
}
