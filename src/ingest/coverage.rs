//! What an export can tell: which fields of the model its columns feed, and what its rows
//! hold. A mapping's field whose column is absent from the file is *unmapped*, never a column
//! of empty values: the KPIs that need it are null, with the missing column named.

use std::collections::BTreeMap;

use super::event::{AuthorType, Event, EventKind};
use super::mapping::{MappedField, Mapping, Shape};
use crate::symbols::Sym;

/// How one field of the model is fed by the inputs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Feed {
    /// From columns every input has (or a constant, or a derivation of a present column).
    Fed,
    /// The mapping reads it from columns an input does not have.
    Absent { columns: String },
}

/// The fields the inputs feed, together: a field is fed only when every input feeds it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    /// The inputs have a row per event (events and threads shapes), not one per ticket.
    pub per_event: bool,
    /// Fields a mapping names; a field no mapping names is not in the map.
    #[serde(with = "pairs")]
    fields: BTreeMap<MappedField, Feed>,
    /// Notes a preset gives on what a KPI means for its data: KPI key -> text.
    pub caveats: BTreeMap<String, String>,
}

impl Coverage {
    /// One input's coverage.
    pub fn new(
        per_event: bool,
        fields: BTreeMap<MappedField, Feed>,
        caveats: BTreeMap<String, String>,
    ) -> Coverage {
        Coverage {
            per_event,
            fields,
            caveats,
        }
    }

    /// Everything fed: what unit tests of the metrics start from.
    pub fn full() -> Coverage {
        Coverage {
            per_event: true,
            fields: MappedField::all()
                .into_iter()
                .map(|t| (t, Feed::Fed))
                .collect(),
            caveats: BTreeMap::new(),
        }
    }

    /// What several inputs support together: a field is fed when it is fed in both.
    pub fn and(self, other: Coverage) -> Coverage {
        let mut fields = BTreeMap::new();
        for (target, feed) in self.fields {
            match (feed, other.fields.get(&target)) {
                (Feed::Fed, Some(Feed::Fed)) => {
                    fields.insert(target, Feed::Fed);
                }
                (Feed::Absent { columns }, _) => {
                    fields.insert(target, Feed::Absent { columns });
                }
                (Feed::Fed, Some(Feed::Absent { columns })) => {
                    let columns = columns.clone();
                    fields.insert(target, Feed::Absent { columns });
                }
                (Feed::Fed, None) => {}
            }
        }
        let mut caveats = self.caveats;
        caveats.extend(other.caveats);
        Coverage {
            per_event: self.per_event && other.per_event,
            fields,
            caveats,
        }
    }

    pub fn fed(&self, target: MappedField) -> bool {
        self.fields.get(&target) == Some(&Feed::Fed)
    }

    /// Whether a mapping names the field at all (fed or absent).
    pub fn names(&self, target: MappedField) -> bool {
        self.fields.contains_key(&target)
    }

    pub fn any_fed(&self, targets: &[MappedField]) -> bool {
        targets.iter().any(|target| self.fed(*target))
    }

    /// Why none of `targets` is fed, in the words of the export: the columns the mapping
    /// looked for, or that no column is mapped to them.
    pub fn why_not(&self, targets: &[MappedField]) -> String {
        let absent: Vec<String> = targets
            .iter()
            .filter_map(|target| match self.fields.get(target) {
                Some(Feed::Absent { columns }) => Some(format!("'{columns}'")),
                _ => None,
            })
            .collect();
        if absent.is_empty() {
            let names: Vec<&str> = targets.iter().map(|t| t.name()).collect();
            format!("no column is mapped to {}", names.join(" or "))
        } else {
            format!("the export has no column {}", absent.join(" or "))
        }
    }
}

impl Mapping {
    /// What this mapping feeds in an input whose columns are `present` (by slot): a field
    /// whose columns the input lacks is absent, and reads as unmapped.
    pub fn coverage(&self, present: &[bool]) -> Coverage {
        let is_present = |slot: &usize| present.get(*slot).copied().unwrap_or(false);
        let mut fields = BTreeMap::new();
        for target in MappedField::all() {
            let sources: Vec<&[usize]> = self.source_slots(target).collect();
            if sources.is_empty() {
                continue;
            }
            let feed = if sources.iter().any(|slots| slots.iter().all(is_present)) {
                Feed::Fed
            } else {
                let columns: Vec<&str> = sources
                    .iter()
                    .flat_map(|slots| slots.iter())
                    .filter(|slot| !is_present(slot))
                    .map(|slot| self.columns[*slot].as_str())
                    .collect();
                Feed::Absent {
                    columns: columns.join("', '"),
                }
            };
            fields.insert(target, feed);
        }
        Coverage::new(self.shape != Shape::Tickets, fields, self.caveats.clone())
    }
}

/// What the valid rows hold, beyond their columns: a KPI whose numerator the data can never
/// fill (bot resolution without any bot message, redirects with one channel) is unknowable,
/// not 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RowFacts {
    pub message_rows: u64,
    pub customer_messages: u64,
    pub agent_messages: u64,
    pub bot_messages: u64,
    /// The non-empty channels of message rows: none, one, or several.
    pub channels: Channels,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Channels {
    #[default]
    None,
    One(Sym),
    Several,
}

impl RowFacts {
    pub fn observe(&mut self, event: &Event) {
        if event.kind != EventKind::Message {
            return;
        }
        self.message_rows += 1;
        match event.author {
            Some(AuthorType::Customer) => self.customer_messages += 1,
            Some(AuthorType::Agent) => self.agent_messages += 1,
            Some(AuthorType::Bot) => self.bot_messages += 1,
            Some(AuthorType::System) | None => {}
        }
        let channel = event.attributes.channel;
        if !channel.is_none() {
            self.channels = match self.channels {
                Channels::None => Channels::One(channel),
                Channels::One(seen) if seen == channel => Channels::One(seen),
                _ => Channels::Several,
            };
        }
    }
}

/// `fields` as a list of pairs when serialised (`--state`): a field is no text, so it cannot
/// key a JSON object.
mod pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{Feed, MappedField};

    pub fn serialize<S: Serializer>(
        fields: &BTreeMap<MappedField, Feed>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        fields.iter().collect::<Vec<_>>().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<MappedField, Feed>, D::Error> {
        Ok(Vec::<(MappedField, Feed)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::row::Field;

    fn coverage(fields: &[(MappedField, Feed)]) -> Coverage {
        Coverage::new(false, fields.iter().cloned().collect(), BTreeMap::new())
    }

    #[test]
    fn a_field_is_fed_only_when_every_input_feeds_it() {
        let csat = MappedField::Event(Field::Csat);
        let replies = MappedField::Replies;
        let first = coverage(&[(csat, Feed::Fed), (replies, Feed::Fed)]);
        let second = coverage(&[
            (csat, Feed::Fed),
            (
                replies,
                Feed::Absent {
                    columns: "Replies".into(),
                },
            ),
        ]);
        let both = first.and(second);
        assert!(both.fed(csat));
        assert!(!both.fed(replies));
        assert_eq!(
            both.why_not(&[replies]),
            "the export has no column 'Replies'"
        );
        assert_eq!(
            both.why_not(&[MappedField::Reopens]),
            "no column is mapped to reopens"
        );
    }
}
