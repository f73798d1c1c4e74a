//! The same log written in other ways: CSV with other columns, cases and line ends, JSON
//! arrays, JSON Lines, gzip.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

use crate::logs::{HEADER, Log, Row};

pub fn csv_file(rows: &[Row], step: i64) -> Vec<u8> {
    let mut text = HEADER.join(",");
    for row in rows {
        text.push('\n');
        text.push_str(&row.csv_line(step));
    }
    text.push('\n');
    text.into_bytes()
}

/// CSV with the columns in `columns` order, header names in other cases, an unknown column,
/// CRLF line ends and a UTF-8 byte order mark.
pub fn reordered_csv(log: &Log, columns: &[usize]) -> Vec<u8> {
    let mut header: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, &column)| match i % 3 {
            0 => HEADER[column].to_uppercase(),
            1 => HEADER[column].to_owned(),
            _ => format!(" {} ", HEADER[column]),
        })
        .collect();
    header.insert(1, "unknown_column".to_owned());
    let mut text = format!("\u{feff}{}\r\n", header.join(","));
    for row in &log.rows {
        let fields = row.fields(log.step);
        let mut line: Vec<&str> = columns.iter().map(|&c| fields[c].as_str()).collect();
        line.insert(1, "ignored");
        text.push_str(&line.join(","));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// A row as a JSON object: numbers as JSON numbers where they are ones, empty values left
/// out, `null` or `""` (by `empty_as`).
pub fn json_object(row: &Row, step: i64, empty_as: u8) -> Value {
    let mut object = serde_json::Map::new();
    for (name, value) in HEADER.iter().zip(row.fields(step)) {
        let number = (*name != "ticket_id" && value.trim() == value)
            .then(|| {
                let integer = value.parse::<i64>().ok().map(Value::from);
                integer.or_else(|| value.parse::<f64>().ok().map(Value::from))
            })
            .flatten();
        let value = match (number, empty_as % 3) {
            (Some(number), _) => number,
            (_, 0) if value.is_empty() => continue,
            (_, 1) if value.is_empty() => Value::Null,
            _ => Value::String(value),
        };
        object.insert((*name).to_owned(), value);
    }
    Value::Object(object)
}

pub fn json_array(log: &Log, empty_as: u8) -> Vec<u8> {
    let rows: Vec<Value> = log
        .rows
        .iter()
        .map(|row| json_object(row, log.step, empty_as))
        .collect();
    serde_json::to_vec_pretty(&rows).expect("serialises")
}

pub fn json_lines(log: &Log, empty_as: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for row in &log.rows {
        serde_json::to_writer(&mut out, &json_object(row, log.step, empty_as)).expect("writes");
        out.push(b'\n');
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}
