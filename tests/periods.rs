//! `--period` in the JSON report: which periods the input covers whole (`complete`), and the
//! backlog at each period's end, whose ages always add up to it.

mod common;

use common::report_json;
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";
const CALLS: &str = "tests/fixtures/periods/callcenter.txt";

/// The sample by week in Berlin, with more arguments.
fn sample_weeks(extra: &[&str]) -> Value {
    report_json(
        SAMPLE,
        &[&["--period", "week", "--tz", "Europe/Berlin"], extra].concat(),
    )
}

fn periods(report: &Value) -> &Vec<Value> {
    report["periods"].as_array().expect("periods")
}

fn complete(report: &Value) -> Vec<bool> {
    periods(report)
        .iter()
        .map(|p| p["complete"].as_bool().expect("a boolean"))
        .collect()
}

#[test]
fn the_first_and_the_last_period_are_partial_unless_the_input_covers_them() {
    // The sample starts on Sunday 1 March (in W09) and ends on Tuesday 31 March (in W14).
    let sample = sample_weeks(&[]);
    assert_eq!(
        complete(&sample),
        [false, true, true, true, true, false],
        "W09 .. W14"
    );
    // --since the Monday of W09 says the input covers it from its start.
    let since = sample_weeks(&["--since", "2026-02-23"]);
    assert!(complete(&since)[0]);
    // --until Sunday 22 March ends the input with W12, which is whole; on the Saturday
    // it is not.
    let until = sample_weeks(&["--until", "2026-03-22"]);
    assert_eq!(complete(&until), [false, true, true, true]);
    let saturday = sample_weeks(&["--until", "2026-03-21"]);
    assert_eq!(complete(&saturday), [false, true, true, false]);
    // March by month: it starts on the 1st at 01:31 UTC, after midnight; so not whole.
    let month = report_json(SAMPLE, &["--period", "month"]);
    assert_eq!(complete(&month), [false]);
}

#[test]
fn backlog_ages_add_up_to_the_backlog_at_each_periods_end() {
    for args in [
        vec![SAMPLE, "--period", "week"],
        vec![SAMPLE, "--period", "day"],
        vec!["tests/fixtures/small.csv", "--period", "day"],
        vec![CALLS, "--period", "week"],
    ] {
        let report = report_json(args[0], &args[1..]);
        for period in periods(&report) {
            let total = &period["backlog_at_end"];
            let ages = &period["backlog_age_at_end"];
            if total.is_null() {
                assert!(ages.is_null(), "{args:?}: {period}");
                continue;
            }
            let sum: u64 = ages
                .as_object()
                .expect("ages")
                .values()
                .map(|n| n.as_u64().expect("a count"))
                .sum();
            assert_eq!(Some(sum), total.as_u64(), "{args:?}: {}", period["period"]);
        }
    }
}

#[test]
fn the_last_periods_backlog_is_the_open_backlog_at_as_of() {
    for args in [
        vec![SAMPLE, "--period", "week"],
        vec![CALLS, "--period", "week"],
    ] {
        let report = report_json(args[0], &args[1..]);
        let last = periods(&report).last().expect("a period");
        assert_eq!(
            last["backlog_at_end"], report["overall"]["backlog"]["open"],
            "{args:?}"
        );
        assert_eq!(
            last["backlog_age_at_end"], report["overall"]["backlog"]["age"],
            "{args:?}"
        );
    }
}
