//! Golden outputs: every format of `report` and `tickets` on the hand-made fixture.
//! Review a change with `cargo insta review` (or INSTA_UPDATE=always, then git diff).

use assert_cmd::Command;

const SMALL: &str = "tests/fixtures/small.csv";

fn run(args: &[&str]) -> String {
    let output = Command::cargo_bin("ticketkpi")
        .expect("binary builds")
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

#[test]
fn report_table() {
    insta::assert_snapshot!(run(&["report", SMALL]));
}

#[test]
fn report_table_with_periods() {
    insta::assert_snapshot!(run(&["report", SMALL, "--period", "day"]));
}

#[test]
fn report_json() {
    insta::assert_snapshot!(run(&[
        "report", SMALL, "--format", "json", "--period", "week"
    ]));
}

#[test]
fn report_csv() {
    insta::assert_snapshot!(run(&[
        "report", SMALL, "--format", "csv", "--by", "priority"
    ]));
}

#[test]
fn report_markdown() {
    insta::assert_snapshot!(run(&["report", SMALL, "--format", "markdown"]));
}

#[test]
fn tickets_table() {
    insta::assert_snapshot!(run(&["tickets", SMALL]));
}

#[test]
fn tickets_csv() {
    insta::assert_snapshot!(run(&["tickets", SMALL, "--format", "csv"]));
}

#[test]
fn tickets_json() {
    insta::assert_snapshot!(run(&["tickets", SMALL, "--format", "json"]));
}

#[test]
fn tickets_markdown() {
    insta::assert_snapshot!(run(&["tickets", SMALL, "--format", "markdown"]));
}

#[test]
fn report_table_with_business_hours_and_policies() {
    insta::assert_snapshot!(run(&[
        "report",
        "tests/fixtures/sla.csv",
        "--config",
        "tests/fixtures/sla.toml",
    ]));
}

#[test]
fn sla_breaches_table() {
    insta::assert_snapshot!(run(&[
        "sla",
        "tests/fixtures/sla.csv",
        "--config",
        "tests/fixtures/sla.toml",
        "--breaches",
    ]));
}
