//! Generated exports (examples/generate.rs): the row-accounting invariant on dirty input, and
//! agreement with the oracle on a larger clean export.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// `cargo test` builds the examples next to the test binaries.
fn generator() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_ticketkpi"));
    let dir = binary.parent().expect("target dir");
    dir.join("examples")
        .join(format!("generate{}", std::env::consts::EXE_SUFFIX))
}

fn generate(args: &[&str]) -> Vec<u8> {
    let output = Command::new(generator())
        .args(args)
        .output()
        .expect("generator runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn report(path: &std::path::Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_ticketkpi"))
        .arg("report")
        .arg(path)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn every_dirty_row_is_accounted_for_and_clean_rows_give_the_clean_kpis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = dir.path().join("clean.csv");
    let dirty = dir.path().join("dirty.csv");
    let rejects = dir.path().join("rejects.csv");
    std::fs::write(&clean, generate(&["--tickets", "2000", "--seed", "11"])).expect("write");
    std::fs::write(
        &dirty,
        generate(&["--tickets", "2000", "--seed", "11", "--dirty", "0.05"]),
    )
    .expect("write");

    let clean_report = report(&clean, &[]);
    let dirty_report = report(&dirty, &["--rejects", rejects.to_str().expect("path")]);
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
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("export.csv");
    let jsonl = dir.path().join("export.jsonl");
    std::fs::write(&csv, generate(&["--tickets", "500", "--seed", "3"])).expect("write");
    std::fs::write(
        &jsonl,
        generate(&["--tickets", "500", "--seed", "3", "--format", "jsonl"]),
    )
    .expect("write");
    assert_eq!(report(&csv, &[])["overall"], report(&jsonl, &[])["overall"]);
}

#[test]
fn a_memory_limit_stops_the_run_with_a_clear_error_instead_of_running_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export.csv");
    std::fs::write(&export, generate(&["--tickets", "20000", "--seed", "2"])).expect("write");
    for threads in ["1", "2"] {
        let output = Command::new(env!("CARGO_BIN_EXE_ticketkpi"))
            .arg("report")
            .arg(&export)
            .args(["--max-memory", "2M", "--threads", threads])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("more than the limit of 2 MB"), "{stderr}");
        assert!(stderr.contains("--max-memory"), "{stderr}");
    }
    // The same input fits a limit big enough for it.
    assert!(
        report(&export, &["--max-memory", "200M"])["input"]["tickets"]
            .as_u64()
            .is_some_and(|tickets| tickets == 20000)
    );
}
