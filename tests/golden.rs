//! Golden outputs: every format of `report` and `tickets` on the hand-made fixture.
//! Review a change with `cargo insta review` (or INSTA_UPDATE=always, then git diff).

mod common;

use common::ticketkpi;

const SMALL: &str = "tests/fixtures/small.csv";

#[test]
fn report_table() {
    insta::assert_snapshot!(ticketkpi(["report", SMALL]).text());
}

#[test]
fn report_table_with_periods() {
    insta::assert_snapshot!(ticketkpi(["report", SMALL, "--period", "day"]).text());
}

#[test]
fn report_json() {
    insta::assert_snapshot!(
        ticketkpi(["report", SMALL, "--format", "json", "--period", "week"]).text()
    );
}

#[test]
fn report_csv() {
    insta::assert_snapshot!(
        ticketkpi(["report", SMALL, "--format", "csv", "--by", "priority"]).text()
    );
}

#[test]
fn report_markdown() {
    insta::assert_snapshot!(ticketkpi(["report", SMALL, "--format", "markdown"]).text());
}

#[test]
fn tickets_table() {
    insta::assert_snapshot!(ticketkpi(["tickets", SMALL]).text());
}

#[test]
fn tickets_csv() {
    insta::assert_snapshot!(ticketkpi(["tickets", SMALL, "--format", "csv"]).text());
}

#[test]
fn tickets_json() {
    insta::assert_snapshot!(ticketkpi(["tickets", SMALL, "--format", "json"]).text());
}

#[test]
fn tickets_markdown() {
    insta::assert_snapshot!(ticketkpi(["tickets", SMALL, "--format", "markdown"]).text());
}

#[test]
fn report_table_with_business_hours_and_policies() {
    insta::assert_snapshot!(
        ticketkpi([
            "report",
            "tests/fixtures/sla.csv",
            "--config",
            "tests/fixtures/sla.toml",
        ])
        .text()
    );
}

#[test]
fn sla_breaches_table() {
    insta::assert_snapshot!(
        ticketkpi([
            "sla",
            "tests/fixtures/sla.csv",
            "--config",
            "tests/fixtures/sla.toml",
            "--breaches",
        ])
        .text()
    );
}
