//! CSV (any single-byte delimiter) rows through a mapping.

use std::io::BufRead;
use std::sync::Arc;

use super::mapping::Mapping;
use super::row::{RejectReason, RowError};
use super::{IngestError, Ingestor, Location, Position, Sink};

pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    reader: Box<dyn BufRead>,
    delimiter: u8,
    terminator: csv::Terminator,
) -> Result<(), IngestError> {
    // The header is read by hand (has_headers = false) so that a bad header gets our own
    // error, and `flexible` so that a short or long row is a rejected row, not a fatal error.
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let location = |line| Location {
        file: file.clone(),
        position: Position::Line(line),
    };
    let malformed = |error: csv::Error| match error.position() {
        Some(position) => IngestError::Malformed {
            location: location(position.line()),
            message: error.to_string(),
        },
        None => IngestError::Io {
            file: file.to_string(),
            source: std::io::Error::other(error.to_string()),
        },
    };

    let mut header = csv::ByteRecord::new();
    loop {
        if !csv.read_byte_record(&mut header).map_err(malformed)? {
            return Err(IngestError::Empty {
                file: file.to_string(),
            });
        }
        if !is_blank(&header) {
            break;
        }
    }
    let header_names: Vec<String> = header
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_owned())
        .collect();
    let names: Vec<&str> = header_names.iter().map(String::as_str).collect();
    let mapping = ingestor.mapping_for(file, &names);
    let slots = resolve_slots(file, &mapping, &names)?;

    let mut record = csv::ByteRecord::new();
    while csv.read_byte_record(&mut record).map_err(malformed)? {
        if is_blank(&record) {
            continue;
        }
        let line = record.position().map_or(0, |position| position.line());
        let mapped = check(&record, header.len(), &header_names).and_then(|()| {
            mapping.apply(|slot| {
                slots[slot]
                    .and_then(|index| record.get(index))
                    .and_then(|bytes| std::str::from_utf8(bytes).ok())
            })
        });
        let fingerprint = super::fingerprint(record.iter());
        ingestor.row(
            &mapping,
            || location(line),
            mapped,
            fingerprint,
            || render(&record, delimiter),
        )?;
    }
    Ok(())
}

/// The first record of `bytes` that is not blank (the header), if any, with the bytes and
/// lines it and the blank lines before it take.
pub(super) fn header_record(
    bytes: &[u8],
    delimiter: u8,
) -> Result<Option<(csv::ByteRecord, usize, u64)>, IngestError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    while csv
        .read_byte_record(&mut record)
        .map_err(|error| IngestError::Io {
            file: String::new(),
            source: std::io::Error::other(error.to_string()),
        })?
    {
        if !is_blank(&record) {
            let end = csv.position();
            return Ok(Some((record, end.byte() as usize, end.line() - 1)));
        }
    }
    Ok(None)
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

/// The row-level checks that come before any mapping: field count and UTF-8.
pub(super) fn check(
    record: &csv::ByteRecord,
    header_len: usize,
    header_names: &[String],
) -> Result<(), RowError> {
    if record.len() != header_len {
        return Err(RowError::new(
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
        ));
    }
    match std::str::from_utf8(record.as_slice()) {
        Ok(_) => Ok(()),
        Err(error) => Err(utf8_error(record, header_names, error.valid_up_to())),
    }
}

/// Names the column and byte offset of the first invalid UTF-8 sequence in the row.
fn utf8_error(record: &csv::ByteRecord, header_names: &[String], valid_up_to: usize) -> RowError {
    let mut start = 0;
    for (index, field) in record.iter().enumerate() {
        let end = start + field.len();
        if valid_up_to < end || index + 1 == record.len() {
            let column = header_names.get(index).map(String::as_str);
            return RowError::new(
                RejectReason::InvalidUtf8,
                column,
                format!(
                    "invalid UTF-8 at byte {} of the value {:?}",
                    valid_up_to.saturating_sub(start),
                    String::from_utf8_lossy(field)
                ),
            );
        }
        start = end;
    }
    RowError::new(RejectReason::InvalidUtf8, None, "invalid UTF-8")
}

pub(super) fn render(record: &csv::ByteRecord, delimiter: u8) -> String {
    let fields: Vec<String> = record
        .iter()
        .map(|field| String::from_utf8_lossy(field).into_owned())
        .collect();
    fields.join(&char::from(delimiter).to_string())
}
