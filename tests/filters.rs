//! `--where` on `report`, `tickets` and `sla`: the tickets selected are those the unfiltered
//! outputs say meet the conditions; the report says which filter applied; an unknown field
//! is a usage error naming the fields. `--where` works in every format.

mod common;

use common::{at, count, report_json, ticketkpi};
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";
const FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "html"];

fn group_tickets(json: &Value, dimension: &str, value: &str) -> u64 {
    json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["by"][dimension] == value)
        .map_or(0, |g| count(g, "kpis.tickets"))
}

fn rows(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["tickets", SAMPLE, "--format", "json"];
    all.extend_from_slice(args);
    match ticketkpi(all).json() {
        Value::Array(rows) => rows,
        other => panic!("not a list: {other}"),
    }
}

#[test]
fn a_report_where_channel_is_email_is_the_email_group() {
    let by_channel = report_json(SAMPLE, &["--by", "channel"]);
    let email = group_tickets(&by_channel, "channel", "email");
    let chat = group_tickets(&by_channel, "channel", "chat");
    let total = count(&by_channel, "overall.tickets");
    assert!(email > 0 && chat > 0);
    let filtered = report_json(SAMPLE, &["--where", "channel=email"]);
    assert_eq!(count(&filtered, "overall.tickets"), email);
    assert_eq!(filtered["filter"]["conditions"][0], "channel=email");
    assert_eq!(count(&filtered, "filter.tickets_left_out"), total - email);
    // The email group's KPIs are the filtered report's overall KPIs.
    let group = by_channel["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["by"]["channel"] == "email"))
        .expect("email");
    assert_eq!(
        at(group, "kpis.first_response.median"),
        at(&filtered, "overall.first_response.median")
    );
    let any_of = report_json(SAMPLE, &["--where", "channel=email,chat"]);
    assert_eq!(count(&any_of, "overall.tickets"), email + chat);
    let not = report_json(SAMPLE, &["--where", "channel!=email"]);
    assert_eq!(count(&not, "overall.tickets"), total - email);
    assert!(
        report_json(SAMPLE, &[])["filter"].is_null(),
        "no filter: no member"
    );
}

#[test]
fn repeated_conditions_must_all_hold() {
    let listed = rows(&[]);
    let expected = listed
        .iter()
        .filter(|r| r["channel"] == "email" && r["agent"] == "marco")
        .count() as u64;
    assert!(expected > 0);
    let json = report_json(
        SAMPLE,
        &["--where", "channel=email", "--where", "agent=marco"],
    );
    assert_eq!(count(&json, "overall.tickets"), expected);
    let table = ticketkpi([
        "report",
        SAMPLE,
        "--where",
        "channel=email",
        "--where",
        "agent=marco",
    ])
    .text();
    assert!(
        table.contains("Filter (--where): channel=email and agent=marco;"),
        "{table}"
    );
}

#[test]
fn tickets_select_on_their_derived_facts() {
    let listed = rows(&[]);
    let breached = rows(&["--where", "sla_first_reply=breached"]);
    assert!(!breached.is_empty());
    assert!(breached.iter().all(|r| r["sla_first_reply"] == "breached"));
    let expected = listed
        .iter()
        .filter(|r| r["sla_first_reply"] == "breached")
        .count();
    assert_eq!(breached.len(), expected);
    let reopened = rows(&["--where", "reopens>0"]);
    let expected = listed
        .iter()
        .filter(|r| r["reopens"].as_u64().is_some_and(|n| n > 0))
        .count();
    assert!(expected > 0);
    assert_eq!(reopened.len(), expected);
    // A numeric comparison on a duration in seconds, with an attribute.
    let slow = rows(&[
        "--where",
        "first_response_seconds>=3600",
        "--where",
        "priority=high",
    ]);
    let expected = listed
        .iter()
        .filter(|r| {
            r["priority"] == "high"
                && r["first_response_seconds"]
                    .as_f64()
                    .is_some_and(|s| s >= 3600.0)
        })
        .count();
    assert_eq!(slow.len(), expected);
    ticketkpi(["tickets", SAMPLE, "--where", "reopens>0"])
        .success()
        .stderr_has("--where left out");
}

/// Every member of a `tickets` record is a field `--where` knows.
#[test]
fn every_column_of_the_ticket_list_can_be_selected_on() {
    let listed = rows(&[]);
    let first = listed[0].as_object().expect("a record");
    for member in first.keys() {
        ticketkpi(["tickets", SAMPLE, "--format", "json", "--where"])
            .arg(format!("{member}!=zzz"))
            .success();
    }
}

#[test]
fn the_sla_command_filters_too() {
    let all = ticketkpi(["sla", SAMPLE, "--format", "json"]).json();
    let urgent = ticketkpi([
        "sla",
        SAMPLE,
        "--format",
        "json",
        "--where",
        "priority=urgent",
    ])
    .json();
    assert_ne!(all, urgent);
    let breaches = ticketkpi([
        "sla",
        SAMPLE,
        "--breaches",
        "--format",
        "json",
        "--where",
        "priority=urgent",
    ])
    .json();
    let ids: Vec<&str> = breaches
        .as_array()
        .expect("breaches")
        .iter()
        .filter_map(|b| b["ticket_id"].as_str())
        .collect();
    let urgent_ids: Vec<String> = rows(&["--where", "priority=urgent"])
        .iter()
        .filter_map(|r| r["ticket_id"].as_str().map(str::to_owned))
        .collect();
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| urgent_ids.iter().any(|u| u == id)),
        "{ids:?}"
    );
}

#[test]
fn an_unknown_field_is_a_usage_error_naming_the_fields() {
    ticketkpi(["report", SAMPLE, "--where", "chanel=email"])
        .fails_with(2)
        .stderr_has("did you mean \"channel\"")
        .stderr_has("Fields: channel, agent, team, priority, category, status, hour, weekday");
    ticketkpi(["report", SAMPLE, "--where", "reopens>0"])
        .fails_with(2)
        .stderr_has("`tickets` command");
    ticketkpi(["sla", SAMPLE, "--where", "hour>late"])
        .fails_with(2)
        .stderr_has("one number");
}

#[test]
fn where_works_in_every_format() {
    for format in FORMATS {
        let text = ticketkpi([
            "report",
            SAMPLE,
            "--where",
            "channel=chat",
            "--format",
            format,
        ])
        .text();
        if format != "json" && format != "csv" {
            assert!(text.contains("channel=chat"), "{format}");
        }
    }
    for format in ["table", "markdown", "csv", "json"] {
        ticketkpi([
            "tickets",
            SAMPLE,
            "--where",
            "status=solved",
            "--format",
            format,
        ])
        .success();
        ticketkpi([
            "sla",
            SAMPLE,
            "--where",
            "team!=billing",
            "--format",
            format,
        ])
        .success();
    }
}
