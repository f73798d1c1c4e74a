//! A mapping's own attribute columns (`[attributes]`): read from event logs (the last
//! non-empty value by as_of) and ticket tables (the winning row's), selected on with
//! `--where` on report, tickets and sla, listed by `tickets`; names checked.

mod common;

use common::{count, fixture, scratch, ticketkpi};
use serde_json::Value;

/// An event log whose plan changes: A is on pro, then enterprise; B on free (region n/a is
/// no value); C has neither.
const EVENTS: &str = "\
id,at,event,author,Plan,Region
A,2026-03-02 09:00:00,message,customer,Pro,EU
A,2026-03-02 09:10:00,message,agent,,
B,2026-03-02 09:05:00,message,customer,free,n/a
C,2026-03-02 09:30:00,message,customer,,
A,2026-03-02 10:00:00,message,customer,Enterprise,
";

const EVENTS_MAPPING: &str = r#"
[fields]
ticket_id = "id"
timestamp = "at"
event = "event"
author_type = "author"

[attributes]
plan = "Plan"
region = { column = "Region", null_values = ["n/a"] }
"#;

/// Freshdesk's ticket export with its Product and Company Name columns, read by a mapping
/// that declares them.
const FRESHDESK_MAPPING: &str = r#"
shape = "tickets"
[skip]
Status = ["deleted", "spam"]
[fields]
ticket_id = "Ticket ID"
created_at = "Created time"
status = "Status"
[attributes]
product = "Product"
company = "Company Name"
"#;

fn run(files: &[&std::path::Path], args: &[&str]) -> common::Output {
    let mut all: Vec<std::ffi::OsString> = vec![
        args[0].into(),
        files[0].into(),
        "--mapping".into(),
        files[1].into(),
    ];
    all.extend(args[1..].iter().map(Into::into));
    ticketkpi(all).output()
}

fn rows(output: &common::Output) -> Vec<Value> {
    match output.parse_json() {
        Value::Array(rows) => rows,
        other => panic!("not a list: {other}"),
    }
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["ticket_id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn an_event_log_s_attribute_is_its_last_non_empty_value_by_as_of() {
    let dir = scratch();
    let log = dir.write("events.csv", EVENTS);
    let mapping = dir.write("events.toml", EVENTS_MAPPING);
    let files = [log.as_path(), mapping.as_path()];
    let listed = rows(&run(&files, &["tickets", "--format", "json"]));
    assert_eq!(ids(&listed), ["A", "B", "C"]);
    assert_eq!(
        listed[0]["attributes"],
        serde_json::json!({"plan": "enterprise", "region": "eu"}),
        "lowercase; an empty cell keeps the value"
    );
    assert_eq!(
        listed[1]["attributes"],
        serde_json::json!({"plan": "free"}),
        "n/a is no value"
    );
    assert_eq!(listed[2]["attributes"], serde_json::json!({}));
    let earlier = rows(&run(
        &files,
        &[
            "tickets",
            "--format",
            "json",
            "--as-of",
            "2026-03-02T09:30:00Z",
        ],
    ));
    assert_eq!(
        earlier[0]["attributes"]["plan"], "pro",
        "before the upgrade"
    );
}

#[test]
fn where_selects_on_an_attribute_in_report_tickets_and_sla() {
    let dir = scratch();
    let log = dir.write("events.csv", EVENTS);
    let mapping = dir.write("events.toml", EVENTS_MAPPING);
    let files = [log.as_path(), mapping.as_path()];
    let selected = |conditions: &[&str]| {
        let mut args = vec!["tickets", "--format", "json"];
        for condition in conditions {
            args.extend(["--where", condition]);
        }
        ids(&rows(&run(&files, &args)))
    };
    assert_eq!(selected(&["plan=enterprise"]), ["A"]);
    assert!(
        selected(&["plan=pro"]).is_empty(),
        "A is enterprise at as_of"
    );
    assert_eq!(selected(&["plan=FREE,enterprise"]), ["A", "B"]);
    assert_eq!(selected(&["plan!=free"]), ["A", "C"]);
    assert_eq!(selected(&["plan=(none)"]), ["C"]);
    assert_eq!(selected(&["region=eu", "plan=enterprise"]), ["A"]);
    let report = run(
        &files,
        &["report", "--format", "json", "--where", "plan=free"],
    )
    .parse_json();
    assert_eq!(count(&report, "overall.tickets"), 1);
    assert_eq!(count(&report, "filter.tickets_left_out"), 2);
    let sla = run(
        &files,
        &["sla", "--format", "json", "--where", "plan=enterprise"],
    );
    assert_eq!(sla.code, Some(0), "{}", sla.stderr);
    sla.stderr_has("left out 2 tickets");
}

#[test]
fn a_ticket_table_s_attributes_are_its_row_s() {
    let dir = scratch();
    let mapping = dir.write("freshdesk.toml", FRESHDESK_MAPPING);
    let export = fixture("vendor/freshdesk_custom_values.csv");
    let files = [export.as_path(), mapping.as_path()];
    let selected = |condition: &str| {
        ids(&rows(&run(
            &files,
            &["tickets", "--format", "json", "--where", condition],
        )))
    };
    assert_eq!(selected("company=acme corp"), ["1", "2", "4", "11"]);
    // By creation: 9 (08:00 on the 5th) before 8 (09:00).
    assert_eq!(
        selected("company=globex,initech"),
        ["3", "5", "6", "9", "8"]
    );
    assert_eq!(selected("product!=shop"), ["5", "9", "8"]);
    let csv = run(&files, &["tickets", "--format", "csv"]).stdout;
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header[7], "attributes");
    assert!(
        csv.contains(",company=acme corp; product=shop,"),
        "one cell, by name: {csv}"
    );
}

#[test]
fn attribute_names_are_checked() {
    let dir = scratch();
    let log = dir.write("events.csv", EVENTS);
    let mapping = dir.write("events.toml", EVENTS_MAPPING);
    let out = run(
        &[log.as_path(), mapping.as_path()],
        &["report", "--where", "plann=pro"],
    );
    assert_eq!(out.code, Some(2));
    out.stderr_has("did you mean \"plan\"")
        .stderr_has("tag, plan, region");
    let clash = dir.write(
        "clash.toml",
        EVENTS_MAPPING.replace("plan = \"Plan\"", "channel = \"Plan\""),
    );
    let out = run(&[log.as_path(), clash.as_path()], &["report"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    out.stderr_has("attribute 'channel' is a field already");
    let spaced = dir.write(
        "spaced.toml",
        EVENTS_MAPPING.replace("plan = \"Plan\"", "\"my plan\" = \"Plan\""),
    );
    let out = run(&[log.as_path(), spaced.as_path()], &["report"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    out.stderr_has("letters, digits and _");
    // Without the mapping, the column is not an attribute: no such field.
    let out = ticketkpi([
        "report".as_ref(),
        log.as_os_str(),
        "--where".as_ref(),
        "plan=pro".as_ref(),
    ])
    .output();
    assert_eq!(out.code, Some(2));
    out.stderr_has("a mapping's [attributes] columns");
}

#[test]
fn a_state_refuses_a_where_on_an_attribute() {
    let dir = scratch();
    let log = dir.write("events.csv", EVENTS);
    let mapping = dir.write("events.toml", EVENTS_MAPPING);
    let state = dir.path().join("state");
    let out = ticketkpi(["report".as_ref(), log.as_os_str(), "--mapping".as_ref()])
        .arg(&mapping)
        .args(["--where", "plan=pro", "--state"])
        .arg(&state)
        .fails_with(2);
    out.stderr_has("nor the mapping's attribute columns");
}
