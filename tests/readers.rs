//! The input readers never lose, invent or choke: every physical record of a CSV or JSON input
//! is used or rejected and counted, whatever its line endings; bytes that are not UTF-8 matter
//! only in the columns a mapping reads; Zendesk API JSON is read in every shape people save;
//! ids keep their text; and input without line ends stops with an error in bounded time and
//! memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;
use serde_json::Value;
use ticketkpi::ingest::Source;
use ticketkpi::options::AnalysisOptions;
use ticketkpi::pipeline;

const VENDOR: &str = "tests/fixtures/vendor";

mod common;

/// `ticketkpi ARGS` through the shared harness; the process output as it is.
fn run(args: &[&str]) -> Output {
    common::ticketkpi(args).command().output().expect("runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `report --format json` of these arguments, which must succeed.
fn report(args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json", "-q"];
    all.extend_from_slice(args);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The canonical header, then rows `ticket N, customer message` joined by `ends` in turn.
fn canonical_rows(rows: usize, ends: &[&str]) -> Vec<u8> {
    let mut out = b"ticket_id,timestamp,author_type".to_vec();
    for row in 0..rows {
        out.extend_from_slice(ends[row % ends.len()].as_bytes());
        out.extend_from_slice(
            format!("{row},2026-03-02T09:{:02}:00Z,customer", row % 60).as_bytes(),
        );
    }
    out.extend_from_slice(b"\n");
    out
}

#[test]
fn rows_separated_by_cr_and_ended_by_lf_are_all_read() {
    // The header and rows end in `\r`; only the file ends in `\n`.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "mixed.csv", &canonical_rows(3, &["\r"]));
    for threads in ["1", "2"] {
        let report = report(&[text(&file), "--strict", "--threads", threads]);
        assert_eq!(report["input"]["rows"], 3, "threads {threads}");
        assert_eq!(report["input"]["rows_used"], 3, "threads {threads}");
        assert_eq!(report["overall"]["tickets"], 3, "threads {threads}");
    }
}

#[test]
fn cr_lf_and_crlf_mixed_lose_no_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "mixed.csv",
        &canonical_rows(60, &["\n", "\r", "\r\n", "\r"]),
    );
    for threads in ["1", "3"] {
        let report = report(&[text(&file), "--strict", "--threads", threads]);
        assert_eq!(report["input"]["rows"], 60, "threads {threads}");
        assert_eq!(report["overall"]["tickets"], 60, "threads {threads}");
    }
}

#[test]
fn errors_in_a_cr_only_file_name_their_line() {
    // Old Mac exports end lines in `\r` alone: line numbers count them.
    let dir = tempfile::tempdir().expect("tempdir");
    let body =
        "ticket_id,timestamp,author_type\r1,2026-03-02T09:00:00Z,customer\r2,yesterday,customer\r";
    let file = write(dir.path(), "mac.csv", body.as_bytes());
    for threads in ["1", "2"] {
        let output = run(&["report", text(&file), "-q", "--threads", threads]);
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert!(
            message.contains("mac.csv:3:"),
            "threads {threads}: {message}"
        );
        assert!(message.contains("timestamp"), "{message}");
    }
}

#[test]
fn a_stray_cr_inside_a_tweet_stays_in_its_field() {
    // As in the real TWCS export: an unquoted `\r\r` inside the text of an LF file.
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "ticket_id,timestamp,author_type,agent\n\
                1,2026-03-02T09:00:00Z,customer,@AskPayPal \r\rI just love\n\
                1,2026-03-02T09:10:00Z,agent,AskPayPal\n";
    let file = write(dir.path(), "tweets.csv", body.as_bytes());
    for threads in ["1", "2"] {
        let report = report(&[text(&file), "--strict", "--threads", threads]);
        assert_eq!(report["input"]["rows"], 2, "one record, not three");
        assert_eq!(report["input"]["rows_used"], 2);
    }
}

#[test]
fn json_lines_end_at_any_line_ending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = [
        r#"{"ticket_id": "1", "timestamp": "2026-03-02T09:00:00Z", "author_type": "customer"}"#,
        r#"{"ticket_id": "2", "timestamp": "2026-03-02T09:05:00Z", "author_type": "customer"}"#,
        r#"{"ticket_id": "3", "timestamp": "2026-03-02T09:10:00Z", "author_type": "customer"}"#,
        r#"{"ticket_id": "4", "timestamp": "2026-03-02T09:15:00Z", "author_type": "customer"}"#,
    ];
    let body = format!("{}\r{}\r\n{}\n{}\r", lines[0], lines[1], lines[2], lines[3]);
    let file = write(dir.path(), "events.jsonl", body.as_bytes());
    let report = report(&[text(&file), "--strict"]);
    assert_eq!(report["input"]["rows"], 4);
    assert_eq!(report["overall"]["tickets"], 4);
}

/// The rows of a ServiceNow list export (its column names) with a Windows-1252 `é` (0xE9) in
/// the short description, or in the assignee where `in_mapped` says.
fn servicenow_export(in_mapped: bool) -> Vec<u8> {
    let mut out = b"number,incident_state,sys_mod_count,opened_at,resolved_at,closed_at,assigned_to,short_description\r\n".to_vec();
    out.extend_from_slice(b"INC0010001,Resolved,3,01/03/2026 09:00,01/03/2026 11:00,,Ana Gomez,Caf\xe9 machine broken\r\n");
    let assignee: &[u8] = if in_mapped {
        b"Jos\xe9 Ruiz"
    } else {
        b"Jose Ruiz"
    };
    out.extend_from_slice(b"INC0010002,Active,1,01/03/2026 10:00,,,");
    out.extend_from_slice(assignee);
    out.extend_from_slice(b",Cannot log in\r\n");
    out
}

#[test]
fn bad_bytes_in_a_column_nobody_reads_do_not_stop_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "incidents.csv", &servicenow_export(false));
    for threads in ["1", "2"] {
        let report = report(&[text(&file), "--strict", "--threads", threads]);
        assert_eq!(report["input"]["read_as"][0]["mapping"], "servicenow");
        assert_eq!(report["input"]["rows_used"], 2, "threads {threads}");
    }
}

#[test]
fn bad_bytes_in_a_mapped_column_name_the_place_and_the_encoding_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "incidents.csv", &servicenow_export(true));
    for threads in ["1", "2"] {
        let output = run(&["report", text(&file), "-q", "--threads", threads]);
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert!(message.contains("incidents.csv:3:"), "{message}");
        assert!(message.contains("column 'assigned_to'"), "{message}");
        assert!(message.contains("--encoding windows-1252"), "{message}");
    }
    let decoded = report(&[
        text(&file),
        "--encoding",
        "windows-1252",
        "--strict",
        "--by",
        "agent",
    ]);
    assert_eq!(decoded["input"]["rows_used"], 2);
    assert!(
        decoded["groups"].to_string().contains("josé ruiz"),
        "decoded: {}",
        decoded["groups"]
    );
}

#[test]
fn bad_bytes_in_json_lines_matter_only_in_members_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = Vec::new();
    body.extend_from_slice(b"{\"ticket_id\": \"1\", \"timestamp\": \"2026-03-02T09:00:00Z\", \"author_type\": \"customer\", \"note\": \"caf\xe9\"}\n");
    body.extend_from_slice(b"{\"ticket_id\": \"2\", \"timestamp\": \"2026-03-02T09:00:00Z\", \"author_type\": \"customer\", \"agent\": \"Jos\xe9\"}\n");
    let file = write(dir.path(), "events.jsonl", &body);
    let report = report(&[text(&file), "--skip-invalid"]);
    assert_eq!(report["input"]["rows_used"], 1);
    assert_eq!(report["input"]["rejects_by_reason"]["invalid_utf8"], 1);
    let output = run(&["report", text(&file), "-q"]);
    let message = stderr(&output);
    assert!(
        message.contains("events.jsonl:2:") && message.contains("column 'agent'"),
        "{message}"
    );
    assert!(message.contains("--encoding windows-1252"), "{message}");
}

/// The Zendesk API fixtures holding the same four live tickets and, but for the Tickets API
/// list pages, a deleted one.
const ZENDESK_SHAPES: [(&str, u64); 6] = [
    ("zendesk_api_incremental_page.json", 1),
    ("zendesk_api_cursor_page.json", 1),
    ("zendesk_api_array.json", 1),
    ("zendesk_api_show.jsonl", 1),
    ("zendesk_api_bare.ndjson", 1),
    ("zendesk_api_tickets_sideloaded.json", 0),
];

#[test]
fn every_zendesk_api_shape_is_detected_and_reads_the_same_tickets() {
    let mut overall = Vec::new();
    for (name, deleted) in ZENDESK_SHAPES {
        let path = format!("{VENDOR}/{name}");
        let report = report(&[&path]);
        let input = &report["input"];
        assert_eq!(input["read_as"][0]["mapping"], "zendesk-json", "{name}");
        assert_eq!(input["rows"], 4 + deleted, "{name}: every record counted");
        assert_eq!(input["rows_used"], 4, "{name}");
        assert_eq!(
            input["tickets"], 4,
            "{name}: deleted tickets are no tickets"
        );
        assert_eq!(
            input["rows_excluded"], deleted,
            "{name}: deleted is excluded, not rejected"
        );
        assert_eq!(input["rows_rejected"], 0, "{name}: nothing else left out");
        overall.push((name, report["overall"].clone()));
    }
    let (first, expected) = &overall[0];
    for (name, block) in &overall[1..] {
        assert_eq!(block, expected, "{name} reads otherwise than {first}");
    }
    // The metric sets are read: 30, 45 and 5 minutes to the first reply, one unanswered.
    assert_eq!(expected["first_response"]["count"], 3);
    assert_eq!(expected["first_response"]["median"], 1800.0);
    assert_eq!(expected["first_response"]["unanswered"], 1);
    assert_eq!(expected["resolution_time"]["count"], 2);
}

#[test]
fn zendesk_tickets_without_metric_sets_get_no_made_up_durations() {
    let path = format!("{VENDOR}/zendesk_api_tickets_no_metrics.json");
    let output = run(&["tickets", &path, "--format", "json", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows: Value = serde_json::from_slice(&output.stdout).expect("json");
    let rows = rows.as_array().expect("a list of tickets");
    assert_eq!(rows.len(), 4);
    for row in rows {
        for field in [
            "first_reply_at",
            "first_response_seconds",
            "first_resolved_at",
            "resolved_at",
            "resolution_seconds",
        ] {
            assert!(
                row[field].is_null(),
                "{field} of {}: {}",
                row["ticket_id"],
                row[field]
            );
        }
    }
    // Without metric sets the export cannot tell first replies or solves: unknowable, not 0.
    let report = report(&[&path]);
    for kpi in ["first_response", "response_rate", "resolution_time", "fcr"] {
        assert!(
            report["overall"][kpi].is_null(),
            "{kpi}: {}",
            report["overall"][kpi]
        );
    }
    assert!(report["overall"]["interactions"]["replies_per_solved_ticket"].is_null());
}

#[test]
fn ticket_ids_beyond_64_bits_stay_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "{\"id\": 12345678901234567890123, \"created_at\": \"2026-03-02T09:00:00Z\", \"status\": \"open\", \"via\": {\"channel\": \"web\"}}\n\
                {\"id\": 12345678901234567890124, \"created_at\": \"2026-03-02T09:05:00Z\", \"status\": \"open\", \"via\": {\"channel\": \"web\"}}\n\
                {\"id\": 1e+23, \"created_at\": \"2026-03-02T09:10:00Z\", \"status\": \"open\", \"via\": {\"channel\": \"web\"}}\n";
    let file = write(dir.path(), "tickets.ndjson", body.as_bytes());
    let output = run(&["tickets", text(&file), "--format", "json", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows: Value = serde_json::from_slice(&output.stdout).expect("json");
    let mut ids: Vec<String> = rows
        .as_array()
        .expect("tickets")
        .iter()
        .map(|row| row["ticket_id"].as_str().expect("an id").to_owned())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "12345678901234567890123",
            "12345678901234567890124",
            "1e+23"
        ]
    );
}

#[test]
fn a_pretty_printed_single_ticket_is_one_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "{\n  \"ticket\": {\n    \"id\": 35436,\n    \"created_at\": \"2026-03-02T09:00:00Z\",\n    \"status\": \"open\",\n    \"via\": {\n      \"channel\": \"web\"\n    }\n  }\n}\n";
    let file = write(dir.path(), "ticket.json", body.as_bytes());
    let report = report(&[text(&file), "--strict"]);
    assert_eq!(report["input"]["read_as"][0]["mapping"], "zendesk-json");
    assert_eq!(report["input"]["rows"], 1);
    assert_eq!(report["overall"]["tickets"], 1);
}

#[test]
fn a_json_lines_file_whose_first_line_is_cut_short_rejects_that_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = "{\"ticket_id\": \"1\", \"timestamp\": \"2026-03\n\
                {\"ticket_id\": \"2\", \"timestamp\": \"2026-03-02T09:00:00Z\", \"author_type\": \"customer\"}\n";
    let file = write(dir.path(), "events.jsonl", body.as_bytes());
    let report = report(&[text(&file), "--skip-invalid"]);
    assert_eq!(report["input"]["rows"], 2);
    assert_eq!(report["input"]["rejects_by_reason"]["bad_json"], 1);
}

// --- Bounded reading of hostile input. Each run must end with exit code 1 quickly, under a
// virtual memory limit far below what holding the input would take.

/// Address space allowed to each hostile run: holding the input would take gigabytes. (Runs
/// name their threads: each thread's stack and malloc arena take address space too.)
const ADDRESS_SPACE_KIB: u64 = 1 << 20;

/// Runs ticketkpi under the memory limit with `stdin` fed from `feed` (its write errors
/// ignored: the run stops reading early); the output and how long it took.
fn run_bounded(
    args: &[&str],
    feed: impl FnOnce(&mut dyn Write) + Send + 'static,
) -> (Output, Duration) {
    let started = Instant::now();
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_ticketkpi"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || feed(&mut stdin));
    let output = child.wait_with_output().expect("waits");
    let _ = writer.join();
    (output, started.elapsed())
}

/// Writes `total` bytes of `byte` in 1 MiB pieces, stopping at the first error.
fn feed_bytes(out: &mut dyn Write, prefix: &[u8], byte: u8, total: usize) {
    if out.write_all(prefix).is_err() {
        return;
    }
    let piece = vec![byte; 1 << 20];
    for _ in 0..total / piece.len() {
        if out.write_all(&piece).is_err() {
            return;
        }
    }
}

fn assert_stopped_early(output: &Output, took: Duration, place: &str) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains(place), "names {place}: {message}");
    assert!(message.contains("--max-record-size"), "{message}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn nul_bytes_without_a_newline_on_stdin_stop_with_an_error() {
    let (output, took) = run_bounded(&["report", "-", "-q", "--threads", "2"], |out| {
        feed_bytes(out, b"", 0, 300 << 20);
    });
    assert_stopped_early(&output, took, "<stdin>:1:");
}

#[test]
fn a_header_then_endless_text_stops_at_line_2() {
    for threads in ["1", "2"] {
        let (output, took) = run_bounded(&["report", "-", "-q", "--threads", threads], |out| {
            feed_bytes(out, b"ticket_id,timestamp,author_type\n", b'A', 300 << 20);
        });
        assert_stopped_early(&output, took, "<stdin>:2:");
    }
}

#[test]
fn a_gzip_bomb_stops_at_the_record_limit() {
    // 1 GiB of NUL bytes in about 1 MB of gzip.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let piece = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&piece).expect("compress");
    }
    let bomb = write(
        dir.path(),
        "export.csv.gz",
        &encoder.finish().expect("gzip"),
    );
    let path = text(&bomb).to_owned();
    let (output, took) = run_bounded(&["report", &path, "-q", "--threads", "2"], |_| {});
    assert_stopped_early(&output, took, "export.csv.gz:1:");
}

#[test]
fn json_without_an_end_stops_at_the_record_limit() {
    let cases: [(&str, &[u8], &str); 3] = [
        ("jsonl", b"{\"ticket_id\": \"", "<stdin>:1:"),
        ("json", b"[{\"ticket_id\": \"", "<stdin>: record 1"),
        ("jsonl", b"{\n\"ticket_id\": \"", "<stdin>: record 1"),
    ];
    for (format, prefix, place) in cases {
        let prefix = prefix.to_vec();
        let (output, took) = run_bounded(
            &[
                "report",
                "-",
                "-q",
                "--input-format",
                format,
                "--max-record-size",
                "8M",
            ],
            move |out| feed_bytes(out, &prefix, b'A', 200 << 20),
        );
        assert_stopped_early(&output, took, place);
    }
}

#[test]
fn the_record_limit_is_configurable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = b"ticket_id,timestamp,author_type,agent\n".to_vec();
    body.extend_from_slice(b"1,2026-03-02T09:00:00Z,customer,");
    body.extend(std::iter::repeat_n(b'x', 2 << 20));
    body.push(b'\n');
    let file = write(dir.path(), "long.csv", &body);
    let output = run(&["report", text(&file), "-q", "--max-record-size", "1M"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("long.csv:2: a record longer than 1 MiB"),
        "{}",
        stderr(&output)
    );
    let report = report(&[text(&file), "--max-record-size", "4M"]);
    assert_eq!(report["input"]["rows_used"], 1);
    let bad = run(&["report", text(&file), "-q", "--max-record-size", "lots"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a usage error: {}",
        stderr(&bad)
    );
    assert!(stderr(&bad).contains("max-record-size"), "{}", stderr(&bad));
}

// --- Every physical record is used or rejected and counted, for any mix of line endings.

/// Row accounting of an in-memory CSV input, read with `threads`.
fn accounting(bytes: &[u8], threads: usize) -> (u64, u64, u64) {
    let source = Source::Memory {
        name: "mixed.csv".to_owned(),
        bytes: Arc::from(bytes),
    };
    let mut config = AnalysisOptions::for_sources(vec![source]);
    config.ingest.skip_invalid = true;
    config.ingest.threads = threads;
    let analysis = pipeline::analyse(&config).expect("reads");
    let stats = analysis.stats;
    (stats.rows, stats.rows_used, stats.rows_rejected)
}

const PROPERTY_HEADER: &str = "ticket_id,timestamp,author_type,agent";

/// A record of the header's width: valid, with a bad timestamp, or with a quoted value that
/// holds line ends of its own.
fn record() -> impl Strategy<Value = String> {
    (0u32..1000, 0u8..3).prop_map(|(id, kind)| match kind {
        0 => format!("{id},2026-03-02T09:00:00Z,customer,"),
        1 => format!("{id},not a time,customer,ana"),
        _ => format!("{id},2026-03-02T09:00:00Z,agent,\"ana\r\nbo\rcy\n\""),
    })
}

fn ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r"), Just("\r\n")]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_record_is_counted_whatever_ends_it(
        records in prop::collection::vec((record(), ending()), 1..40),
        header_end in ending(),
        final_end in prop::option::of(ending()),
    ) {
        let mut bytes = PROPERTY_HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(header_end.as_bytes());
        for (index, (record, end)) in records.iter().enumerate() {
            bytes.extend_from_slice(record.as_bytes());
            let last = index + 1 == records.len();
            match (last, final_end) {
                (false, _) => bytes.extend_from_slice(end.as_bytes()),
                (true, Some(end)) => bytes.extend_from_slice(end.as_bytes()),
                (true, None) => {}
            }
        }
        let (rows, used, rejected) = accounting(&bytes, 1);
        prop_assert_eq!(rows, records.len() as u64);
        prop_assert_eq!(rows, used + rejected);
        let bad = records.iter().filter(|(record, _)| record.contains("not a time")).count();
        prop_assert_eq!(rejected, bad as u64);
        prop_assert_eq!(accounting(&bytes, 3), (rows, used, rejected), "the parallel reader");
    }
}
