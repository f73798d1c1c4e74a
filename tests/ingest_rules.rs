//! Rules of reading that hold for every input format alike: `order_by` picks the winning row of
//! a repeated ticket in JSON as in CSV, and null markers match by one rule at both levels of a
//! mapping.

mod common;

use std::path::{Path, PathBuf};

use common::{count, fixture, ticketkpi};
use serde_json::Value;

/// The status `tickets` reports for each ticket of `file`, read with `mapping`.
fn statuses(file: &Path, mapping: &Path) -> Vec<(String, String)> {
    let tickets = ticketkpi(["tickets"])
        .arg(file)
        .arg("--mapping")
        .arg(mapping)
        .args(["--format", "json", "--as-of", "2026-03-03T00:00:00Z"])
        .json();
    tickets
        .as_array()
        .expect("an array of tickets")
        .iter()
        .map(|ticket| {
            let text = |key: &str| match &ticket[key] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (text("ticket_id"), text("status"))
        })
        .collect()
}

/// The same mapping without `order_by`, written in `dir`.
fn without_order_by(dir: &tempfile::TempDir) -> PathBuf {
    let text = std::fs::read_to_string(fixture("ingest/zendesk-incremental.toml"))
        .expect("fixture mapping");
    let text: String = text
        .lines()
        .filter(|line| !line.starts_with("order_by"))
        .map(|line| format!("{line}\n"))
        .collect();
    let path = dir.path().join("last-row-wins.toml");
    std::fs::write(&path, text).expect("writes");
    path
}

#[test]
fn order_by_picks_the_greatest_row_of_a_json_input_not_the_last() {
    // Ticket 35436 changed twice; its pages were saved newest first, so the row read last is
    // the older one (open, generated 09:05) and the one with the greatest generated_timestamp
    // (solved, 15:30) comes first.
    let mapping = fixture("ingest/zendesk-incremental.toml");
    let solved = vec![("35436".to_owned(), "solved".to_owned())];
    for file in [
        "ingest/zendesk-incremental-pages.jsonl",
        "ingest/zendesk-incremental-array.json",
    ] {
        assert_eq!(statuses(&fixture(file), &mapping), solved, "{file}");
    }
    // Without order_by the last row wins: the fixture tells the two rules apart.
    let dir = tempfile::tempdir().expect("temp dir");
    let last_wins = without_order_by(&dir);
    let file = fixture("ingest/zendesk-incremental-pages.jsonl");
    assert_eq!(
        statuses(&file, &last_wins),
        vec![("35436".to_owned(), "open".to_owned())]
    );
}

#[test]
fn order_by_reads_the_same_rows_from_csv_and_json() {
    // The CSV control: the same two rows, as a flat export with the same order.
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("pages.csv");
    std::fs::write(
        &csv,
        "id,created_at,updated_at,generated_timestamp,status,priority,via.channel\n\
         35436,2026-03-02T09:00:00Z,2026-03-02T15:30:00Z,1772465400,solved,high,email\n\
         35436,2026-03-02T09:00:00Z,2026-03-02T09:05:00Z,1772442300,open,high,email\n",
    )
    .expect("writes");
    let mapping = fixture("ingest/zendesk-incremental.toml");
    let pages = fixture("ingest/zendesk-incremental-pages.jsonl");
    assert_eq!(statuses(&csv, &mapping), statuses(&pages, &mapping));
    let report = ticketkpi(["report", "--format", "json", "--mapping"])
        .arg(&mapping)
        .arg(&pages)
        .json();
    assert_eq!(count(&report, "input.rows"), 2);
    assert_eq!(count(&report, "input.tickets"), 1);
}

#[test]
fn null_markers_match_ignoring_case_for_the_whole_mapping_and_for_one_field() {
    // A database dump writes NULL, a spreadsheet null; an agent column says N/A. The mapping
    // names each marker once, in one case: every spelling of it is "no value".
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("dump.csv");
    std::fs::write(
        &csv,
        "case,opened,channel,agent\n\
         1,2026-03-01T10:00:00Z,NULL,N/A\n\
         2,2026-03-01T11:00:00Z,null,n/a\n\
         3,2026-03-01T12:00:00Z,Null,ana\n\
         4,2026-03-01T13:00:00Z,email,ana\n",
    )
    .expect("writes");
    let mapping = dir.path().join("dump.toml");
    std::fs::write(
        &mapping,
        "shape = \"tickets\"\nnull_values = [\"NULL\"]\n[fields]\nticket_id = \"case\"\n\
         created_at = \"opened\"\nchannel = \"channel\"\n\
         agent = { column = \"agent\", null_values = [\"N/A\"] }\n",
    )
    .expect("writes");
    let tickets = ticketkpi(["tickets", "--format", "json", "--mapping"])
        .arg(&mapping)
        .arg(&csv)
        .json();
    let cells: Vec<(String, String)> = tickets
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| {
            let text = |key: &str| t[key].as_str().unwrap_or("?").to_owned();
            (text("channel"), text("agent"))
        })
        .collect();
    let pair = |channel: &str, agent: &str| (channel.to_owned(), agent.to_owned());
    assert_eq!(
        cells,
        [
            pair("", ""),
            pair("", ""),
            pair("", "ana"),
            pair("email", "ana")
        ]
    );
}
