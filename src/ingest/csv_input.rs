//! CSV (any single-byte delimiter) rows to canonical field values.

use std::io::BufRead;

use super::row::{ColumnMap, Field, RejectReason, RowError, RowValues};
use super::{IngestError, Ingestor, Location, Position, Sink};

pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &std::sync::Arc<str>,
    reader: Box<dyn BufRead>,
    delimiter: u8,
) -> Result<(), IngestError> {
    // The header is read by hand (has_headers = false) so that a bad header gets our own
    // error, and `flexible` so that a short or long row is a rejected row, not a fatal error.
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
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
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    let columns = ColumnMap::from_headers(header_names.iter().map(String::as_str));
    let missing = columns.missing_required();
    if !missing.is_empty() {
        return Err(IngestError::MissingColumns {
            file: file.to_string(),
            missing,
            found: header_names.join(", "),
        });
    }
    let used: Vec<(Field, usize)> = Field::ALL
        .into_iter()
        .filter_map(|field| columns.column_of(field).map(|column| (field, column)))
        .collect();

    let mut record = csv::ByteRecord::new();
    while csv.read_byte_record(&mut record).map_err(malformed)? {
        if is_blank(&record) {
            continue;
        }
        let line = record.position().map_or(0, |position| position.line());
        let values = values_of(&record, header.len(), &header_names, &used);
        ingestor.row(|| location(line), values, || render(&record, delimiter))?;
    }
    Ok(())
}

/// Blank and whitespace-only lines are skipped and not counted as rows.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() <= 1 && record.as_slice().iter().all(u8::is_ascii_whitespace)
}

fn values_of<'r>(
    record: &'r csv::ByteRecord,
    header_len: usize,
    header_names: &[String],
    used: &[(Field, usize)],
) -> Result<RowValues<'r>, RowError> {
    if record.len() != header_len {
        return Err(RowError::new(
            RejectReason::FieldCount,
            None,
            format!("has {} fields, the header has {header_len}", record.len()),
        ));
    }
    if let Err(error) = std::str::from_utf8(record.as_slice()) {
        return Err(utf8_error(record, header_names, error.valid_up_to()));
    }
    let mut values = RowValues::default();
    for (field, column) in used {
        let text = record
            .get(*column)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default();
        values.set(*field, text);
    }
    Ok(values)
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

fn render(record: &csv::ByteRecord, delimiter: u8) -> String {
    let fields: Vec<String> = record
        .iter()
        .map(|field| String::from_utf8_lossy(field).into_owned())
        .collect();
    fields.join(&char::from(delimiter).to_string())
}
