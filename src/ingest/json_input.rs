//! JSON arrays of objects and JSON Lines to canonical field values.

use std::fmt;
use std::io::BufRead;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::row::{Field, RejectReason, RowError, RowValues};
use super::{IngestError, Ingestor, Location, Position, Sink};

/// One JSON object per line; blank lines are skipped.
pub(super) fn read_lines<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
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
        let object = parse_line(&line);
        match &object {
            Ok(object) => with_values(object, |values| ingestor.row(location, values, raw))?,
            Err(error) => ingestor.row(location, Err(error.clone()), raw)?,
        }
    }
}

fn parse_line(line: &[u8]) -> Result<Map<String, Value>, RowError> {
    let text = std::str::from_utf8(line).map_err(|error| {
        RowError::new(
            RejectReason::InvalidUtf8,
            None,
            format!("invalid UTF-8 at byte {}", error.valid_up_to()),
        )
    })?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(not_an_object(&other)),
        Err(error) => Err(RowError::new(
            RejectReason::BadJson,
            None,
            format!("not valid JSON: {error}"),
        )),
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

/// Renders the canonical fields of `object` as text and passes them on.
fn with_values<T>(
    object: &Map<String, Value>,
    then: impl FnOnce(Result<RowValues<'_>, RowError>) -> T,
) -> T {
    let mut texts: Vec<(Field, String)> = Vec::new();
    for (key, value) in object {
        let Some(field) = Field::from_header(key) else {
            continue;
        };
        if texts.iter().any(|(seen, _)| *seen == field) {
            continue;
        }
        let text = match value {
            Value::Null => String::new(),
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => number.to_string(),
            Value::String(text) => text.clone(),
            Value::Array(_) | Value::Object(_) => {
                return then(Err(RowError::new(
                    RejectReason::NestedValue,
                    Some(key),
                    "holds an array or object, expected a plain value",
                )));
            }
        };
        texts.push((field, text));
    }
    let mut values = RowValues::default();
    for (field, text) in &texts {
        values.set(*field, text);
    }
    then(Ok(values))
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
        file,
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

struct ArrayVisitor<'a, 'i, S: Sink> {
    ingestor: &'a mut Ingestor<'i, S>,
    file: &'a Arc<str>,
    /// Our own error, when a row stops the run: serde can only carry a message.
    stopped_by: &'a mut Option<IngestError>,
}

impl<'de, S: Sink> DeserializeSeed<'de> for ArrayVisitor<'_, '_, S> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: Sink> Visitor<'de> for ArrayVisitor<'_, '_, S> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut record = 0u64;
        while let Some(value) = seq.next_element::<Value>()? {
            record += 1;
            let location = || Location {
                file: self.file.clone(),
                position: Position::Record(record),
            };
            let raw = || value.to_string();
            let outcome = match &value {
                Value::Object(object) => {
                    with_values(object, |values| self.ingestor.row(location, values, raw))
                }
                other => self.ingestor.row(location, Err(not_an_object(other)), raw),
            };
            if let Err(error) = outcome {
                *self.stopped_by = Some(error);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
