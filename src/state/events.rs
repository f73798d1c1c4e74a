//! A night's events on disk: a versioned binary file, read back exactly as they were read.
//!
//! Layout (little-endian): the magic `TKPI-EVENTS`, the format version (u32), the ticket ids
//! (count u64, then per id its length u32 and bytes), the events (count u64, then per event
//! its id's place u32 and the fields of [`Event`] in declaration order, absent numbers as NaN,
//! absent kinds as 0), and an FxHash of everything before it (u64), so that a truncated or
//! altered file is refused rather than read as fewer events.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

use crate::ingest::Event;
use crate::ingest::event::{Attributes, AuthorType, EventKind, Status};
use crate::symbols::Sym;

const MAGIC: &[u8; 11] = b"TKPI-EVENTS";
pub const FORMAT: u32 = 1;

/// The bytes of `events` (ticket id and event, in the order read).
pub fn encode(events: &[(Box<str>, Event)]) -> Vec<u8> {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    for (id, _) in events {
        if !ids.contains_key(&**id) {
            ids.insert(id, order.len() as u32);
            order.push(id);
        }
    }
    let mut out = Vec::with_capacity(32 + order.len() * 16 + events.len() * 80);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(order.len() as u64).to_le_bytes());
    for id in &order {
        out.extend_from_slice(&(id.len() as u32).to_le_bytes());
        out.extend_from_slice(id.as_bytes());
    }
    out.extend_from_slice(&(events.len() as u64).to_le_bytes());
    for (id, event) in events {
        out.extend_from_slice(&ids[&**id].to_le_bytes());
        put_event(&mut out, event);
    }
    let checksum = hash(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// The events of `bytes`, their symbols mapped through `symbols` (by index, as the state's
/// table was interned again); an error says what is wrong with the file.
pub fn decode(bytes: &[u8], symbols: &[Sym]) -> Result<Vec<(String, Event)>, String> {
    let Some((body, checksum)) = bytes.split_last_chunk::<8>() else {
        return Err("it is too short to be an events file".to_owned());
    };
    if hash(body) != u64::from_le_bytes(*checksum) {
        return Err("its checksum does not match: it is truncated or altered".to_owned());
    }
    let mut reader = Reader { bytes: body, at: 0 };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err("it is no ticketkpi events file".to_owned());
    }
    let format = reader.u32()?;
    if format != FORMAT {
        return Err(format!(
            "it is in events format {format}, and this ticketkpi reads format {FORMAT}"
        ));
    }
    let id_count = reader.count()?;
    let mut ids = Vec::with_capacity(id_count.min(1 << 20));
    for _ in 0..id_count {
        let len = reader.u32()? as usize;
        let text = std::str::from_utf8(reader.take(len)?)
            .map_err(|_| "a ticket id is not UTF-8".to_owned())?;
        ids.push(text.to_owned());
    }
    let event_count = reader.count()?;
    let mut events = Vec::with_capacity(event_count.min(1 << 22));
    for _ in 0..event_count {
        let id = ids
            .get(reader.u32()? as usize)
            .ok_or("an event names a ticket the file does not list")?
            .clone();
        events.push((id, reader.event(symbols)?));
    }
    if reader.at != body.len() {
        return Err("it holds bytes after its last event".to_owned());
    }
    Ok(events)
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

fn put_event(out: &mut Vec<u8>, event: &Event) {
    out.extend_from_slice(&event.at.to_le_bytes());
    out.push(kind_code(event.kind));
    out.push(event.author.map_or(0, author_code));
    out.push(event.status.map_or(0, status_code));
    let a = &event.attributes;
    for sym in [a.channel, a.agent, a.team, a.priority, a.category] {
        out.extend_from_slice(&(sym.index() as u32).to_le_bytes());
    }
    for value in [event.csat, event.nps, event.sentiment, event.handle_seconds] {
        out.extend_from_slice(&value.unwrap_or(f64::NAN).to_le_bytes());
    }
    out.extend_from_slice(&event.fingerprint.to_le_bytes());
    out.extend_from_slice(&event.source.to_le_bytes());
}

// Codes, not `as u8` of the enums: a variant added or reordered must not change what an
// older file means (the match fails to compile until it is given a code).
fn kind_code(kind: EventKind) -> u8 {
    match kind {
        EventKind::Message => 1,
        EventKind::Note => 2,
        EventKind::Status => 3,
        EventKind::Rating => 4,
    }
}

fn author_code(author: AuthorType) -> u8 {
    match author {
        AuthorType::Customer => 1,
        AuthorType::Agent => 2,
        AuthorType::Bot => 3,
        AuthorType::System => 4,
    }
}

fn status_code(status: Status) -> u8 {
    match status {
        Status::New => 1,
        Status::Open => 2,
        Status::Pending => 3,
        Status::OnHold => 4,
        Status::Solved => 5,
        Status::Closed => 6,
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len());
        let Some(end) = end else {
            return Err("it ends in the middle of a record".to_owned());
        };
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A count, bounded by what the rest of the file could hold (a corrupt count must not
    /// make a huge allocation).
    fn count(&mut self) -> Result<usize, String> {
        let count = u64::from_le_bytes(self.array()?);
        usize::try_from(count)
            .ok()
            .filter(|count| *count <= self.bytes.len() - self.at)
            .ok_or_else(|| format!("it counts {count} records, more than it holds"))
    }

    fn f64(&mut self) -> Result<Option<f64>, String> {
        let value = f64::from_le_bytes(self.array()?);
        Ok((!value.is_nan()).then_some(value))
    }

    fn event(&mut self, symbols: &[Sym]) -> Result<Event, String> {
        let at = i64::from_le_bytes(self.array()?);
        let [kind, author, status] = self.array()?;
        let kind = match kind {
            1 => EventKind::Message,
            2 => EventKind::Note,
            3 => EventKind::Status,
            4 => EventKind::Rating,
            other => return Err(format!("an event has the unknown kind {other}")),
        };
        let author = match author {
            0 => None,
            1 => Some(AuthorType::Customer),
            2 => Some(AuthorType::Agent),
            3 => Some(AuthorType::Bot),
            4 => Some(AuthorType::System),
            other => return Err(format!("an event has the unknown author type {other}")),
        };
        let status = match status {
            0 => None,
            1 => Some(Status::New),
            2 => Some(Status::Open),
            3 => Some(Status::Pending),
            4 => Some(Status::OnHold),
            5 => Some(Status::Solved),
            6 => Some(Status::Closed),
            other => return Err(format!("an event has the unknown status {other}")),
        };
        let mut sym = || -> Result<Sym, String> {
            let index = self.u32()? as usize;
            symbols
                .get(index)
                .copied()
                .ok_or_else(|| format!("an event names value {index}, beyond the state's table"))
        };
        let attributes = Attributes {
            channel: sym()?,
            agent: sym()?,
            team: sym()?,
            priority: sym()?,
            category: sym()?,
        };
        Ok(Event {
            at,
            kind,
            author,
            status,
            attributes,
            csat: self.f64()?,
            nps: self.f64()?,
            sentiment: self.f64()?,
            handle_seconds: self.f64()?,
            fingerprint: u64::from_le_bytes(self.array()?),
            source: u16::from_le_bytes(self.array()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbols::Symbols;

    fn events() -> (Vec<(Box<str>, Event)>, Vec<Sym>) {
        let mut symbols = Symbols::default();
        let email = symbols.intern("Email");
        let ann = symbols.intern("ann");
        let table: Vec<Sym> = symbols
            .names()
            .map(|name| symbols.lookup(name).unwrap_or_default())
            .collect();
        let message = Event {
            at: 1_772_442_000_000_000,
            kind: EventKind::Message,
            author: Some(AuthorType::Customer),
            status: Some(Status::New),
            attributes: Attributes {
                channel: email,
                ..Attributes::default()
            },
            csat: None,
            nps: Some(9.0),
            sentiment: Some(-0.5),
            handle_seconds: None,
            fingerprint: 0xdead_beef_0123_4567,
            source: 3,
        };
        let reply = Event {
            at: message.at + 600_000_000,
            kind: EventKind::Rating,
            author: None,
            status: None,
            attributes: Attributes {
                agent: ann,
                ..Attributes::default()
            },
            csat: Some(4.0),
            ..message.clone()
        };
        let events = vec![
            ("T1".into(), message.clone()),
            ("Tö 2".into(), reply),
            ("T1".into(), message),
        ];
        (events, table)
    }

    #[test]
    fn events_come_back_exactly() {
        let (events, table) = events();
        let decoded = decode(&encode(&events), &table).expect("valid");
        let expected: Vec<(String, Event)> = events
            .into_iter()
            .map(|(id, event)| (id.into_string(), event))
            .collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn a_truncated_or_altered_file_is_refused() {
        let (events, table) = events();
        let bytes = encode(&events);
        let short = decode(&bytes[..bytes.len() - 20], &table).expect_err("truncated");
        assert!(short.contains("checksum"), "{short}");
        let mut altered = bytes.clone();
        altered[40] ^= 1;
        assert!(decode(&altered, &table).is_err());
        assert!(
            decode(b"tiny", &table)
                .expect_err("short")
                .contains("too short")
        );
    }

    #[test]
    fn another_format_is_refused_by_its_number() {
        let (events, table) = events();
        let mut bytes = encode(&events);
        bytes.truncate(bytes.len() - 8);
        bytes[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&9u32.to_le_bytes());
        let checksum = hash(&bytes);
        bytes.extend_from_slice(&checksum.to_le_bytes());
        let error = decode(&bytes, &table).expect_err("format 9");
        assert!(error.contains("events format 9"), "{error}");
    }

    #[test]
    fn a_symbol_beyond_the_table_is_refused() {
        let (events, table) = events();
        let error = decode(&encode(&events), &table[..1]).expect_err("short table");
        assert!(error.contains("beyond the state's table"), "{error}");
    }
}
