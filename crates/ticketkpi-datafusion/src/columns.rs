//! Reading the aggregates' argument arrays: text in any of Arrow's string layouts, numbers
//! and instants, nulls as absence.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Float64Array, StringArray, UInt16Array,
    UInt64Array,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::error::{DataFusionError, Result};

/// The type an argument of a kind is read as.
pub fn text_type(given: &DataType) -> DataType {
    match given {
        DataType::Utf8 => DataType::Utf8,
        // Cast once per batch here rather than by the planner: dictionaries stay small
        // until read.
        DataType::Dictionary(_, values) if is_text(values) => given.clone(),
        DataType::LargeUtf8 | DataType::Utf8View => given.clone(),
        _ => DataType::Utf8,
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// Instants: microseconds, in whatever zone the column names (the value is UTC).
pub fn instant_type(given: &DataType) -> DataType {
    match given {
        DataType::Timestamp(_, zone) => DataType::Timestamp(TimeUnit::Microsecond, zone.clone()),
        _ => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
    }
}

/// `array` as plain UTF-8.
pub fn strings(array: &ArrayRef) -> Result<StringArray> {
    let plain = if array.data_type() == &DataType::Utf8 {
        array.clone()
    } else {
        cast(array, &DataType::Utf8)?
    };
    Ok(plain.as_string::<i32>().clone())
}

/// The text at `row`, `None` for null.
pub fn text(array: &StringArray, row: usize) -> Option<&str> {
    (!array.is_null(row)).then(|| array.value(row))
}

pub fn instants(array: &ArrayRef) -> Result<Vec<Option<i64>>> {
    let micros = match array.data_type() {
        DataType::Timestamp(TimeUnit::Microsecond, _) => array.clone(),
        other => cast(array, &instant_type(other))?,
    };
    Ok(micros
        .as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect())
}

pub fn floats(array: &ArrayRef) -> Result<Float64Array> {
    Ok(cast(array, &DataType::Float64)?.as_primitive().clone())
}

pub fn unsigned(array: &ArrayRef) -> Result<UInt64Array> {
    Ok(cast(array, &DataType::UInt64)?.as_primitive().clone())
}

pub fn sources(array: &ArrayRef) -> Result<UInt16Array> {
    Ok(cast(array, &DataType::UInt16)?.as_primitive().clone())
}

pub fn binary(array: &ArrayRef) -> Result<BinaryArray> {
    let plain = cast(array, &DataType::Binary)?;
    Ok(plain.as_binary::<i32>().clone())
}

pub fn float(array: &Float64Array, row: usize) -> Option<f64> {
    (!array.is_null(row)).then(|| array.value(row))
}

/// Whether an aggregate's FILTER lets `row` through.
pub fn passes(filter: Option<&BooleanArray>, row: usize) -> bool {
    filter.is_none_or(|filter| filter.is_valid(row) && filter.value(row))
}

/// A binary column of the given values.
pub fn binary_array(values: Vec<Option<Vec<u8>>>) -> ArrayRef {
    Arc::new(BinaryArray::from_iter(values))
}

/// Why a function cannot take the arguments it was given.
pub fn arity_error(function: &str, expected: &str, given: usize) -> DataFusionError {
    DataFusionError::Plan(format!(
        "{function} takes {expected}, {given} given (see docs/datafusion.md)"
    ))
}
