//! The test's own reading of the files: CSV records and timestamps, with the `csv` crate and
//! chrono, none of the crate's code.

use std::fs::File;
use std::path::Path;

use chrono::NaiveDateTime;

/// A CSV reader and its header names. `\n` alone ends a record when `lf_only`, as the tool
/// does when a file has `\n` at all: the tweet file has bare `\r` inside an unquoted field.
pub fn csv_reader(path: &Path, delimiter: u8, lf_only: bool) -> (Vec<String>, csv::Reader<File>) {
    let mut builder = csv::ReaderBuilder::new();
    builder.delimiter(delimiter).has_headers(true);
    if lf_only {
        builder.terminator(csv::Terminator::Any(b'\n'));
    }
    let mut reader = builder
        .from_path(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let header = reader
        .headers()
        .unwrap_or_else(|error| panic!("{}: header: {error}", path.display()))
        .iter()
        .map(|name| name.trim_start_matches('\u{feff}').to_owned())
        .collect();
    (header, reader)
}

/// A whole CSV file: its header names and records.
pub fn read_csv(
    path: &Path,
    delimiter: u8,
    lf_only: bool,
) -> (Vec<String>, Vec<csv::StringRecord>) {
    let (header, mut reader) = csv_reader(path, delimiter, lf_only);
    let records = reader
        .records()
        .map(|record| record.unwrap_or_else(|error| panic!("{}: {error}", path.display())))
        .collect();
    (header, records)
}

/// The position of a column (the first one of a repeated name).
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"))
}

/// Seconds since the epoch of a timestamp without offset, read as UTC (the default `--tz`).
pub fn naive_seconds(text: &str, format: &str) -> i64 {
    NaiveDateTime::parse_from_str(text, format)
        .unwrap_or_else(|error| panic!("{text:?} is not {format}: {error}"))
        .and_utc()
        .timestamp()
}

/// A local time without an offset, in `tz` (the earlier instant of a repeated hour).
pub fn local_seconds(text: &str, format: &str, tz: chrono_tz::Tz) -> i64 {
    use chrono::TimeZone as _;
    let naive = NaiveDateTime::parse_from_str(text, format)
        .unwrap_or_else(|error| panic!("{text:?} is not {format}: {error}"));
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| panic!("{text:?} does not exist in {tz}"))
        .timestamp()
}
