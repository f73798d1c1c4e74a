//! Generated exports (examples/generate/): the row-accounting invariant on dirty input, and
//! agreement with the oracle on a larger clean export.

mod common;

use common::{generate, report_json, scratch, ticketkpi};
use serde_json::Value;

#[test]
fn every_dirty_row_is_accounted_for_and_clean_rows_give_the_clean_kpis() {
    let dir = scratch();
    let clean = dir.path().join("clean.csv");
    let dirty = dir.path().join("dirty.csv");
    let rejects = dir.path().join("rejects.csv");
    generate(&clean, &["--tickets", "2000", "--seed", "11"]);
    generate(
        &dirty,
        &["--tickets", "2000", "--seed", "11", "--dirty", "0.05"],
    );

    let clean_report = report_json(&clean, &[]);
    let dirty_report = report_json(&dirty, &["--rejects", rejects.to_str().expect("path")]);
    let input = &dirty_report["input"];
    let rows = input["rows"].as_u64().expect("rows");
    let used = input["rows_used"].as_u64().expect("used");
    let rejected = input["rows_rejected"].as_u64().expect("rejected");
    assert_eq!(rows, used + rejected);
    assert!(rejected > 100, "the generator injected faults: {rejected}");
    assert_eq!(used, clean_report["input"]["rows"].as_u64().expect("rows"));
    let by_reason: u64 = input["rejects_by_reason"]
        .as_object()
        .expect("reasons")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_reason, rejected);
    let rejected_rows = csv::Reader::from_path(&rejects)
        .expect("rejects")
        .records()
        .count();
    assert_eq!(rejected_rows as u64, rejected);
    assert_eq!(dirty_report["overall"], clean_report["overall"]);
    assert_eq!(dirty_report["groups"], clean_report["groups"]);
}

#[test]
fn jsonl_export_matches_csv_export() {
    let dir = scratch();
    let csv = dir.path().join("export.csv");
    let jsonl = dir.path().join("export.jsonl");
    generate(&csv, &["--tickets", "500", "--seed", "3"]);
    generate(
        &jsonl,
        &["--tickets", "500", "--seed", "3", "--format", "jsonl"],
    );
    assert_eq!(
        report_json(&csv, &[])["overall"],
        report_json(&jsonl, &[])["overall"]
    );
}

#[test]
fn a_memory_limit_stops_the_run_with_a_clear_error_instead_of_running_out() {
    let dir = scratch();
    let export = dir.path().join("export.csv");
    generate(&export, &["--tickets", "20000", "--seed", "2"]);
    for threads in ["1", "2"] {
        ticketkpi(["report"])
            .arg(&export)
            .args(["--max-memory", "2M", "--threads", threads])
            .fails_with(1)
            .stderr_has("more than the limit of 2 MB")
            .stderr_has("--max-memory");
    }
    // The same input fits a limit big enough for it.
    assert!(
        report_json(&export, &["--max-memory", "200M"])["input"]["tickets"]
            .as_u64()
            .is_some_and(|tickets| tickets == 20000)
    );
}
