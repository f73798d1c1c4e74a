//! JSON arrays of objects and JSON Lines through a mapping. Nested objects are flattened to
//! dotted names (`via.channel`), so mappings can name any member.

use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::mapping::{MappedRow, Mapping};
use super::row::{RejectReason, RowError};
use super::{IngestError, Ingestor, Location, Position, Sink};

/// One JSON object per line; blank lines are skipped.
pub(super) fn read_lines<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
    let mut records = Records::new(file);
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|source| IngestError::Io {
                file: file.to_string(),
                source,
            })?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let location = || Location {
            file: file.clone(),
            position: Position::Line(number),
        };
        let raw = || String::from_utf8_lossy(&line).trim_end().to_owned();
        let value = parse_line(&line);
        let fingerprint = super::fingerprint([line.trim_ascii()]);
        records.record(ingestor, value, location, fingerprint, raw)?;
    }
}

fn parse_line(line: &[u8]) -> Result<Value, RowError> {
    let text = std::str::from_utf8(line).map_err(|error| {
        RowError::new(
            RejectReason::InvalidUtf8,
            None,
            format!("invalid UTF-8 at byte {}", error.valid_up_to()),
        )
    })?;
    serde_json::from_str::<Value>(text).map_err(|error| {
        RowError::new(
            RejectReason::BadJson,
            None,
            format!("not valid JSON: {error}"),
        )
    })
}

/// The records of one JSON input: the mapping is chosen from the first object's members.
struct Records<'f> {
    file: &'f Arc<str>,
    mapping: Option<Mapping>,
}

impl<'f> Records<'f> {
    fn new(file: &'f Arc<str>) -> Self {
        Records {
            file,
            mapping: None,
        }
    }

    fn record<S: Sink>(
        &mut self,
        ingestor: &mut Ingestor<'_, S>,
        value: Result<Value, RowError>,
        location: impl FnOnce() -> Location,
        fingerprint: u64,
        raw: impl FnOnce() -> String,
    ) -> Result<(), IngestError> {
        let object = value.and_then(|value| match value {
            Value::Object(object) => Ok(object),
            other => Err(not_an_object(&other)),
        });
        let mapping = match &self.mapping {
            Some(mapping) => mapping,
            None => {
                let members = object.as_ref().map(flatten).unwrap_or_default();
                let names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
                self.mapping.insert(ingestor.mapping_for(self.file, &names))
            }
        };
        let members = object.map(|object| {
            let root = match mapping.record_path.as_deref() {
                Some(path) => match object.get(path) {
                    Some(Value::Object(inner)) => inner.clone(),
                    _ => Map::new(),
                },
                None => object,
            };
            flatten(&root)
        });
        if let Ok(members) = &members {
            ingestor.saw_columns(members.iter().map(|(name, _)| name.as_str()));
        }
        let mapped = members.and_then(|members| {
            for column in &mapping.columns {
                if members
                    .iter()
                    .any(|(name, value)| value.is_none() && name.eq_ignore_ascii_case(column))
                {
                    return Err(RowError::new(
                        RejectReason::NestedValue,
                        Some(column),
                        "holds an array or object, expected a plain value",
                    ));
                }
            }
            let lookup = |slot: usize| {
                let column = &mapping.columns[slot];
                members
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(column))
                    .and_then(|(_, value)| value.as_deref())
            };
            mapping.apply(lookup).map(MappedRow::into_owned)
        });
        ingestor.row(mapping, location, mapped, fingerprint, raw)
    }
}

/// Members as (dotted name, text): `None` marks an object or array, whose members follow it
/// (objects) or which has none a mapping can read (arrays).
fn flatten(object: &Map<String, Value>) -> Vec<(String, Option<String>)> {
    let mut members = Vec::new();
    flatten_into("", object, &mut members);
    members
}

fn flatten_into(
    prefix: &str,
    object: &Map<String, Value>,
    out: &mut Vec<(String, Option<String>)>,
) {
    for (key, value) in object {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Null => out.push((name, Some(String::new()))),
            Value::Bool(flag) => out.push((name, Some(flag.to_string()))),
            Value::Number(number) => out.push((name, Some(number.to_string()))),
            Value::String(text) => out.push((name, Some(text.clone()))),
            Value::Array(_) => out.push((name, None)),
            Value::Object(inner) => {
                out.push((name.clone(), None));
                flatten_into(&name, inner, out);
            }
        }
    }
}

fn not_an_object(value: &Value) -> RowError {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    RowError::new(
        RejectReason::NotAnObject,
        None,
        format!("expected an object, found {kind}"),
    )
}

/// A JSON array of objects, streamed element by element (never held whole in memory).
pub(super) fn read_array<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
    let mut stopped_by = None;
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let visitor = ArrayVisitor {
        ingestor,
        records: Records::new(file),
        stopped_by: &mut stopped_by,
    };
    let result = visitor
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    if let Some(error) = stopped_by {
        return Err(error);
    }
    result.map_err(|error| IngestError::Malformed {
        location: Location {
            file: file.clone(),
            position: Position::Line(error.line() as u64),
        },
        message: format!("not a valid JSON array of objects: {error}"),
    })
}

struct ArrayVisitor<'a, 'i, 'f, S: Sink> {
    ingestor: &'a mut Ingestor<'i, S>,
    records: Records<'f>,
    /// Our own error, when a row stops the run: serde can only carry a message.
    stopped_by: &'a mut Option<IngestError>,
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

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut record = 0u64;
        let file = self.records.file.clone();
        while let Some(value) = seq.next_element::<Value>()? {
            record += 1;
            let location = || Location {
                file: file.clone(),
                position: Position::Record(record),
            };
            let raw = value.to_string();
            let fingerprint = super::fingerprint([raw.as_bytes()]);
            let outcome =
                self.records
                    .record(self.ingestor, Ok(value), location, fingerprint, || raw);
            if let Err(error) = outcome {
                *self.stopped_by = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
