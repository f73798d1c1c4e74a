//! The fields a mapping can fill, over all shapes: the canonical columns, then the fields only
//! the threads and tickets shapes have. One list ([`mapped_fields!`]) declares the latter with
//! their names, shapes and kinds of value; the dense index of a mapped row and the number of
//! fields are derived from it, never kept by hand.

use super::spec::Shape;
use crate::ingest::row::{FIELD_COUNT, Field};

/// What a field's text is, which decides how a mapping converts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ValueKind {
    Text,
    Timestamp,
    Duration,
    /// Identifiers: `3.0` (a float-formatted integer, as pandas writes) reads as `3`.
    Id,
}

/// Declares [`MappedField`] from the list of fields beyond the canonical columns, and from the same
/// list their names, kinds, shapes and dense indexes.
macro_rules! mapped_fields {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $shape:ident, $kind:ident;)+) => {
        /// Every field a mapping can fill, over all shapes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum MappedField {
            /// A column of the canonical event log.
            Event(Field),
            $($(#[$doc])* $variant,)+
        }

        /// The fields beyond the canonical columns, as plain numbers: the compiler counts them.
        #[derive(Clone, Copy)]
        enum Extra {
            $($variant,)+
        }

        /// The fields beyond the canonical columns, in order, and the shape each belongs to.
        const EXTRA: [(MappedField, Shape); [$(Extra::$variant),+].len()] =
            [$((MappedField::$variant, Shape::$shape),)+];

        impl MappedField {
            /// A dense index, so a mapped row is a plain array of [`TARGET_COUNT`] values.
            pub(super) fn index(self) -> usize {
                match self {
                    MappedField::Event(field) => field.index(),
                    $(MappedField::$variant => FIELD_COUNT + Extra::$variant as usize,)+
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    MappedField::Event(field) => field.as_str(),
                    $(MappedField::$variant => $name,)+
                }
            }

            pub(super) fn kind(self) -> ValueKind {
                match self {
                    MappedField::Event(field) => event_kind(field),
                    $(MappedField::$variant => ValueKind::$kind,)+
                }
            }
        }
    };
}

mapped_fields! {
    MessageId = "message_id", Threads, Id;
    ParentId = "parent_id", Threads, Id;
    CreatedAt = "created_at", Tickets, Timestamp;
    FirstReplyAt = "first_reply_at", Tickets, Timestamp;
    FirstReplySeconds = "first_reply_seconds", Tickets, Duration;
    SolvedAt = "solved_at", Tickets, Timestamp;
    ResolutionSeconds = "resolution_seconds", Tickets, Duration;
    FirstResolvedAt = "first_resolved_at", Tickets, Timestamp;
    FirstResolutionSeconds = "first_resolution_seconds", Tickets, Duration;
    ClosedAt = "closed_at", Tickets, Timestamp;
    Reopens = "reopens", Tickets, Text;
    Replies = "replies", Tickets, Text;
    CustomerMessages = "customer_messages", Tickets, Text;
    /// The help desk's own business-hours durations, for exports that carry only those.
    FirstReplyBusinessSeconds = "first_reply_business_seconds", Tickets, Duration;
    FirstResolutionBusinessSeconds = "first_resolution_business_seconds", Tickets, Duration;
    ResolutionBusinessSeconds = "resolution_business_seconds", Tickets, Duration;
    /// The help desk's own SLA verdict (met or breached), reported beside ours.
    SlaFirstReplyMet = "sla_first_reply_met", Tickets, Text;
    SlaResolutionMet = "sla_resolution_met", Tickets, Text;
    /// A call's outcome: answered or abandoned (a flag or an outcome word). A row that has
    /// one is a call (the contact-centre KPIs).
    Answered = "answered", Tickets, Text;
    /// When the call entered the queue for an agent, and left it (answered or hung up).
    QueuedAt = "queued_at", Tickets, Timestamp;
    QueueExitAt = "queue_exit_at", Tickets, Timestamp;
    /// Seconds from queue entry to the answer (to the hang-up on an abandoned call), for
    /// call logs that give the wait rather than the instants.
    SpeedOfAnswerSeconds = "speed_of_answer_seconds", Tickets, Duration;
}

/// How many targets there are: the canonical fields, then the others.
pub(super) const TARGET_COUNT: usize = FIELD_COUNT + EXTRA.len();

/// Fields of the tickets shape shared with events.
const TICKET_SHARED: [Field; 14] = [
    Field::TicketId,
    Field::Status,
    Field::Channel,
    Field::Agent,
    Field::Team,
    Field::Priority,
    Field::Category,
    Field::Tags,
    Field::Csat,
    Field::Nps,
    Field::HandleSeconds,
    // A call log's parts of the handle time, summed where handle_seconds is not given.
    Field::TalkSeconds,
    Field::HoldSeconds,
    Field::AcwSeconds,
];

/// The tickets shape's name for the row's own time (the canonical `timestamp`).
const TICKET_UPDATED_AT: (&str, MappedField) = ("updated_at", MappedField::Event(Field::Timestamp));

fn event_kind(field: Field) -> ValueKind {
    match field {
        Field::Timestamp => ValueKind::Timestamp,
        Field::HandleSeconds | Field::TalkSeconds | Field::HoldSeconds | Field::AcwSeconds => {
            ValueKind::Duration
        }
        Field::TicketId => ValueKind::Id,
        _ => ValueKind::Text,
    }
}

/// By name: the names are distinct over all shapes (a test says so).
impl serde::Serialize for MappedField {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for MappedField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        MappedField::all()
            .into_iter()
            .find(|field| field.name() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("no mapping field is named {name}")))
    }
}

impl MappedField {
    /// Every target of every shape.
    pub fn all() -> Vec<MappedField> {
        let events = Field::ALL.into_iter().map(MappedField::Event);
        events
            .chain(EXTRA.iter().map(|(target, _)| *target))
            .collect()
    }

    /// The fields of `shape`, by name, in the order messages list them.
    fn of_shape(shape: Shape) -> Vec<(&'static str, MappedField)> {
        let event = |field: Field| (field.as_str(), MappedField::Event(field));
        let extra = EXTRA
            .iter()
            .filter(move |(_, of)| *of == shape)
            .map(|(target, _)| (target.name(), *target));
        match shape {
            Shape::Events => Field::ALL.into_iter().map(event).collect(),
            Shape::Threads => extra
                .chain(
                    Field::ALL
                        .into_iter()
                        .filter(|field| *field != Field::TicketId)
                        .map(event),
                )
                .collect(),
            Shape::Tickets => TICKET_SHARED
                .into_iter()
                .map(event)
                .chain(extra)
                .chain([TICKET_UPDATED_AT])
                .collect(),
        }
    }

    /// The field named `name` (trimmed, case-insensitive) in `shape`, if that shape has it.
    pub fn parse(shape: Shape, name: &str) -> Option<MappedField> {
        let name = name.trim();
        MappedField::of_shape(shape)
            .into_iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, target)| target)
    }

    pub fn names(shape: Shape) -> Vec<&'static str> {
        MappedField::of_shape(shape)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_dense_and_distinct() {
        let all = MappedField::all();
        assert_eq!(all.len(), TARGET_COUNT);
        let mut indexes: Vec<usize> = all.iter().map(|t| t.index()).collect();
        indexes.sort_unstable();
        assert_eq!(indexes, (0..TARGET_COUNT).collect::<Vec<_>>());
    }

    #[test]
    fn every_field_of_a_shape_reads_back_from_its_name() {
        for shape in Shape::ALL {
            for (name, target) in MappedField::of_shape(shape) {
                assert_eq!(
                    MappedField::parse(shape, &name.to_uppercase()),
                    Some(target)
                );
            }
        }
        assert_eq!(MappedField::parse(Shape::Threads, "ticket_id"), None);
        assert_eq!(MappedField::parse(Shape::Events, "created_at"), None);
        assert_eq!(
            MappedField::parse(Shape::Tickets, " Updated_At "),
            Some(MappedField::Event(Field::Timestamp))
        );
        assert_eq!(MappedField::parse(Shape::Tickets, "event"), None);
    }

    #[test]
    fn names_are_distinct_over_all_shapes_so_serde_can_use_them() {
        let all = MappedField::all();
        let mut names: Vec<&str> = all.iter().map(|field| field.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len());
        for field in all {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(serde_json::from_str::<MappedField>(&json).unwrap(), field);
        }
    }
}
