//! The fold over the tickets runs on `--threads` threads (rayon's fold and reduce, merging
//! the accumulators of runs of tickets): the report is the same on one thread and on many.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::ticketkpi;
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";

/// `cargo test` builds the examples next to the test binaries.
fn generator() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_ticketkpi"));
    binary
        .parent()
        .expect("target dir")
        .join("examples")
        .join(format!("generate{}", std::env::consts::EXE_SUFFIX))
}

fn generate(path: &Path, args: &[&str]) {
    let output = Command::new(generator())
        .args(args)
        .output()
        .expect("the generator runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(path, output.stdout).expect("write the export");
}

/// The JSON report of `input` broken down every way, on `threads` threads.
fn report(input: &Path, threads: &str, by: &[&str], period: &str) -> Value {
    let mut run = ticketkpi(["report".as_ref(), input.as_os_str()]).args([
        "--format",
        "json",
        "--period",
        period,
        "--threads",
        threads,
        "-q",
    ]);
    for dimension in by {
        run = run.args(["--by", dimension]);
    }
    run.json()
}

fn assert_same_on_any_thread_count(input: &Path, by: &[&str], period: &str) {
    let one = report(input, "1", by, period);
    assert!(
        one["groups"]
            .as_array()
            .is_some_and(|groups| groups.len() > 1)
            && one["periods"]
                .as_array()
                .is_some_and(|periods| periods.len() > 1),
        "the report breaks down by group and period"
    );
    for threads in ["2", "5"] {
        assert_eq!(
            report(input, threads, by, period),
            one,
            "{}: {threads} threads and one differ",
            input.display()
        );
    }
}

#[test]
fn the_sample_data_report_is_the_same_on_one_thread_and_on_many() {
    assert_same_on_any_thread_count(Path::new(SAMPLE), &["channel", "priority"], "week");
    assert_same_on_any_thread_count(Path::new(SAMPLE), &["agent"], "day");
}

#[test]
fn a_generated_export_gives_the_same_report_on_one_thread_and_on_many() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("export.csv");
    generate(&export, &["--tickets", "6000", "--seed", "23"]);
    assert_same_on_any_thread_count(&export, &["team", "channel"], "day");
}
