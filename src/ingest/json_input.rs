//! JSON inputs through a mapping: a JSON array of records (streamed), JSON Lines (one value per
//! line), or JSON documents (pretty-printed values one after the other). A value that is a
//! page of an API response (`{"tickets": [...], "next_page": ...}`) holds its records; any
//! other object is a record. Nested objects are flattened to dotted names (`via.channel`), so
//! mappings can name any member; `record_path` selects the member holding the record
//! (`{"ticket": {...}}`), and a record without that member is read as it is.
//!
//! Every value read whole is bounded by the record limit, so a file without line ends or a
//! JSON string of gigabytes stops with an error instead of exhausting memory.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};

use super::json_stream::{Budget, Capped, LineError, Lines};
use super::json_value::Json;
use super::mapping::{MappedRow, Mapping};
use super::row::{RejectReason, RowError};
use super::tags::LIST_SEPARATOR;
use super::{
    Cell, IngestError, Ingestor, Location, MappingChoice, Position, RawRow, Sink, json_span,
    presets,
};
use super::{json_events, json_page};

/// One JSON value per line (NDJSON); blank lines are skipped. Lines end at `\n`, `\r\n` or
/// `\r` (JSON text cannot hold a raw `\r`, so no value is cut). When the first line opens a
/// value that goes on (`{`, `{"tickets": [`), the input is read as JSON documents instead.
pub(super) fn read_lines<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
    let limit = ingestor.options.max_record_bytes();
    let mut records = Records::new(file);
    let mut lines = Lines::new(limit);
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let number = match lines.next(&mut *reader, &mut line) {
            Ok(Some(number)) => number,
            Ok(None) => return records.flush(ingestor),
            Err(LineError::Io(source)) => {
                let error = IngestError::Io {
                    file: file.to_string(),
                    source,
                };
                return Err(records.fail(ingestor, error));
            }
            Err(LineError::TooLong(too_long)) => {
                let error = too_long_error(file, Position::Line(too_long.line), limit);
                return Err(records.fail(ingestor, error));
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = parse_line(&line);
        if std::mem::take(&mut first)
            && matches!(parsed, Parsed::Incomplete)
            && opens_a_document(&line)
        {
            line.push(b'\n');
            let rest = io::Cursor::new(std::mem::take(&mut line)).chain(reader);
            return read_documents(ingestor, &mut records, Box::new(rest), number);
        }
        let (value, bad_bytes) = match parsed {
            Parsed::Value(value, bad_bytes) => (Ok(value), bad_bytes),
            Parsed::Incomplete => (Err(incomplete_line()), false),
            Parsed::Invalid(error) => (Err(error), false),
        };
        let location = Position::Line(number);
        let raw = || String::from_utf8_lossy(&line).trim_end().to_owned();
        let fingerprint = super::fingerprint([line.trim_ascii()]);
        records.value(ingestor, value, location, fingerprint, raw, bad_bytes)?;
    }
}

enum Parsed {
    /// The value, and whether the line held bytes that are not UTF-8 (read as U+FFFD).
    Value(Json, bool),
    /// The start of a value that goes on after the line.
    Incomplete,
    Invalid(RowError),
}

fn parse_line(line: &[u8]) -> Parsed {
    let (text, bad_bytes) = match std::str::from_utf8(line) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), false),
        Err(_) => (String::from_utf8_lossy(line), true),
    };
    match serde_json::from_str::<Json>(&text) {
        Ok(value) => Parsed::Value(value, bad_bytes),
        Err(error) if error.is_eof() => Parsed::Incomplete,
        Err(error) => Parsed::Invalid(RowError::new(
            RejectReason::BadJson,
            None,
            format!("not valid JSON: {error}"),
        )),
    }
}

/// Whether an incomplete first line is the start of a pretty-printed value (`{`,
/// `{"tickets": [`, `"count": 4,`) rather than a JSON Lines line cut short, which stays a
/// rejected line.
fn opens_a_document(line: &[u8]) -> bool {
    matches!(
        line.trim_ascii_end().last(),
        Some(b'{' | b'[' | b',' | b':')
    )
}

fn incomplete_line() -> RowError {
    RowError::new(
        RejectReason::BadJson,
        None,
        "not valid JSON: the value does not end on its line (JSON Lines hold one value per line)",
    )
}

/// JSON values one after the other, each spanning any number of lines (a saved API response,
/// pretty-printed). A syntax error stops the run: there is no line to resume at.
fn read_documents<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    records: &mut Records<'_>,
    reader: Box<dyn BufRead>,
    first_line: u64,
) -> Result<(), IngestError> {
    let file = records.file.clone();
    let limit = ingestor.options.max_record_bytes();
    let budget = Budget::new(limit);
    let capped = Capped {
        inner: reader,
        budget: budget.clone(),
    };
    let mut values = serde_json::Deserializer::from_reader(capped).into_iter::<Json>();
    loop {
        budget.reset();
        let value = match values.next() {
            None => return records.flush(ingestor),
            Some(Ok(value)) => value,
            Some(Err(error)) => {
                let error = if budget.exceeded() {
                    too_long_error(&file, Position::Record(records.count + 1), limit)
                } else {
                    invalid_json(&file, first_line + error.line() as u64 - 1, &error, "JSON")
                };
                return Err(records.fail(ingestor, error));
            }
        };
        let raw = value.to_string();
        let fingerprint = super::fingerprint([raw.as_bytes()]);
        let position = Position::Record(records.count + 1);
        records.value(ingestor, Ok(value), position, fingerprint, || raw, false)?;
    }
}

/// A JSON array of records (or of pages), streamed element by element.
pub(super) fn read_array<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
    let limit = ingestor.options.max_record_bytes();
    let budget = Budget::new(limit);
    let capped = Capped {
        inner: reader,
        budget: budget.clone(),
    };
    let mut records = Records::new(file);
    let mut stopped_by = None;
    let mut deserializer = serde_json::Deserializer::from_reader(capped);
    let visitor = ArrayVisitor {
        ingestor,
        records: &mut records,
        stopped_by: &mut stopped_by,
        budget: &budget,
    };
    let result = visitor
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    if let Some(error) = stopped_by {
        return Err(error);
    }
    match result {
        Ok(()) => records.flush(ingestor),
        Err(error) => {
            let error = if budget.exceeded() {
                too_long_error(file, Position::Record(records.count + 1), limit)
            } else {
                invalid_json(
                    file,
                    error.line() as u64,
                    &error,
                    "a valid JSON array of objects",
                )
            };
            Err(records.fail(ingestor, error))
        }
    }
}

struct ArrayVisitor<'a, 'i, 'f, S: Sink> {
    ingestor: &'a mut Ingestor<'i, S>,
    records: &'a mut Records<'f>,
    /// Our own error, when a row stops the run: serde can only carry a message.
    stopped_by: &'a mut Option<IngestError>,
    budget: &'a Budget,
}

impl<'de, S: Sink> DeserializeSeed<'de> for ArrayVisitor<'_, '_, '_, S> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for ArrayVisitor<'_, '_, '_, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.budget.reset();
            let Some(value) = seq.next_element::<Json>()? else {
                return Ok(());
            };
            let raw = value.to_string();
            let fingerprint = super::fingerprint([raw.as_bytes()]);
            let position = Position::Record(self.records.count + 1);
            let outcome = self.records.value(
                self.ingestor,
                Ok(value),
                position,
                fingerprint,
                || raw,
                false,
            );
            if let Err(error) = outcome {
                *self.stopped_by = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
    }
}

/// The error for invalid JSON that stops the run; bytes that are not UTF-8 get the way out.
fn invalid_json(file: &Arc<str>, line: u64, error: &serde_json::Error, what: &str) -> IngestError {
    let hint = if error.to_string().contains("unicode") {
        "; if the file is not UTF-8, name its encoding, e.g. --encoding windows-1252"
    } else {
        ""
    };
    IngestError::Malformed {
        location: Location {
            file: file.clone(),
            position: Position::Line(line.max(1)),
        },
        message: format!("not {what}: {error}{hint}"),
    }
}

fn too_long_error(file: &Arc<str>, position: Position, limit: u64) -> IngestError {
    IngestError::Malformed {
        location: Location {
            file: file.clone(),
            position,
        },
        message: super::records::too_long_message(limit, "no end of the value"),
    }
}

/// Records read before the mapping is chosen: it is chosen from the members they have
/// between them, so that a first record without some member (a deleted ticket without its
/// metrics) does not speak for the whole input.
const LOOKAHEAD_RECORDS: usize = 32;
const LOOKAHEAD_BYTES: usize = 1 << 20;

/// A record held until the mapping is chosen.
struct Held {
    value: Result<Json, RowError>,
    position: Position,
    fingerprint: u64,
    raw: String,
    bad_bytes: bool,
}

/// The records of one JSON input, through the mapping chosen from the first ones.
struct Records<'f> {
    file: &'f Arc<str>,
    mapping: Option<Mapping>,
    /// Records seen so far (values that are not pages, and the records of pages).
    count: u64,
    held: Vec<Held>,
    held_bytes: usize,
}

impl<'f> Records<'f> {
    fn new(file: &'f Arc<str>) -> Self {
        Records {
            file,
            mapping: None,
            count: 0,
            held: Vec::new(),
            held_bytes: 0,
        }
    }

    /// One value of the input: a page's records, or a record.
    fn value<S: Sink>(
        &mut self,
        ingestor: &mut Ingestor<'_, S>,
        value: Result<Json, RowError>,
        position: Position,
        fingerprint: u64,
        raw: impl FnOnce() -> String,
        bad_bytes: bool,
    ) -> Result<(), IngestError> {
        let page = match value {
            Ok(value) => json_page::into_records(value).map_err(Ok),
            Err(error) => Err(Err(error)),
        };
        match page {
            Err(value) => {
                self.count += 1;
                self.push(ingestor, value, position, fingerprint, raw, bad_bytes)
            }
            Ok(page) => {
                for record in page {
                    self.count += 1;
                    let raw = record.to_string();
                    let fingerprint = super::fingerprint([raw.as_bytes()]);
                    let position = Position::Record(self.count);
                    self.push(
                        ingestor,
                        Ok(record),
                        position,
                        fingerprint,
                        || raw,
                        bad_bytes,
                    )?;
                }
                Ok(())
            }
        }
    }

    fn push<S: Sink>(
        &mut self,
        ingestor: &mut Ingestor<'_, S>,
        value: Result<Json, RowError>,
        position: Position,
        fingerprint: u64,
        raw: impl FnOnce() -> String,
        bad_bytes: bool,
    ) -> Result<(), IngestError> {
        if self.mapping.is_some() {
            return self.record(ingestor, value, position, fingerprint, raw, bad_bytes);
        }
        let raw = raw();
        self.held_bytes += raw.len();
        self.held.push(Held {
            value,
            position,
            fingerprint,
            raw,
            bad_bytes,
        });
        if self.held.len() >= LOOKAHEAD_RECORDS || self.held_bytes >= LOOKAHEAD_BYTES {
            self.flush(ingestor)?;
        }
        Ok(())
    }

    /// Chooses the mapping from the held records, if any is an object, and books them. Called
    /// when enough are held, at the end of the input, and before an error that stops the run
    /// (so that the rows before it are booked, or the first invalid one is the error).
    fn flush<S: Sink>(&mut self, ingestor: &mut Ingestor<'_, S>) -> Result<(), IngestError> {
        let held = std::mem::take(&mut self.held);
        self.held_bytes = 0;
        if self.mapping.is_none() {
            let objects: Vec<&Json> = held
                .iter()
                .filter_map(|held| held.value.as_ref().ok())
                .filter(|value| matches!(value, Json::Object(_)))
                .collect();
            if !objects.is_empty() {
                self.choose_mapping(ingestor, &objects);
            }
        }
        for held in held {
            let Held {
                value,
                position,
                fingerprint,
                raw,
                bad_bytes,
            } = held;
            self.record(ingestor, value, position, fingerprint, || raw, bad_bytes)?;
        }
        Ok(())
    }

    /// Flushes, then stops with `error`, unless a held row stops the run first.
    fn fail<S: Sink>(&mut self, ingestor: &mut Ingestor<'_, S>, error: IngestError) -> IngestError {
        match self.flush(ingestor) {
            Ok(()) => error,
            Err(first) => first,
        }
    }

    /// The mapping, from the members the records have between them.
    fn choose_mapping<S: Sink>(&mut self, ingestor: &mut Ingestor<'_, S>, records: &[&Json]) {
        let record_path = match &ingestor.options.mapping {
            MappingChoice::Given(mapping) => mapping.record_path.clone(),
            MappingChoice::Auto => {
                let members: Vec<String> = records
                    .iter()
                    .flat_map(|record| json_events::member_names(record))
                    .collect();
                let names: Vec<&str> = members.iter().map(String::as_str).collect();
                presets::json_record_path(&names)
            }
        };
        let mut seen = std::collections::HashSet::new();
        let mut names: Vec<String> = Vec::new();
        for record in records {
            for name in json_events::member_names(root(record, record_path.as_deref())) {
                if seen.insert(name.clone()) {
                    names.push(name);
                }
            }
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.mapping = Some(ingestor.mapping_for(self.file, &names));
    }

    fn record<S: Sink>(
        &mut self,
        ingestor: &mut Ingestor<'_, S>,
        value: Result<Json, RowError>,
        position: Position,
        fingerprint: u64,
        raw: impl FnOnce() -> String,
        bad_bytes: bool,
    ) -> Result<(), IngestError> {
        let fallback;
        // Rows before the first record (bad lines) are rejected without choosing the mapping.
        let mapping = match &self.mapping {
            Some(mapping) => mapping,
            None => {
                fallback = Mapping::canonical();
                &fallback
            }
        };
        let object = value.and_then(|value| match value {
            Json::Object(_) => Ok(value),
            other => Err(not_an_object(&other)),
        });
        if let (Some(path), Ok(object)) = (mapping.events_path.as_deref(), &object) {
            let record = json_events::Record {
                file: self.file,
                position,
                fingerprint,
                raw: raw(),
                bad_bytes,
            };
            return json_events::read(ingestor, mapping, path, object, record);
        }
        let members =
            object.map(|object| flatten_with_lists(root(&object, mapping.record_path.as_deref())));
        if let Ok(members) = &members {
            ingestor.saw_columns(members.iter().map(|(name, _)| name.as_str()));
        }
        let mapped = members.and_then(|members| map_members(mapping, &members, bad_bytes));
        let location = || Location {
            file: self.file.clone(),
            position,
        };
        let raw = |slots: &[usize]| json_row(raw(), mapping, slots);
        ingestor.row(mapping, location, mapped, fingerprint, raw)
    }
}

/// The record inside `object`: its `record_path` member when that is an object, else the
/// object itself (bare records read with the same mapping as wrapped ones).
pub(super) fn root<'a>(object: &'a Json, record_path: Option<&str>) -> &'a Json {
    match record_path.and_then(|path| object.get(path)) {
        Some(inner @ Json::Object(_)) => inner,
        _ => object,
    }
}

/// The members a mapping reads, checked: plain values, and valid UTF-8 where the line had
/// bytes that are not (only the members read matter).
pub(super) fn map_members(
    mapping: &Mapping,
    members: &[(String, Option<String>)],
    bad_bytes: bool,
) -> Result<MappedRow<'static>, RowError> {
    let find = |column: &str| {
        members
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(column))
    };
    for (slot, column) in mapping.columns.iter().enumerate() {
        match find(column) {
            Some((_, Some(text)))
                if text.starts_with(LIST_SEPARATOR) && !mapping.reads_list(slot) =>
            {
                return Err(RowError::new(
                    RejectReason::NestedValue,
                    Some(column),
                    "holds an array or object, expected a plain value",
                )
                .in_slots(&[slot]));
            }
            Some((_, None)) => {
                return Err(RowError::new(
                    RejectReason::NestedValue,
                    Some(column),
                    "holds an array or object, expected a plain value",
                )
                .in_slots(&[slot]));
            }
            Some((_, Some(text))) if bad_bytes && text.contains('\u{fffd}') => {
                return Err(RowError::new(
                    RejectReason::InvalidUtf8,
                    Some(column),
                    format!(
                        "invalid UTF-8 in the value \"{text}\"; if the file is not UTF-8, name \
                         its encoding, e.g. --encoding windows-1252 (or latin1)"
                    ),
                )
                .in_slots(&[slot]));
            }
            _ => {}
        }
    }
    let lookup = |slot: usize| find(&mapping.columns[slot]).and_then(|(_, value)| value.as_deref());
    mapping.apply(lookup).map(MappedRow::into_owned)
}

/// A rejected record's text, and where in it the members of the mapping's `slots` are.
pub(super) fn json_row(text: String, mapping: &Mapping, slots: &[usize]) -> RawRow {
    let cells = slots
        .iter()
        .filter_map(|slot| {
            let column = mapping.columns.get(*slot)?;
            let bytes = json_span::member_span(&text, mapping.record_path.as_deref(), column)?;
            Some(Cell {
                column: column.clone(),
                bytes,
            })
        })
        .collect();
    RawRow { text, cells }
}

/// Members as (dotted name, text): `None` marks an object or array, whose members follow it
/// (objects) or which has none a sample shows (arrays).
pub(super) fn flatten(object: &Json) -> Vec<(String, Option<String>)> {
    let mut members = Vec::new();
    if let Json::Object(fields) = object {
        flatten_into("", fields, false, &mut members);
    }
    members
}

/// Members as a mapping reads them: as [`flatten`], but an array of strings or numbers is a
/// list: its items, each after a [`LIST_SEPARATOR`] (so `[]` is one separator), which only
/// the tags read (`map_members` refuses it elsewhere).
pub(super) fn flatten_with_lists(object: &Json) -> Vec<(String, Option<String>)> {
    let mut members = Vec::new();
    if let Json::Object(fields) = object {
        flatten_into("", fields, true, &mut members);
    }
    members
}

fn flatten_into(
    prefix: &str,
    fields: &[(String, Json)],
    lists: bool,
    out: &mut Vec<(String, Option<String>)>,
) {
    for (key, value) in fields {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Json::Object(inner) => {
                out.push((name.clone(), None));
                flatten_into(&name, inner, lists, out);
            }
            Json::Array(items) if lists => out.push((name, list_text(items))),
            other => out.push((name, other.text())),
        }
    }
}

/// An array of plain values as a list's text; `None` when an item is an array or object.
fn list_text(items: &[Json]) -> Option<String> {
    let mut text = String::new();
    for item in items {
        if matches!(item, Json::Null) {
            continue;
        }
        let item = match item {
            Json::Array(_) | Json::Object(_) => None,
            scalar => scalar.text(),
        }?;
        text.push(LIST_SEPARATOR);
        text.push_str(&item);
    }
    if text.is_empty() {
        text.push(LIST_SEPARATOR);
    }
    Some(text)
}

fn not_an_object(value: &Json) -> RowError {
    RowError::new(
        RejectReason::NotAnObject,
        None,
        format!("expected an object, found {}", value.kind()),
    )
}
