//! JSON records that hold their events: a conversation with its messages in an array
//! (`conversation_parts.conversation_parts`, `_embedded.threads`, `messages`). A mapping's
//! `events_path` names the array; each element becomes one event row whose members are the
//! record's (named as they are: the conversation's `id`, `state`) and the element's (named
//! under the path: `messages.created_at`), so every event inherits its conversation's fields
//! and a name never means two things. The mapping's `record_events` make events of the record
//! itself, first (Intercom's conversation is its opening message, its rating another).

use std::collections::HashSet;
use std::sync::Arc;

use super::json_input::{flatten_with_lists, json_row, map_members, root};
use super::json_value::Json;
use super::mapping::{MappedField, Mapping};
use super::row::{Field, RejectReason, RowError};
use super::{IngestError, Ingestor, Location, Position, Sink};

/// One record as read, before its events are taken out.
pub(super) struct Record<'f> {
    pub file: &'f Arc<str>,
    pub position: Position,
    pub fingerprint: u64,
    pub raw: String,
    pub bad_bytes: bool,
}

/// Books the events of `object` (a JSON object) through `mapping`: the record's own events
/// (`record_events`), then one per element of the array at `path`. A record
/// that yields none is rejected (`no_events`), never dropped unseen.
pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    mapping: &Mapping,
    path: &str,
    object: &Json,
    record: Record<'_>,
) -> Result<(), IngestError> {
    let inner = root(object, mapping.record_path.as_deref());
    let names = member_names(inner);
    ingestor.saw_columns(names.iter().map(String::as_str));
    let parent = flatten_with_lists(inner);
    let elements = match at_path(inner, path) {
        Some(Json::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let mut event = 0u64;
    for own in &mapping.record_events {
        let mapped = map_members(own, &parent, record.bad_bytes);
        // What did not happen is no event: a conversation never rated has no rating.
        let happened = mapped.as_ref().map_or(true, |row| {
            !row.get(MappedField::Event(Field::Timestamp)).is_empty()
        });
        if !happened {
            continue;
        }
        event += 1;
        let fingerprint =
            super::fingerprint([&record.fingerprint.to_le_bytes()[..], own.name.as_bytes()]);
        let location = || record.location(event);
        let raw = |slots: &[usize]| json_row(record.raw.clone(), own, slots);
        ingestor.row(own, location, mapped, fingerprint, raw)?;
    }
    for element in elements {
        event += 1;
        let mapped = match element {
            Json::Object(_) => {
                let mut members = parent.clone();
                members.extend(
                    flatten_with_lists(element)
                        .into_iter()
                        .map(|(name, value)| (format!("{path}.{name}"), value)),
                );
                map_members(mapping, &members, record.bad_bytes)
            }
            other => Err(RowError::new(
                RejectReason::NotAnObject,
                Some(path),
                format!("an event is {}, expected an object", other.kind()),
            )),
        };
        let text = element.to_string();
        let fingerprint =
            super::fingerprint([&record.fingerprint.to_le_bytes()[..], text.as_bytes()]);
        let location = || record.location(event);
        let raw = |slots: &[usize]| {
            let mut row = json_row(text.clone(), mapping, slots);
            row.cells.clear();
            row
        };
        ingestor.row(mapping, location, mapped, fingerprint, raw)?;
    }
    if event == 0 {
        let error = RowError::new(
            RejectReason::NoEvents,
            Some(path),
            format!(
                "the record has no events: \"{path}\" is {} (the mapping's events_path names \
                 the array of its events)",
                match at_path(inner, path) {
                    None => "missing",
                    Some(Json::Array(_)) => "an empty array",
                    Some(other) => other.kind(),
                }
            ),
        );
        let location = || record.location(0);
        let raw = |_: &[usize]| super::RawRow {
            text: record.raw.clone(),
            cells: Vec::new(),
        };
        ingestor.row(mapping, location, Err(error), record.fingerprint, raw)?;
    }
    Ok(())
}

impl Record<'_> {
    /// Where the record's `event`th event is (the record itself for 0).
    fn location(&self, event: u64) -> Location {
        let position = match (self.position, event) {
            (position, 0) => position,
            (Position::Line(line) | Position::EventAtLine(line, _), event) => {
                Position::EventAtLine(line, event)
            }
            (Position::Record(record) | Position::EventOfRecord(record, _), event) => {
                Position::EventOfRecord(record, event)
            }
        };
        Location {
            file: self.file.clone(),
            position,
        }
    }
}

/// The member at a dotted path of objects (`_embedded.threads`).
fn at_path<'a>(object: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.')
        .try_fold(object, |value, name| value.get(name.trim()))
}

/// Every member name of a record as mappings name them, in first-seen order: its flattened
/// members, and the members of the objects inside its arrays under the array's name
/// (`messages.created_at`, the union over the elements), for detection and coverage.
pub(super) fn member_names(object: &Json) -> Vec<String> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    collect_names("", object, &mut names, &mut seen, 0);
    names
}

fn collect_names(
    prefix: &str,
    value: &Json,
    names: &mut Vec<String>,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    // Exports nest a few levels; the reader already bounds nesting, this bounds the walk.
    if depth > super::json_value::MAX_DEPTH {
        return;
    }
    let Json::Object(members) = value else {
        return;
    };
    for (key, member) in members {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if seen.insert(name.clone()) {
            names.push(name.clone());
        }
        match member {
            Json::Object(_) => collect_names(&name, member, names, seen, depth + 1),
            Json::Array(items) => {
                for item in items {
                    collect_names(&name, item, names, seen, depth + 1);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn names_reach_into_arrays_of_objects() {
        let record = json(
            r#"{"id": 7, "source": {"author": {"type": "user"}},
                "parts": {"parts": [{"id": 1, "author": {"type": "admin"}}, {"body": "x"}]},
                "tags": ["a", "b"]}"#,
        );
        assert_eq!(
            member_names(&record),
            [
                "id",
                "source",
                "source.author",
                "source.author.type",
                "parts",
                "parts.parts",
                "parts.parts.id",
                "parts.parts.author",
                "parts.parts.author.type",
                "parts.parts.body",
                "tags",
            ]
        );
    }

    #[test]
    fn a_path_walks_objects_only() {
        let record = json(r#"{"_embedded": {"threads": [{"id": 1}]}, "id": 3}"#);
        assert!(matches!(
            at_path(&record, "_embedded.threads"),
            Some(Json::Array(items)) if items.len() == 1
        ));
        assert_eq!(at_path(&record, "_embedded.missing"), None);
        assert_eq!(at_path(&record, "id.more"), None);
    }
}
