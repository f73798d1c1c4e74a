//! The real binary on files and stdin: formats, errors, exit codes, row accounting.

mod common;

use std::io::{Read, Write};
use std::process::Stdio;

use common::{report_json, scratch, ticketkpi};
use serde_json::Value;

const SMALL: &str = "tests/fixtures/small.csv";

fn small_csv() -> String {
    std::fs::read_to_string(SMALL).expect("fixture exists")
}

/// The fixture as canonical JSON objects (empty fields left out), for the JSON formats.
fn small_as_objects() -> Vec<serde_json::Map<String, Value>> {
    let mut reader = csv::Reader::from_path(SMALL).expect("fixture");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            headers
                .iter()
                .zip(record.iter())
                .filter(|(_, value)| !value.is_empty())
                .map(|(key, value)| (key.to_owned(), Value::String(value.to_owned())))
                .collect()
        })
        .collect()
}

#[test]
fn table_report_on_a_file() {
    let output = ticketkpi(["report", SMALL]).success();
    output
        .stdout_has("First response (median)")
        .stdout_has("By channel")
        .stdout_has("8 tickets");
    assert!(!output.stdout.contains("\x1b["), "{}", output.stdout);
}

#[test]
fn table_fits_80_columns_when_piped() {
    let output = ticketkpi(["report", SMALL, "--period", "day"]).output();
    for line in output.utf8().lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

#[test]
fn json_report_has_the_documented_shape_and_values() {
    let report = report_json(SMALL, &[]);
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["input"]["rows"], 26);
    assert_eq!(report["input"]["rows_used"], 26);
    assert_eq!(report["input"]["tickets"], 8);
    assert_eq!(report["as_of"], "2026-03-04T10:00:00Z");
    let overall = &report["overall"];
    // Hand-checked: FRTs are T1 90m, T2 15m, T4 0s, T7 30m, T8 45m.
    assert_eq!(overall["first_response"]["count"], 5);
    assert_eq!(overall["first_response"]["median"], 1800.0);
    assert_eq!(overall["first_response"]["mean"], 2160.0);
    assert_eq!(overall["first_response"]["unanswered"], 1);
    // FCR: T1, T7, T8 of eligible T1, T2, T7, T8 (T2 had two replies).
    assert_eq!(overall["fcr"]["eligible"], 4);
    assert_eq!(overall["fcr"]["first_contact"], 3);
    assert_eq!(overall["fcr"]["rate"], 0.75);
    // T3 solved by the bot alone, of five solved tickets.
    assert_eq!(overall["bot_resolution"]["rate"], 0.2);
    // AHT: T1 300, T2 420, T4 275 (talk+hold+acw), T5 120, T7 90, T8 60.
    assert_eq!(overall["aht"]["count"], 6);
    let aht = overall["aht"]["mean"].as_f64().expect("aht");
    assert!((aht - 1265.0 / 6.0).abs() < 1e-9, "{aht}");
    // CSAT: last ratings T1 5, T2 2 (re-rated down from nothing), T7 4.
    assert_eq!(overall["csat"]["responses"], 3);
    assert_eq!(overall["csat"]["satisfied"], 2);
    assert_eq!(overall["csat"]["response_rate"], 0.6);
    assert_eq!(overall["nps"]["score"], 0.0);
    assert_eq!(overall["backlog"]["open"], 3);
    assert_eq!(overall["redirects"]["tickets"], 1);
    let change = overall["sentiment"]["mean_change"]
        .as_f64()
        .expect("change");
    assert!((change - 1.2).abs() < 1e-9, "{change}");
    let groups = report["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 7);
    assert_eq!(groups[0]["by"]["channel"], "email");
    assert_eq!(groups[0]["kpis"]["tickets"], 2);
}

#[test]
fn stdin_reads_like_a_file() {
    let from_file = report_json(SMALL, &[]);
    let mut from_stdin = ticketkpi(["report", "-", "--format", "json"])
        .stdin(small_csv())
        .json();
    assert_eq!(from_stdin["input"]["files"][0], "-");
    assert_eq!(from_stdin["input"]["read_as"][0]["file"], "-");
    from_stdin["input"]["files"] = from_file["input"]["files"].clone();
    from_stdin["input"]["read_as"] = from_file["input"]["read_as"].clone();
    assert_eq!(from_stdin, from_file);
}

#[test]
fn gzip_json_array_and_json_lines_give_the_same_kpis_as_csv() {
    let dir = scratch();
    let expected = report_json(SMALL, &[])["overall"].clone();

    // Two gzip members, as `cat a.gz b.gz` makes.
    let csv = small_csv();
    let (head, tail) = csv.split_at(csv.find("T4,").expect("T4 row"));
    let mut gz = Vec::new();
    for part in [head, tail] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(part.as_bytes()).expect("gzip");
        gz.extend(encoder.finish().expect("gzip"));
    }
    let gz_path = dir.write("export.csv.gz", &gz);
    assert_eq!(report_json(&gz_path, &[])["overall"], expected);

    let objects = small_as_objects();
    let array = dir.write(
        "export.json",
        serde_json::to_string(&objects).expect("json"),
    );
    assert_eq!(report_json(&array, &[])["overall"], expected);

    let lines: String = objects
        .iter()
        .map(|object| format!("{}\n", Value::Object(object.clone())))
        .collect();
    let jsonl = dir.write("export.ndjson", lines);
    assert_eq!(report_json(&jsonl, &[])["overall"], expected);
}

#[test]
fn several_files_are_one_export() {
    let dir = scratch();
    let csv = small_csv();
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    // Split mid-export: T3's two rows land in different files. Rows keep their relative
    // order (files in the order given, then rows), so equal timestamps tie-break the same.
    let (first, second) = rows.split_at(12);
    assert!(first.last().is_some_and(|r| r.starts_with("T3")));
    assert!(second.first().is_some_and(|r| r.starts_with("T3")));
    let render = |part: &[&str]| format!("{header}\n{}\n", part.join("\n"));
    let a = dir.write("a.csv", render(first));
    let b = dir.write("b.csv", render(second));
    let split = report_json(&a, &[b.to_str().expect("path")]);
    let whole = report_json(SMALL, &[]);
    assert_eq!(split["overall"], whole["overall"]);
    assert_eq!(split["groups"], whole["groups"]);
    assert_eq!(split["input"]["rows"], 26);
}

#[test]
fn an_invalid_row_stops_the_run_with_its_place() {
    let dir = scratch();
    let path = dir.write(
        "bad.csv",
        b"ticket_id,timestamp,author_type\nA,2026-03-01T10:00:00Z,customer\nA,2026-13-01,agent\n",
    );
    let output = ticketkpi(["report"]).arg(&path).fails_with(1);
    assert_eq!(output.stdout, "");
    output.stderr_has(&format!(
        "{}:3: column 'timestamp': cannot parse \"2026-13-01\" as a timestamp",
        path.display()
    ));
}

#[test]
fn skip_invalid_counts_every_row_by_reason_and_rejects_file_keeps_them() {
    let dir = scratch();
    let content = "\
ticket_id,timestamp,event,author_type,csat,status
A,2026-03-01T10:00:00Z,message,customer,,new
A,2026-03-01T10:05:00Z,message,agent,,solved
,2026-03-01T10:06:00Z,message,agent,,
B,yesterday,message,customer,,
B,2026-03-01T11:00:00Z,call,customer,,
B,2026-03-01T11:00:00Z,message,,,
B,2026-03-01T11:00:00Z,rating,customer,,
B,2026-03-01T11:00:00Z,rating,customer,9,
B,2026-03-01T11:00:00Z,message,customer,,resolved
B,2026-03-01T11:00:00Z,message
   \t
B,2026-03-01T11:30:00Z,message,customer,,open
";
    let path = dir.write("dirty.csv", content);
    let rejects = dir.path().join("rejects.csv");
    let report = ticketkpi(["report"])
        .arg(&path)
        .args(["--format", "json", "--rejects"])
        .arg(&rejects)
        .json();
    let input = &report["input"];
    assert_eq!(input["rows"], 11, "the blank line is not a row");
    assert_eq!(input["rows_used"], 3);
    assert_eq!(input["rows_rejected"], 8);
    let reasons = &input["rejects_by_reason"];
    for reason in [
        "empty_ticket_id",
        "bad_timestamp",
        "bad_event",
        "missing_author_type",
        "rating_without_csat",
        "out_of_range",
        "bad_status",
        "field_count",
    ] {
        assert_eq!(reasons[reason], 1, "{reason}");
    }
    let mut rejected = csv::Reader::from_path(&rejects).expect("rejects file");
    let rows: Vec<csv::StringRecord> = rejected.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 8);
    assert_eq!(&rows[0][1], "4", "line of the first rejected row");
    assert_eq!(&rows[0][3], "empty_ticket_id");
    assert_eq!(&rows[1][4], "timestamp");
    assert_eq!(&rows[1][6], "B,yesterday,message,customer,,");
}

#[test]
fn skipped_rows_are_reported_in_the_table_footer() {
    let dir = scratch();
    let path = dir.write(
        "dirty.csv",
        b"ticket_id,timestamp,author_type\nA,2026-03-01T10:00:00Z,customer\nA,nope,agent\n",
    );
    ticketkpi(["report"])
        .arg(&path)
        .arg("--skip-invalid")
        .success()
        .stdout_has("2 rows, 1 rejected")
        .stdout_has("bad_timestamp 1");
}

#[test]
fn usage_errors_exit_2() {
    ticketkpi(["report", SMALL, "--tz", "Mars/Olympus"])
        .fails_with(2)
        .stderr_has("--tz");
    ticketkpi(["report", SMALL, "--as-of", "tomorrow"]).fails_with(2);
    ticketkpi(["report", SMALL, "--frobnicate"]).fails_with(2);
    ticketkpi(["report"]).fails_with(2);
    ticketkpi(["report", SMALL, "--by", "colour"]).fails_with(2);
}

#[test]
fn missing_file_missing_columns_and_empty_input_are_input_errors() {
    let dir = scratch();
    ticketkpi(["report", "no/such/export.csv"])
        .fails_with(1)
        .stderr_has("no/such/export.csv");
    let wrong = dir.write("wrong.csv", b"id,time\n1,2\n");
    ticketkpi(["report"])
        .arg(&wrong)
        .fails_with(1)
        .stderr_has("missing required columns 'ticket_id', 'timestamp'");
    let empty = dir.write("empty.csv", b"");
    ticketkpi(["report"])
        .arg(&empty)
        .fails_with(1)
        .stderr_has("empty");
}

#[test]
fn header_only_input_reports_zero_tickets_with_nulls() {
    let dir = scratch();
    let path = dir.write("header.csv", b"ticket_id,timestamp,author_type,status\n");
    let report = report_json(&path, &[]);
    assert_eq!(report["input"]["tickets"], 0);
    assert_eq!(report["as_of"], Value::Null);
    assert_eq!(report["overall"]["first_response"]["median"], Value::Null);
    assert_eq!(report["overall"]["fcr"], Value::Null);
}

#[test]
fn binary_garbage_never_panics() {
    let dir = scratch();
    let mut garbage = b"ticket_id,timestamp,author_type\n".to_vec();
    garbage.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let path = dir.write("garbage.csv", &garbage);
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let output = ticketkpi(["report"])
            .arg(&path)
            .args(["--format", "json"])
            .args(extra)
            .output();
        let code = output.code.expect("exit code");
        assert!(code == 0 || code == 1, "exit {code}");
        assert!(!output.stderr.contains("panicked"));
        if code == 0 {
            let report = output.parse_json();
            let input = &report["input"];
            assert_eq!(
                input["rows"].as_u64(),
                Some(
                    input["rows_used"].as_u64().unwrap_or(0)
                        + input["rows_rejected"].as_u64().unwrap_or(0)
                )
            );
        }
    }
}

#[test]
fn invalid_utf8_is_rejected_with_its_column() {
    let dir = scratch();
    let path = dir.write(
        "latin1.csv",
        b"ticket_id,timestamp,author_type,agent\nA,2026-03-01T10:00:00Z,customer,Jos\xe9\n",
    );
    ticketkpi(["report"])
        .arg(&path)
        .fails_with(1)
        .stderr_has(":2: column 'agent': invalid UTF-8");
}

#[test]
fn as_of_since_until_and_periods() {
    let report = report_json(SMALL, &["--as-of", "2026-03-02T12:00:00Z"]);
    assert_eq!(report["as_of"], "2026-03-02T12:00:00Z");
    assert_eq!(
        report["input"]["tickets"], 4,
        "T8 and three tickets of 03-02"
    );
    assert!(report["input"]["events_after_as_of"].as_u64().unwrap_or(0) > 0);

    let report = report_json(SMALL, &["--since", "2026-03-02", "--until", "2026-03-03"]);
    assert_eq!(report["input"]["tickets"], 5);
    assert_eq!(report["input"]["tickets_filtered_out"], 3);

    let report = report_json(SMALL, &["--period", "week"]);
    let periods = report["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 2, "ISO weeks 9 and 10");
    assert_eq!(periods[0]["period"], "2026-W09");
    assert_eq!(periods[1]["period"], "2026-W10");
    assert_eq!(periods[1]["kpis"]["tickets"], 7);
    assert_eq!(periods[1]["backlog_at_end"], 3);
}

#[test]
fn grouping_by_two_dimensions() {
    let report = report_json(SMALL, &["--by", "team", "--by", "priority"]);
    let groups = report["groups"].as_array().expect("groups");
    let tier1_normal = groups
        .iter()
        .find(|g| g["by"]["team"] == "tier1" && g["by"]["priority"].is_null())
        .expect("tier1 without priority");
    assert_eq!(tier1_normal["kpis"]["tickets"], 1);
    let total: u64 = groups
        .iter()
        .map(|g| g["kpis"]["tickets"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(total, 8, "every ticket is in exactly one group");
}

#[test]
fn delimiters_are_sniffed_or_given() {
    let dir = scratch();
    let path = dir.write("semi.txt", small_csv().replace(',', ";"));
    let expected = report_json(SMALL, &[])["overall"].clone();
    assert_eq!(report_json(&path, &[])["overall"], expected);
    let path = dir.write("tabs.tsv", small_csv().replace(',', "\t"));
    assert_eq!(report_json(&path, &[])["overall"], expected);
    let path = dir.write("pipes.csv", small_csv().replace(',', "|"));
    assert_eq!(
        report_json(&path, &["--delimiter", "|"])["overall"],
        expected
    );
}

#[test]
fn csv_output_is_tidy_and_defuses_formulas() {
    let dir = scratch();
    let path = dir.write(
        "evil.csv",
        b"ticket_id,timestamp,author_type,channel\n=1+1,2026-03-01T10:00:00Z,customer,=HYPERLINK(\"http://x\")\n",
    );
    let output = ticketkpi(["report"])
        .arg(&path)
        .args(["--format", "csv"])
        .output();
    let text = output.utf8();
    assert!(text.starts_with("scope,channel,period,metric,value\n"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let groups: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("record"))
        .filter(|r| &r[0] == "group")
        .collect();
    assert!(!groups.is_empty());
    for record in &groups {
        assert_eq!(&record[1], "'=hyperlink(\"http://x\")");
    }
    let tickets = ticketkpi(["tickets"])
        .arg(&path)
        .args(["--format", "csv"])
        .output();
    let text = tickets.utf8();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader
        .records()
        .next()
        .expect("one ticket")
        .expect("record");
    assert_eq!(&row[0], "'=1+1");
    assert_eq!(&row[1], "'=hyperlink(\"http://x\")");
}

#[test]
fn tickets_command_lists_one_row_per_ticket() {
    let rows: Vec<Value> =
        serde_json::from_value(ticketkpi(["tickets", SMALL, "--format", "json"]).json())
            .expect("a list");
    assert_eq!(rows.len(), 8);
    let t2 = rows.iter().find(|r| r["ticket_id"] == "T2").expect("T2");
    assert_eq!(t2["first_response_seconds"], 900.0);
    assert_eq!(t2["replies"], 2);
    assert_eq!(t2["reopens"], 1);
    assert_eq!(t2["csat"], 2.0);
    assert_eq!(t2["sla_first_reply"], "met");
    let t5 = rows.iter().find(|r| r["ticket_id"] == "T5").expect("T5");
    assert_eq!(t5["direction"], "outbound");
    assert_eq!(t5["sla_first_reply"], Value::Null);
}

#[test]
fn a_closed_pipe_exits_quietly() {
    // Enough tickets that the output outgrows the pipe buffer.
    let dir = scratch();
    let mut content = String::from("ticket_id,timestamp,author_type\n");
    for i in 0..5000 {
        content.push_str(&format!("ticket-{i},2026-03-01T10:00:00Z,customer\n"));
    }
    let path = dir.write("many.csv", content);
    let mut child = ticketkpi(["tickets"])
        .arg(&path)
        .args(["--format", "csv"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("read");
    // stdout is dropped here: the pipe is closed.
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(status.success(), "exit {status:?}, stderr {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn help_documents_exit_codes() {
    ticketkpi(["report", "--help"])
        .success()
        .stdout_has("Exit codes")
        .stdout_has("2  usage error");
}

#[test]
fn the_same_export_loaded_twice_counts_each_event_once() {
    let once = report_json(SMALL, &[]);
    let twice = report_json(SMALL, &[SMALL]);
    assert_eq!(twice["data_quality"]["duplicate_events"], 26);
    assert_eq!(twice["overall"], once["overall"]);
    ticketkpi(["report", SMALL, SMALL, "--strict"])
        .fails_with(3)
        .stdout_has("First response (median)")
        .stderr_has("data-quality check failed (--strict): 26 duplicate events");
    ticketkpi(["report", SMALL, "--strict"]).success();
}

#[test]
fn latin1_bom_and_cr_only_line_endings() {
    let dir = scratch();
    let latin1 = dir.write(
        "latin1.csv",
        b"ticket_id,timestamp,author_type,agent\nA,2026-03-01T10:00:00Z,customer,\nA,2026-03-01T10:05:00Z,agent,Jos\xe9\n",
    );
    let rows = ticketkpi(["tickets"])
        .arg(&latin1)
        .args(["--format", "json", "--encoding", "latin1"])
        .json();
    assert_eq!(rows[0]["agent"], "josé");

    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(small_csv().into_bytes());
    let bom = dir.write("bom.csv", &bom);
    assert_eq!(
        report_json(&bom, &[])["overall"],
        report_json(SMALL, &[])["overall"]
    );
    let cr_only = dir.write("mac.csv", small_csv().replace('\n', "\r"));
    let crlf = dir.write("dos.csv", small_csv().replace('\n', "\r\n"));
    for path in [cr_only, crlf] {
        let report = report_json(&path, &[]);
        assert_eq!(report["input"]["rows"], 26, "{}", path.display());
        assert_eq!(report["overall"], report_json(SMALL, &[])["overall"]);
    }
}

#[test]
fn negative_durations_are_left_out_and_reported() {
    let dir = scratch();
    let data = dir.write(
        "tickets.csv",
        b"id,created,replied,solved\n1,2026-03-01 10:00,2026-03-01 10:30,2026-03-01 12:00\n2,2026-03-01 10:00,2026-03-01 09:00,2026-03-01 08:00\n",
    );
    let mapping = dir.write(
        "mapping.toml",
        b"shape = \"tickets\"\n[fields]\nticket_id = \"id\"\ncreated_at = \"created\"\nfirst_reply_at = \"replied\"\nsolved_at = \"solved\"\n",
    );
    let report = report_json(&data, &["--mapping", mapping.to_str().expect("path")]);
    assert_eq!(report["overall"]["first_response"]["count"], 1);
    assert_eq!(report["overall"]["first_response"]["median"], 1800.0);
    assert_eq!(report["overall"]["resolution_time"]["count"], 1);
    assert_eq!(
        report["data_quality"]["negative_durations"]["first_response"],
        1
    );
    assert_eq!(
        report["data_quality"]["negative_durations"]["resolution"],
        1
    );
}
