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
const CHATWOOT: &str = "tests/fixtures/helpdesks/chatwoot/conversations.jsonl";
const GORGIAS: &str = "tests/fixtures/helpdesks/gorgias/tickets.jsonl";
const FRONT: &str = "tests/fixtures/helpdesks/front/events_page.json";

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

/// What a help desk's fixture must give, every figure worked out by hand where it is used.
struct Expected<'a> {
    preset: &'a str,
    shape: &'a str,
    tickets: u64,
    /// First response count, median (seconds) and unanswered; None where it is null.
    first_response: Option<(u64, f64, u64)>,
    /// Resolution time count and median (seconds); None where it is null.
    resolution: Option<(u64, f64)>,
    /// CSAT responses and satisfied (4 or 5 on 1-5); None where it is null.
    csat: Option<(u64, u64)>,
    /// Each ticket's reopens in the `tickets` list's order; None where the list does not say.
    reopens: Option<&'a [u64]>,
}

/// Reads `file` by detection, checks the figures every help desk test asks for, and returns
/// the report for the figures particular to the export.
fn check_fixture(file: &str, expected: &Expected<'_>) -> Value {
    let report = report_json(file, &[]);
    assert_eq!(
        read_as(&report),
        (expected.preset, expected.shape),
        "{file}"
    );
    assert_eq!(report["input"]["rows_rejected"], 0, "{file}");
    assert_eq!(report["input"]["tickets"], expected.tickets, "{file}");
    let o = &report["overall"];
    match expected.first_response {
        Some((count, median, unanswered)) => {
            assert_eq!(o["first_response"]["count"], count, "{file}: FRT count");
            assert_eq!(o["first_response"]["median"], median, "{file}: FRT median");
            assert_eq!(
                o["first_response"]["unanswered"], unanswered,
                "{file}: unanswered"
            );
        }
        None => assert_eq!(o["first_response"], Value::Null, "{file}: FRT"),
    }
    match expected.resolution {
        Some((count, median)) => {
            assert_eq!(o["resolution_time"]["count"], count, "{file}: resolved");
            assert_eq!(
                o["resolution_time"]["median"], median,
                "{file}: resolution median"
            );
        }
        None => assert_eq!(o["resolution_time"], Value::Null, "{file}: resolution"),
    }
    match expected.csat {
        Some((responses, satisfied)) => {
            assert_eq!(o["csat"]["responses"], responses, "{file}: CSAT responses");
            assert_eq!(o["csat"]["satisfied"], satisfied, "{file}: satisfied");
        }
        None => assert_eq!(o["csat"], Value::Null, "{file}: CSAT"),
    }
    if let Some(reopens) = expected.reopens {
        let tickets = ticketkpi(["tickets", file, "--format", "json"]).json();
        let found: Vec<u64> = tickets
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|ticket| ticket["reopens"].as_u64())
            .collect();
        assert_eq!(found, reopens, "{file}: reopens");
    }
    report
}

#[test]
fn intercom_conversation_pages_and_lines_are_detected_and_read_alike() {
    // First admin comments 600 s (101) and 3600 s (102) after the opening: median 2100;
    // 103 was only snoozed: unanswered. The bot's assignment in 101 is a note, not a reply.
    // Closed for good: 101 at +1500 s, 102 at +5500 s (closed at +4000, reopened, closed):
    // median 3500. Ratings 5 and 2 on the 1-5 scale: one satisfied (>= 4) of two.
    let page = check_fixture(
        INTERCOM_PAGE,
        &Expected {
            preset: "intercom",
            shape: "events",
            tickets: 3,
            first_response: Some((2, 2100.0, 1)),
            resolution: Some((2, 3500.0)),
            csat: Some((2, 1)),
            reopens: Some(&[0, 1, 0]),
        },
    );
    // 101: opening + rating + 5 parts; 102: opening + rating + 7 parts; 103 (never rated):
    // opening + 1 part. 18 rows, all used.
    assert_eq!(page["input"]["rows"], 18);
    assert_eq!(page["input"]["rows_used"], 18);
    let o = &page["overall"];
    assert_eq!(
        o["first_resolution_time"]["median"],
        (1500.0 + 4000.0) / 2.0
    );
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
    // 1001: customer 09:00, reply 10:30 (5400 s); 1002: chat 14:00, reply 14:02 (120 s):
    // median 2760; 1003: no reply. 1001 closed by a line item at 11:00 (7200 s); 1002 closed
    // at 14:10, reopened by the customer's thread (status active) next morning and closed
    // with the 08:30 reply (18.5 h = 66600 s): median (7200 + 66600) / 2 = 36900. Help Scout
    // keeps ratings out of the conversation.
    let report = check_fixture(
        HELP_SCOUT,
        &Expected {
            preset: "helpscout",
            shape: "events",
            tickets: 3,
            first_response: Some((2, 2760.0, 1)),
            resolution: Some((2, 36900.0)),
            csat: None,
            reopens: Some(&[0, 1, 0]),
        },
    );
    // 4 + 5 + 1 threads, listed newest first as the API does.
    assert_eq!(report["input"]["rows_used"], 10);
    let o = &report["overall"];
    assert_eq!(o["first_resolution_time"]["median"], (7200.0 + 600.0) / 2.0);
    assert_eq!(
        o["fcr"]["first_contact"], 1,
        "1001: one reply, never reopened"
    );
    assert_eq!(o["volume"]["notes"], 1);
    assert_eq!(o["backlog"]["open"], 1);
    assert_eq!(
        null_reason(&report, "csat").as_deref(),
        Some("no column is mapped to csat")
    );
}

#[test]
fn servicenow_incident_list_is_told_apart_from_the_audit_log() {
    // Resolved after 4 h (INC0010001) and 24 h (INC0010002): median (14400 + 86400) / 2 =
    // 50400; INC0010003 is in progress. reopen_count 0, 1, 0. An incident list has no
    // messages and no survey.
    let report = check_fixture(
        SERVICENOW_LIST,
        &Expected {
            preset: "servicenow-list",
            shape: "tickets",
            tickets: 3,
            first_response: None,
            resolution: Some((2, 50400.0)),
            csat: None,
            reopens: Some(&[0, 1, 0]),
        },
    );
    let o = &report["overall"];
    assert_eq!(o["backlog"]["open"], 1);
    // made_sla: true, false, true.
    assert_eq!(o["desk_sla"]["resolution"]["met"], 2);
    assert_eq!(o["desk_sla"]["resolution"]["breached"], 1);
    assert_eq!(
        null_reason(&report, "first_response").as_deref(),
        Some("no column is mapped to first_reply_at or first_reply_seconds")
    );
}

#[test]
fn jira_issue_navigator_csv_is_detected_with_its_date_format() {
    // 04/Mar/24 9:00 AM -> 5:00 PM (8 h); 06/Mar/24 1:15 PM -> 07/Mar/24 1:15 PM (24 h):
    // median (28800 + 86400) / 2 = 57600; HELP-2 waits for the customer (pending, open).
    // No messages, no survey.
    let report = check_fixture(
        JIRA,
        &Expected {
            preset: "jira",
            shape: "tickets",
            tickets: 3,
            first_response: None,
            resolution: Some((2, 57600.0)),
            csat: None,
            reopens: None,
        },
    );
    let o = &report["overall"];
    assert_eq!(o["backlog"]["open"], 1);
    assert_eq!(o["volume"]["channel_share"]["report a problem"], 1.0 / 3.0);
}

#[test]
fn chatwoot_messages_are_read_by_type_privacy_and_activity() {
    // 41 (email): incoming 09:00; a self-assignment activity and a private note are notes;
    //   Ana's reply at +900 s; "marked resolved" at +1800 s; the survey answered 5.
    // 42 (web widget): incoming 11:00; the bot's outgoing message at +30 s is no reply; Ana
    //   at +3600 s; resolved at +4000 s; an unanswered survey (a note); the customer writes
    //   at +90000 s, "System reopened" at +90001 s (a reopen); Ana at +91000 s; resolved at
    //   +92000 s; the survey answered 2.
    // 43 (WhatsApp): incoming, a greeting template (a note), "marked as pending": no reply.
    // FRT: 900 and 3600 -> count 2, median 2250, 43 unanswered. Resolution (last solved):
    // 1800 and 92000 -> median 46900; first resolution 1800 and 4000 -> median 2900.
    // CSAT: 5 and 2 -> 2 responses, 1 satisfied. Reopens by ticket: 0, 1, 0.
    let report = check_fixture(
        CHATWOOT,
        &Expected {
            preset: "chatwoot",
            shape: "events",
            tickets: 3,
            first_response: Some((2, 2250.0, 1)),
            resolution: Some((2, 46900.0)),
            csat: Some((2, 1)),
            reopens: Some(&[0, 1, 0]),
        },
    );
    // 6 + 10 + 3 messages, each one event.
    assert_eq!(report["input"]["rows_used"], 19);
    let o = &report["overall"];
    assert_eq!(o["first_resolution_time"]["median"], 2900.0);
    // 41: one reply, never reopened; 42: two replies.
    assert_eq!(o["fcr"]["eligible"], 2);
    assert_eq!(o["fcr"]["first_contact"], 1);
    assert_eq!(o["backlog"]["open"], 1, "43 is pending");
    // 41: activity + private note; 42: the unanswered survey; 43: the greeting.
    assert_eq!(o["volume"]["notes"], 4);
    assert_eq!(o["volume"]["bot_messages"], 1);
    assert_eq!(o["volume"]["customer_messages"], 4);
    assert_eq!(o["volume"]["agent_messages"], 3);
    assert_eq!(o["volume"]["channel_share"]["whatsapp"], 1.0 / 3.0);
}

#[test]
fn a_chatwoot_customer_quoting_an_activity_changes_no_status() {
    let dir = scratch();
    let text = std::fs::read_to_string(CHATWOOT).expect("fixture");
    // 43's customer writes the sentence Chatwoot writes when a conversation is resolved.
    let quoted = text.replacen(
        "Do you ship to Austria?",
        "Conversation was resolved by me, I think?",
        1,
    );
    assert_ne!(quoted, text, "the fixture has the message");
    let file = dir.write("conversations.jsonl", quoted);
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .args(["--format", "json"])
        .json();
    assert_eq!(read_as(&report), ("chatwoot", "events"));
    // Never solved: 43 has no first resolution, and is pending.
    assert_eq!(report["overall"]["first_resolution_time"]["count"], 2);
    assert_eq!(
        report["overall"]["backlog"]["open"], 1,
        "43 is still pending"
    );
}

#[test]
fn gorgias_tickets_read_their_messages_close_and_survey() {
    // 9001 (email): customer 08:00; the rule's auto-reply at 08:00:05 is the bot's; an
    //   internal note (public false) at 08:20; Sam's reply at 09:30 (5400 s); closed at 09:45
    //   (6300 s); survey scored 5.
    // 9002 (chat): customer 10:00, Sam 10:03 (180 s), customer 10:05, Sam 10:10; closed at
    //   10:15 (900 s); survey scored 3.
    // 9003 (sms): one customer message, open, no survey.
    // FRT: 5400 and 180 -> median 2790, 9003 unanswered. Resolution: 6300 and 900 -> median
    // 3600. CSAT: 5 and 3 -> 2 responses, 1 satisfied. No reopen is visible (one close each).
    let report = check_fixture(
        GORGIAS,
        &Expected {
            preset: "gorgias",
            shape: "events",
            tickets: 3,
            first_response: Some((2, 2790.0, 1)),
            resolution: Some((2, 3600.0)),
            csat: Some((2, 1)),
            reopens: Some(&[0, 0, 0]),
        },
    );
    // 4 + 4 + 1 messages, 2 closes, 2 scored surveys.
    assert_eq!(report["input"]["rows_used"], 13);
    let o = &report["overall"];
    assert_eq!(o["volume"]["notes"], 1);
    assert_eq!(o["volume"]["bot_messages"], 1);
    assert_eq!(o["fcr"]["first_contact"], 1, "9001: one reply");
    assert_eq!(o["backlog"]["open"], 1);
    // Spam tickets are excluded by the preset and counted.
    let dir = scratch();
    let text = std::fs::read_to_string(GORGIAS).expect("fixture");
    let spam = text.replacen("\"spam\": false", "\"spam\": true", 1);
    assert_ne!(spam, text, "the fixture says spam");
    let file = dir.write("tickets.jsonl", spam);
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .args(["--format", "json"])
        .json();
    assert_eq!(report["input"]["tickets"], 2);
    assert_eq!(report["input"]["excluded_by_value"]["spam=true"], 6);
}

#[test]
fn front_events_page_is_read_with_fractional_epoch_seconds() {
    // Times are epoch seconds with fractions, listed newest first.
    // cnv_a1 (email): inbound at t = ...400.25; assign (+60.5) and comment (+120) are notes;
    //   out_reply at t + 1800.75; archived at t + 2400.25.
    // cnv_b2 (sms): inbound at u = ...600.5; out_reply at u + 300; archived at u + 600; the
    //   customer writes at u + 7200; Kim reopens at u + 7300 (a reopen); out_reply at
    //   u + 7500; archived at u + 7800.
    // cnv_c3 (custom): inbound, tagged by a rule (a note), unassigned: no reply.
    // FRT: 1800.75 and 300 -> count 2, median 1050.375, cnv_c3 unanswered. Resolution (last
    // archive): 2400.25 and 7800 -> median 5100.125; first resolution 2400.25 and 600 ->
    // median 1500.125. Front's events carry no rating: CSAT null. Reopens: 0, 1, 0.
    let report = check_fixture(
        FRONT,
        &Expected {
            preset: "front",
            shape: "events",
            tickets: 3,
            first_response: Some((2, 1050.375, 1)),
            resolution: Some((2, 5100.125)),
            csat: None,
            reopens: Some(&[0, 1, 0]),
        },
    );
    assert_eq!(report["input"]["rows_used"], 14, "5 + 7 + 2 events");
    let o = &report["overall"];
    assert_eq!(o["first_resolution_time"]["median"], 1500.125);
    assert_eq!(o["volume"]["notes"], 3);
    assert_eq!(o["fcr"]["first_contact"], 1, "cnv_a1: one reply");
    assert_eq!(o["backlog"]["open"], 1);
    assert_eq!(o["volume"]["channel_share"]["custom"], 1.0 / 3.0);
    assert_eq!(
        null_reason(&report, "csat").as_deref(),
        Some("no column is mapped to csat")
    );
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
