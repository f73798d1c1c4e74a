//! CSV (any single-byte delimiter) rows through a mapping, read sequentially.
//!
//! Records come from [`records::Splitter`] in chunks of whole records (bounded in size, every
//! line ending understood), the same chunks the parallel reader parses on several threads.

use std::io::BufRead;
use std::sync::Arc;

use super::mapping::{MappedRow, Mapping};
use super::records::{Chunk, SplitError, Splitter};
use super::row::{RejectReason, RowError};
use super::{Cell, IngestError, Ingestor, Location, Position, RawRow, Sink};

/// Bytes a chunk of the sequential reader aims for: a few reads' worth.
const CHUNK_BYTES: usize = 256 << 10;

/// What the header says about the rows of one input.
pub(super) struct Layout {
    pub mapping: Mapping,
    /// The header position of each column the mapping reads.
    pub slots: Vec<Option<usize>>,
    pub header_names: Vec<String>,
}

pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
    delimiter: u8,
) -> Result<(), IngestError> {
    let mut splitter = Splitter::new(delimiter, ingestor.options.max_record_bytes());
    let mut layout: Option<Layout> = None;
    let mut record = csv::ByteRecord::new();
    while let Some(chunk) = next_chunk(&mut splitter, &mut reader, CHUNK_BYTES, file)? {
        let mut csv = chunk_reader(&chunk, delimiter);
        while read_record(&mut csv, &mut record, &chunk, file)? {
            if is_blank(&record) {
                continue;
            }
            let Some(layout) = &layout else {
                layout = Some(read_header(ingestor, file, &record)?);
                continue;
            };
            let line = line_of(&record, &chunk);
            let mapped = map_record(&record, layout);
            let fingerprint = super::fingerprint(record.iter());
            ingestor.row(
                &layout.mapping,
                || Location {
                    file: file.clone(),
                    position: Position::Line(line),
                },
                mapped,
                fingerprint,
                |slots| render(&record, layout, delimiter, slots),
            )?;
        }
    }
    match layout {
        Some(_) => Ok(()),
        None => Err(IngestError::Empty {
            file: file.to_string(),
        }),
    }
}

/// The next chunk of whole records, or the error that names where a record grew too long.
pub(super) fn next_chunk(
    splitter: &mut Splitter,
    reader: &mut dyn BufRead,
    target: usize,
    file: &Arc<str>,
) -> Result<Option<Chunk>, IngestError> {
    splitter.next(reader, target).map_err(|error| match error {
        SplitError::Io(source) => IngestError::Io {
            file: file.to_string(),
            source,
        },
        SplitError::TooLong(too_long) => IngestError::Malformed {
            location: Location {
                file: file.clone(),
                position: Position::Line(too_long.line),
            },
            message: super::records::too_long_message(too_long.limit, "no end of line"),
        },
    })
}

/// A CSV parser over one chunk. The header is read like any record (has_headers = false) so
/// that a bad header gets our own error, and `flexible` makes a short or long row a rejected
/// row, not a fatal error. Chunks end records at `\n` only (see [`Splitter`]).
pub(super) fn chunk_reader(chunk: &Chunk, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk.bytes.as_slice())
}

/// Reads the next record of a chunk; a parse error names its line.
pub(super) fn read_record(
    csv: &mut csv::Reader<&[u8]>,
    record: &mut csv::ByteRecord,
    chunk: &Chunk,
    file: &Arc<str>,
) -> Result<bool, IngestError> {
    csv.read_byte_record(record).map_err(|error| {
        let line = chunk.first_line + error.position().map_or(1, |p| p.line()) - 1;
        IngestError::Malformed {
            location: Location {
                file: file.clone(),
                position: Position::Line(line),
            },
            message: error.to_string(),
        }
    })
}

/// The line of the input a record of `chunk` starts on.
pub(super) fn line_of(record: &csv::ByteRecord, chunk: &Chunk) -> u64 {
    chunk.first_line + record.position().map_or(1, |p| p.line()) - 1
}

/// The header record: its names choose the mapping, and the columns the mapping reads are
/// found in it.
pub(super) fn read_header<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    header: &csv::ByteRecord,
) -> Result<Layout, IngestError> {
    let header_names: Vec<String> = header
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_owned())
        .collect();
    let names: Vec<&str> = header_names.iter().map(String::as_str).collect();
    let mapping = ingestor.mapping_for(file, &names);
    let slots = resolve_slots(file, &mapping, &names)?;
    Ok(Layout {
        mapping,
        slots,
        header_names,
    })
}

/// Each column the mapping reads, resolved once to its position in the header (the first of
/// a repeated name wins); an error when a required one is missing.
pub(super) fn resolve_slots(
    file: &Arc<str>,
    mapping: &Mapping,
    names: &[&str],
) -> Result<Vec<Option<usize>>, IngestError> {
    let position_of = |column: &str| {
        names
            .iter()
            .position(|name| name.eq_ignore_ascii_case(column))
    };
    let missing: Vec<String> = mapping
        .required_columns()
        .into_iter()
        .filter(|column| position_of(column).is_none())
        .map(str::to_owned)
        .collect();
    if !missing.is_empty() {
        return Err(IngestError::MissingColumns {
            file: file.to_string(),
            mapping: mapping.name.clone(),
            missing,
            found: names.join(", "),
        });
    }
    Ok(mapping.columns.iter().map(|c| position_of(c)).collect())
}

/// Blank and whitespace-only lines are skipped and not counted as rows.
pub(super) fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() <= 1 && record.as_slice().iter().all(u8::is_ascii_whitespace)
}

/// A record through the mapping: its field count is checked, then the UTF-8 of the fields the
/// mapping reads (only those: bytes in a column nobody uses are no reason to refuse a row).
pub(super) fn map_record<'r>(
    record: &'r csv::ByteRecord,
    layout: &'r Layout,
) -> Result<MappedRow<'r>, RowError> {
    check_field_count(record, layout.header_names.len())?;
    // Each used cell is validated once, here; the mapping then reads the checked text. A
    // mapping of more columns than the array holds (none of the presets) validates twice.
    if layout.slots.len() <= MAX_INLINE_SLOTS {
        let mut cells: [Option<&'r str>; MAX_INLINE_SLOTS] = [None; MAX_INLINE_SLOTS];
        // The record's fields lie end to end in one buffer: one validation of it all is far
        // cheaper than one per cell (12% of the reading, profiled), and a cell of valid text
        // is its slice. Only a record with a bad byte somewhere, or a character split across
        // two cells, checks its mapped cells one by one (a bad byte in an unused one is no
        // reason to refuse the row).
        let whole = std::str::from_utf8(record.as_slice()).ok();
        for (slot, index) in layout.slots.iter().enumerate() {
            if let Some(index) = *index {
                let valid = whole.and_then(|text| record.range(index).and_then(|r| text.get(r)));
                cells[slot] = match valid {
                    Some(text) => Some(text),
                    None => checked_cell(record, layout, slot, index)?,
                };
            }
        }
        return layout
            .mapping
            .apply(|slot| cells.get(slot).copied().flatten());
    }
    for (slot, index) in layout.slots.iter().enumerate() {
        if let Some(index) = *index {
            checked_cell(record, layout, slot, index)?;
        }
    }
    layout.mapping.apply(|slot| {
        layout.slots[slot]
            .and_then(|index| record.get(index))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    })
}

/// Mapping columns whose checked cells live on the stack while a row is mapped.
const MAX_INLINE_SLOTS: usize = 48;

/// The cell at `index` as text, or the error naming its column and the invalid byte.
fn checked_cell<'r>(
    record: &'r csv::ByteRecord,
    layout: &Layout,
    slot: usize,
    index: usize,
) -> Result<Option<&'r str>, RowError> {
    let Some(field) = record.get(index) else {
        return Ok(None);
    };
    match std::str::from_utf8(field) {
        Ok(text) => Ok(Some(text)),
        Err(error) => {
            let column = layout.header_names.get(index).map(String::as_str);
            Err(utf8_error(column, field, error.valid_up_to()).in_slots(&[slot]))
        }
    }
}

fn check_field_count(record: &csv::ByteRecord, header_len: usize) -> Result<(), RowError> {
    if record.len() == header_len {
        return Ok(());
    }
    Err(RowError::new(
        RejectReason::FieldCount,
        None,
        format!(
            "has {} fields, the header has {header_len}{}",
            record.len(),
            if record.len() < header_len {
                " (a truncated or wrapped line?)"
            } else {
                " (an unquoted delimiter in a value?)"
            }
        ),
    ))
}

/// Names the byte offset of the first invalid UTF-8 sequence in a value and the way out: most
/// such files are Windows-1252 or Latin-1.
pub(super) fn utf8_error(column: Option<&str>, value: &[u8], valid_up_to: usize) -> RowError {
    RowError::new(
        RejectReason::InvalidUtf8,
        column,
        format!(
            "invalid UTF-8 at byte {valid_up_to} of the value \"{}\"; if the file is not UTF-8, \
             name its encoding, e.g. --encoding windows-1252 (or latin1)",
            String::from_utf8_lossy(value)
        ),
    )
}

/// The row as read, for the rejects file (invalid bytes shown as U+FFFD), and the cells that
/// hold the mapping's `slots`.
pub(super) fn render(
    record: &csv::ByteRecord,
    layout: &Layout,
    delimiter: u8,
    slots: &[usize],
) -> RawRow {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(record.len());
    for (index, field) in record.iter().enumerate() {
        if index > 0 {
            text.push(char::from(delimiter));
        }
        let start = text.len();
        text.push_str(&String::from_utf8_lossy(field));
        spans.push(value_span(&text, start));
    }
    let cells = slots
        .iter()
        .filter_map(|slot| {
            let index = (*layout.slots.get(*slot)?)?;
            Some(Cell {
                column: layout.header_names.get(index)?.clone(),
                bytes: spans.get(index)?.clone(),
            })
        })
        .collect();
    RawRow { text, cells }
}

/// The value of the field that starts at `start` and ends `text`, without the spaces around
/// it (as the mapping reads it); an empty value is empty at the field's start.
fn value_span(text: &str, start: usize) -> std::ops::Range<usize> {
    let field = &text[start..];
    let value_start = start + (field.len() - field.trim_start().len());
    let value_end = (start + field.trim_end().len()).max(value_start);
    value_start..value_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::MappedField;
    use crate::ingest::row::Field;

    fn layout(header: &[&str], mapping: Mapping) -> Layout {
        let slots = mapping
            .columns
            .iter()
            .map(|c| header.iter().position(|h| h.eq_ignore_ascii_case(c)))
            .collect();
        Layout {
            mapping,
            slots,
            header_names: header.iter().map(|h| (*h).to_owned()).collect(),
        }
    }

    #[test]
    fn only_the_fields_a_mapping_reads_must_be_utf8() {
        let unread = layout(
            &["ticket_id", "timestamp", "description"],
            Mapping::canonical(),
        );
        let record = csv::ByteRecord::from(vec![
            &b"1"[..],
            &b"2026-03-01T10:00:00Z"[..],
            &b"caf\xe9"[..],
        ]);
        assert!(
            map_record(&record, &unread).is_ok(),
            "description is not read"
        );

        let read = layout(&["ticket_id", "timestamp", "agent"], Mapping::canonical());
        let error = map_record(&record, &read).expect_err("agent is read");
        assert_eq!(error.reason, RejectReason::InvalidUtf8);
        assert_eq!(error.column.as_deref(), Some("agent"));
        assert!(error.message.contains("--encoding windows-1252"), "{error}");
        assert!(error.message.contains("at byte 3"), "{error}");
    }

    #[test]
    fn a_character_split_across_two_cells_is_refused_in_the_cell_it_starts() {
        // "é" is C3 A9: cut between two cells, the record's bytes end to end are valid
        // UTF-8 and neither cell is.
        let layout = layout(
            &["ticket_id", "timestamp", "agent", "team"],
            Mapping::canonical(),
        );
        let record = csv::ByteRecord::from(vec![
            &b"1"[..],
            &b"2026-03-01T10:00:00Z"[..],
            &b"Ren\xc3"[..],
            &b"\xa9quipe"[..],
        ]);
        let error = map_record(&record, &layout).expect_err("both cells are invalid");
        assert_eq!(error.reason, RejectReason::InvalidUtf8);
        assert_eq!(error.column.as_deref(), Some("agent"));

        let whole = csv::ByteRecord::from(vec![
            &b"1"[..],
            &b"2026-03-01T10:00:00Z"[..],
            "Ren\u{e9}e".as_bytes(),
            "\u{e9}quipe".as_bytes(),
        ]);
        let row = map_record(&whole, &layout).expect("valid text");
        assert_eq!(row.get(MappedField::Event(Field::Agent)), "Ren\u{e9}e");
        assert_eq!(row.get(MappedField::Event(Field::Team)), "\u{e9}quipe");
    }

    #[test]
    fn a_row_of_the_wrong_width_is_rejected_before_its_bytes_are_read() {
        let layout = layout(&["ticket_id", "timestamp"], Mapping::canonical());
        let record = csv::ByteRecord::from(vec![&b"1"[..]]);
        let error = map_record(&record, &layout).expect_err("short");
        assert_eq!(error.reason, RejectReason::FieldCount);
    }

    #[test]
    fn a_rendered_row_knows_where_each_cell_of_the_error_is() {
        let layout = layout(&["ticket_id", "timestamp", "agent"], Mapping::canonical());
        let record = csv::ByteRecord::from(vec![&b"7"[..], &b"  yesterday "[..], &b""[..]]);
        let slot_of = |name: &str| {
            let mapping = &layout.mapping;
            mapping
                .columns
                .iter()
                .position(|c| c == name)
                .expect("read")
        };
        let raw = render(
            &record,
            &layout,
            b';',
            &[slot_of("timestamp"), slot_of("agent")],
        );
        assert_eq!(raw.text, "7;  yesterday ;");
        let shown: Vec<(&str, &str)> = raw
            .cells
            .iter()
            .map(|cell| (cell.column.as_str(), &raw.text[cell.bytes.clone()]))
            .collect();
        assert_eq!(shown, [("timestamp", "yesterday"), ("agent", "")]);
        assert_eq!(raw.cells[1].bytes, 15..15, "an empty cell, at its place");
        assert!(
            render(&record, &layout, b',', &[slot_of("csat")])
                .cells
                .is_empty()
        );
    }
}
