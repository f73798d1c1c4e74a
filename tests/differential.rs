//! Differential tests: the Rust tool against the independent Python oracle in
//! tests/reference/, which was written from the KPI contract alone. Any disagreement means one
//! of the two misreads the contract.
//!
//! Needs python3; without it each test says so and passes (CI always has python3).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{scratch, ticketkpi};

fn python() -> Option<&'static str> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !found {
        eprintln!("SKIPPED: python3 is not installed, the differential test cannot run");
    }
    found.then_some("python3")
}

/// Runs the oracle (or its comparison) and keeps what it printed in `path`.
fn run_to_file(command: &mut Command, path: &Path) {
    let output = command.output().expect("command runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(path, output.stdout).expect("write output");
}

/// Runs both implementations on `input` and fails on any difference. Options common to both
/// go in `extra`; `ours` and `theirs` spell the rest in each tool's own words.
fn agree_with(input: &Path, extra: &[&str], ours_only: &[&str], theirs_only: &[&str]) {
    let Some(python) = python() else { return };
    let dir = scratch();
    let theirs = dir.path().join("reference.json");
    let report = ticketkpi(["report"])
        .arg(input)
        .args(["--format", "json", "--by", "channel", "--skip-invalid"])
        .args(extra)
        .args(ours_only)
        .success();
    let ours = dir.write("ours.json", report.stdout_bytes);
    run_to_file(
        Command::new(python)
            .arg("tests/reference/ticketkpi_ref.py")
            .arg(input)
            .args(["--by", "channel"])
            .args(extra)
            .args(theirs_only),
        &theirs,
    );
    let compare = Command::new(python)
        .arg("tests/reference/compare.py")
        .arg(&ours)
        .arg(&theirs)
        .output()
        .expect("compare runs");
    let report = String::from_utf8_lossy(&compare.stdout);
    assert!(
        compare.status.success(),
        "{} disagrees with the oracle:\n{report}",
        input.display()
    );
    assert!(report.contains(" 0 differences"), "{report}");
}

fn agree(input: &Path, extra: &[&str]) {
    agree_with(input, extra, &[], &[]);
}

#[test]
fn hand_made_fixture() {
    agree(Path::new("tests/fixtures/small.csv"), &[]);
    agree(
        Path::new("tests/fixtures/small.csv"),
        &["--as-of", "2026-03-02T12:00:00Z"],
    );
}

#[test]
fn bundled_sample() {
    agree(Path::new("sample-data/conversations.csv"), &[]);
    agree(
        Path::new("sample-data/conversations.csv"),
        &["--as-of", "2026-03-15T12:00:00Z"],
    );
}

#[test]
fn reference_cases() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir("tests/reference/cases")
        .expect("cases folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        // The 1-10 case declares its own scale in its name.
        if case.to_string_lossy().contains("scale10") {
            agree_with(
                &case,
                &["--csat-satisfied", "8"],
                &["--csat-scale", "1-10"],
                &["--csat-min", "1", "--csat-max", "10"],
            );
        } else {
            agree(&case, &[]);
        }
    }
}
