//! Apache Parquet inputs: each row through the mapping, as a CSV row goes.
//!
//! Parquet columns are typed, the mapping reads text: each cell is written as the text a CSV
//! export would hold for it, so that presets, mappings, aliases and validation apply to
//! Parquet exactly as they do to CSV (one path: [`Mapping::apply`]). Timestamps with a zone
//! become RFC 3339 instants in UTC; timestamps without one stay local times (read in `--tz`
//! or the mapping's zone, as in CSV); dates are `YYYY-MM-DD`, times `HH:MM:SS`; durations
//! are seconds; numbers are written as Rust writes them (`3`, `2.5`). Struct columns are read
//! by their fields, named `parent.field` as JSON records are flattened. Lists and maps have
//! no text form: a mapping that reads one is refused before any row.
//!
//! The format keeps its index at the end of the file, so the input is read whole (a file,
//! standard input or a gzipped file alike) before its rows are.

use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, DurationMicrosecondType, DurationMillisecondType,
    DurationNanosecondType, DurationSecondType, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::csv_input::resolve_slots;
use super::mapping::Mapping;
use super::{Cell, IngestError, Ingestor, Location, Position, RawRow, Sink};
use crate::time::{Instant, MICROS_PER_SECOND, format_rfc3339};

/// Rows a batch holds: a few hundred kilobytes of cells.
const BATCH_ROWS: usize = 8 * 1024;

pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
) -> Result<(), IngestError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| IngestError::Io {
            file: file.to_string(),
            source,
        })?;
    let malformed = |message: String| IngestError::Malformed {
        location: Location {
            file: file.clone(),
            position: Position::Record(0),
        },
        message,
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .map_err(|error| malformed(format!("not a readable Parquet file: {error}")))?;
    // The mapping is chosen from the schema, so that a file without rows is read as a CSV
    // export with only its header is.
    let leaves = leaf_fields(builder.schema());
    let mut layout = Layout::new(ingestor, file, &leaves)?;
    let batches = builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|error| malformed(format!("not a readable Parquet file: {error}")))?;
    let mut row_number = 0u64;
    for batch in batches {
        let batch = batch.map_err(|error| {
            malformed(format!(
                "reading Parquet after record {row_number}: {error}"
            ))
        })?;
        let columns = leaf_columns(&batch);
        for row in 0..batch.num_rows() {
            row_number += 1;
            layout.read_row(&columns, row);
            let mapped = layout.mapping.apply(|slot| layout.cell_of(slot));
            let fingerprint = super::fingerprint(layout.cells.iter().map(|cell| cell.as_bytes()));
            ingestor.row(
                &layout.mapping,
                || Location {
                    file: file.clone(),
                    position: Position::Record(row_number),
                },
                mapped,
                fingerprint,
                |slots| layout.render(slots),
            )?;
        }
    }
    Ok(())
}

/// The schema's leaf columns, structs flattened into their fields (`parent.field`), with
/// their types: the batches' [`leaf_columns`] come in the same order.
fn leaf_fields(schema: &arrow_schema::Schema) -> Vec<(String, DataType)> {
    fn visit(name: &str, data_type: &DataType, out: &mut Vec<(String, DataType)>) {
        match data_type {
            DataType::Struct(fields) => {
                for field in fields {
                    visit(&format!("{name}.{}", field.name()), field.data_type(), out);
                }
            }
            other => out.push((name.to_owned(), other.clone())),
        }
    }
    let mut out = Vec::new();
    for field in schema.fields() {
        visit(field.name(), field.data_type(), &mut out);
    }
    out
}

/// A leaf column: its values, and the structs above it, whose nulls are its own. Its name is
/// [`leaf_fields`]'s, in the same order.
struct Leaf {
    values: ArrayRef,
    parents: Vec<ArrayRef>,
}

impl Leaf {
    fn is_null(&self, row: usize) -> bool {
        self.values.is_null(row) || self.parents.iter().any(|parent| parent.is_null(row))
    }
}

/// The batch's columns, structs flattened into their fields.
fn leaf_columns(batch: &RecordBatch) -> Vec<Leaf> {
    let mut leaves = Vec::new();
    for column in batch.columns() {
        flatten(column, &[], &mut leaves);
    }
    leaves
}

fn flatten(column: &ArrayRef, parents: &[ArrayRef], leaves: &mut Vec<Leaf>) {
    match column.as_any().downcast_ref::<StructArray>() {
        Some(fields) => {
            let mut above = parents.to_vec();
            above.push(column.clone());
            for values in fields.columns() {
                flatten(values, &above, leaves);
            }
        }
        None => leaves.push(Leaf {
            values: column.clone(),
            parents: parents.to_vec(),
        }),
    }
}

/// What the schema says about the rows: the mapping chosen from the column names, where each
/// of its columns is, and the text of the row being read.
struct Layout {
    mapping: Mapping,
    slots: Vec<Option<usize>>,
    names: Vec<String>,
    /// Per leaf column, its cell in the current row as text (empty for null).
    cells: Vec<String>,
}

impl Layout {
    fn new<S: Sink>(
        ingestor: &mut Ingestor<'_, S>,
        file: &Arc<str>,
        leaves: &[(String, DataType)],
    ) -> Result<Layout, IngestError> {
        let names: Vec<String> = leaves.iter().map(|(name, _)| name.clone()).collect();
        let borrowed: Vec<&str> = names.iter().map(String::as_str).collect();
        let mapping = ingestor.mapping_for(file, &borrowed);
        let slots = resolve_slots(file, &mapping, &borrowed)?;
        for index in slots.iter().flatten() {
            let (name, data_type) = &leaves[*index];
            if !has_text(data_type) {
                return Err(IngestError::Malformed {
                    location: Location {
                        file: file.clone(),
                        position: Position::Record(0),
                    },
                    message: format!(
                        "column '{}' is of Parquet type {}, which has no text to read; the \
                         mapping can read text, numbers, booleans, timestamps, dates, times, \
                         durations and the fields of structs",
                        name, data_type
                    ),
                });
            }
        }
        Ok(Layout {
            mapping,
            slots,
            cells: vec![String::new(); names.len()],
            names,
        })
    }

    fn read_row(&mut self, columns: &[Leaf], row: usize) {
        for (cell, leaf) in self.cells.iter_mut().zip(columns) {
            cell.clear();
            if !leaf.is_null(row) {
                write_cell(leaf.values.as_ref(), row, cell);
            }
        }
    }

    fn cell_of(&self, slot: usize) -> Option<&str> {
        let index = (*self.slots.get(slot)?)?;
        self.cells.get(index).map(String::as_str)
    }

    /// The row as a JSON object of its columns, and where the cells of `slots` are in it.
    fn render(&self, slots: &[usize]) -> RawRow {
        let mut text = String::from("{");
        let mut spans = Vec::with_capacity(self.cells.len());
        for (index, (name, cell)) in self.names.iter().zip(&self.cells).enumerate() {
            if index > 0 {
                text.push_str(", ");
            }
            text.push_str(&json_string(name));
            text.push_str(": ");
            let quoted = json_string(cell);
            // Inside the quotes: the value as written there.
            let start = text.len() + 1;
            text.push_str(&quoted);
            spans.push(start..text.len() - 1);
        }
        text.push('}');
        let cells = slots
            .iter()
            .filter_map(|slot| {
                let index = (*self.slots.get(*slot)?)?;
                Some(Cell {
                    column: self.names.get(index)?.clone(),
                    bytes: spans.get(index)?.clone(),
                })
            })
            .collect();
        RawRow { text, cells }
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// Whether [`write_cell`] writes this type.
fn has_text(data_type: &DataType) -> bool {
    match data_type {
        DataType::Dictionary(_, values) => has_text(values),
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::Date32
        | DataType::Date64
        | DataType::Time32(_)
        | DataType::Time64(_)
        | DataType::Duration(_)
        | DataType::Timestamp(..) => true,
        _ => false,
    }
}

/// Writes the value at `row` (not null) as a CSV export would hold it. Types without a text
/// form ([`has_text`]) write nothing: no mapping reads them.
fn write_cell(array: &dyn Array, row: usize, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = try_write_cell(array, row, out);
}

fn try_write_cell(array: &dyn Array, row: usize, out: &mut String) -> std::fmt::Result {
    match array.data_type() {
        DataType::Utf8 => out.push_str(array.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => out.push_str(array.as_string::<i64>().value(row)),
        DataType::Utf8View => out.push_str(array.as_string_view().value(row)),
        DataType::Binary => out.push_str(&String::from_utf8_lossy(
            array.as_binary::<i32>().value(row),
        )),
        DataType::LargeBinary => {
            out.push_str(&String::from_utf8_lossy(
                array.as_binary::<i64>().value(row),
            ));
        }
        DataType::BinaryView => {
            out.push_str(&String::from_utf8_lossy(array.as_binary_view().value(row)));
        }
        DataType::Dictionary(..) => {
            let dictionary = array.as_any_dictionary();
            let key = dictionary.normalized_keys()[row];
            let values = dictionary.values();
            if !values.is_null(key) {
                try_write_cell(values.as_ref(), key, out)?;
            }
        }
        DataType::Boolean => out.push_str(if array.as_boolean().value(row) {
            "true"
        } else {
            "false"
        }),
        DataType::Int8 => write!(out, "{}", array.as_primitive::<Int8Type>().value(row))?,
        DataType::Int16 => write!(out, "{}", array.as_primitive::<Int16Type>().value(row))?,
        DataType::Int32 => write!(out, "{}", array.as_primitive::<Int32Type>().value(row))?,
        DataType::Int64 => write!(out, "{}", array.as_primitive::<Int64Type>().value(row))?,
        DataType::UInt8 => write!(out, "{}", array.as_primitive::<UInt8Type>().value(row))?,
        DataType::UInt16 => write!(out, "{}", array.as_primitive::<UInt16Type>().value(row))?,
        DataType::UInt32 => write!(out, "{}", array.as_primitive::<UInt32Type>().value(row))?,
        DataType::UInt64 => write!(out, "{}", array.as_primitive::<UInt64Type>().value(row))?,
        DataType::Float32 => write!(out, "{}", array.as_primitive::<Float32Type>().value(row))?,
        DataType::Float64 => write!(out, "{}", array.as_primitive::<Float64Type>().value(row))?,
        DataType::Decimal128(_, scale) => {
            let value = array.as_primitive::<Decimal128Type>().value(row);
            write_decimal(value, *scale, out)?;
        }
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            write_date(i64::from(days) * 86_400 * MICROS_PER_SECOND, out)?;
        }
        DataType::Date64 => {
            let millis = array.as_primitive::<Date64Type>().value(row);
            write_date(millis.saturating_mul(1_000), out)?;
        }
        DataType::Time32(unit) => {
            let value = match unit {
                TimeUnit::Second => i64::from(array.as_primitive::<Time32SecondType>().value(row)),
                _ => i64::from(array.as_primitive::<Time32MillisecondType>().value(row)),
            };
            write_time(micros(value, *unit), out)?;
        }
        DataType::Time64(unit) => {
            let value = match unit {
                TimeUnit::Microsecond => array.as_primitive::<Time64MicrosecondType>().value(row),
                _ => array.as_primitive::<Time64NanosecondType>().value(row),
            };
            write_time(micros(value, *unit), out)?;
        }
        DataType::Duration(unit) => {
            let value = match unit {
                TimeUnit::Second => array.as_primitive::<DurationSecondType>().value(row),
                TimeUnit::Millisecond => array.as_primitive::<DurationMillisecondType>().value(row),
                TimeUnit::Microsecond => array.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => array.as_primitive::<DurationNanosecondType>().value(row),
            };
            write!(out, "{}", seconds(value, *unit))?;
        }
        DataType::Timestamp(unit, zone) => {
            let value = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => {
                    array.as_primitive::<TimestampMillisecondType>().value(row)
                }
                TimeUnit::Microsecond => {
                    array.as_primitive::<TimestampMicrosecondType>().value(row)
                }
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(row),
            };
            let at = micros(value, *unit);
            match zone {
                // Parquet's "adjusted to UTC" instants: the value is UTC whatever the zone.
                Some(_) => out.push_str(&format_rfc3339(at)),
                None => write_local(at, out)?,
            }
        }
        _ => {}
    }
    Ok(())
}

/// A value in `unit` as microseconds (nanoseconds truncated toward the past: instants are
/// microseconds everywhere in ticketkpi).
fn micros(value: i64, unit: TimeUnit) -> Instant {
    match unit {
        TimeUnit::Second => value.saturating_mul(MICROS_PER_SECOND),
        TimeUnit::Millisecond => value.saturating_mul(1_000),
        TimeUnit::Microsecond => value,
        TimeUnit::Nanosecond => value.div_euclid(1_000),
    }
}

fn seconds(value: i64, unit: TimeUnit) -> f64 {
    let per_second = match unit {
        TimeUnit::Second => 1.0,
        TimeUnit::Millisecond => 1e3,
        TimeUnit::Microsecond => 1e6,
        TimeUnit::Nanosecond => 1e9,
    };
    value as f64 / per_second
}

fn write_decimal(value: i128, scale: i8, out: &mut String) -> std::fmt::Result {
    if scale <= 0 {
        let factor = 10i128.saturating_pow(u32::from(scale.unsigned_abs()));
        return write!(out, "{}", value.saturating_mul(factor));
    }
    let factor = 10i128.pow(u32::from(scale.unsigned_abs()));
    let sign = if value < 0 { "-" } else { "" };
    let (whole, fraction) = (
        value.unsigned_abs() / factor.unsigned_abs(),
        value.unsigned_abs() % factor.unsigned_abs(),
    );
    write!(
        out,
        "{sign}{whole}.{fraction:0width$}",
        width = scale as usize
    )
}

fn naive(at: Instant) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(at).map(|utc| utc.naive_utc())
}

fn write_date(at: Instant, out: &mut String) -> std::fmt::Result {
    match naive(at) {
        Some(time) => write!(out, "{}", time.format("%Y-%m-%d")),
        None => Ok(()),
    }
}

fn write_time(at: Instant, out: &mut String) -> std::fmt::Result {
    match naive(at) {
        Some(time) if at % MICROS_PER_SECOND == 0 => write!(out, "{}", time.format("%H:%M:%S")),
        Some(time) => write!(out, "{}", time.format("%H:%M:%S%.6f")),
        None => Ok(()),
    }
}

/// A wall-clock time without a zone, as an export without offsets writes it.
fn write_local(at: Instant, out: &mut String) -> std::fmt::Result {
    match naive(at) {
        Some(time) if at % MICROS_PER_SECOND == 0 => {
            write!(out, "{}", time.format("%Y-%m-%dT%H:%M:%S"))
        }
        Some(time) => write!(out, "{}", time.format("%Y-%m-%dT%H:%M:%S%.6f")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        BooleanArray, Float64Array, Int64Array, StringArray, TimestampMicrosecondArray,
        TimestampSecondArray,
    };
    use arrow_schema::{Field, Fields};

    fn cell(array: ArrayRef, row: usize) -> String {
        let mut out = String::new();
        if !array.is_null(row) {
            write_cell(array.as_ref(), row, &mut out);
        }
        out
    }

    #[test]
    fn typed_cells_read_as_a_csv_export_writes_them() {
        let utc = TimestampMicrosecondArray::from(vec![1_772_445_600_000_000, 1_500_000])
            .with_timezone("UTC");
        assert_eq!(cell(Arc::new(utc.clone()), 0), "2026-03-02T10:00:00Z");
        let local = TimestampSecondArray::from(vec![1_772_445_600]);
        assert_eq!(
            cell(Arc::new(local), 0),
            "2026-03-02T10:00:00",
            "a local time"
        );
        assert_eq!(cell(Arc::new(Float64Array::from(vec![3.0, 2.5])), 0), "3");
        assert_eq!(cell(Arc::new(Float64Array::from(vec![3.0, 2.5])), 1), "2.5");
        assert_eq!(cell(Arc::new(Int64Array::from(vec![-42])), 0), "-42");
        assert_eq!(cell(Arc::new(BooleanArray::from(vec![true])), 0), "true");
        let nulls = StringArray::from(vec![None, Some(" chat ")]);
        assert_eq!(cell(Arc::new(nulls.clone()), 0), "", "null is empty");
        assert_eq!(
            cell(Arc::new(nulls), 1),
            " chat ",
            "trimmed by the mapping, not here"
        );
    }

    #[test]
    fn decimals_durations_and_nanoseconds() {
        let mut out = String::new();
        write_decimal(-12_345, 2, &mut out).unwrap();
        assert_eq!(out, "-123.45");
        out.clear();
        write_decimal(7, 3, &mut out).unwrap();
        assert_eq!(out, "0.007");
        assert_eq!(seconds(1_500, TimeUnit::Millisecond), 1.5);
        assert_eq!(micros(-1, TimeUnit::Nanosecond), -1, "toward the past");
    }

    #[test]
    fn structs_are_read_by_their_fields_with_their_nulls() {
        let channel = Arc::new(StringArray::from(vec![Some("email"), Some("chat")])) as ArrayRef;
        let via = StructArray::new(
            Fields::from(vec![Field::new("channel", DataType::Utf8, true)]),
            vec![channel],
            Some(vec![true, false].into()),
        );
        let schema =
            arrow_schema::Schema::new(vec![Field::new("via", via.data_type().clone(), true)]);
        let batch = RecordBatch::try_new(Arc::new(schema), vec![Arc::new(via)]).unwrap();
        let leaves = leaf_columns(&batch);
        assert_eq!(leaves.len(), 1);
        let names: Vec<String> = leaf_fields(&batch.schema())
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["via.channel"]);
        assert!(!leaves[0].is_null(0));
        assert!(leaves[0].is_null(1), "a null struct nulls its fields");
    }
}
