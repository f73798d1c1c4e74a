//! Tags: read from the cells Zendesk and Freshdesk write (spaces, commas), from the Zendesk
//! API's arrays and from a canonical log's `tags` column; `--by tag` counts a ticket in each
//! of its tags' groups and says so in every format; `--where tag=` on report, tickets and
//! sla; `tickets` lists them.

mod common;

use common::{count, fixture, flat, report_json, scratch, ticketkpi};
use serde_json::Value;

const ZENDESK: &str = "tags/zendesk_tags.csv";
const FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "html"];

/// (ticket id, tags) of the `tickets` list.
fn tags_of(file: &str, args: &[&str]) -> Vec<(String, Vec<String>)> {
    let path = fixture(file);
    let mut all = vec![
        "tickets",
        path.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let Value::Array(rows) = ticketkpi(all).json() else {
        panic!("not a list");
    };
    rows.iter()
        .map(|row| {
            let tags = row["tags"]
                .as_array()
                .expect("tags is an array")
                .iter()
                .map(|t| t.as_str().expect("a tag is text").to_owned())
                .collect();
            (row["ticket_id"].as_str().expect("id").to_owned(), tags)
        })
        .collect()
}

fn ids(file: &str, args: &[&str]) -> Vec<String> {
    tags_of(file, args).into_iter().map(|(id, _)| id).collect()
}

/// Tickets per tag group; `None` is the `(none)` group.
fn groups(report: &Value) -> Vec<(Option<String>, u64)> {
    report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["by"]["tag"].as_str().map(str::to_owned),
                count(g, "kpis.tickets"),
            )
        })
        .collect()
}

fn group(report: &Value, tag: Option<&str>) -> u64 {
    groups(report)
        .into_iter()
        .find(|(name, _)| name.as_deref() == tag)
        .map_or(0, |(_, n)| n)
}

fn owned(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    pairs
        .iter()
        .map(|(id, tags)| {
            (
                (*id).to_owned(),
                tags.iter().map(|t| (*t).to_owned()).collect(),
            )
        })
        .collect()
}

#[test]
fn zendesk_csv_tags_are_separated_by_spaces() {
    assert_eq!(
        tags_of(ZENDESK, &[]),
        owned(&[
            ("301", &["billing", "refund"]),
            ("302", &["billing", "vip"]),
            ("303", &["login"]),
            ("304", &[]),
        ]),
        "lowercase (Login), in name order, none for an empty cell"
    );
}

#[test]
fn freshdesk_tags_are_separated_by_commas_and_keep_their_spaces() {
    assert_eq!(
        tags_of("tags/freshdesk_tags.csv", &[]),
        owned(&[
            ("1", &["payment issue", "vip customer"]),
            ("2", &["payment issue"]),
            ("3", &[]),
        ])
    );
}

#[test]
fn zendesk_api_tags_are_arrays_of_strings() {
    assert_eq!(
        tags_of("tags/zendesk_api_tags.json", &[]),
        owned(&[
            ("501", &["billing", "refund"]),
            ("502", &[]),
            ("503", &["billing"]),
        ])
    );
}

#[test]
fn an_event_log_s_tags_are_the_union_of_its_rows_until_as_of() {
    let events = "tags/events_tags.csv";
    assert_eq!(
        tags_of(events, &[]),
        owned(&[
            ("E1", &["billing", "late", "vip"]),
            ("E2", &[]),
            ("E3", &["vip"]),
        ]),
        "E1: billing at 09:00, billing;vip at 10:00, late at 11:00; the empty cell removes none"
    );
    let earlier = tags_of(events, &["--as-of", "2026-03-02T10:30:00Z"]);
    assert_eq!(
        earlier[0],
        owned(&[("E1", &["billing", "vip"])])[0],
        "a tag first seen after as_of is not the ticket's yet"
    );
}

#[test]
fn by_tag_counts_a_ticket_in_each_of_its_tags_and_says_so() {
    let report = report_json(fixture(ZENDESK), &["--by", "tag"]);
    // 301 billing+refund, 302 billing+vip, 303 login, 304 none.
    assert_eq!(group(&report, Some("billing")), 2);
    assert_eq!(group(&report, Some("refund")), 1);
    assert_eq!(group(&report, Some("vip")), 1);
    assert_eq!(group(&report, Some("login")), 1);
    assert_eq!(group(&report, None), 1, "304 has no tag: the (none) group");
    assert_eq!(groups(&report).len(), 5);
    assert_eq!(groups(&report)[0], (Some("billing".to_owned()), 2));
    let overlap = &report["groups_overlap"];
    assert_eq!(overlap["by"], serde_json::json!(["tag"]));
    assert_eq!(count(overlap, "group_tickets"), 6, "2 + 1 + 1 + 1 + 1");
    assert_eq!(count(overlap, "tickets"), 4);
    assert_eq!(count(&report, "overall.tickets"), 4);
    // A group's KPIs are those of its tickets: billing's first replies are 30 and 60 min.
    let billing = report["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["by"]["tag"] == "billing"))
        .expect("billing");
    assert_eq!(billing["kpis"]["first_response"]["median"], 2700.0);
    let by_channel = report_json(fixture(ZENDESK), &["--by", "channel"]);
    assert!(
        by_channel.get("groups_overlap").is_none(),
        "a ticket has one channel: no member"
    );
}

#[test]
fn by_tag_with_another_dimension_pairs_each_tag() {
    let report = report_json(fixture(ZENDESK), &["--by", "tag", "--by", "agent"]);
    let pairs: Vec<(Value, Value, u64)> = report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["by"]["tag"].clone(),
                g["by"]["agent"].clone(),
                count(g, "kpis.tickets"),
            )
        })
        .collect();
    // billing: 301 (dana) and 302 (eli) are two groups of one ticket each.
    assert!(pairs.contains(&("billing".into(), "dana".into(), 1)));
    assert!(pairs.contains(&("billing".into(), "eli".into(), 1)));
    assert!(pairs.contains(&(Value::Null, "dana".into(), 1)), "304");
    assert_eq!(count(&report, "groups_overlap.group_tickets"), 6);
}

#[test]
fn the_overlap_is_said_in_every_format() {
    let path = fixture(ZENDESK);
    let file = path.to_str().expect("UTF-8 path");
    for format in FORMATS {
        let out = ticketkpi(["report", file, "--by", "tag", "--format", format]).text();
        match format {
            "json" => assert!(out.contains("\"groups_overlap\""), "{format}"),
            "csv" => {
                assert!(
                    out.contains("overall,,,groups_overlap.group_tickets,6"),
                    "{format}: {out}"
                );
                assert!(
                    out.contains("overall,,,groups_overlap.tickets,4"),
                    "{format}"
                );
            }
            "html" => {
                assert!(
                    out.contains("data-json=\"/groups_overlap/group_tickets\" data-value=\"6\""),
                    "{format}"
                );
                assert!(
                    flat(&out).contains("counts in each of their groups"),
                    "{format}"
                );
            }
            _ => assert!(
                flat(&out).contains(
                    "A ticket with several tags counts in each of their groups (one without in \
                     (none)): the groups hold 6 tickets in all, of 4 tickets."
                ),
                "{format}: {out}"
            ),
        }
        let plain = ticketkpi(["report", file, "--by", "agent", "--format", format]).text();
        assert!(!plain.contains("groups_overlap"), "{format}");
        assert!(!plain.contains("counts in each"), "{format}");
    }
}

#[test]
fn where_tag_selects_any_of_its_tags_and_not_none_of_them() {
    assert_eq!(ids(ZENDESK, &["--where", "tag=billing"]), ["301", "302"]);
    assert_eq!(ids(ZENDESK, &["--where", "tag=VIP,login"]), ["302", "303"]);
    assert_eq!(ids(ZENDESK, &["--where", "tag!=billing"]), ["303", "304"]);
    assert_eq!(ids(ZENDESK, &["--where", "tag!=billing,login"]), ["304"]);
    assert_eq!(ids(ZENDESK, &["--where", "tag=(none)"]), ["304"]);
    assert_eq!(
        ids(ZENDESK, &["--where", "tag=billing", "--where", "tag=vip"]),
        ["302"],
        "every condition holds"
    );
    let report = report_json(fixture(ZENDESK), &["--where", "tag=billing"]);
    assert_eq!(count(&report, "overall.tickets"), 2);
    assert_eq!(count(&report, "filter.tickets_left_out"), 2);
}

#[test]
fn the_sla_command_filters_by_tag() {
    let path = fixture(ZENDESK);
    let file = path.to_str().expect("UTF-8 path");
    let all = ticketkpi(["sla", file, "--format", "json"]).json();
    // First replies 30, 60, 10 and 90 minutes, within 8h (normal), 4h (high), 24h (low).
    assert_eq!(count(&all, "first_reply.met"), 4);
    let billing = ticketkpi(["sla", file, "--where", "tag=billing", "--format", "json"]).json();
    assert_eq!(count(&billing, "first_reply.met"), 2, "301 and 302");
    assert_eq!(
        count(&billing, "resolution.running"),
        1,
        "302 is open, within its 24h"
    );
}

#[test]
fn the_tickets_table_and_csv_list_the_tags() {
    let path = fixture(ZENDESK);
    let file = path.to_str().expect("UTF-8 path");
    let table = ticketkpi(["tickets", file]).text();
    assert!(table.contains("Tags"), "{table}");
    assert!(table.contains("billing, refund"), "{table}");
    let csv = ticketkpi(["tickets", file, "--format", "csv"]).text();
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header[6], "tags");
    assert!(csv.contains(",\"billing, refund\","), "{csv}");
    // A file without tags lists none, and the table has no Tags column.
    let dir = scratch();
    let log = dir.write(
        "plain.csv",
        "ticket_id,timestamp,event,author_type\nT,2026-03-02T09:00:00Z,message,customer\n",
    );
    assert!(
        !ticketkpi(["tickets".as_ref(), log.as_os_str()])
            .text()
            .contains("Tags")
    );
}

#[test]
fn an_array_is_read_by_the_tags_only() {
    let dir = scratch();
    let mapping = dir.write(
        "mapping.toml",
        "shape = \"tickets\"\n[fields]\nticket_id = \"id\"\ncreated_at = \"created_at\"\n\
         channel = \"tags\"\n",
    );
    let out = ticketkpi([
        "report",
        fixture("tags/zendesk_api_tags.json")
            .to_str()
            .expect("UTF-8"),
        "--mapping",
        mapping.to_str().expect("UTF-8"),
        "--skip-invalid",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(
        count(&out, "input.rejects_by_reason.nested_value"),
        3,
        "a channel is one value: each array is refused, never read as text"
    );
}

#[test]
fn a_state_which_keeps_no_tags_refuses_by_tag_and_where_tag() {
    let dir = scratch();
    let state = dir.path().join("state");
    let log = fixture("tags/events_tags.csv");
    for args in [["--by", "tag"], ["--where", "tag=vip"]] {
        let out = ticketkpi(["report".as_ref(), log.as_os_str()])
            .args(args)
            .arg("--state")
            .arg(&state)
            .fails_with(2);
        out.stderr_has("does not keep the tags of earlier nights");
    }
    ticketkpi(["report".as_ref(), log.as_os_str()])
        .args(["--by", "channel", "--state"])
        .arg(&state)
        .success();
}
