//! Built-in presets on fixtures that follow each help desk's documented export columns.
//! Every expected value is worked out by hand in the comments.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn run_report(args: &[&str]) -> Value {
    let output = Command::cargo_bin("ticketkpi")
        .expect("binary")
        .arg("report")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn zendesk_csv_is_detected_and_read_as_tickets() {
    let report = run_report(&["tests/fixtures/presets/zendesk.csv"]);
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
    let report = run_report(&["tests/fixtures/presets/zendesk.jsonl"]);
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
    let report = run_report(&["tests/fixtures/presets/freshdesk.csv"]);
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
    let priorities = run_report(&["tests/fixtures/presets/freshdesk.csv", "--by", "priority"]);
    let groups = priorities["groups"].as_array().expect("groups");
    assert!(
        groups.iter().any(|g| g["by"]["priority"] == "normal"),
        "Medium is normal"
    );
}

#[test]
fn an_explicit_preset_overrides_detection_and_unknown_names_are_usage_errors() {
    Command::cargo_bin("ticketkpi")
        .expect("binary")
        .args(["report", "tests/fixtures/small.csv", "--preset", "zendesk"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing required columns 'Created at', 'Id' (reading it as zendesk",
        ));
    Command::cargo_bin("ticketkpi")
        .expect("binary")
        .args(["report", "tests/fixtures/small.csv", "--preset", "kayako"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("known: zendesk"));
}

#[test]
fn a_mapping_file_or_a_config_with_a_mapping_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("export.csv");
    std::fs::write(
        &data,
        "Case;When;Who;What\n\
         c1;01/03/2026 10:00;client;open\n\
         c1;01/03/2026 10:20;staff;done\n\
         c2;02/03/2026 09:00;client;open\n",
    )
    .expect("write");
    let mapping = r#"
        delimiter = ";"
        [fields]
        ticket_id = "Case"
        timestamp = { column = "When", format = "%d/%m/%Y %H:%M" }
        author_type = { column = "Who", values = { client = "customer", staff = "agent" } }
        status = { column = "What", values = { done = "solved" } }
    "#;
    let plain = dir.path().join("mapping.toml");
    std::fs::write(&plain, mapping).expect("write");
    let config = dir.path().join("ticketkpi.toml");
    std::fs::write(
        &config,
        format!(
            "[mapping]\n{}",
            mapping.replace("[fields]", "[mapping.fields]")
        ),
    )
    .expect("write");
    for file in [&plain, &config] {
        let report = run_report(&[
            data.to_str().expect("path"),
            "--mapping",
            file.to_str().expect("path"),
        ]);
        let o = &report["overall"];
        assert_eq!(o["first_response"]["median"], 1200.0, "{}", file.display());
        assert_eq!(o["first_response"]["unanswered"], 1);
        assert_eq!(o["fcr"]["first_contact"], 1);
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[fields]\nticket = \"Case\"\ntimestamp = \"When\"\n").expect("write");
    Command::cargo_bin("ticketkpi")
        .expect("binary")
        .args([
            "report",
            data.to_str().expect("path"),
            "--mapping",
            bad.to_str().expect("path"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field 'ticket'"));
}

#[test]
fn inspect_tells_what_an_export_can_feed() {
    Command::cargo_bin("ticketkpi")
        .expect("binary")
        .args(["inspect", "tests/fixtures/presets/freshdesk.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "read as preset freshdesk (detected from the header)",
        ))
        .stdout(predicate::str::contains("first_reply_at"))
        .stdout(predicate::str::contains("Initial response time"))
        .stdout(predicate::str::contains("first contact resolution"))
        .stdout(predicate::str::contains("no column is mapped to reopens"));
    let output = Command::cargo_bin("ticketkpi")
        .expect("binary")
        .args(["inspect", "tests/fixtures/small.csv", "--json"])
        .output()
        .expect("runs");
    let inspection: Value = serde_json::from_slice(&output.stdout).expect("json");
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
