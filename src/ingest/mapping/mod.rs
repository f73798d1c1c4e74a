//! Column mappings: how the columns of a real export become canonical fields.
//!
//! A mapping is a TOML document (a built-in preset, the `[mapping]` table of ticketkpi.toml,
//! or `--mapping FILE`). The canonical event log itself is read through the identity mapping,
//! so every input takes the same path: source record -> [`MappedRow`] -> validation.
//!
//! By phase: [`spec`] is the TOML as written, [`compile`] checks it and resolves columns to
//! slots, [`apply`] maps one record; [`target`] lists the fields a mapping can fill. What a
//! mapping feeds in a given input is computed in `ingest::coverage`.

mod apply;
mod compile;
pub mod profile;
pub mod spec;
pub mod target;

use std::collections::{BTreeMap, HashSet};

pub use apply::MappedRow;
pub use spec::{DurationUnit, FieldDetail, FieldSpec, Formats, MappingSpec, Shape};
pub use target::MappedField;

use super::row::{Field, RowError};
use super::values::UnknownStatus;
use compile::{CompiledField, Derivation, FieldSource, NullMarkers};

/// A mapping ready to apply: source columns resolved to slots, aliases lowercased.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub name: String,
    pub shape: Shape,
    pub delimiter: Option<u8>,
    pub record_path: Option<String>,
    /// JSON: the array of each record whose elements are the events (see `MappingSpec`).
    pub events_path: Option<String>,
    /// The mappings of the events a record makes of its own members (`record_events`).
    pub record_events: Vec<Mapping>,
    /// The sources of the record events' fields, by this mapping's slots (for coverage).
    record_sources: Vec<(MappedField, Vec<usize>)>,
    /// The source columns the mapping reads; readers resolve them once per input.
    pub columns: Vec<String>,
    fields: Vec<(MappedField, CompiledField)>,
    skip: Vec<(usize, HashSet<String>)>,
    derive: Vec<Derivation>,
    null_values: NullMarkers,
    pub order_by: Option<usize>,
    /// Instants that roll over to the next day when earlier than the creation.
    pub rollover: Vec<MappedField>,
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
    /// The tags field's separator, when the mapping names one (see `ingest::tags::split`).
    pub tag_separator: Option<char>,
    /// The mapping's own attribute columns (`[attributes]`), by name (lowercase), in order:
    /// a mapped row holds their values in this order.
    attributes: Vec<(String, CompiledField)>,
}

/// A problem in a mapping file.
#[derive(Debug, thiserror::Error)]
#[error("mapping {name}: {message}")]
pub struct MappingError {
    pub name: String,
    pub message: String,
}

impl Mapping {
    /// The names of the mapping's attribute columns (`[attributes]`), lowercase, in order.
    pub fn attribute_names(&self) -> Vec<&str> {
        self.attributes
            .iter()
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// Whether the source column of `slot` may hold a list (a JSON array of strings): it
    /// feeds the tags.
    pub fn reads_list(&self, slot: usize) -> bool {
        self.fields.iter().any(|(target, field)| {
            *target == MappedField::Event(Field::Tags) && field.source.slots().contains(&slot)
        })
    }

    fn required_targets(&self) -> Vec<MappedField> {
        match self.shape {
            Shape::Events => vec![
                MappedField::Event(Field::TicketId),
                MappedField::Event(Field::Timestamp),
            ],
            Shape::Threads => vec![MappedField::MessageId, MappedField::Event(Field::Timestamp)],
            Shape::Tickets => vec![MappedField::Event(Field::TicketId), MappedField::CreatedAt],
        }
    }

    /// Whether the mapping fills `target` (from a column, a constant or a derivation).
    pub fn maps(&self, target: MappedField) -> bool {
        self.fields.iter().any(|(t, _)| *t == target)
            || self.record_sources.iter().any(|(t, _)| *t == target)
            || self
                .derive
                .iter()
                .any(|d| d.sets().any(|(t, _)| *t == target))
    }

    /// The source column behind `target`, for error messages and `inspect`.
    pub fn source_of(&self, target: MappedField) -> Option<String> {
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
                FieldSource::Constant(value) => format!("= \"{value}\""),
            })
    }

    /// The columns each source of `target` reads (empty for a constant): its field's, then
    /// those of the derivations that may set it to a value.
    pub(crate) fn source_slots(&self, target: MappedField) -> impl Iterator<Item = &[usize]> + '_ {
        let fields = self
            .fields
            .iter()
            .filter(move |(t, _)| *t == target)
            .map(|(_, field)| field.source.slots());
        let derived = self
            .derive
            .iter()
            .filter(move |d| d.sets().any(|(t, value)| *t == target && !value.is_empty()))
            .map(|d| std::slice::from_ref(&d.slot));
        let own = self
            .record_sources
            .iter()
            .filter(move |(t, _)| *t == target)
            .map(|(_, slots)| slots.as_slice());
        fields.chain(derived).chain(own)
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

    /// Names the user's column in an error about a canonical field, and points at its cells.
    pub fn explain(&self, mut error: RowError) -> RowError {
        let target = error
            .column
            .as_deref()
            .and_then(|name| MappedField::parse(self.shape, name));
        let Some(target) = target else {
            return error;
        };
        if let Some(source) = self.source_of(target) {
            error.column = Some(source);
        }
        if error.slots.is_empty() {
            error.slots = self.slots_of(target);
        }
        error
    }

    /// The slots of the first source of `target` (its column or columns, else the column a
    /// derivation sets it from): where a bad value of it is to be found.
    pub(crate) fn slots_of(&self, target: MappedField) -> Vec<usize> {
        self.source_slots(target)
            .next()
            .map(<[usize]>::to_vec)
            .unwrap_or_default()
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
                    format!("unmapped: the input has no column \"{source}\"")
                };
                (target.name().to_owned(), source)
            })
            .collect();
        for derivation in &self.derive {
            let mut targets: Vec<&str> =
                derivation.sets().map(|(target, _)| target.name()).collect();
            targets.sort_unstable();
            targets.dedup();
            let column = &self.columns[derivation.slot];
            let source = if present.get(derivation.slot).copied().unwrap_or(false) {
                format!("derived from the values of {column}")
            } else {
                format!("unmapped: the input has no column \"{column}\"")
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
            .flat_map(|(_, field)| field.source.slots())
            .map(|slot| self.columns[*slot].as_str())
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
}
