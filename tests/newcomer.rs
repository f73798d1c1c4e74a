//! The mistakes a newcomer meets in the first ten minutes, each answered with its fix.

mod common;

use common::{scratch, ticketkpi};

#[test]
fn a_pipe_delimited_export_is_sniffed() {
    let dir = scratch();
    let file = dir.write(
        "export.txt",
        "ticket_id|timestamp|event|author_type\n\
         T1|2024-01-01T10:00:00Z|message|customer\n\
         T1|2024-01-01T10:30:00Z|message|agent\n",
    );
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .args(["--format", "json"])
        .json();
    assert_eq!(report["overall"]["first_response"]["median"], 1800.0);
}

#[test]
fn an_unknown_export_is_described_by_inspect_not_refused() {
    let dir = scratch();
    let file = dir.write(
        "ours.csv",
        "Case,Opened,Closed,State,Queue\n\
         A-1,03/04/2024 09:00,03/04/2024 11:00,Done,Billing\n\
         A-2,03/04/2024 10:00,,Open,Billing\n\
         A-3,04/04/2024 08:00,05/04/2024 08:00,Done,Tech\n",
    );
    let out = ticketkpi(["inspect".as_ref(), file.as_os_str()]).success();
    out.stdout_has("no preset fits it")
        .stdout_has("timestamp (format = \"%d/%m/%Y %H:%M\")")
        .stdout_has("probably ticket_id")
        .stdout_has("--suggest-mapping > ours.toml");
    // report still refuses it, naming the columns it lacks.
    ticketkpi(["report".as_ref(), file.as_os_str()])
        .fails_with(1)
        .stderr_has("missing required columns");
    let suggested = ticketkpi(["inspect".as_ref(), file.as_os_str()])
        .arg("--suggest-mapping")
        .text();
    let mapping = dir.write("ours.toml", &suggested);
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .arg("--mapping")
        .arg(&mapping)
        .args(["--format", "json"])
        .json();
    // One row per case: A-1 solved after 2 h, A-3 after 24 h.
    assert_eq!(report["input"]["read_as"][0]["shape"], "tickets");
    assert_eq!(report["overall"]["resolution_time"]["count"], 2);
    assert_eq!(report["overall"]["resolution_time"]["median"], 46800.0);
}

#[test]
fn a_binary_file_is_named_and_its_bytes_are_never_columns() {
    let dir = scratch();
    let file = dir.write(
        "export.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe",
    );
    let out = ticketkpi(["inspect".as_ref(), file.as_os_str()]).success();
    out.stdout_has("a zip archive (an Excel .xlsx workbook?), not a text export")
        .stdout_has("as CSV or JSON");
    assert!(!out.stdout.contains("PK\u{3}"), "{:?}", out.stdout);
}

#[test]
fn an_unreadable_file_is_said_once() {
    let dir = scratch();
    let missing = dir.path().join("nope.csv");
    let out = ticketkpi(["inspect".as_ref(), missing.as_os_str()]).fails_with(1);
    let said = out.stderr.matches("No such file").count();
    assert_eq!(said, 1, "{}", out.stderr);
}

#[test]
fn a_renamed_column_is_reported_missing_and_row_errors_give_the_way_on() {
    let dir = scratch();
    let mapping = dir.write(
        "ours.toml",
        "[fields]\nticket_id = \"Case\"\ntimestamp = \"When\"\nevent = { value = \"message\" }\n\
         author_type = \"Who\"\n",
    );
    // "Who" was renamed "Sender" in this export.
    let file = dir.write(
        "export.csv",
        "Case,When,Sender\nA,2024-01-01T10:00:00Z,customer\n",
    );
    let out = ticketkpi(["report".as_ref(), file.as_os_str()])
        .arg("--mapping")
        .arg(&mapping)
        .fails_with(1);
    out.stderr_has("export.csv:2: column 'Who': the input has no column \"Who\" (renamed")
        .stderr_has("--skip-invalid");
    assert!(
        !out.stderr.contains("is empty on a message row"),
        "{}",
        out.stderr
    );
    let dates = dir.write(
        "dates.csv",
        "ticket_id,timestamp,event,author_type\nA,03.01.2024,message,customer\n",
    );
    ticketkpi(["report".as_ref(), dates.as_os_str()])
        .fails_with(1)
        .stderr_has("cannot parse \"03.01.2024\" as a timestamp")
        .stderr_has("chrono `format` in a mapping")
        .stderr_has("--skip-invalid");
}
