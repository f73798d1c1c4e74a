//! Column mappings: how the columns of a real export become canonical fields.
//!
//! A mapping is a TOML document (a built-in preset, the `[mapping]` table of ticketkpi.toml,
//! or `--mapping FILE`). The canonical event log itself is read through the identity mapping,
//! so every input takes the same path: source record -> [`MappedRow`] -> validation.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::coverage::{Coverage, Feed};
use super::row::{FIELD_COUNT, Field, RejectReason, RowError, RowValues};
use super::values::{UnknownStatus, ValueNotes, is_placeholder_date};

/// The three input shapes that map onto the one ticket model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// One row per event (message, note, status change, rating).
    #[default]
    Events,
    /// One row per ticket (or several audit rows per ticket: the last one wins).
    Tickets,
    /// One row per message, conversations rebuilt from reply-to ids (tweets, e-mails).
    Threads,
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
    /// Cell values that mean "no value" (e.g. `?`, `NULL`, `-`).
    #[serde(default)]
    pub null_values: Vec<String>,
    /// JSON: the member holding the record, e.g. `ticket` for `{"ticket": {...}}`.
    pub record_path: Option<String>,
    /// Tickets shape: the column whose greatest value marks the row that wins (numbers or
    /// timestamps); by default the last row of a ticket wins.
    pub order_by: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
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
    pub format: Option<OneOrMany>,
    /// Durations: `seconds` (default), `minutes`, `hours` or `h:mm:ss`.
    pub unit: Option<DurationUnit>,
    /// Value aliases, matched case-insensitively: source value -> canonical value.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// The value for a source value not listed in `values` (default: kept as it is).
    pub other: Option<String>,
    /// Values that mean "no value" for this field only.
    #[serde(default)]
    pub null_values: Vec<String>,
    /// Tickets shape: an instant earlier than the ticket's creation belongs to the next day
    /// (a time of day joined with the creation date, for calls that pass midnight).
    #[serde(default)]
    pub rollover: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DurationUnit {
    Seconds,
    Minutes,
    Hours,
    #[serde(rename = "h:mm:ss")]
    Hms,
}

/// Every field a mapping can fill, over all shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Event(Field),
    MessageId,
    ParentId,
    CreatedAt,
    FirstReplyAt,
    FirstReplySeconds,
    SolvedAt,
    ResolutionSeconds,
    FirstResolvedAt,
    FirstResolutionSeconds,
    ClosedAt,
    Reopens,
    Replies,
    CustomerMessages,
    /// The help desk's own business-hours durations, for exports that carry only those.
    FirstReplyBusinessSeconds,
    FirstResolutionBusinessSeconds,
    ResolutionBusinessSeconds,
    /// The help desk's own SLA verdict (met or breached), reported beside ours.
    SlaFirstReplyMet,
    SlaResolutionMet,
}

const TICKET_ONLY: [(&str, Target); 17] = [
    ("created_at", Target::CreatedAt),
    ("first_reply_at", Target::FirstReplyAt),
    ("first_reply_seconds", Target::FirstReplySeconds),
    ("solved_at", Target::SolvedAt),
    ("resolution_seconds", Target::ResolutionSeconds),
    ("first_resolved_at", Target::FirstResolvedAt),
    ("first_resolution_seconds", Target::FirstResolutionSeconds),
    ("closed_at", Target::ClosedAt),
    ("reopens", Target::Reopens),
    ("replies", Target::Replies),
    ("customer_messages", Target::CustomerMessages),
    ("updated_at", Target::Event(Field::Timestamp)),
    (
        "first_reply_business_seconds",
        Target::FirstReplyBusinessSeconds,
    ),
    (
        "first_resolution_business_seconds",
        Target::FirstResolutionBusinessSeconds,
    ),
    (
        "resolution_business_seconds",
        Target::ResolutionBusinessSeconds,
    ),
    ("sla_first_reply_met", Target::SlaFirstReplyMet),
    ("sla_resolution_met", Target::SlaResolutionMet),
];

/// Fields of the tickets shape shared with events.
const TICKET_SHARED: [Field; 10] = [
    Field::TicketId,
    Field::Status,
    Field::Channel,
    Field::Agent,
    Field::Team,
    Field::Priority,
    Field::Category,
    Field::Csat,
    Field::Nps,
    Field::HandleSeconds,
];

/// How many targets there are: the canonical fields, then the others.
const TARGET_COUNT: usize = FIELD_COUNT + 18;

impl Target {
    /// A dense index, so a mapped row is a plain array.
    fn index(self) -> usize {
        match self {
            Target::Event(field) => field as usize,
            Target::MessageId => FIELD_COUNT,
            Target::ParentId => FIELD_COUNT + 1,
            Target::CreatedAt => FIELD_COUNT + 2,
            Target::FirstReplyAt => FIELD_COUNT + 3,
            Target::FirstReplySeconds => FIELD_COUNT + 4,
            Target::SolvedAt => FIELD_COUNT + 5,
            Target::ResolutionSeconds => FIELD_COUNT + 6,
            Target::FirstResolvedAt => FIELD_COUNT + 7,
            Target::FirstResolutionSeconds => FIELD_COUNT + 8,
            Target::ClosedAt => FIELD_COUNT + 9,
            Target::Reopens => FIELD_COUNT + 10,
            Target::Replies => FIELD_COUNT + 11,
            Target::CustomerMessages => FIELD_COUNT + 12,
            Target::FirstReplyBusinessSeconds => FIELD_COUNT + 13,
            Target::FirstResolutionBusinessSeconds => FIELD_COUNT + 14,
            Target::ResolutionBusinessSeconds => FIELD_COUNT + 15,
            Target::SlaFirstReplyMet => FIELD_COUNT + 16,
            Target::SlaResolutionMet => FIELD_COUNT + 17,
        }
    }

    /// Every target of every shape.
    pub fn all() -> Vec<Target> {
        let mut all: Vec<Target> = Field::ALL.iter().map(|f| Target::Event(*f)).collect();
        all.extend([Target::MessageId, Target::ParentId]);
        all.extend(
            TICKET_ONLY
                .iter()
                .map(|(_, target)| *target)
                .filter(|target| !matches!(target, Target::Event(_))),
        );
        all
    }

    pub fn name(self) -> &'static str {
        match self {
            Target::Event(field) => field.as_str(),
            Target::MessageId => "message_id",
            Target::ParentId => "parent_id",
            other => TICKET_ONLY
                .iter()
                .find(|(_, target)| *target == other)
                .map_or("?", |(name, _)| name),
        }
    }

    /// The field named `name` in `shape`, if that shape has it.
    pub fn parse(shape: Shape, name: &str) -> Option<Target> {
        let name = name.trim().to_ascii_lowercase();
        match shape {
            Shape::Events => name.parse::<Field>().ok().map(Target::Event),
            Shape::Threads => match name.as_str() {
                "message_id" => Some(Target::MessageId),
                "parent_id" => Some(Target::ParentId),
                _ => name
                    .parse::<Field>()
                    .ok()
                    .filter(|field| *field != Field::TicketId)
                    .map(Target::Event),
            },
            Shape::Tickets => TICKET_ONLY
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, target)| *target)
                .or_else(|| {
                    name.parse::<Field>()
                        .ok()
                        .filter(|field| TICKET_SHARED.contains(field))
                        .map(Target::Event)
                }),
        }
    }

    pub fn names(shape: Shape) -> Vec<&'static str> {
        match shape {
            Shape::Events => Field::ALL.iter().map(|f| f.as_str()).collect(),
            Shape::Threads => {
                let mut names = vec!["message_id", "parent_id"];
                names.extend(
                    Field::ALL
                        .iter()
                        .filter(|f| **f != Field::TicketId)
                        .map(|f| f.as_str()),
                );
                names
            }
            Shape::Tickets => {
                let mut names: Vec<&str> = TICKET_SHARED.iter().map(|f| f.as_str()).collect();
                names.extend(TICKET_ONLY.iter().map(|(name, _)| *name));
                names
            }
        }
    }

    fn kind(self) -> ValueKind {
        match self {
            Target::Event(Field::Timestamp)
            | Target::CreatedAt
            | Target::FirstReplyAt
            | Target::SolvedAt
            | Target::FirstResolvedAt
            | Target::ClosedAt => ValueKind::Timestamp,
            Target::Event(
                Field::HandleSeconds | Field::TalkSeconds | Field::HoldSeconds | Field::AcwSeconds,
            )
            | Target::FirstReplySeconds
            | Target::ResolutionSeconds
            | Target::FirstResolutionSeconds
            | Target::FirstReplyBusinessSeconds
            | Target::FirstResolutionBusinessSeconds
            | Target::ResolutionBusinessSeconds => ValueKind::Duration,
            Target::MessageId | Target::ParentId | Target::Event(Field::TicketId) => ValueKind::Id,
            _ => ValueKind::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Text,
    Timestamp,
    Duration,
    /// Identifiers: `3.0` (a float-formatted integer, as pandas writes) reads as `3`.
    Id,
}

/// A mapping ready to apply: source columns resolved to slots, aliases lowercased.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub name: String,
    pub shape: Shape,
    pub delimiter: Option<u8>,
    pub record_path: Option<String>,
    /// The source columns the mapping reads; readers resolve them once per input.
    pub columns: Vec<String>,
    fields: Vec<(Target, CompiledField)>,
    skip: Vec<(usize, HashSet<String>)>,
    derive: Vec<Derivation>,
    null_values: HashSet<String>,
    pub order_by: Option<usize>,
    /// Instants that roll over to the next day when earlier than the creation.
    pub rollover: Vec<Target>,
    /// Header names that must be present for the mapping to apply (detection).
    pub detect: Vec<String>,
    pub detect_any: Vec<String>,
    /// The zone of the export's local times, when the mapping declares one.
    pub tz: Option<chrono_tz::Tz>,
    pub caveats: BTreeMap<String, String>,
    pub unknown_status: UnknownStatus,
    /// Whether placeholder dates (`1900-01-01`, ...) read as empty: in every mapping but the
    /// canonical one, whose contract accepts any date of the years 1 to 9999.
    placeholder_dates: bool,
}

#[derive(Debug, Clone)]
struct CompiledField {
    source: FieldSource,
    null_values: HashSet<String>,
    formats: Vec<String>,
    unit: DurationUnit,
    values: HashMap<String, String>,
    other: Option<String>,
}

#[derive(Debug, Clone)]
enum FieldSource {
    Column(usize),
    Columns(Vec<usize>),
    Constant(String),
}

#[derive(Debug, Clone)]
struct Derivation {
    slot: usize,
    by_value: HashMap<String, Vec<(Target, String)>>,
    otherwise: Vec<(Target, String)>,
}

/// A problem in a mapping file.
#[derive(Debug, thiserror::Error)]
#[error("mapping {name}: {message}")]
pub struct MappingError {
    pub name: String,
    pub message: String,
}

impl Mapping {
    /// The canonical event log, read as it is: its statuses are the contract's vocabulary.
    pub fn canonical() -> Mapping {
        let spec = MappingSpec {
            name: Some("canonical".to_owned()),
            unknown_status: UnknownStatus::Reject,
            fields: Field::ALL
                .iter()
                .map(|field| {
                    (
                        field.as_str().to_owned(),
                        FieldSpec::Column(field.as_str().to_owned()),
                    )
                })
                .collect(),
            ..MappingSpec::default()
        };
        let mapping = Mapping::compile(&spec)
            .unwrap_or_else(|_| unreachable!("the canonical mapping is valid"));
        Mapping {
            placeholder_dates: false,
            ..mapping
        }
    }

    pub fn from_toml(name: &str, text: &str) -> Result<Mapping, MappingError> {
        let spec: MappingSpec = toml::from_str(text).map_err(|error| MappingError {
            name: name.to_owned(),
            message: error.to_string(),
        })?;
        let mut spec = spec;
        spec.name.get_or_insert_with(|| name.to_owned());
        Mapping::compile(&spec)
    }

    pub fn compile(spec: &MappingSpec) -> Result<Mapping, MappingError> {
        let name = spec.name.clone().unwrap_or_else(|| "mapping".to_owned());
        let error = |message: String| MappingError {
            name: name.clone(),
            message,
        };
        let mut columns: Vec<String> = Vec::new();
        let mut slot = |column: &str| -> usize {
            match columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(column.trim()))
            {
                Some(index) => index,
                None => {
                    columns.push(column.trim().to_owned());
                    columns.len() - 1
                }
            }
        };
        let mut fields = Vec::new();
        let mut rollover = Vec::new();
        for (target_name, field_spec) in &spec.fields {
            let target = Target::parse(spec.shape, target_name).ok_or_else(|| {
                error(format!(
                    "unknown field '{target_name}' for shape {:?}; known: {}",
                    spec.shape,
                    Target::names(spec.shape).join(", ")
                ))
            })?;
            let detail = match field_spec {
                FieldSpec::Column(column) => FieldDetail {
                    column: Some(column.clone()),
                    ..FieldDetail::default()
                },
                FieldSpec::Detailed(detail) => detail.clone(),
            };
            let source = match (&detail.column, &detail.columns, &detail.value) {
                (Some(column), None, None) => FieldSource::Column(slot(column)),
                (None, Some(list), None) if !list.is_empty() => {
                    FieldSource::Columns(list.iter().map(|c| slot(c)).collect())
                }
                (None, None, Some(value)) => FieldSource::Constant(value.trim().to_owned()),
                _ => {
                    return Err(error(format!(
                        "field '{target_name}' needs exactly one of column, columns or value"
                    )));
                }
            };
            let formats = match &detail.format {
                None => Vec::new(),
                Some(OneOrMany::One(format)) => vec![format.clone()],
                Some(OneOrMany::Many(formats)) => formats.clone(),
            };
            if !formats.is_empty() && target.kind() != ValueKind::Timestamp {
                return Err(error(format!(
                    "field '{target_name}' is not a timestamp: no format"
                )));
            }
            if detail.rollover {
                if spec.shape != Shape::Tickets || target.kind() != ValueKind::Timestamp {
                    return Err(error(format!(
                        "field '{target_name}': rollover applies to timestamps of the tickets shape"
                    )));
                }
                rollover.push(target);
            }
            if detail.unit.is_some() && target.kind() != ValueKind::Duration {
                return Err(error(format!(
                    "field '{target_name}' is not a duration: no unit"
                )));
            }
            fields.push((
                target,
                CompiledField {
                    source,
                    null_values: detail
                        .null_values
                        .iter()
                        .map(|v| v.trim().to_lowercase())
                        .collect(),
                    formats,
                    unit: detail.unit.unwrap_or(DurationUnit::Seconds),
                    values: detail
                        .values
                        .iter()
                        .map(|(from, to)| (from.trim().to_lowercase(), to.trim().to_owned()))
                        .collect(),
                    other: detail.other.as_deref().map(|other| other.trim().to_owned()),
                },
            ));
        }
        let skip = spec
            .skip
            .iter()
            .map(|(column, values)| {
                (
                    slot(column),
                    values.iter().map(|v| v.trim().to_lowercase()).collect(),
                )
            })
            .collect();
        let mut derive = Vec::new();
        for (column, table) in &spec.derive {
            let mut by_value = HashMap::new();
            let mut otherwise = Vec::new();
            for (value, sets) in table {
                let mut parsed = Vec::new();
                for (target_name, set_to) in sets {
                    let target = Target::parse(spec.shape, target_name).ok_or_else(|| {
                        error(format!("derive.{column}: unknown field '{target_name}'"))
                    })?;
                    parsed.push((target, set_to.trim().to_owned()));
                }
                if value == "*" {
                    otherwise = parsed;
                } else {
                    by_value.insert(value.trim().to_lowercase(), parsed);
                }
            }
            derive.push(Derivation {
                slot: slot(column),
                by_value,
                otherwise,
            });
        }
        let order_by = spec.order_by.as_deref().map(&mut slot);
        let tz = spec
            .tz
            .as_deref()
            .map(|name| {
                name.parse::<chrono_tz::Tz>()
                    .map_err(|_| error(format!("tz {name:?} is not an IANA time zone name")))
            })
            .transpose()?;
        let delimiter = spec
            .delimiter
            .as_deref()
            .map(|text| match text {
                "\t" | "\\t" | "tab" => Ok(b'\t'),
                _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
                _ => Err(error(format!(
                    "delimiter {text:?} is not one ASCII character"
                ))),
            })
            .transpose()?;
        let mapping = Mapping {
            name: name.clone(),
            shape: spec.shape,
            delimiter,
            record_path: spec.record_path.clone(),
            columns,
            fields,
            skip,
            derive,
            null_values: spec
                .null_values
                .iter()
                .map(|v| v.trim().to_owned())
                .collect(),
            order_by,
            rollover,
            detect: spec.detect.clone(),
            detect_any: spec.detect_any.clone(),
            tz,
            caveats: spec.caveats.clone(),
            unknown_status: spec.unknown_status,
            placeholder_dates: true,
        };
        for required in mapping.required_targets() {
            if !mapping.maps(required) {
                return Err(error(format!(
                    "the {:?} shape needs the field '{}'",
                    mapping.shape,
                    required.name()
                )));
            }
        }
        Ok(mapping)
    }

    fn required_targets(&self) -> Vec<Target> {
        match self.shape {
            Shape::Events => vec![
                Target::Event(Field::TicketId),
                Target::Event(Field::Timestamp),
            ],
            Shape::Threads => vec![Target::MessageId, Target::Event(Field::Timestamp)],
            Shape::Tickets => vec![Target::Event(Field::TicketId), Target::CreatedAt],
        }
    }

    /// Whether the mapping fills `target` (from a column, a constant or a derivation).
    pub fn maps(&self, target: Target) -> bool {
        self.fields.iter().any(|(t, _)| *t == target)
            || self.derive.iter().any(|d| {
                d.otherwise
                    .iter()
                    .chain(d.by_value.values().flatten())
                    .any(|(t, _)| *t == target)
            })
    }

    /// The source column behind `target`, for error messages and `inspect`.
    pub fn source_of(&self, target: Target) -> Option<String> {
        self.fields
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, field)| match &field.source {
                FieldSource::Column(slot) => self.columns[*slot].clone(),
                FieldSource::Columns(slots) => slots
                    .iter()
                    .map(|slot| self.columns[*slot].as_str())
                    .collect::<Vec<_>>()
                    .join(" + "),
                FieldSource::Constant(value) => format!("= {value:?}"),
            })
    }

    /// The columns each of `targets`' sources reads (empty for a constant).
    fn source_slots(&self, target: Target) -> impl Iterator<Item = &[usize]> + '_ {
        let fields = self
            .fields
            .iter()
            .filter(move |(t, _)| *t == target)
            .map(|(_, field)| match &field.source {
                FieldSource::Column(slot) => std::slice::from_ref(slot),
                FieldSource::Columns(slots) => slots.as_slice(),
                FieldSource::Constant(_) => &[],
            });
        let derived = self
            .derive
            .iter()
            .filter(move |d| {
                d.otherwise
                    .iter()
                    .chain(d.by_value.values().flatten())
                    .any(|(t, value)| *t == target && !value.is_empty())
            })
            .map(|d| std::slice::from_ref(&d.slot));
        fields.chain(derived)
    }

    /// What this mapping feeds in an input whose columns are `present` (by slot): a field
    /// whose columns the input lacks is absent, and reads as unmapped.
    pub fn coverage(&self, present: &[bool]) -> Coverage {
        let is_present = |slot: &usize| present.get(*slot).copied().unwrap_or(false);
        let mut fields = BTreeMap::new();
        for target in Target::all() {
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

    /// Which columns of the mapping a header has, by slot.
    pub fn present_in(&self, names: &[&str]) -> Vec<bool> {
        let prefix = self.record_path.as_deref().map(|path| format!("{path}."));
        let strip = |name: &str| -> String {
            let name = name.trim();
            let inner = prefix.as_deref().and_then(|prefix| {
                let head = name.get(..prefix.len())?;
                head.eq_ignore_ascii_case(prefix)
                    .then(|| name[prefix.len()..].to_owned())
            });
            inner.unwrap_or_else(|| name.to_owned())
        };
        let names: Vec<String> = names.iter().map(|name| strip(name)).collect();
        self.columns
            .iter()
            .map(|column| names.iter().any(|name| name.eq_ignore_ascii_case(column)))
            .collect()
    }

    /// Names the user's column in an error about a canonical field.
    pub fn explain(&self, mut error: RowError) -> RowError {
        let source = error
            .column
            .as_deref()
            .and_then(|name| Target::parse(self.shape, name))
            .and_then(|target| self.source_of(target));
        if let Some(source) = source {
            error.column = Some(source);
        }
        error
    }

    /// What `inspect` shows: each mapped field and where it comes from, or that the input
    /// lacks the column (the field is then unmapped).
    pub fn describe(&self, present: &[bool]) -> Vec<(String, String)> {
        let coverage = self.coverage(present);
        let mut rows: Vec<(String, String)> = self
            .fields
            .iter()
            .map(|(target, _)| {
                let source = self.source_of(*target).unwrap_or_default();
                let source = if coverage.fed(*target) {
                    source
                } else {
                    format!("unmapped: the input has no column {source:?}")
                };
                (target.name().to_owned(), source)
            })
            .collect();
        for derivation in &self.derive {
            let mut targets: Vec<&str> = derivation
                .by_value
                .values()
                .chain(std::iter::once(&derivation.otherwise))
                .flatten()
                .map(|(target, _)| target.name())
                .collect();
            targets.sort_unstable();
            targets.dedup();
            let column = &self.columns[derivation.slot];
            let source = if present.get(derivation.slot).copied().unwrap_or(false) {
                format!("derived from the values of {column}")
            } else {
                format!("unmapped: the input has no column {column:?}")
            };
            rows.push((targets.join(", "), source));
        }
        rows
    }

    /// The slots whose columns must exist in a CSV header (required fields from columns).
    pub fn required_columns(&self) -> Vec<&str> {
        let required = self.required_targets();
        self.fields
            .iter()
            .filter(|(target, _)| required.contains(target))
            .flat_map(|(_, field)| match &field.source {
                FieldSource::Column(slot) => vec![*slot],
                FieldSource::Columns(slots) => slots.clone(),
                FieldSource::Constant(_) => Vec::new(),
            })
            .map(|slot| self.columns[slot].as_str())
            .collect()
    }

    /// How well a header fits this mapping, for detection: `None` unless it carries every
    /// core (detection) column, else the number of the mapping's columns it has.
    pub fn detection_score(&self, header: &[&str]) -> Option<usize> {
        let has = |name: &str| {
            header
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        if self.detect.is_empty() || !self.detect.iter().all(|name| has(name)) {
            return None;
        }
        if !self.detect_any.is_empty() && !self.detect_any.iter().any(|name| has(name)) {
            return None;
        }
        Some(self.present_in(header).iter().filter(|p| **p).count())
    }

    /// Applies the mapping to a record. A row a skip rule excludes is an error of reason
    /// `excluded_by_mapping`, which readers count but never stop at.
    pub fn apply<'r>(
        &'r self,
        cell: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<MappedRow<'r>, RowError> {
        let read = |slot: usize| -> &'r str {
            let text = cell(slot).unwrap_or("").trim();
            if !self.null_values.is_empty() && self.null_values.contains(text) {
                ""
            } else {
                text
            }
        };
        for (slot, values) in &self.skip {
            let value = read(*slot);
            if values.contains(&value.to_lowercase()) {
                // The message is the value itself: exclusions are counted by column and value.
                return Err(RowError::new(
                    RejectReason::ExcludedByMapping,
                    Some(&self.columns[*slot]),
                    value,
                ));
            }
        }
        let mut row = MappedRow {
            order: self.order_by.map(read),
            ..MappedRow::default()
        };
        for (target, field) in &self.fields {
            let raw: Cow<'r, str> = match &field.source {
                FieldSource::Column(slot) => Cow::Borrowed(read(*slot)),
                // A date and a time make an instant only together.
                FieldSource::Columns(slots) => {
                    let parts: Vec<&str> = slots.iter().map(|s| read(*s)).collect();
                    if parts.iter().any(|part| part.is_empty()) {
                        Cow::Borrowed("")
                    } else {
                        Cow::Owned(parts.join(" "))
                    }
                }
                FieldSource::Constant(value) => Cow::Borrowed(value.as_str()),
            };
            // Aliases and null markers are looked up only where the mapping has any: the
            // canonical mapping has none, and it reads every row of the biggest exports.
            let needs_folding = !field.values.is_empty() || !field.null_values.is_empty();
            let folded = if needs_folding {
                raw.to_lowercase()
            } else {
                String::new()
            };
            let raw = if field.null_values.contains(&folded) {
                Cow::Borrowed("")
            } else {
                raw
            };
            let aliased = match field.values.get(&folded) {
                Some(alias) => Cow::Borrowed(alias.as_str()),
                None => match &field.other {
                    Some(other) if !raw.is_empty() => Cow::Borrowed(other.as_str()),
                    _ => raw,
                },
            };
            match self.convert(*target, field, aliased)? {
                Some(value) => row.set(*target, value),
                None => row.notes.placeholder_dates.push(self.column_of(*target)),
            }
        }
        for derivation in &self.derive {
            let key = read(derivation.slot).to_lowercase();
            let sets = derivation
                .by_value
                .get(&key)
                .unwrap_or(&derivation.otherwise);
            for (target, value) in sets {
                row.set(*target, Cow::Borrowed(value.as_str()));
            }
        }
        Ok(row)
    }

    /// The source column behind `target`, or the field's name (for messages and notes).
    fn column_of(&self, target: Target) -> String {
        self.source_of(target)
            .unwrap_or_else(|| target.name().to_owned())
    }

    /// The value in canonical form; `None` for a placeholder date, which means "no date".
    fn convert<'r>(
        &self,
        target: Target,
        field: &CompiledField,
        value: Cow<'r, str>,
    ) -> Result<Option<Cow<'r, str>>, RowError> {
        if value.is_empty() {
            return Ok(Some(value));
        }
        match target.kind() {
            ValueKind::Text => Ok(Some(value)),
            ValueKind::Id => Ok(Some(match value.strip_suffix(".0") {
                Some(integer) if integer.bytes().all(|b| b.is_ascii_digit()) => {
                    Cow::Owned(integer.to_owned())
                }
                _ => value,
            })),
            ValueKind::Timestamp => {
                let canonical = self.canonical_timestamp(target, field, value)?;
                if self.placeholder_dates && is_placeholder_date(&canonical) {
                    return self.placeholder(target, &canonical);
                }
                Ok(Some(canonical))
            }
            ValueKind::Duration => match field.unit {
                DurationUnit::Seconds => Ok(Some(value)),
                unit => match duration_seconds(&value, unit) {
                    // Said in the column's own unit: 5256000000000000000000 minutes.
                    Some(seconds) if seconds.abs() > crate::time::MAX_DURATION_SECONDS => {
                        Err(RowError::new(
                            RejectReason::OutOfRange,
                            Some(&self.column_of(target)),
                            format!(
                                "{value} {} is more than 100 years, the longest duration read",
                                match unit {
                                    DurationUnit::Hms => "(h:mm:ss)",
                                    DurationUnit::Hours => "hours",
                                    _ => "minutes",
                                }
                            ),
                        ))
                    }
                    Some(seconds) => Ok(Some(Cow::Owned(seconds.to_string()))),
                    None => Err(RowError::new(
                        RejectReason::BadNumber,
                        Some(&self.column_of(target)),
                        format!("cannot parse {value:?} as a duration in {unit:?}"),
                    )),
                },
            },
        }
    }

    fn canonical_timestamp<'r>(
        &self,
        target: Target,
        field: &CompiledField,
        value: Cow<'r, str>,
    ) -> Result<Cow<'r, str>, RowError> {
        // A zero date is no date in any format (and no format parses it).
        if field.formats.is_empty() || (self.placeholder_dates && is_placeholder_date(&value)) {
            return Ok(value);
        }
        match reformat_timestamp(&value, &field.formats) {
            Some(canonical) => Ok(Cow::Owned(canonical)),
            // Canonical timestamps are still accepted; anything else fails validation
            // with the formats named.
            None if crate::time::parse_timestamp(&value, chrono_tz::Tz::UTC).is_ok() => Ok(value),
            None => Err(RowError::new(
                RejectReason::BadTimestamp,
                Some(&self.column_of(target)),
                format!(
                    "cannot parse {value:?} as a timestamp (expected {})",
                    field.formats.join(" or ")
                ),
            )),
        }
    }

    /// A placeholder date is empty, except where the shape requires the instant.
    fn placeholder<'r>(
        &self,
        target: Target,
        value: &str,
    ) -> Result<Option<Cow<'r, str>>, RowError> {
        if self.required_targets().contains(&target) {
            return Err(RowError::new(
                RejectReason::BadTimestamp,
                Some(&self.column_of(target)),
                format!("{value:?} is a placeholder for \"no date\", and this field is required"),
            ));
        }
        Ok(None)
    }
}

/// A source timestamp in one of `formats`, rewritten in a canonical format: RFC 3339 when the
/// source had an offset, else a naive `YYYY-MM-DDTHH:MM:SS.ffffff` that `--tz` then places.
fn reformat_timestamp(text: &str, formats: &[String]) -> Option<String> {
    for format in formats {
        match format.as_str() {
            "unix" => {
                if let Ok(seconds) = text.parse::<f64>() {
                    let micros = (seconds * 1e6).round() as i64;
                    return Some(crate::time::format_rfc3339(micros));
                }
            }
            "unix_ms" => {
                if let Ok(millis) = text.parse::<i64>() {
                    return Some(crate::time::format_rfc3339(millis.saturating_mul(1000)));
                }
            }
            _ => {
                if let Ok(at) = DateTime::parse_from_str(text, format) {
                    return Some(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
                }
                if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                    return Some(naive.format("%Y-%m-%dT%H:%M:%S%.6f").to_string());
                }
                if let Ok(date) = NaiveDate::parse_from_str(text, format) {
                    return Some(date.format("%Y-%m-%dT00:00:00").to_string());
                }
            }
        }
    }
    None
}

fn duration_seconds(text: &str, unit: DurationUnit) -> Option<f64> {
    let number = || text.parse::<f64>().ok().filter(|v| v.is_finite());
    match unit {
        DurationUnit::Seconds => number(),
        DurationUnit::Minutes => number().map(|v| v * 60.0),
        // Hours also come as a clock duration (`02:30:00`), as some desks write them.
        DurationUnit::Hours if text.contains(':') => duration_seconds(text, DurationUnit::Hms),
        DurationUnit::Hours => number().map(|v| v * 3600.0),
        DurationUnit::Hms => {
            // h:mm:ss, or h:mm.
            let parts: Vec<&str> = text.split(':').collect();
            let (hours, minutes, seconds) = match parts.as_slice() {
                [hours, minutes, seconds] => (*hours, *minutes, *seconds),
                [hours, minutes] => (*hours, *minutes, "0"),
                _ => return None,
            };
            let hours: u64 = hours.parse().ok()?;
            let minutes: u64 = minutes.parse().ok().filter(|m| *m < 60)?;
            let seconds: f64 = seconds
                .parse()
                .ok()
                .filter(|s: &f64| (0.0..60.0).contains(s))?;
            // In f64: hours of any size must not overflow (they are bounded after).
            Some(hours as f64 * 3600.0 + (minutes * 60) as f64 + seconds)
        }
    }
}

/// The mapped values of one row, by target.
#[derive(Debug, Clone)]
pub struct MappedRow<'r> {
    values: [Cow<'r, str>; TARGET_COUNT],
    /// The `order_by` cell, for the tickets shape.
    pub order: Option<&'r str>,
    /// What the mapping read by rule rather than as written (placeholder dates).
    pub notes: ValueNotes,
}

impl Default for MappedRow<'_> {
    fn default() -> Self {
        MappedRow {
            values: std::array::from_fn(|_| Cow::Borrowed("")),
            order: None,
            notes: ValueNotes::default(),
        }
    }
}

impl<'r> MappedRow<'r> {
    fn set(&mut self, target: Target, value: Cow<'r, str>) {
        self.values[target.index()] = value;
    }

    /// The value, trimmed already: cells are trimmed when read, constants and aliases when
    /// the mapping is compiled.
    pub fn get(&self, target: Target) -> &str {
        &self.values[target.index()]
    }

    /// The same row, owning its values (for sources whose cells do not outlive the call).
    pub fn into_owned(self) -> MappedRow<'static> {
        MappedRow {
            values: self.values.map(|value| Cow::Owned(value.into_owned())),
            order: None,
            notes: self.notes,
        }
    }

    /// The event fields, for the events and threads shapes.
    pub fn event_values(&self) -> RowValues<'_> {
        let mut values = RowValues::default();
        for field in Field::ALL {
            values.set(field, &self.values[field as usize]);
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> Mapping {
        Mapping::from_toml("test", text).expect("valid mapping")
    }

    fn apply<'m>(mapping: &'m Mapping, header: &[&str], row: &'m [&'m str]) -> MappedRow<'m> {
        let slots: Vec<Option<usize>> = mapping
            .columns
            .iter()
            .map(|column| header.iter().position(|h| h.eq_ignore_ascii_case(column)))
            .collect();
        mapping
            .apply(|slot| slots[slot].and_then(|index| row.get(index).copied()))
            .expect("maps")
    }

    #[test]
    fn columns_constants_aliases_and_null_values() {
        let mapping = mapping(
            r#"
            null_values = ["?"]
            [fields]
            ticket_id = "number"
            timestamp = { column = "updated", format = "%d/%m/%Y %H:%M" }
            author_type = { value = "agent" }
            status = { column = "state", values = { Resolved = "solved", "Awaiting User Info" = "pending" } }
            priority = { column = "priority", values = { "1 - Critical" = "urgent" }, other = "normal" }
            "#,
        );
        let header = ["number", "state", "updated", "priority"];
        let row = apply(
            &mapping,
            &header,
            &["INC1", "resolved", "29/2/2016 01:16", "3 - Moderate"],
        );
        assert_eq!(row.get(Target::Event(Field::TicketId)), "INC1");
        assert_eq!(row.get(Target::Event(Field::Status)), "solved");
        assert_eq!(row.get(Target::Event(Field::AuthorType)), "agent");
        assert_eq!(
            row.get(Target::Event(Field::Timestamp)),
            "2016-02-29T01:16:00.000000"
        );
        assert_eq!(row.get(Target::Event(Field::Priority)), "normal");
        let null = apply(&mapping, &header, &["INC2", "?", "1/3/2016 10:00", "?"]);
        assert_eq!(null.get(Target::Event(Field::Status)), "");
        assert_eq!(
            null.get(Target::Event(Field::Priority)),
            "",
            "other applies to values only"
        );
    }

    #[test]
    fn joined_columns_durations_and_ids() {
        let mapping = mapping(
            r#"
            shape = "tickets"
            [fields]
            ticket_id = "call_id"
            created_at = { columns = ["date", "start"], format = "%y%m%d %H:%M:%S" }
            handle_seconds = { column = "talk", unit = "h:mm:ss" }
            first_reply_seconds = { column = "frt", unit = "minutes" }
            "#,
        );
        let header = ["call_id", "date", "start", "talk", "frt"];
        let row = apply(
            &mapping,
            &header,
            &["34536.0", "990201", "7:02:47", "0:02:46", "1.5"],
        );
        assert_eq!(row.get(Target::Event(Field::TicketId)), "34536");
        assert_eq!(row.get(Target::CreatedAt), "1999-02-01T07:02:47.000000");
        assert_eq!(row.get(Target::Event(Field::HandleSeconds)), "166");
        assert_eq!(row.get(Target::FirstReplySeconds), "90");
    }

    #[test]
    fn derive_sets_several_fields_and_skip_excludes_rows() {
        let mapping = mapping(
            r#"
            [fields]
            ticket_id = "case"
            timestamp = "time"
            [skip]
            outcome = ["PHANTOM"]
            [derive.activity]
            "Take in charge ticket" = { event = "message", author_type = "agent" }
            "*" = { event = "note", author_type = "agent" }
            "#,
        );
        let header = ["case", "time", "activity", "outcome"];
        let taken = apply(
            &mapping,
            &header,
            &["1", "2026-03-01 10:00", "take in charge ticket", ""],
        );
        assert_eq!(taken.get(Target::Event(Field::Event)), "message");
        let other = apply(&mapping, &header, &["1", "2026-03-01 10:00", "Wait", ""]);
        assert_eq!(other.get(Target::Event(Field::Event)), "note");
        let cells = ["1", "2026-03-01 10:00", "x", "phantom"];
        let skipped = mapping
            .apply(|slot| {
                let index = header.iter().position(|h| *h == mapping.columns[slot]);
                index.map(|i| cells[i])
            })
            .unwrap_err();
        assert_eq!(skipped.reason, RejectReason::ExcludedByMapping);
        assert_eq!(skipped.column.as_deref(), Some("outcome"));
    }

    #[test]
    fn placeholder_dates_read_as_empty_and_are_noted() {
        let mapping = mapping(
            r#"
            shape = "tickets"
            [fields]
            ticket_id = "id"
            created_at = "created"
            solved_at = { column = "solved", format = "%m/%d/%Y %H:%M" }
            closed_at = "closed"
            "#,
        );
        let header = ["id", "created", "solved", "closed"];
        let cells = [
            "1",
            "2026-03-01 10:00",
            "01/01/1900 13:00",
            "0000-00-00 00:00:00",
        ];
        let row = apply(&mapping, &header, &cells);
        assert_eq!(row.get(Target::SolvedAt), "");
        assert_eq!(row.get(Target::ClosedAt), "");
        assert_eq!(row.notes.placeholder_dates, ["closed", "solved"]);
        let required = ["2", "1900-01-01 00:00", "", ""];
        let slots: Vec<Option<usize>> = mapping
            .columns
            .iter()
            .map(|column| header.iter().position(|h| h == column))
            .collect();
        let error = mapping
            .apply(|slot| slots[slot].and_then(|index| required.get(index).copied()))
            .unwrap_err();
        assert_eq!(error.reason, RejectReason::BadTimestamp);
        assert!(error.message.contains("placeholder"), "{}", error.message);
        let canonical = Mapping::canonical();
        let kept = apply(
            &canonical,
            &["ticket_id", "timestamp"],
            &["1", "1900-01-01T00:00:00Z"],
        );
        assert_eq!(
            kept.get(Target::Event(Field::Timestamp)),
            "1900-01-01T00:00:00Z",
            "the canonical log reads any date of its range"
        );
    }

    #[test]
    fn unknown_statuses_are_classified_unless_the_mapping_rejects_them() {
        let base = "[fields]\nticket_id = \"id\"\ntimestamp = \"t\"\n";
        assert_eq!(mapping(base).unknown_status, UnknownStatus::Classify);
        let strict = mapping(&format!("unknown_status = \"reject\"\n{base}"));
        assert_eq!(strict.unknown_status, UnknownStatus::Reject);
        assert_eq!(Mapping::canonical().unknown_status, UnknownStatus::Reject);
        let typo = Mapping::from_toml("x", &format!("unknown_status = \"guess\"\n{base}"));
        assert!(typo.is_err());
    }

    #[test]
    fn twitter_dates_and_offsets() {
        let formats = vec!["%a %b %d %H:%M:%S %z %Y".to_owned()];
        assert_eq!(
            reformat_timestamp("Tue Oct 31 22:10:47 +0000 2017", &formats).as_deref(),
            Some("2017-10-31T22:10:47.000000Z")
        );
        assert_eq!(reformat_timestamp("yesterday", &formats), None);
    }

    #[test]
    fn bad_mappings_are_explained() {
        let unknown =
            Mapping::from_toml("x", "[fields]\nticket = \"id\"\ntimestamp = \"t\"").unwrap_err();
        assert!(
            unknown.to_string().contains("unknown field 'ticket'"),
            "{unknown}"
        );
        let missing = Mapping::from_toml("x", "[fields]\nticket_id = \"id\"").unwrap_err();
        assert!(
            missing.to_string().contains("needs the field 'timestamp'"),
            "{missing}"
        );
        let both = Mapping::from_toml(
            "x",
            "[fields]\nticket_id = { column = \"a\", value = \"b\" }\ntimestamp = \"t\"",
        )
        .unwrap_err();
        assert!(both.to_string().contains("exactly one of"), "{both}");
        let syntax = Mapping::from_toml("x", "[fields\n").unwrap_err();
        assert!(syntax.to_string().starts_with("mapping x:"));
    }

    #[test]
    fn hms_durations() {
        assert_eq!(duration_seconds("0:02:46", DurationUnit::Hms), Some(166.0));
        assert_eq!(
            duration_seconds("12:00:00", DurationUnit::Hms),
            Some(43200.0)
        );
        assert_eq!(duration_seconds("0:61:00", DurationUnit::Hms), None);
        assert_eq!(duration_seconds("2.5", DurationUnit::Hours), Some(9000.0));
        assert_eq!(
            duration_seconds("02:30:00", DurationUnit::Hours),
            Some(9000.0)
        );
        assert_eq!(
            duration_seconds("18446744073709551615:00:00", DurationUnit::Hms),
            Some(18446744073709551615.0 * 3600.0),
            "no overflow; the bound is checked after"
        );
    }
}
