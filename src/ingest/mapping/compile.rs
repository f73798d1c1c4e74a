//! From a [`MappingSpec`] to a [`Mapping`]: field names resolved to targets, source columns
//! to slots (one per distinct column, case-insensitively), aliases and null markers folded,
//! and every rule a spec can break checked once, before any row is read.

use std::collections::{BTreeMap, HashMap};

use super::spec::{DurationUnit, FieldDetail, FieldSpec, MappingSpec, Shape};
use super::target::{MappedField, ValueKind};
use super::{Mapping, MappingError};
use crate::ingest::row::Field;
use crate::ingest::values::UnknownStatus;

/// One field of a compiled mapping.
#[derive(Debug, Clone)]
pub(super) struct CompiledField {
    pub source: FieldSource,
    pub null_values: NullMarkers,
    pub formats: Vec<String>,
    pub unit: DurationUnit,
    pub values: HashMap<String, String>,
    pub other: Option<String>,
}

/// Where a field's value comes from.
#[derive(Debug, Clone)]
pub(super) enum FieldSource {
    Column(usize),
    Columns(Vec<usize>),
    Constant(String),
}

impl FieldSource {
    /// The slots it reads (none for a constant).
    pub fn slots(&self) -> &[usize] {
        match self {
            FieldSource::Column(slot) => std::slice::from_ref(slot),
            FieldSource::Columns(slots) => slots.as_slice(),
            FieldSource::Constant(_) => &[],
        }
    }
}

/// Values that mean "no value", top-level or for one field: one rule for both, a cell matches
/// after trimming and ignoring case (Unicode lowercase, as aliases are matched).
#[derive(Debug, Clone, Default)]
pub(super) struct NullMarkers {
    /// Trimmed and lowercase.
    folded: Vec<String>,
    /// The longest, in bytes: a cell more than four times longer matches none (each character
    /// is at most 4 bytes and lowercases to at least one byte), so long cells cost nothing.
    longest: usize,
}

impl NullMarkers {
    pub fn new(values: &[String]) -> NullMarkers {
        let folded: Vec<String> = values.iter().map(|value| fold(value)).collect();
        let longest = folded.iter().map(String::len).max().unwrap_or(0);
        NullMarkers { folded, longest }
    }

    /// Whether `text` (trimmed already) is a null marker.
    pub fn matches(&self, text: &str) -> bool {
        if self.folded.is_empty() || text.len() > self.longest.saturating_mul(4) {
            return false;
        }
        // An ASCII text lowercases to ASCII: no allocation on the common path.
        if text.is_ascii() {
            return self
                .folded
                .iter()
                .any(|null| null.eq_ignore_ascii_case(text));
        }
        let lower = text.to_lowercase();
        self.folded.contains(&lower)
    }
}

/// A column whose value sets several fields.
#[derive(Debug, Clone)]
pub(super) struct Derivation {
    pub slot: usize,
    pub by_value: HashMap<String, Vec<(MappedField, String)>>,
    /// Keys written `text*`: values that start with the text (folded), longest first, for
    /// exports that write a sentence where a code would do ("Conversation was marked resolved
    /// by Ana").
    pub by_prefix: Vec<(String, Vec<(MappedField, String)>)>,
    pub otherwise: Vec<(MappedField, String)>,
}

impl Derivation {
    /// Every (target, value) it may set.
    pub fn sets(&self) -> impl Iterator<Item = &(MappedField, String)> {
        self.by_value
            .values()
            .flatten()
            .chain(self.by_prefix.iter().flat_map(|(_, sets)| sets))
            .chain(&self.otherwise)
    }

    /// What a (folded) value sets: its own entry, else the longest prefix it starts with,
    /// else `*`.
    pub fn sets_for(&self, folded: &str) -> &[(MappedField, String)] {
        if let Some(sets) = self.by_value.get(folded) {
            return sets;
        }
        self.by_prefix
            .iter()
            .find(|(prefix, _)| folded.starts_with(prefix.as_str()))
            .map_or(&self.otherwise, |(_, sets)| sets)
    }
}

/// The source columns of a mapping, each given a slot the first time it is named.
#[derive(Debug, Default)]
struct Columns(Vec<String>);

impl Columns {
    fn slot(&mut self, column: &str) -> usize {
        let column = column.trim();
        match self.0.iter().position(|c| c.eq_ignore_ascii_case(column)) {
            Some(index) => index,
            None => {
                self.0.push(column.to_owned());
                self.0.len() - 1
            }
        }
    }
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
        let mut spec: MappingSpec = toml::from_str(text).map_err(|error| MappingError {
            name: name.to_owned(),
            message: error.to_string(),
        })?;
        spec.name.get_or_insert_with(|| name.to_owned());
        Mapping::compile(&spec)
    }

    pub fn compile(spec: &MappingSpec) -> Result<Mapping, MappingError> {
        let name = spec.name.clone().unwrap_or_else(|| "mapping".to_owned());
        let error = |message: String| MappingError {
            name: name.clone(),
            message,
        };
        let mut columns = Columns::default();
        let mut fields = Vec::new();
        let mut rollover = Vec::new();
        let mut tag_separator = None;
        for (target_name, field_spec) in &spec.fields {
            let target = MappedField::parse(spec.shape, target_name).ok_or_else(|| {
                error(format!(
                    "unknown field '{target_name}' for shape {}; known: {}",
                    spec.shape.as_str(),
                    MappedField::names(spec.shape).join(", ")
                ))
            })?;
            let detail = FieldDetail::of(field_spec);
            let field = compile_field(spec.shape, target_name, target, &detail, &mut columns)
                .map_err(error)?;
            if detail.rollover {
                rollover.push(target);
            }
            if let Some(separator) = &detail.separator {
                tag_separator =
                    Some(tag_separator_of(target_name, target, separator).map_err(error)?);
            }
            fields.push((target, field));
        }
        let mut attributes = Vec::new();
        for (name, field_spec) in &spec.attributes {
            let name = attribute_name(name).map_err(error)?;
            let detail = FieldDetail::of(field_spec);
            let field = compile_attribute(&name, &detail, &mut columns).map_err(error)?;
            attributes.push((name, field));
        }
        let skip = spec
            .skip
            .iter()
            .map(|(column, values)| {
                (
                    columns.slot(column),
                    values.iter().map(|v| fold(v)).collect(),
                )
            })
            .collect();
        let mut derive = Vec::new();
        for (column, table) in &spec.derive {
            derive
                .push(compile_derivation(spec.shape, column, table, &mut columns).map_err(error)?);
        }
        let order_by = spec.order_by.as_deref().map(|column| columns.slot(column));
        let record_events = record_events(spec)?;
        // Their columns are the input's too, so that coverage sees what they feed.
        let mut record_sources = Vec::new();
        for own in &record_events {
            for (target, field) in &own.fields {
                let slots = field.source.slots().iter();
                let slots = slots
                    .map(|slot| columns.slot(&own.columns[*slot]))
                    .collect();
                record_sources.push((*target, slots));
            }
        }
        let mapping = Mapping {
            name: name.clone(),
            shape: spec.shape,
            delimiter: spec
                .delimiter
                .as_deref()
                .map(delimiter)
                .transpose()
                .map_err(error)?,
            record_path: spec.record_path.clone(),
            events_path: events_path(spec).map_err(error)?,
            record_events,
            record_sources,
            columns: columns.0,
            fields,
            skip,
            derive,
            null_values: NullMarkers::new(&spec.null_values),
            order_by,
            rollover,
            detect: spec.detect.clone(),
            detect_any: spec.detect_any.clone(),
            tz: spec
                .tz
                .as_deref()
                .map(time_zone)
                .transpose()
                .map_err(error)?,
            caveats: spec.caveats.clone(),
            unknown_status: spec.unknown_status,
            placeholder_dates: true,
            tag_separator,
            attributes,
        };
        for required in mapping.required_targets() {
            if !mapping.maps(required) {
                return Err(error(format!(
                    "the {} shape needs the field '{}'",
                    mapping.shape.as_str(),
                    required.name()
                )));
            }
        }
        Ok(mapping)
    }
}

/// `events_path`, checked: events shape only, a dotted path of names.
fn events_path(spec: &MappingSpec) -> Result<Option<String>, String> {
    let Some(path) = spec.events_path.as_deref() else {
        return match spec.record_events.is_empty() {
            true => Ok(None),
            false => Err("record_events needs events_path (the array of the events)".to_owned()),
        };
    };
    let path = path.trim();
    if spec.shape != Shape::Events {
        return Err(format!(
            "events_path applies to the events shape, not {}",
            spec.shape.as_str()
        ));
    }
    if path.is_empty() || path.split('.').any(|name| name.trim().is_empty()) {
        return Err(format!(
            "events_path \"{path}\" is not a dotted path of member names, e.g. \"_embedded.threads\""
        ));
    }
    Ok(Some(path.to_owned()))
}

/// The mappings of the events a record makes of itself: each `record_events` table over the
/// fields that read no member of the events, with the spec's zone, null markers and status
/// rule, and its skip rules on the record's own members (a spam ticket's close is no event
/// either).
fn record_events(spec: &MappingSpec) -> Result<Vec<Mapping>, MappingError> {
    let Some(path) = spec.events_path.as_deref() else {
        return Ok(Vec::new());
    };
    let prefix = format!("{}.", path.trim().to_lowercase());
    let reads_events = |field: &FieldSpec| {
        let detail = FieldDetail::of(field);
        detail
            .column
            .iter()
            .chain(detail.columns.iter().flatten())
            .any(|column| column.trim().to_lowercase().starts_with(&prefix))
    };
    let inherited: BTreeMap<String, FieldSpec> = spec
        .fields
        .iter()
        .filter(|(_, field)| !reads_events(field))
        .map(|(name, field)| (name.clone(), field.clone()))
        .collect();
    let skip: BTreeMap<String, Vec<String>> = spec
        .skip
        .iter()
        .filter(|(column, _)| !column.trim().to_lowercase().starts_with(&prefix))
        .map(|(column, values)| (column.clone(), values.clone()))
        .collect();
    let name = spec.name.as_deref().unwrap_or("mapping");
    spec.record_events
        .iter()
        .enumerate()
        .map(|(index, own)| {
            let mut fields = inherited.clone();
            fields.extend(
                own.iter()
                    .map(|(name, field)| (name.clone(), field.clone())),
            );
            let spec = MappingSpec {
                name: Some(format!("{name} (record_events {})", index + 1)),
                shape: spec.shape,
                tz: spec.tz.clone(),
                null_values: spec.null_values.clone(),
                record_path: spec.record_path.clone(),
                fields,
                skip: skip.clone(),
                unknown_status: spec.unknown_status,
                ..MappingSpec::default()
            };
            Mapping::compile(&spec)
        })
        .collect()
}

/// A value as aliases, skip values and derivation keys are matched: trimmed, lowercase.
fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

fn compile_field(
    shape: Shape,
    target_name: &str,
    target: MappedField,
    detail: &FieldDetail,
    columns: &mut Columns,
) -> Result<CompiledField, String> {
    let source = match (&detail.column, &detail.columns, &detail.value) {
        (Some(column), None, None) => FieldSource::Column(columns.slot(column)),
        (None, Some(list), None) if !list.is_empty() => {
            FieldSource::Columns(list.iter().map(|c| columns.slot(c)).collect())
        }
        (None, None, Some(value)) => FieldSource::Constant(value.trim().to_owned()),
        _ => {
            return Err(format!(
                "field '{target_name}' needs exactly one of column, columns or value"
            ));
        }
    };
    let formats = detail.formats();
    if !formats.is_empty() && target.kind() != ValueKind::Timestamp {
        return Err(format!(
            "field '{target_name}' is not a timestamp: no format"
        ));
    }
    if detail.rollover && (shape != Shape::Tickets || target.kind() != ValueKind::Timestamp) {
        return Err(format!(
            "field '{target_name}': rollover applies to timestamps of the tickets shape"
        ));
    }
    if detail.unit.is_some() && target.kind() != ValueKind::Duration {
        return Err(format!("field '{target_name}' is not a duration: no unit"));
    }
    Ok(CompiledField {
        source,
        null_values: NullMarkers::new(&detail.null_values),
        formats,
        unit: detail.unit.unwrap_or(DurationUnit::Seconds),
        values: detail
            .values
            .iter()
            .map(|(from, to)| (fold(from), to.trim().to_owned()))
            .collect(),
        other: detail.other.as_deref().map(|other| other.trim().to_owned()),
    })
}

/// An attribute's name, lowercase: letters, digits and `_`, and no field a mapping fills nor
/// a derived one `--where` and `--by` know (an attribute cannot hide the channel).
fn attribute_name(name: &str) -> Result<String, String> {
    let lower = name.trim().to_lowercase();
    let valid = !lower.is_empty() && lower.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "attribute '{name}': a name is letters, digits and _ (e.g. plan, customer_tier)"
        ));
    }
    let derived = ["hour", "weekday", "tag"];
    let known = MappedField::all()
        .into_iter()
        .any(|field| field.name() == lower)
        || derived.contains(&lower.as_str());
    if known {
        return Err(format!(
            "attribute '{name}' is a field already; name the column's attribute otherwise \
             (e.g. {lower}_column)"
        ));
    }
    Ok(lower)
}

/// An attribute column: text, so no format, unit, rollover or separator.
fn compile_attribute(
    name: &str,
    detail: &FieldDetail,
    columns: &mut Columns,
) -> Result<CompiledField, String> {
    let typed = detail.format.is_some() || detail.unit.is_some() || detail.rollover;
    if typed || detail.separator.is_some() {
        return Err(format!(
            "attribute '{name}' is text: no format, unit, rollover or separator"
        ));
    }
    compile_field(
        Shape::Events,
        name,
        MappedField::Event(Field::Category),
        detail,
        columns,
    )
}

/// A tags field's `separator`: one character.
fn tag_separator_of(target_name: &str, target: MappedField, text: &str) -> Result<char, String> {
    if target != MappedField::Event(Field::Tags) {
        return Err(format!(
            "field '{target_name}': a separator applies to the tags only"
        ));
    }
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(one), None) => Ok(one),
        _ => Err(format!(
            "field '{target_name}': separator \"{text}\" must be one character, e.g. \",\" \
             (\" \" for any whitespace)"
        )),
    }
}

fn compile_derivation(
    shape: Shape,
    column: &str,
    table: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    columns: &mut Columns,
) -> Result<Derivation, String> {
    let mut by_value = HashMap::new();
    let mut by_prefix = Vec::new();
    let mut otherwise = Vec::new();
    for (value, sets) in table {
        let mut parsed = Vec::new();
        for (target_name, set_to) in sets {
            let target = MappedField::parse(shape, target_name)
                .ok_or_else(|| format!("derive.{column}: unknown field '{target_name}'"))?;
            parsed.push((target, set_to.trim().to_owned()));
        }
        match value.strip_suffix('*') {
            Some("") => otherwise = parsed,
            Some(prefix) => by_prefix.push((fold(prefix), parsed)),
            None => {
                by_value.insert(fold(value), parsed);
            }
        }
    }
    // The most specific prefix wins: "closed by system*" before "closed*".
    by_prefix.sort_by(|(a, _), (b, _)| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    Ok(Derivation {
        slot: columns.slot(column),
        by_value,
        by_prefix,
        otherwise,
    })
}

fn time_zone(name: &str) -> Result<chrono_tz::Tz, String> {
    name.parse::<chrono_tz::Tz>()
        .map_err(|_| format!("tz \"{name}\" is not an IANA time zone name"))
}

fn delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\t" | "\\t" | "tab" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err(format!("delimiter \"{text}\" is not one ASCII character")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> Mapping {
        Mapping::from_toml("test", text).expect("valid mapping")
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
    fn events_path_is_checked_and_record_events_inherit_the_record_fields() {
        let nested = mapping(
            r#"
events_path = "parts.list"
[fields]
ticket_id = "id"
timestamp = "parts.list.at"
channel = "source.type"
author_type = "parts.list.by"
[skip]
spam = ["true"]
"parts.list.kind" = ["draft"]
[[record_events]]
timestamp = "created_at"
event = { value = "message" }
author_type = { value = "customer" }
"#,
        );
        assert_eq!(nested.events_path.as_deref(), Some("parts.list"));
        let own = &nested.record_events[0];
        // ticket_id and channel read the record: inherited; the parts' columns are not.
        assert!(own.maps(MappedField::Event(Field::TicketId)));
        assert!(own.maps(MappedField::Event(Field::Channel)));
        assert_eq!(
            own.source_of(MappedField::Event(Field::Timestamp))
                .as_deref(),
            Some("created_at")
        );
        assert_eq!(
            own.source_of(MappedField::Event(Field::AuthorType))
                .as_deref(),
            Some("= \"customer\"")
        );
        // The record's skip rules are theirs; the events' are not.
        let skipped: Vec<&str> = own
            .skip
            .iter()
            .map(|(slot, _)| own.columns[*slot].as_str())
            .collect();
        assert_eq!(skipped, ["spam"]);
        // Their columns are the mapping's too, for coverage.
        assert!(nested.columns.iter().any(|c| c == "created_at"));
        let error = |text: &str| Mapping::from_toml("x", text).unwrap_err().to_string();
        let base = "[fields]\nticket_id = \"id\"\ncreated_at = \"t\"\n";
        assert!(
            error(&format!("shape = \"tickets\"\nevents_path = \"m\"\n{base}"))
                .contains("events_path applies to the events shape"),
        );
        let events = "[fields]\nticket_id = \"id\"\ntimestamp = \"t\"\n";
        assert!(error(&format!("events_path = \"a..b\"\n{events}")).contains("dotted path"));
        assert!(
            error(&format!(
                "{events}[[record_events]]\nevent = {{ value = \"note\" }}\n"
            ))
            .contains("record_events needs events_path")
        );
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
            missing
                .to_string()
                .contains("the events shape needs the field 'timestamp'"),
            "{missing}"
        );
        let both = Mapping::from_toml(
            "x",
            "[fields]\nticket_id = { column = \"a\", value = \"b\" }\ntimestamp = \"t\"",
        )
        .unwrap_err();
        assert!(both.to_string().contains("exactly one of"), "{both}");
        let threads = Mapping::from_toml(
            "x",
            "shape = \"threads\"\n[fields]\nticket_id = \"id\"\ntimestamp = \"t\"",
        )
        .unwrap_err();
        assert!(
            threads
                .to_string()
                .contains("for shape threads; known: message_id"),
            "the user's spelling: {threads}"
        );
        let syntax = Mapping::from_toml("x", "[fields\n").unwrap_err();
        assert!(syntax.to_string().starts_with("mapping x:"));
    }

    #[test]
    fn a_column_named_twice_reads_one_slot() {
        let mapping = mapping(
            "[fields]\nticket_id = \"Case\"\ntimestamp = \"When\"\n\
             agent = { columns = [\" case \", \"WHEN\"] }",
        );
        assert_eq!(mapping.columns, ["case", "WHEN"], "first named, first slot");
    }

    #[test]
    fn null_markers_match_trimmed_and_ignoring_case() {
        let markers = NullMarkers::new(&[" NULL ".to_owned(), "Néant".to_owned(), "-".to_owned()]);
        for text in ["null", "NULL", "Null", "-", "NÉANT", "néant"] {
            assert!(markers.matches(text), "{text}");
        }
        for text in ["", "nil", "--", "null value", "Neant"] {
            assert!(!markers.matches(text), "{text}");
        }
        // The Kelvin sign lowercases to an ASCII k: Unicode folding, as aliases are matched.
        assert!(NullMarkers::new(&["k".to_owned()]).matches("\u{212A}"));
        assert!(!NullMarkers::default().matches(""));
        assert!(NullMarkers::new(&[String::new()]).matches(""));
    }
}
