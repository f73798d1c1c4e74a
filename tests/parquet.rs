//! Parquet out (`tickets --format parquet`) and in (`report EVENTS.parquet`): typed columns
//! that read back as the JSON list's values, and an event log in Parquet reporting what the
//! same log in CSV reports.
#![cfg(feature = "parquet")]

mod common;

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType, UInt32Type};
use arrow_array::{
    Array, ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use common::*;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn micros(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp_micros()
}

#[test]
fn tickets_parquet_has_typed_columns_holding_the_json_lists_values() {
    let dir = scratch();
    let out = dir.path().join("tickets.parquet");
    ticketkpi(["tickets", SAMPLE, "--format", "parquet", "-o"])
        .arg(&out)
        .success();
    let listed = ticketkpi(["tickets", SAMPLE, "--format", "json"]).json();
    let listed = listed.as_array().unwrap();
    let batches = read_parquet(&out);
    let schema = batches[0].schema();
    let utc = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    assert_eq!(
        schema.field_with_name("ticket_id").unwrap().data_type(),
        &DataType::Utf8
    );
    assert_eq!(
        schema.field_with_name("created_at").unwrap().data_type(),
        &utc
    );
    assert_eq!(
        schema
            .field_with_name("first_reply_at")
            .unwrap()
            .data_type(),
        &utc
    );
    for seconds in [
        "first_response_seconds",
        "resolution_seconds",
        "handle_seconds",
    ] {
        let field = schema.field_with_name(seconds).unwrap();
        assert_eq!(field.data_type(), &DataType::Float64, "{seconds}");
    }
    assert_eq!(
        schema.field_with_name("replies").unwrap().data_type(),
        &DataType::UInt32
    );
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, listed.len());
    assert_eq!(rows, 300, "the sample's tickets");

    // Every row, column by column, as the JSON list has it.
    let mut row = 0;
    for batch in &batches {
        let column = |name: &str| batch.column(schema.index_of(name).unwrap()).clone();
        let (ids, created, first_reply) = (
            column("ticket_id"),
            column("created_at"),
            column("first_reply_at"),
        );
        let (response, replies, channel) = (
            column("first_response_seconds"),
            column("replies"),
            column("channel"),
        );
        for i in 0..batch.num_rows() {
            let json = &listed[row];
            assert_eq!(
                ids.as_string::<i32>().value(i),
                json["ticket_id"].as_str().unwrap()
            );
            let created_at = created.as_primitive::<TimestampMicrosecondType>().value(i);
            assert_eq!(created_at, micros(json["created_at"].as_str().unwrap()));
            match json["first_reply_at"].as_str() {
                Some(text) => assert_eq!(
                    first_reply
                        .as_primitive::<TimestampMicrosecondType>()
                        .value(i),
                    micros(text)
                ),
                None => assert!(first_reply.is_null(i), "no reply is null"),
            }
            match json["first_response_seconds"].as_f64() {
                Some(seconds) => {
                    assert_eq!(response.as_primitive::<Float64Type>().value(i), seconds)
                }
                None => assert!(response.is_null(i)),
            }
            if let Some(count) = json["replies"].as_u64() {
                let value = replies.as_primitive::<UInt32Type>().value(i);
                assert_eq!(u64::from(value), count);
            }
            match json["channel"].as_str().filter(|text| !text.is_empty()) {
                Some(text) => assert_eq!(channel.as_string::<i32>().value(i), text),
                None => assert!(channel.is_null(i), "no label is null, not empty"),
            }
            row += 1;
        }
    }
}

/// The sample's CSV written as Parquet the way a data team would hold it: instants as
/// `timestamp[us, UTC]`, scores and durations as float64, the rest as strings (empty cells
/// null), in row groups of `group_rows`.
fn sample_as_parquet(path: &Path, group_rows: usize) {
    let mut reader = csv::Reader::from_path(SAMPLE).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); headers.len()];
    for record in reader.records() {
        let record = record.unwrap();
        for (column, value) in cells.iter_mut().zip(record.iter()) {
            column.push((!value.is_empty()).then(|| value.to_owned()));
        }
    }
    let numeric =
        |name: &str| name.ends_with("_seconds") || ["csat", "nps", "sentiment"].contains(&name);
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, column) in headers.iter().zip(&cells) {
        if name == "timestamp" {
            let values: Vec<Option<i64>> =
                column.iter().map(|v| v.as_deref().map(micros)).collect();
            let array = TimestampMicrosecondArray::from(values).with_timezone("UTC");
            fields.push(Field::new(name, array.data_type().clone(), true));
            arrays.push(Arc::new(array));
        } else if numeric(name) {
            let values: Vec<Option<f64>> = column
                .iter()
                .map(|v| v.as_deref().map(|text| text.parse().unwrap()))
                .collect();
            fields.push(Field::new(name, DataType::Float64, true));
            arrays.push(Arc::new(Float64Array::from(values)));
        } else {
            fields.push(Field::new(name, DataType::Utf8, true));
            arrays.push(Arc::new(StringArray::from(column.clone())));
        }
    }
    write_batch(path, fields, arrays, group_rows);
}

fn write_batch(path: &Path, fields: Vec<Field>, arrays: Vec<ArrayRef>, group_rows: usize) {
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).unwrap();
    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut writer =
        ArrowWriter::try_new(File::create(path).unwrap(), schema, Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

/// The report without what names the input file.
fn without_files(mut report: Value) -> Value {
    report["input"]["files"] = Value::Null;
    for read_as in report["input"]["read_as"].as_array_mut().unwrap() {
        read_as["file"] = Value::Null;
    }
    report
}

#[test]
fn an_event_log_in_parquet_reports_what_the_same_log_in_csv_reports() {
    let dir = scratch();
    // Named without an extension: Parquet is known by its magic bytes.
    let events = dir.path().join("events");
    sample_as_parquet(&events, 500);
    let from_csv = report_json(SAMPLE, &["--by", "channel"]);
    let from_parquet = report_json(&events, &["--by", "channel"]);
    assert_eq!(
        count(&from_parquet, "input.rows"),
        2506,
        "every row of every row group"
    );
    assert_eq!(count(&from_parquet, "input.rows_rejected"), 0);
    assert_eq!(without_files(from_parquet), without_files(from_csv));
}

#[test]
fn a_preset_reads_parquet_columns_as_it_reads_csv_columns() {
    // A mapping file renaming the columns: it applies to the Parquet columns by name.
    let dir = scratch();
    let renamed = dir.path().join("renamed.parquet");
    let names = ["case", "at", "what", "who"];
    let fields: Vec<Field> = names
        .iter()
        .map(|n| Field::new(*n, DataType::Utf8, true))
        .collect();
    let column = |values: [&str; 3]| Arc::new(StringArray::from(values.to_vec())) as ArrayRef;
    write_batch(
        &renamed,
        fields,
        vec![
            column(["C1", "C1", "C2"]),
            column([
                "2026-03-02T10:00:00Z",
                "2026-03-02T10:30:00Z",
                "2026-03-02T11:00:00Z",
            ]),
            column(["message", "message", "message"]),
            column(["customer", "agent", "customer"]),
        ],
        1024,
    );
    let mapping = dir.write(
        "mapping.toml",
        "name = \"renamed\"\nshape = \"events\"\n\n[fields]\nticket_id = \"case\"\ntimestamp = \"at\"\nevent = \"what\"\nauthor_type = \"who\"\n",
    );
    let report = report_json(&renamed, &["--mapping", mapping.to_str().unwrap()]);
    assert_eq!(count(&report, "overall.tickets"), 2);
    // C1 answered after 30 minutes; C2 not answered.
    assert_eq!(number(&report, "overall.first_response.median"), 1800.0);
}

#[test]
fn a_bad_value_names_the_file_the_record_the_column_and_the_value() {
    let dir = scratch();
    let bad = dir.path().join("bad.parquet");
    let names = ["ticket_id", "timestamp", "event", "author_type"];
    let fields: Vec<Field> = names
        .iter()
        .map(|n| Field::new(*n, DataType::Utf8, true))
        .collect();
    let column = |values: [&str; 2]| Arc::new(StringArray::from(values.to_vec())) as ArrayRef;
    write_batch(
        &bad,
        fields,
        vec![
            column(["T1", "T1"]),
            column(["2026-03-02T10:00:00Z", "yesterday"]),
            column(["message", "message"]),
            column(["customer", "agent"]),
        ],
        1,
    );
    // --strict stops at the first invalid row, naming it.
    let output = ticketkpi(["report", "--strict", "--format", "json"])
        .arg(&bad)
        .fails_with(1);
    output.stderr_has("bad.parquet: record 2: column 'timestamp'");
    output.stderr_has("cannot parse \"yesterday\" as a timestamp");
}

#[test]
fn a_file_that_starts_like_parquet_but_is_not_is_an_error_naming_it() {
    let dir = scratch();
    let broken = dir.write("broken.parquet", b"PAR1 not really");
    let output = ticketkpi(["report"]).arg(&broken).fails_with(1);
    output.stderr_has("broken.parquet");
    output.stderr_has("not a readable Parquet file");
}
