//! The arrays of objects inside JSON records (a conversation's messages, a ticket's threads):
//! each profiled like the record's own columns, and the one whose objects carry times taken
//! for the events (`events_path`), with the roles split between the record (the ticket id,
//! the attributes every event inherits) and its events (the instant, the kind, the author, a
//! status change, a score).

use super::{ColumnProfile, Role, ValueType, column_profiles, fits, pick};
use crate::ingest::sample::ArraySample;

/// One array of objects, as sampled.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ArrayProfile {
    /// Its dotted path in the record (`messages`, `_embedded.threads`).
    pub path: String,
    /// How many objects the sample holds, over all the sampled records.
    pub objects: usize,
    /// Their members, named under the path (`messages.created_at`).
    pub columns: Vec<ColumnProfile>,
}

pub(super) fn profiles(arrays: &[ArraySample]) -> Vec<ArrayProfile> {
    arrays
        .iter()
        .map(|array| ArrayProfile {
            path: array.path.clone(),
            objects: array.rows.len(),
            columns: column_profiles(&array.header, &array.rows),
        })
        .collect()
}

/// The array that holds the events: of those whose objects carry a column of times, the one
/// with the most objects (the first among equals).
pub(super) fn events_array(arrays: &[ArrayProfile]) -> Option<usize> {
    let timed = |array: &ArrayProfile| {
        array
            .columns
            .iter()
            .any(|column| matches!(column.kind, ValueType::Timestamp { .. }))
    };
    arrays
        .iter()
        .enumerate()
        .filter(|(_, array)| timed(array))
        .max_by(|(a_at, a), (b_at, b)| a.objects.cmp(&b.objects).then(b_at.cmp(a_at)))
        .map(|(at, _)| at)
}

/// The record gives the ticket id and the attributes every event inherits; the events give
/// the instant, the author, the kind, status changes and scores. A record's own status or
/// score is where it stands now: inherited by every event, it would date the final status at
/// the first message, so it is left for the user to read (`[[record_events]]`).
pub(super) fn assign_roles(record: &mut [ColumnProfile], events: &mut [ColumnProfile]) {
    // The record's own id, before the ids of what it holds (a contact's, a phone number).
    let top_level = |column: &ColumnProfile| !column.name.contains('.');
    let id = record
        .iter()
        .position(|column| top_level(column) && column.name.eq_ignore_ascii_case("id"))
        .or_else(|| pick_where(record, Role::TicketId, top_level))
        .or_else(|| pick(record, Role::TicketId));
    if let Some(at) = id {
        record[at].role = Some(Role::TicketId);
    }
    for role in [
        Role::Priority,
        Role::Channel,
        Role::Agent,
        Role::Team,
        Role::Category,
    ] {
        if let Some(at) = pick(record, role) {
            record[at].role = Some(role);
        }
    }
    let path_depth = events
        .iter()
        .map(|column| column.name.matches('.').count())
        .min()
        .unwrap_or(0);
    for role in [
        Role::Timestamp,
        Role::AuthorType,
        Role::Event,
        Role::Status,
        Role::Csat,
    ] {
        let named = pick_named(events, role, event_words(role));
        // A status is the event's own member: a sender's availability is no status change.
        let own = |column: &ColumnProfile| column.name.matches('.').count() == path_depth;
        let found = match role {
            Role::Status => named.or_else(|| pick_where(events, role, own)),
            _ => named.or_else(|| pick(events, role)),
        };
        if let Some(at) = found {
            events[at].role = Some(role);
        }
    }
}

/// Names that say a role inside an event, most telling first, before the general keywords.
fn event_words(role: Role) -> &'static [&'static str] {
    match role {
        Role::AuthorType => &[
            "author.type",
            "author_type",
            "sender.type",
            "sender_type",
            "createdby.type",
            "from_agent",
            "is_inbound",
        ],
        Role::Event => &["message_type", "part_type", "event_type", "type"],
        _ => &[],
    }
}

/// The first column free for `role` that fits it and whose name holds the earliest of `words`.
fn pick_named(columns: &[ColumnProfile], role: Role, words: &[&str]) -> Option<usize> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, column)| column.role.is_none() && fits(column, role))
        .filter_map(|(at, column)| {
            let name = column.name.to_lowercase();
            let rank = words.iter().position(|word| name.contains(word))?;
            Some((rank, at))
        })
        .min()
        .map(|(_, at)| at)
}

/// `pick` among the columns `keep` accepts.
fn pick_where(
    columns: &[ColumnProfile],
    role: Role,
    keep: impl Fn(&ColumnProfile) -> bool,
) -> Option<usize> {
    let kept: Vec<(usize, ColumnProfile)> = columns
        .iter()
        .enumerate()
        .filter(|(_, column)| keep(column))
        .map(|(at, column)| (at, column.clone()))
        .collect();
    let only: Vec<ColumnProfile> = kept.iter().map(|(_, column)| column.clone()).collect();
    pick(&only, role).map(|at| kept[at].0)
}

#[cfg(test)]
mod tests {
    use super::super::{Shape, profile, suggest_mapping};
    use super::*;
    use crate::ingest::mapping::Mapping;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    /// Two Chatwoot-like conversations: the record's id, status and channel, and messages
    /// with epoch times, a type and a sender.
    fn conversations() -> (Vec<String>, Vec<Vec<String>>, Vec<ArraySample>) {
        let header = strings(&["id", "status", "meta.channel", "created_at"]);
        let rows = vec![
            strings(&["41", "resolved", "Channel::Email", "1709542800"]),
            strings(&["42", "open", "Channel::Email", "1709550000"]),
        ];
        let messages = ArraySample {
            path: "messages".to_owned(),
            header: strings(&[
                "messages.id",
                "messages.created_at",
                "messages.message_type",
                "messages.sender.type",
            ]),
            rows: vec![
                strings(&["401", "1709542800", "0", "contact"]),
                strings(&["402", "1709543700", "1", "user"]),
                strings(&["403", "1709544600", "2", ""]),
                strings(&["411", "1709550000", "0", "contact"]),
            ],
        };
        let labels = ArraySample {
            path: "labels".to_owned(),
            header: strings(&["labels.name"]),
            rows: vec![strings(&["vip"]), strings(&["vip"]), strings(&["late"])],
        };
        (header, rows, vec![labels, messages])
    }

    #[test]
    fn the_array_of_objects_with_times_is_the_events() {
        let (header, rows, arrays) = conversations();
        let profile = profile(&header, &rows, &arrays);
        assert_eq!(profile.shape, Shape::Events);
        assert_eq!(profile.events_path.as_deref(), Some("messages"));
        assert_eq!(profile.arrays.len(), 2, "every array is listed");
        let role = |columns: &[ColumnProfile], name: &str| {
            columns.iter().find(|c| c.name == name).and_then(|c| c.role)
        };
        assert_eq!(role(&profile.columns, "id"), Some(Role::TicketId));
        assert_eq!(role(&profile.columns, "meta.channel"), Some(Role::Channel));
        assert_eq!(
            role(&profile.columns, "status"),
            None,
            "the status now, not a change"
        );
        let events = profile.event_columns();
        assert_eq!(role(events, "messages.created_at"), Some(Role::Timestamp));
        assert_eq!(
            role(events, "messages.id"),
            None,
            "the ticket id is the record's"
        );
        assert_eq!(role(events, "messages.sender.type"), Some(Role::AuthorType));
        assert_eq!(role(events, "messages.message_type"), Some(Role::Event));
        assert_eq!(
            events
                .iter()
                .find(|c| c.name == "messages.created_at")
                .map(|c| &c.kind),
            Some(&ValueType::Timestamp {
                format: Some("unix".to_owned())
            })
        );
    }

    #[test]
    fn the_suggestion_names_the_events_path_and_compiles() {
        let (header, rows, arrays) = conversations();
        let profile = profile(&header, &rows, &arrays);
        let toml = suggest_mapping(&profile, "conversations.jsonl").expect("a suggestion");
        assert!(toml.contains("events_path = \"messages\""), "{toml}");
        assert!(
            toml.contains("timestamp = { column = \"messages.created_at\", format = \"unix\" }"),
            "{toml}"
        );
        assert!(
            toml.contains("# [derive.\"messages.message_type\"]"),
            "{toml}"
        );
        let mapping = Mapping::from_toml("suggested", &toml).expect("compiles as it is");
        assert_eq!(mapping.events_path.as_deref(), Some("messages"));
    }

    #[test]
    fn arrays_without_times_leave_the_records_as_they_are() {
        let (header, rows, arrays) = conversations();
        let labels = &arrays[..1];
        let profile = profile(&header, &rows, labels);
        assert_eq!(profile.events_path, None);
        assert_eq!(profile.shape, Shape::Tickets, "the id does not repeat");
        assert_eq!(profile.arrays.len(), 1);
    }
}
