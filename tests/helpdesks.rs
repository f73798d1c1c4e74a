//! The help desks whose exports are conversations with nested messages (Intercom, Help Scout)
//! and the issue and incident lists (Jira, ServiceNow), each read by detection from a fixture
//! shaped like the vendor's documented payload (tests/fixtures/helpdesks/). Every figure is
//! worked out by hand in the comments.

mod common;

use common::{report_json, scratch, ticketkpi};
use serde_json::Value;

const INTERCOM_PAGE: &str = "tests/fixtures/helpdesks/intercom_conversation_list.json";
const INTERCOM_LINES: &str = "tests/fixtures/helpdesks/intercom_conversations.jsonl";
const HELP_SCOUT: &str = "tests/fixtures/helpdesks/helpscout_conversations_page.json";
const SERVICENOW_LIST: &str = "tests/fixtures/helpdesks/servicenow_incident_list.csv";
const JIRA: &str = "tests/fixtures/helpdesks/jira_service_management.csv";

fn read_as(report: &Value) -> (&str, &str) {
    let input = &report["input"]["read_as"][0];
    (
        input["mapping"].as_str().unwrap_or_default(),
        input["shape"].as_str().unwrap_or_default(),
    )
}

/// The reason `kpi` is null, or None when it is computable.
fn null_reason(report: &Value, kpi: &str) -> Option<String> {
    let entry = report["availability"]
        .as_array()
        .and_then(|list| list.iter().find(|entry| entry["kpi"] == kpi));
    let entry = entry.unwrap_or_else(|| panic!("no availability entry for {kpi}"));
    entry["reason"].as_str().map(str::to_owned)
}

#[test]
fn intercom_conversation_pages_and_lines_are_detected_and_read_alike() {
    let page = report_json(INTERCOM_PAGE, &[]);
    assert_eq!(read_as(&page), ("intercom", "events"));
    // 101: opening + rating + 5 parts; 102: opening + rating + 7 parts; 103 (never rated):
    // opening + 1 part. 18 rows, all used.
    assert_eq!(page["input"]["rows"], 18);
    assert_eq!(page["input"]["rows_used"], 18);
    assert_eq!(page["input"]["tickets"], 3);
    let o = &page["overall"];
    // First admin comments 600 s (101) and 3600 s (102) after the opening; 103 was only
    // snoozed: unanswered. The bot's assignment in 101 is a note, not a reply.
    assert_eq!(o["first_response"]["count"], 2);
    assert_eq!(o["first_response"]["median"], 2100.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    // Closed for good: 101 at +1500 s, 102 at +5500 s (closed at +4000, reopened, closed).
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], 3500.0);
    assert_eq!(
        o["first_resolution_time"]["median"],
        (1500.0 + 4000.0) / 2.0
    );
    // Ratings 5 and 2 on the 1-5 scale: one satisfied (>= 4) of two.
    assert_eq!(o["csat"]["responses"], 2);
    assert_eq!(o["csat"]["satisfied"], 1);
    assert_eq!(o["csat"]["rate"], 0.5);
    // Two admin comments each: neither is resolved at first contact.
    assert_eq!(o["fcr"]["eligible"], 2);
    assert_eq!(o["fcr"]["first_contact"], 0);
    // 103 is snoozed (pending): open.
    assert_eq!(o["backlog"]["open"], 1);
    assert_eq!(
        o["volume"]["notes"], 2,
        "the bot's assignment and the admin's note"
    );
    assert_eq!(o["volume"]["channel_share"]["email"], 1.0 / 3.0);
    let lines = report_json(INTERCOM_LINES, &[]);
    assert_eq!(read_as(&lines), ("intercom", "events"));
    assert_eq!(lines["overall"], page["overall"], "the same conversations");
}

#[test]
fn intercom_first_response_matches_its_own_statistics() {
    // The fixture's conversations carry Intercom's statistics: without office hours,
    // time_to_admin_reply is our first response time, and a conversation without
    // first_admin_reply_at is one we count unanswered.
    let text = std::fs::read_to_string(INTERCOM_PAGE).expect("fixture");
    let page: Value = serde_json::from_str(&text).expect("JSON");
    let tickets = ticketkpi(["tickets", INTERCOM_PAGE, "--format", "json"]).json();
    let tickets = tickets.as_array().expect("a list");
    let conversations = page["conversations"].as_array().expect("conversations");
    assert_eq!(tickets.len(), conversations.len());
    for conversation in conversations {
        let id = &conversation["id"];
        let ticket = tickets
            .iter()
            .find(|ticket| &ticket["ticket_id"] == id)
            .unwrap_or_else(|| panic!("ticket {id}"));
        let statistics = &conversation["statistics"];
        assert_eq!(
            ticket["first_response_seconds"].as_f64(),
            statistics["time_to_admin_reply"].as_f64(),
            "conversation {id}"
        );
        assert_eq!(
            ticket["reopens"].as_u64(),
            statistics["count_reopens"].as_u64(),
            "conversation {id}"
        );
    }
}

#[test]
fn help_scout_threads_are_detected_from_a_hal_page() {
    let report = report_json(HELP_SCOUT, &[]);
    assert_eq!(read_as(&report), ("helpscout", "events"));
    // 4 + 5 + 1 threads, listed newest first as the API does.
    assert_eq!(report["input"]["rows_used"], 10);
    assert_eq!(report["input"]["tickets"], 3);
    let o = &report["overall"];
    // 1001: customer 09:00, reply 10:30 (5400 s); 1002: chat 14:00, reply 14:02 (120 s);
    // 1003: no reply.
    assert_eq!(o["first_response"]["count"], 2);
    assert_eq!(o["first_response"]["median"], 2760.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    // 1001 closed by a line item at 11:00 (7200 s); 1002 closed at 14:10, reopened by the
    // customer's thread (status active) next morning and closed with the 08:30 reply
    // (18.5 h = 66600 s).
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], (7200.0 + 66600.0) / 2.0);
    assert_eq!(o["first_resolution_time"]["median"], (7200.0 + 600.0) / 2.0);
    assert_eq!(
        o["fcr"]["first_contact"], 1,
        "1001: one reply, never reopened"
    );
    assert_eq!(o["volume"]["notes"], 1);
    assert_eq!(o["backlog"]["open"], 1);
    // Help Scout keeps ratings out of the conversation.
    assert_eq!(o["csat"], Value::Null);
    assert_eq!(
        null_reason(&report, "csat").as_deref(),
        Some("no column is mapped to csat")
    );
    let tickets = ticketkpi(["tickets", HELP_SCOUT, "--format", "json"]).json();
    let reopens: Vec<u64> = tickets
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|ticket| ticket["reopens"].as_u64())
        .collect();
    assert_eq!(reopens, [0, 1, 0]);
}

#[test]
fn servicenow_incident_list_is_told_apart_from_the_audit_log() {
    let report = report_json(SERVICENOW_LIST, &[]);
    assert_eq!(read_as(&report), ("servicenow-list", "tickets"));
    assert_eq!(report["input"]["tickets"], 3);
    let o = &report["overall"];
    // Resolved after 4 h (INC0010001) and 24 h (INC0010002); INC0010003 is in progress.
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], 50400.0);
    assert_eq!(o["backlog"]["open"], 1);
    // made_sla: true, false, true.
    assert_eq!(o["desk_sla"]["resolution"]["met"], 2);
    assert_eq!(o["desk_sla"]["resolution"]["breached"], 1);
    // An incident list has no messages and no survey.
    assert_eq!(o["first_response"], Value::Null);
    assert_eq!(o["csat"], Value::Null);
    assert_eq!(
        null_reason(&report, "first_response").as_deref(),
        Some("no column is mapped to first_reply_at or first_reply_seconds")
    );
    let tickets = ticketkpi(["tickets", SERVICENOW_LIST, "--format", "json"]).json();
    let reopens: Vec<u64> = tickets
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|ticket| ticket["reopens"].as_u64())
        .collect();
    assert_eq!(reopens, [0, 1, 0], "reopen_count");
}

#[test]
fn jira_issue_navigator_csv_is_detected_with_its_date_format() {
    let report = report_json(JIRA, &[]);
    assert_eq!(read_as(&report), ("jira", "tickets"));
    assert_eq!(report["input"]["tickets"], 3);
    let o = &report["overall"];
    // 04/Mar/24 9:00 AM -> 5:00 PM (8 h); 06/Mar/24 1:15 PM -> 07/Mar/24 1:15 PM (24 h);
    // HELP-2 waits for the customer (pending, open).
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], (28800.0 + 86400.0) / 2.0);
    assert_eq!(o["backlog"]["open"], 1);
    assert_eq!(o["first_response"], Value::Null);
    assert_eq!(o["csat"], Value::Null);
    assert_eq!(o["volume"]["channel_share"]["report a problem"], 1.0 / 3.0);
}

#[test]
fn an_events_path_error_names_the_record_the_event_and_the_member() {
    let dir = scratch();
    let text = std::fs::read_to_string(INTERCOM_LINES).expect("fixture");
    let broken = text.replacen("\"created_at\": 1700000600", "\"created_at\": \"soon\"", 1);
    assert_ne!(broken, text, "the fixture has the part");
    let file = dir.write("intercom.jsonl", broken);
    let out = ticketkpi(["report".as_ref(), file.as_os_str()]).fails_with(1);
    // The admin's first comment is the conversation's second part, its fourth event
    // (opening, rating, assignment, comment).
    out.stderr_has("intercom.jsonl:1, event 4")
        .stderr_has("conversation_parts.conversation_parts.created_at")
        .stderr_has("\"soon\"");
}

#[test]
fn a_record_without_its_events_is_counted_never_dropped() {
    let dir = scratch();
    let mapping = dir.write(
        "ours.toml",
        r#"
shape = "events"
events_path = "messages"
[fields]
ticket_id = "id"
timestamp = "messages.created_at"
event = { value = "message" }
author_type = "messages.from"
"#,
    );
    let file = dir.write(
        "conversations.jsonl",
        concat!(
            r#"{"id": "a", "status": "open", "messages": [{"created_at": "2024-01-01T10:00:00Z", "from": "customer"}, {"created_at": "2024-01-01T10:05:00Z", "from": "agent"}]}"#,
            "\n",
            r#"{"id": "b", "messages": []}"#,
            "\n",
        ),
    );
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .arg("--mapping")
        .arg(&mapping)
        .args(["--skip-invalid", "--format", "json"])
        .json();
    assert_eq!(report["input"]["rows_used"], 2);
    assert_eq!(report["input"]["rejects_by_reason"]["no_events"], 1);
    assert_eq!(report["overall"]["first_response"]["median"], 300.0);
}
