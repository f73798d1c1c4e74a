//! The first rows of an input, read leniently for `inspect` when no mapping fits it: the
//! header and cells as text (bytes that are not UTF-8 shown as U+FFFD), or what the file is
//! when it is no text at all (a workbook, a Parquet file), whose bytes are never shown as
//! columns.

use std::io::{self, Read};

use super::json_value::Json;
use super::source::{self, Source};
use super::{IngestOptions, InputFormat};

/// How much of an input is sampled.
const SAMPLE_BYTES: u64 = 1 << 20;
const SAMPLE_ROWS: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// Columns and rows of cells (a JSON record's members flattened to dotted names).
    Table {
        format: InputFormat,
        delimiter: Option<u8>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        /// JSON: the arrays of objects inside the records (a conversation's messages).
        arrays: Vec<ArraySample>,
    },
    /// Not text: what it probably is.
    Binary(&'static str),
}

/// The objects of one array member of the sampled records, at the same dotted path in each
/// (`messages`, `_embedded.threads`): one row per object, its members named under the path
/// (`messages.created_at`) as a mapping's `events_path` names them.
#[derive(Debug, Clone, PartialEq)]
pub struct ArraySample {
    pub path: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn sample(source: &Source, options: &IngestOptions) -> io::Result<Sample> {
    let mut reader = source.open(options.encoding, None)?;
    source::skip_bom(&mut *reader)?;
    let format = source::detect_format(source, options.input_format, &mut *reader)?;
    let mut bytes = Vec::new();
    reader.take(SAMPLE_BYTES).read_to_end(&mut bytes)?;
    if let Some(what) = binary_kind(&bytes) {
        return Ok(Sample::Binary(what));
    }
    Ok(match format {
        InputFormat::Csv => {
            let delimiter = options
                .delimiter
                .unwrap_or_else(|| source::sniff_delimiter(&bytes));
            let (header, rows) = csv_cells(&bytes, delimiter);
            Sample::Table {
                format,
                delimiter: Some(delimiter),
                header,
                rows,
                arrays: Vec::new(),
            }
        }
        _ => {
            let records = json_records(&bytes);
            let flattened: Vec<Vec<(String, Option<String>)>> =
                records.iter().map(super::json_input::flatten).collect();
            let (header, rows) = table(&flattened);
            Sample::Table {
                format,
                delimiter: None,
                header,
                rows,
                arrays: arrays(&records),
            }
        }
    })
}

/// What a file that is not text probably is, from its magic bytes; `None` for text.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(b"PK\x03\x04") {
        return Some("a zip archive (an Excel .xlsx workbook?)");
    }
    if head.starts_with(b"PAR1") {
        return Some("a Parquet file");
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some("an old Excel .xls workbook");
    }
    if head.starts_with(b"%PDF") {
        return Some("a PDF document");
    }
    // UTF-16 text has NULs too; --encoding utf-16 decodes it before this point.
    head.contains(&0).then_some("binary data, not text")
}

fn csv_cells(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records().map_while(Result::ok).map(|record| {
        record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).into_owned())
            .collect::<Vec<String>>()
    });
    let header = records.next().unwrap_or_default();
    // The last record may be cut by the sample's end: left out.
    let mut rows: Vec<Vec<String>> = records.take(SAMPLE_ROWS + 1).collect();
    if rows.len() > SAMPLE_ROWS || bytes.len() as u64 >= SAMPLE_BYTES {
        rows.pop();
    }
    (header, rows)
}

/// JSON records (an array, JSON Lines, documents or pages of them).
fn json_records(bytes: &[u8]) -> Vec<Json> {
    let text = String::from_utf8_lossy(bytes);
    let mut records: Vec<Json> = Vec::new();
    let values = serde_json::Deserializer::from_str(&text).into_iter::<Json>();
    for value in values.map_while(Result::ok) {
        let listed = match value {
            Json::Array(items) => items,
            other => super::json_page::into_records(other).unwrap_or_else(|one| vec![one]),
        };
        records.extend(listed);
        if records.len() >= SAMPLE_ROWS {
            break;
        }
    }
    if records.is_empty() {
        // A JSON array cut by the sample's end: its records one per line, when they are.
        records = text
            .lines()
            .filter_map(|line| {
                let line = line.trim().trim_start_matches('[').trim_end_matches(',');
                serde_json::from_str::<Json>(line).ok()
            })
            .take(SAMPLE_ROWS)
            .collect();
    }
    records
}

/// Flattened objects as a table: every member holding a plain value is a column, in the
/// order first met; a member an object lacks is an empty cell.
fn table(flattened: &[Vec<(String, Option<String>)>]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = Vec::new();
    for members in flattened {
        for (name, value) in members {
            if value.is_some() && !header.contains(name) {
                header.push(name.clone());
            }
        }
    }
    let rows = flattened
        .iter()
        .map(|members| {
            header
                .iter()
                .map(|name| {
                    let found = members.iter().find(|(member, _)| member == name);
                    found
                        .and_then(|(_, value)| value.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    (header, rows)
}

/// A JSON object's members flattened to dotted names (`None` for an array or object).
type Members = Vec<(String, Option<String>)>;

/// The arrays of objects inside `records`, by path in the order first met, each with up to
/// `SAMPLE_ROWS` of its objects (flattened, named under the path).
fn arrays(records: &[Json]) -> Vec<ArraySample> {
    let mut found: Vec<(String, Vec<Members>)> = Vec::new();
    for record in records {
        collect_arrays("", record, &mut found, 0);
    }
    found
        .into_iter()
        .map(|(path, objects)| {
            let named: Vec<Members> = objects
                .into_iter()
                .map(|members| {
                    members
                        .into_iter()
                        .map(|(name, value)| (format!("{path}.{name}"), value))
                        .collect()
                })
                .collect();
            let (header, rows) = table(&named);
            ArraySample { path, header, rows }
        })
        .collect()
}

fn collect_arrays(
    prefix: &str,
    value: &Json,
    found: &mut Vec<(String, Vec<Members>)>,
    depth: usize,
) {
    // Exports nest a few levels; the reader already bounds nesting, this bounds the walk.
    if depth > super::json_value::MAX_DEPTH {
        return;
    }
    let Json::Object(members) = value else {
        return;
    };
    for (key, member) in members {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match member {
            Json::Object(_) => collect_arrays(&path, member, found, depth + 1),
            Json::Array(items) => {
                let objects = items.iter().filter(|item| matches!(item, Json::Object(_)));
                for object in objects {
                    let at = match found.iter().position(|(known, _)| *known == path) {
                        Some(at) => at,
                        None => {
                            found.push((path.clone(), Vec::new()));
                            found.len() - 1
                        }
                    };
                    if found[at].1.len() < SAMPLE_ROWS {
                        found[at].1.push(super::json_input::flatten(object));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(name: &str, bytes: &[u8]) -> Source {
        Source::Memory {
            name: name.to_owned(),
            bytes: bytes.into(),
        }
    }

    #[test]
    fn csv_pipes_and_json_records_are_sampled() {
        let options = IngestOptions::default();
        let csv = sample(&memory("x.txt", b"a|b\n1|x\n2|y\n"), &options).expect("reads");
        let Sample::Table {
            header,
            rows,
            delimiter,
            ..
        } = csv
        else {
            panic!("a table");
        };
        assert_eq!(delimiter, Some(b'|'));
        assert_eq!(header, ["a", "b"]);
        assert_eq!(rows, [["1", "x"], ["2", "y"]]);
        let json = br#"{"id": 1, "via": {"channel": "email"}}
{"id": 2, "via": {"channel": "web"}, "tags": [1]}
"#;
        let Sample::Table { header, rows, .. } =
            sample(&memory("x.json", json), &options).expect("reads")
        else {
            panic!("a table");
        };
        assert_eq!(header, ["id", "via.channel"]);
        assert_eq!(rows[1], ["2", "web"]);
    }

    #[test]
    fn the_objects_of_nested_arrays_are_sampled_under_their_path() {
        let json = br#"{"id": 1, "conv": {"messages": [{"at": 10, "from": "c"}, {"at": 20, "from": "a", "private": true}]}, "tags": ["x"]}
{"id": 2, "conv": {"messages": [{"at": 30}]}, "labels": [{"name": "vip"}]}
"#;
        let Sample::Table { header, arrays, .. } =
            sample(&memory("x.json", json), &IngestOptions::default()).expect("reads")
        else {
            panic!("a table");
        };
        assert_eq!(header, ["id"], "arrays are no columns of the record");
        let paths: Vec<&str> = arrays.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(
            paths,
            ["conv.messages", "labels"],
            "arrays of plain values are not listed"
        );
        let messages = &arrays[0];
        assert_eq!(
            messages.header,
            [
                "conv.messages.at",
                "conv.messages.from",
                "conv.messages.private"
            ]
        );
        assert_eq!(messages.rows.len(), 3, "every object of every record");
        assert_eq!(messages.rows[2], ["30", "", ""]);
    }

    #[test]
    fn binary_files_are_named_not_listed() {
        let options = IngestOptions::default();
        let xlsx = sample(&memory("x.xlsx", b"PK\x03\x04\x14\0\0"), &options).expect("reads");
        assert_eq!(
            xlsx,
            Sample::Binary("a zip archive (an Excel .xlsx workbook?)")
        );
        let raw = sample(&memory("x.bin", b"ab\0\x01\x02"), &options).expect("reads");
        assert_eq!(raw, Sample::Binary("binary data, not text"));
    }

    #[test]
    fn a_read_error_is_returned() {
        let missing = Source::Path("/nonexistent/ticketkpi/sample.csv".into());
        assert!(sample(&missing, &IngestOptions::default()).is_err());
    }
}
