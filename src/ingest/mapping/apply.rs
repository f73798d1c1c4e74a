//! Applying a compiled mapping to one record: cells read, null markers and aliases applied,
//! values converted to canonical text (timestamps, durations, ids), giving a [`MappedRow`].
//! Validation of what the row says comes after, in `row` and `ticket_record`.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::Mapping;
use super::compile::{CompiledField, FieldSource};
use super::spec::DurationUnit;
use super::target::{MappedField, TARGET_COUNT, ValueKind};
use crate::ingest::row::{Field, RejectReason, RowError, RowValues};
use crate::ingest::values::{ValueNotes, is_placeholder_date};

impl Mapping {
    /// Applies the mapping to a record. A row a skip rule excludes is an error of reason
    /// `excluded_by_mapping`, which readers count but never stop at.
    pub fn apply<'r>(
        &'r self,
        cell: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<MappedRow<'r>, RowError> {
        let read = |slot: usize| -> &'r str {
            let text = trim_cell(cell(slot).unwrap_or(""));
            if self.null_values.matches(text) {
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
                )
                .in_slots(&[*slot]));
            }
        }
        let mut row = MappedRow {
            order: self.order_by.map(|slot| Cow::Borrowed(read(slot))),
            ..MappedRow::default()
        };
        for (target, field) in &self.fields {
            let aliased = text_of(field, &read);
            match self.convert(*target, field, aliased)? {
                Some(value) => row.set(*target, value),
                None => row.notes.placeholder_dates.push(self.column_of(*target)),
            }
        }
        row.attributes = self
            .attributes
            .iter()
            .map(|(_, field)| text_of(field, &read))
            .collect();
        for derivation in &self.derive {
            let key = read(derivation.slot).to_lowercase();
            for (target, value) in derivation.sets_for(&key) {
                row.set(*target, Cow::Borrowed(value.as_str()));
            }
        }
        Ok(row)
    }

    /// The source column behind `target`, or the field's name (for messages and notes).
    fn column_of(&self, target: MappedField) -> String {
        self.source_of(target)
            .unwrap_or_else(|| target.name().to_owned())
    }

    /// An error in the value of `target`, naming its source column and pointing at its cells.
    fn field_error(
        &self,
        target: MappedField,
        reason: RejectReason,
        message: impl Into<String>,
    ) -> RowError {
        RowError::new(reason, Some(&self.column_of(target)), message)
            .in_slots(&self.slots_of(target))
    }

    /// The value in canonical form; `None` for a placeholder date, which means "no date".
    fn convert<'r>(
        &self,
        target: MappedField,
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
                    Some(seconds) if seconds.abs() > crate::time::MAX_DURATION_SECONDS => Err(self
                        .field_error(
                            target,
                            RejectReason::OutOfRange,
                            format!(
                                "{value} {} is more than 100 years, the longest duration read",
                                match unit {
                                    DurationUnit::Hms => "(h:mm:ss)",
                                    DurationUnit::Hours => "hours",
                                    _ => "minutes",
                                }
                            ),
                        )),
                    Some(seconds) => Ok(Some(Cow::Owned(seconds.to_string()))),
                    None => Err(self.field_error(
                        target,
                        RejectReason::BadNumber,
                        format!(
                            "cannot parse \"{value}\" as a duration in {}",
                            unit.as_str()
                        ),
                    )),
                },
            },
        }
    }

    fn canonical_timestamp<'r>(
        &self,
        target: MappedField,
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
            None => Err(self.field_error(
                target,
                RejectReason::BadTimestamp,
                format!(
                    "cannot parse \"{value}\" as a timestamp (expected {})",
                    field.formats.join(" or ")
                ),
            )),
        }
    }

    /// A placeholder date is empty, except where the shape requires the instant.
    fn placeholder<'r>(
        &self,
        target: MappedField,
        value: &str,
    ) -> Result<Option<Cow<'r, str>>, RowError> {
        if self.required_targets().contains(&target) {
            return Err(self.field_error(
                target,
                RejectReason::BadTimestamp,
                format!("\"{value}\" is a placeholder for \"no date\", and this field is required"),
            ));
        }
        Ok(None)
    }
}

/// A source timestamp in one of `formats`, rewritten in a canonical format: RFC 3339 when the
/// source had an offset, else a naive `YYYY-MM-DDTHH:MM:SS.ffffff` that `--tz` then places.
pub(super) fn reformat_timestamp(text: &str, formats: &[String]) -> Option<String> {
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

/// `text.trim()`, without the Unicode scan for the common cell that starts and ends with a
/// printable ASCII byte (a non-ASCII last byte may end a Unicode space, so it takes the scan).
fn trim_cell(text: &str) -> &str {
    let clean = |byte: &u8| byte.is_ascii_graphic();
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (None, _) => text,
        (Some(first), Some(last)) if clean(first) && clean(last) => text,
        _ => text.trim(),
    }
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

/// A field's text: its cell (or cells joined, or constant), null markers and aliases applied.
fn text_of<'r>(field: &'r CompiledField, read: &impl Fn(usize) -> &'r str) -> Cow<'r, str> {
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
    // Aliases are looked up only where the field has any: the canonical mapping has
    // none, and it reads every row of the biggest exports.
    let folded = if field.values.is_empty() {
        String::new()
    } else {
        raw.to_lowercase()
    };
    let raw = if field.null_values.matches(&raw) {
        Cow::Borrowed("")
    } else {
        raw
    };
    match field.values.get(&folded) {
        Some(alias) => Cow::Borrowed(alias.as_str()),
        None => match &field.other {
            Some(other) if !raw.is_empty() => Cow::Borrowed(other.as_str()),
            _ => raw,
        },
    }
}

/// The mapped values of one row, by target.
#[derive(Debug, Clone)]
pub struct MappedRow<'r> {
    values: [Cow<'r, str>; TARGET_COUNT],
    /// The `order_by` cell, for the tickets shape.
    pub order: Option<Cow<'r, str>>,
    /// What the mapping read by rule rather than as written (placeholder dates).
    pub notes: ValueNotes,
    /// The values of the mapping's attribute columns, in its order (`Mapping::attributes`).
    pub attributes: Vec<Cow<'r, str>>,
}

impl Default for MappedRow<'_> {
    fn default() -> Self {
        MappedRow {
            values: std::array::from_fn(|_| Cow::Borrowed("")),
            order: None,
            notes: ValueNotes::default(),
            attributes: Vec::new(),
        }
    }
}

impl<'r> MappedRow<'r> {
    fn set(&mut self, target: MappedField, value: Cow<'r, str>) {
        self.values[target.index()] = value;
    }

    /// The value, trimmed already: cells are trimmed when read, constants and aliases when
    /// the mapping is compiled.
    pub fn get(&self, target: MappedField) -> &str {
        &self.values[target.index()]
    }

    /// The same row, owning its values (for sources whose cells do not outlive the call).
    pub fn into_owned(self) -> MappedRow<'static> {
        MappedRow {
            values: self.values.map(|value| Cow::Owned(value.into_owned())),
            order: self.order.map(|order| Cow::Owned(order.into_owned())),
            notes: self.notes,
            attributes: self
                .attributes
                .into_iter()
                .map(|value| Cow::Owned(value.into_owned()))
                .collect(),
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

    fn try_apply<'m>(
        mapping: &'m Mapping,
        header: &[&str],
        row: &'m [&'m str],
    ) -> Result<MappedRow<'m>, RowError> {
        let slots: Vec<Option<usize>> = mapping
            .columns
            .iter()
            .map(|column| header.iter().position(|h| h.eq_ignore_ascii_case(column)))
            .collect();
        mapping.apply(|slot| slots[slot].and_then(|index| row.get(index).copied()))
    }

    fn apply<'m>(mapping: &'m Mapping, header: &[&str], row: &'m [&'m str]) -> MappedRow<'m> {
        try_apply(mapping, header, row).expect("maps")
    }

    #[test]
    fn cells_are_trimmed_of_unicode_spaces_as_str_trim_does() {
        for text in [
            "",
            " ",
            "a",
            " a ",
            "a\t",
            "\u{3000}a\u{3000}",
            "a\u{a0}",
            "\u{85}x",
            "é",
            "ab c",
            "\u{b}a\u{b}",
            "\u{1c}",
        ] {
            assert_eq!(trim_cell(text), text.trim(), "{text:?}");
        }
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
        assert_eq!(row.get(MappedField::Event(Field::TicketId)), "INC1");
        assert_eq!(row.get(MappedField::Event(Field::Status)), "solved");
        assert_eq!(row.get(MappedField::Event(Field::AuthorType)), "agent");
        assert_eq!(
            row.get(MappedField::Event(Field::Timestamp)),
            "2016-02-29T01:16:00.000000"
        );
        assert_eq!(row.get(MappedField::Event(Field::Priority)), "normal");
        let null = apply(&mapping, &header, &["INC2", "?", "1/3/2016 10:00", "?"]);
        assert_eq!(null.get(MappedField::Event(Field::Status)), "");
        assert_eq!(
            null.get(MappedField::Event(Field::Priority)),
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
        assert_eq!(row.get(MappedField::Event(Field::TicketId)), "34536");
        assert_eq!(
            row.get(MappedField::CreatedAt),
            "1999-02-01T07:02:47.000000"
        );
        assert_eq!(row.get(MappedField::Event(Field::HandleSeconds)), "166");
        assert_eq!(row.get(MappedField::FirstReplySeconds), "90");
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
        assert_eq!(taken.get(MappedField::Event(Field::Event)), "message");
        let other = apply(&mapping, &header, &["1", "2026-03-01 10:00", "Wait", ""]);
        assert_eq!(other.get(MappedField::Event(Field::Event)), "note");
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
    fn derive_keys_ending_in_a_star_match_a_prefix_the_longest_first() {
        let mapping = mapping(
            r#"
            [fields]
            ticket_id = "case"
            timestamp = "time"
            event = { value = "note" }
            [derive.activity]
            "Conversation was marked resolved by *" = { event = "status", status = "solved" }
            "Conversation was marked resolved by system*" = { event = "status", status = "closed" }
            "Conversation was reopened*" = { event = "status", status = "open" }
            "Assigned" = { event = "note" }
            "#,
        );
        let header = ["case", "time", "activity"];
        let cases = [
            (
                "Conversation was marked resolved by Ana",
                "status",
                "solved",
            ),
            (
                "conversation was marked RESOLVED by ana",
                "status",
                "solved",
            ),
            // The longer prefix wins.
            (
                "Conversation was marked resolved by system due to 7 days of inactivity",
                "status",
                "closed",
            ),
            ("Conversation was reopened by Ana", "status", "open"),
            // An exact key is no prefix, and without "*" a value that matches nothing sets
            // nothing.
            ("Assigned to Ana", "note", ""),
            ("Hello", "note", ""),
        ];
        for (activity, event, status) in cases {
            let cells = ["1", "2026-03-01 10:00", activity];
            let row = apply(&mapping, &header, &cells);
            assert_eq!(
                row.get(MappedField::Event(Field::Event)),
                event,
                "{activity}"
            );
            assert_eq!(
                row.get(MappedField::Event(Field::Status)),
                status,
                "{activity}"
            );
        }
    }

    #[test]
    fn derivations_apply_in_the_order_of_their_columns_the_later_winning() {
        // A note flag named after the kind column overrides what the kind set: the rule the
        // chatwoot preset's `messages.private` relies on.
        let mapping = mapping(
            r#"
            [fields]
            ticket_id = "case"
            timestamp = "time"
            [derive.kind]
            "1" = { event = "message", author_type = "agent" }
            [derive.private]
            true = { event = "note" }
            "#,
        );
        let header = ["case", "time", "kind", "private"];
        let reply = apply(&mapping, &header, &["1", "2026-03-01 10:00", "1", "false"]);
        assert_eq!(reply.get(MappedField::Event(Field::Event)), "message");
        let note = apply(&mapping, &header, &["1", "2026-03-01 10:00", "1", "true"]);
        assert_eq!(note.get(MappedField::Event(Field::Event)), "note");
        assert_eq!(note.get(MappedField::Event(Field::AuthorType)), "agent");
    }

    #[test]
    fn unix_times_keep_their_fraction_of_a_second() {
        let formats = ["unix".to_owned()];
        assert_eq!(
            reformat_timestamp("1453770984.123", &formats).as_deref(),
            Some(crate::time::format_rfc3339(1_453_770_984_123_000).as_str())
        );
        assert_eq!(
            reformat_timestamp("1453770984", &formats).as_deref(),
            Some(crate::time::format_rfc3339(1_453_770_984_000_000).as_str())
        );
        assert_eq!(reformat_timestamp("soon", &formats), None);
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
        assert_eq!(row.get(MappedField::SolvedAt), "");
        assert_eq!(row.get(MappedField::ClosedAt), "");
        assert_eq!(row.notes.placeholder_dates, ["closed", "solved"]);
        let required = ["2", "1900-01-01 00:00", "", ""];
        let error = try_apply(&mapping, &header, &required).unwrap_err();
        assert_eq!(error.reason, RejectReason::BadTimestamp);
        assert!(error.message.contains("placeholder"), "{}", error.message);
        let canonical = Mapping::canonical();
        let kept = apply(
            &canonical,
            &["ticket_id", "timestamp"],
            &["1", "1900-01-01T00:00:00Z"],
        );
        assert_eq!(
            kept.get(MappedField::Event(Field::Timestamp)),
            "1900-01-01T00:00:00Z",
            "the canonical log reads any date of its range"
        );
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

    #[test]
    fn the_order_cell_outlives_the_record() {
        let mapping = mapping(
            "shape = \"tickets\"\norder_by = \"version\"\n\
             [fields]\nticket_id = \"id\"\ncreated_at = \"created\"",
        );
        let header = ["id", "created", "version"];
        let cells = ["7", "2026-03-01 10:00", " 12 "];
        let row = apply(&mapping, &header, &cells);
        assert_eq!(row.order.as_deref(), Some("12"));
        assert_eq!(
            row.into_owned().order.as_deref(),
            Some("12"),
            "JSON records own their rows: the order goes with them"
        );
    }

    #[test]
    fn null_markers_ignore_case_at_both_levels() {
        let mapping = mapping(
            r#"
            null_values = ["NULL"]
            [fields]
            ticket_id = "id"
            timestamp = "at"
            channel = "channel"
            agent = { column = "agent", null_values = ["No_Server"] }
            "#,
        );
        let header = ["id", "at", "channel", "agent"];
        let row = apply(
            &mapping,
            &header,
            &["1", "2026-03-01T10:00:00Z", " null ", "NO_SERVER"],
        );
        assert_eq!(row.get(MappedField::Event(Field::Channel)), "");
        assert_eq!(row.get(MappedField::Event(Field::Agent)), "");
        let kept = apply(
            &mapping,
            &header,
            &["1", "2026-03-01T10:00:00Z", "nullx", "x"],
        );
        assert_eq!(kept.get(MappedField::Event(Field::Channel)), "nullx");
    }

    #[test]
    fn errors_point_at_the_slots_of_their_cells() {
        let mapping = mapping(
            r#"
            shape = "tickets"
            [fields]
            ticket_id = "id"
            created_at = { columns = ["date", "time"], format = "%Y-%m-%d %H:%M" }
            status = "state"
            [derive.kind]
            "*" = { channel = "phone" }
            "#,
        );
        let slot = |name: &str| {
            mapping
                .columns
                .iter()
                .position(|c| c == name)
                .expect("read")
        };
        let header = ["id", "date", "time", "state", "kind"];
        let cells = ["1", "2026-03-01", "noon", "open", "x"];
        let error = try_apply(&mapping, &header, &cells).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("date + time"));
        assert_eq!(error.slots, [slot("date"), slot("time")]);
        // A validation error names a canonical field: explain finds its column and cells.
        let status = RowError::new(RejectReason::BadStatus, Some("status"), "bad");
        let status = mapping.explain(status);
        assert_eq!(status.column.as_deref(), Some("state"));
        assert_eq!(status.slots, [slot("state")]);
        let derived = mapping.explain(RowError::new(RejectReason::BadValue, Some("channel"), "x"));
        assert_eq!(
            derived.slots,
            [slot("kind")],
            "set by a derivation of that column"
        );
        let whole = mapping.explain(RowError::new(RejectReason::FieldCount, None, "x"));
        assert!(whole.slots.is_empty());
    }
}
