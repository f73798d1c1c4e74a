//! Built-in presets on fixtures that follow each help desk's documented export columns.
//! Every expected value is worked out by hand in the comments.

mod common;

use common::{report_json, scratch, ticketkpi};
use serde_json::Value;

#[test]
fn zendesk_csv_is_detected_and_read_as_tickets() {
    let report = report_json("tests/fixtures/presets/zendesk.csv", &[]);
    assert_eq!(report["input"]["read_as"][0]["mapping"], "zendesk");
    assert_eq!(report["input"]["read_as"][0]["shape"], "tickets");
    assert_eq!(report["input"]["tickets"], 5);
    let o = &report["overall"];
    // First replies 30, 240, 5 and 60 minutes; 104 has none and is not solved.
    assert_eq!(o["first_response"]["count"], 4);
    assert_eq!(o["first_response"]["median"], 2700.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    // Solved: 101 after 120 min, 102 after 1440 min (the full resolution time).
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], 46800.0);
    assert_eq!(
        o["first_resolution_time"]["median"],
        (7200.0 + 36000.0) / 2.0
    );
    // 101: one reply, no reopen; 102: three replies and a reopen.
    assert_eq!(o["fcr"]["eligible"], 2);
    assert_eq!(o["fcr"]["first_contact"], 1);
    // Good and Bad are ratings (5 and 1); Offered/Unoffered are not.
    assert_eq!(o["csat"]["responses"], 2);
    assert_eq!(o["csat"]["satisfied"], 1);
    assert_eq!(o["backlog"]["open"], 3);
    // Ticket tables have no individual messages.
    assert_eq!(o["response_time"], Value::Null);
    assert_eq!(o["bot_resolution"], Value::Null);
    assert_eq!(o["redirects"], Value::Null);
    assert_eq!(o["volume"]["customer_messages"], Value::Null);
    assert_eq!(o["volume"]["agent_messages"], 7);
    // "Hold" is on hold, and the SLA clock of the urgent chat (5 min) is met.
    assert_eq!(o["sla"]["first_reply"]["met"], 4);
    let by_channel = report["groups"].as_array().expect("groups");
    assert!(by_channel.iter().any(|g| g["by"]["channel"] == "web form"));
}

#[test]
fn zendesk_json_lines_with_metric_sets() {
    let report = report_json("tests/fixtures/presets/zendesk.jsonl", &[]);
    assert_eq!(report["input"]["read_as"][0]["mapping"], "zendesk-json");
    let o = &report["overall"];
    assert_eq!(o["first_response"]["count"], 1);
    assert_eq!(o["first_response"]["median"], 900.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    assert_eq!(o["resolution_time"]["median"], 3600.0);
    assert_eq!(o["csat"]["responses"], 1);
    assert_eq!(o["volume"]["channel_share"]["chat"], 0.5);
}

#[test]
fn freshdesk_csv_uses_timestamps_not_business_hour_columns() {
    let report = report_json("tests/fixtures/presets/freshdesk.csv", &[]);
    assert_eq!(report["input"]["read_as"][0]["mapping"], "freshdesk");
    let o = &report["overall"];
    // Initial responses after 30 min, 5 min and 6 h; ticket 4 has none.
    assert_eq!(o["first_response"]["count"], 3);
    assert_eq!(o["first_response"]["median"], 1800.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    // Resolved after 3 h and 45 min (closing later does not move the resolution).
    assert_eq!(o["resolution_time"]["median"], (10800.0 + 2700.0) / 2.0);
    // Agent interactions are replies; there is no reopen count, so FCR is unknowable.
    assert_eq!(o["interactions"]["replies_per_solved_ticket"], 1.5);
    assert_eq!(o["interactions"]["customer_messages_per_ticket"], 1.25);
    assert_eq!(o["fcr"], Value::Null);
    // Awesome is satisfied, Not Good is not.
    assert_eq!(o["csat"]["responses"], 2);
    assert_eq!(o["csat"]["satisfied"], 1);
    // Waiting on Customer (pending) and Open.
    assert_eq!(o["backlog"]["open"], 2);
    let priorities = report_json(
        "tests/fixtures/presets/freshdesk.csv",
        &["--by", "priority"],
    );
    let groups = priorities["groups"].as_array().expect("groups");
    assert!(
        groups.iter().any(|g| g["by"]["priority"] == "normal"),
        "Medium is normal"
    );
}

#[test]
fn an_explicit_preset_overrides_detection_and_unknown_names_are_usage_errors() {
    ticketkpi(["report", "tests/fixtures/small.csv", "--preset", "zendesk"])
        .fails_with(1)
        .stderr_has("missing required columns 'Created at', 'Id' (reading it as zendesk");
    ticketkpi(["report", "tests/fixtures/small.csv", "--preset", "kayako"])
        .fails_with(2)
        .stderr_has("known: zendesk");
}

#[test]
fn a_mapping_file_or_a_config_with_a_mapping_table() {
    let dir = scratch();
    let data = dir.write(
        "export.csv",
        "Case;When;Who;What\n\
         c1;01/03/2026 10:00;client;open\n\
         c1;01/03/2026 10:20;staff;done\n\
         c2;02/03/2026 09:00;client;open\n",
    );
    let mapping = r#"
        delimiter = ";"
        [fields]
        ticket_id = "Case"
        timestamp = { column = "When", format = "%d/%m/%Y %H:%M" }
        author_type = { column = "Who", values = { client = "customer", staff = "agent" } }
        status = { column = "What", values = { done = "solved" } }
    "#;
    let plain = dir.write("mapping.toml", mapping);
    let config = dir.write(
        "ticketkpi.toml",
        format!(
            "[mapping]\n{}",
            mapping.replace("[fields]", "[mapping.fields]")
        ),
    );
    for file in [&plain, &config] {
        let report = report_json(&data, &["--mapping", file.to_str().expect("path")]);
        let o = &report["overall"];
        assert_eq!(o["first_response"]["median"], 1200.0, "{}", file.display());
        assert_eq!(o["first_response"]["unanswered"], 1);
        assert_eq!(o["fcr"]["first_contact"], 1);
    }
    let bad = dir.write(
        "bad.toml",
        "[fields]\nticket = \"Case\"\ntimestamp = \"When\"\n",
    );
    ticketkpi(["report"])
        .arg(&data)
        .arg("--mapping")
        .arg(&bad)
        .fails_with(2)
        .stderr_has("unknown field 'ticket'");
}

#[test]
fn inspect_tells_what_an_export_can_feed() {
    ticketkpi(["inspect", "tests/fixtures/presets/freshdesk.csv"])
        .success()
        .stdout_has("read as preset freshdesk (detected from the header)")
        .stdout_has("first_reply_at")
        .stdout_has("Initial response time")
        .stdout_has("first contact resolution")
        .stdout_has("no column is mapped to reopens");
    let inspection = ticketkpi(["inspect", "tests/fixtures/small.csv", "--json"])
        .output()
        .parse_json();
    assert_eq!(inspection["tickets"], 8);
    assert_eq!(inspection["inputs"][0]["mapping"], "canonical");
    let computable = |key: &str| {
        inspection["kpis"]
            .as_array()
            .expect("kpis")
            .iter()
            .find(|kpi| kpi["kpi"] == key)
            .unwrap_or_else(|| panic!("{key} is listed"))["computable"]
            == true
    };
    for key in [
        "first_response",
        "response_time",
        "fcr",
        "bot_resolution",
        "aht",
        "csat",
        "nps",
        "redirects",
        "sentiment",
        "sla.resolution",
    ] {
        assert!(computable(key), "the event log feeds {key}");
    }
    // Nothing configured or mapped feeds these: a business-hours schedule, a next-reply
    // target, the desk's own SLA verdict.
    for key in ["first_response_business", "sla.next_reply", "desk_sla"] {
        assert!(!computable(key), "{key} needs a setting or a column");
    }
}
