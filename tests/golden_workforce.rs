//! Golden outputs of the workforce views on the hand-made fixture: the scorecard by agent,
//! the hour and weekday breakdowns, quarters, `--columns`/`--sort` and `--where`. Review a
//! change with `cargo insta review` (or INSTA_UPDATE=always, then git diff).

mod common;

use common::ticketkpi;

const SMALL: &str = "tests/fixtures/small.csv";

#[test]
fn scorecard_by_agent_table() {
    insta::assert_snapshot!(ticketkpi(["report", SMALL, "--by", "agent"]).text());
}

#[test]
fn by_hour_markdown() {
    insta::assert_snapshot!(
        ticketkpi(["report", SMALL, "--by", "hour", "--format", "markdown"]).text()
    );
}

#[test]
fn by_weekday_csv() {
    insta::assert_snapshot!(
        ticketkpi(["report", SMALL, "--by", "weekday", "--format", "csv"]).text()
    );
}

#[test]
fn quarter_with_chosen_columns_sorted_table() {
    insta::assert_snapshot!(
        ticketkpi([
            "report",
            SMALL,
            "--by",
            "team",
            "--period",
            "quarter",
            "--columns",
            "tickets,frt_median,reopen_rate,backlog",
            "--sort=-frt_median",
        ])
        .text()
    );
}

#[test]
fn where_report_json() {
    insta::assert_snapshot!(
        ticketkpi([
            "report",
            SMALL,
            "--where",
            "channel=email,chat",
            "--format",
            "json"
        ])
        .text()
    );
}

#[test]
fn where_tickets_table() {
    insta::assert_snapshot!(ticketkpi(["tickets", SMALL, "--where", "reopens>0"]).text());
}
