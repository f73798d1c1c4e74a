//! A mapping as written in TOML: the serde types, checked no further than TOML and serde check
//! them. [`super::compile`] makes them a [`super::Mapping`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ingest::names::named_enum;
use crate::ingest::values::UnknownStatus;

named_enum! {
    /// The three input shapes that map onto the one ticket model.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Shape {
        /// One row per event (message, note, status change, rating).
        #[default]
        Events = "events",
        /// One row per ticket (or several audit rows per ticket: the last one wins).
        Tickets = "tickets",
        /// One row per message, conversations rebuilt from reply-to ids (tweets, e-mails).
        Threads = "threads",
    }
}

/// A mapping as written in TOML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingSpec {
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub shape: Shape,
    /// Header names that identify this export for auto-detection: its core columns, all of
    /// which must be present (an export with a user-chosen subset of the others still
    /// matches). Where several presets match, the one that reads the most columns wins.
    #[serde(default)]
    pub detect: Vec<String>,
    /// Columns of which the header must carry at least one (when given): what tells this
    /// export apart from another with the same core columns.
    #[serde(default)]
    pub detect_any: Vec<String>,
    /// The IANA zone the export writes its local times in (timestamps without an offset);
    /// without it, `--tz` applies.
    pub tz: Option<String>,
    /// What a KPI means for this export when it is not what the name says (a process log's
    /// "first response" is a proxy): KPI key (as in the JSON report) -> note.
    #[serde(default)]
    pub caveats: BTreeMap<String, String>,
    pub delimiter: Option<String>,
    /// Cell values that mean "no value" (e.g. `?`, `NULL`, `-`) in every column the mapping
    /// reads; matched after trimming and ignoring case, as a field's own `null_values`.
    #[serde(default)]
    pub null_values: Vec<String>,
    /// JSON: the member holding the record, e.g. `ticket` for `{"ticket": {...}}`.
    pub record_path: Option<String>,
    /// JSON, events shape: the array inside each record whose elements are its events
    /// (`conversation_parts.conversation_parts`, `_embedded.threads`). Each element is one
    /// event; its members are named under the path (`_embedded.threads.createdAt`), and the
    /// record's own members keep their names, so every event inherits them (`id`, `state`).
    pub events_path: Option<String>,
    /// With `events_path`: events made of the record's own members, before its elements
    /// (`[[record_events]]`: Intercom's conversation is its opening message, and its rating
    /// another event). Each table holds fields, over the `[fields]` that read no member of
    /// the events (so `ticket_id = "id"` is inherited); an event whose timestamp is empty is
    /// not made (a conversation never rated has no rating). The skip rules on the record's
    /// own members apply to them (a spam ticket's close is excluded with its messages);
    /// derivations do not.
    #[serde(default)]
    pub record_events: Vec<BTreeMap<String, FieldSpec>>,
    /// Tickets shape: the column whose greatest value marks the row that wins (numbers or
    /// timestamps); by default the last row of a ticket wins.
    pub order_by: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
    /// The export's own columns to select on (`--where plan=pro`): attribute name -> column
    /// (or a table, as in `[fields]`: `null_values`, `values`, `other`, `columns`). Free text,
    /// trimmed, compared without case, as `category` is.
    #[serde(default)]
    pub attributes: BTreeMap<String, FieldSpec>,
    /// Rows to leave out: source column -> values. They are counted, never silently dropped.
    #[serde(default)]
    pub skip: BTreeMap<String, Vec<String>>,
    /// A source column whose value sets several fields at once: column -> value -> fields.
    /// The value `*` applies to any value not listed.
    #[serde(default)]
    pub derive: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// A status outside the vocabulary (after `values` and the config's aliases): `classify`
    /// (by keyword, counted; the default) or `reject` (an invalid row).
    #[serde(default)]
    pub unknown_status: UnknownStatus,
}

/// One field of `[fields]`: a column name, or a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FieldSpec {
    Column(String),
    Detailed(FieldDetail),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDetail {
    pub column: Option<String>,
    /// Several columns joined with a space (a date column and a time column).
    pub columns: Option<Vec<String>>,
    /// A constant for every row.
    pub value: Option<String>,
    /// Timestamps: chrono format strings tried in order (the canonical formats are always
    /// accepted too); `unix` for seconds, `unix_ms` for milliseconds.
    pub format: Option<Formats>,
    /// Durations: `seconds` (default), `minutes`, `hours` or `h:mm:ss`.
    pub unit: Option<DurationUnit>,
    /// Value aliases, matched case-insensitively: source value -> canonical value.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// The value for a source value not listed in `values` (default: kept as it is).
    pub other: Option<String>,
    /// Values that mean "no value" for this field only (the same rule as the top-level ones).
    #[serde(default)]
    pub null_values: Vec<String>,
    /// Tickets shape: an instant earlier than the ticket's creation belongs to the next day
    /// (a time of day joined with the creation date, for calls that pass midnight).
    #[serde(default)]
    pub rollover: bool,
    /// Tags: the one character between the tags of a cell (`","`; `" "` for any
    /// whitespace). Without it, commas or semicolons where the cell has any, else whitespace.
    pub separator: Option<String>,
}

impl FieldDetail {
    /// The table a bare column name stands for.
    pub fn of(spec: &FieldSpec) -> FieldDetail {
        match spec {
            FieldSpec::Column(column) => FieldDetail {
                column: Some(column.clone()),
                ..FieldDetail::default()
            },
            FieldSpec::Detailed(detail) => detail.clone(),
        }
    }

    /// The timestamp formats, in the order they are tried.
    pub fn formats(&self) -> Vec<String> {
        match &self.format {
            None => Vec::new(),
            Some(Formats::One(format)) => vec![format.clone()],
            Some(Formats::Many(formats)) => formats.clone(),
        }
    }
}

/// `format = "..."` or `format = ["...", "..."]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Formats {
    One(String),
    Many(Vec<String>),
}

named_enum! {
    /// The unit a duration column is written in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum DurationUnit {
        Seconds = "seconds",
        Minutes = "minutes",
        Hours = "hours",
        #[serde(rename = "h:mm:ss")]
        Hms = "h:mm:ss",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde reads the spec; messages and `inspect` write `as_str`: the two spellings agree.
    #[test]
    fn serde_and_as_str_spell_alike() {
        #[derive(Deserialize)]
        struct Probe {
            shape: Shape,
            unit: DurationUnit,
        }
        for shape in Shape::ALL {
            for unit in DurationUnit::ALL {
                let text = format!("shape = {:?}\nunit = {:?}", shape.as_str(), unit.as_str());
                let probe: Probe = toml::from_str(&text).expect("spelled as serde reads it");
                assert_eq!((probe.shape, probe.unit), (shape, unit));
            }
        }
        assert_eq!(
            serde_json::to_string(&Shape::Tickets).expect("serializes"),
            "\"tickets\""
        );
    }
}
