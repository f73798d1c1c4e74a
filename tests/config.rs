//! The config file: business hours, SLA policies, aliases, the FCR reopen window, `init`.
//!
//! tests/fixtures/sla.csv with tests/fixtures/sla.toml (office hours Mon-Fri 09:00-17:00 in
//! Berlin, UTC+1 in early March; Friday 6 March is a holiday). Worked by hand:
//! - E1 (email, "office"): customer Thu 16:00, reply Mon 09:30 local: 1 h Thursday + 0.5 h
//!   Monday = 1.5 h of business time (calendar: 3 d 17.5 h). First reply met (2 h).
//! - C1 (chat, "chat", calendar): reply after 10 min of a 5 min target: breached, due 10:05Z.
//! - P1 (email, "office"): created Mon 09:00, pending Mon 09:30 to Tue 09:00, solved Tue
//!   10:00 local: 9 h of business time less 7.5 h paused = 1.5 h: resolution met (8 h).
//!   Its second customer run (Tue 09:00) was answered after 1 h: next reply met (4 h).
//! - R1: one reply, reopened 10 days after its resolution: outside the 7 day window, so
//!   still a first-contact resolution. Its resolution clock runs to the last resolution
//!   (Thu 12 March), 56.2 business hours: breached.
//! - O1 (email, "office"): waiting since Tue 09:00 local; at as_of (Thu 09:30 local) 16.5
//!   business hours: first reply and resolution breached; it is the overdue backlog.

mod common;

use common::{scratch, ticketkpi};
use serde_json::Value;

const DATA: &str = "tests/fixtures/sla.csv";
const CONFIG: &str = "tests/fixtures/sla.toml";

#[test]
fn business_hours_durations_beside_calendar_ones() {
    let report = ticketkpi(["report", DATA, "--config", CONFIG, "--format", "json"]).json();
    let o = &report["overall"];
    let tickets = ticketkpi(["tickets", DATA, "--config", CONFIG, "--format", "json"]).json();
    let e1 = tickets
        .as_array()
        .expect("rows")
        .iter()
        .find(|t| t["ticket_id"] == "E1")
        .expect("E1");
    assert_eq!(e1["first_response_seconds"], (3.0 * 24.0 + 17.5) * 3600.0);
    assert_eq!(
        e1["status"], "solved",
        "the alias Resolved = solved applies"
    );
    // Business FRTs: E1 1.5 h, C1 10 min (Monday 11:00 local), P1 30 min, R1 30 min (Monday
    // 09:30 local). Median of 600, 1800, 1800, 5400.
    assert_eq!(o["first_response_business"]["count"], 4);
    assert_eq!(o["first_response_business"]["median"], 1800.0);
    assert_eq!(o["first_response"]["count"], 4);
    assert!(o["resolution_time_business"]["count"].as_u64().is_some());
}

#[test]
fn policies_by_channel_with_pauses_and_next_reply() {
    let report = ticketkpi(["report", DATA, "--config", CONFIG, "--format", "json"]).json();
    let sla = &report["overall"]["sla"];
    let policies = sla["policies"].as_array().expect("policies");
    let chat = policies
        .iter()
        .find(|p| p["policy"] == "chat")
        .expect("chat");
    assert_eq!(chat["tickets"], 1);
    assert_eq!(chat["schedule"], Value::Null, "calendar time");
    assert_eq!(chat["first_reply"]["breached"], 1);
    assert_eq!(chat["resolution"]["met"], 1);
    let office = policies
        .iter()
        .find(|p| p["policy"] == "office")
        .expect("office");
    assert_eq!(office["tickets"], 4);
    assert_eq!(office["schedule"], "office");
    // First reply: E1, P1, R1 met; O1 breached.
    assert_eq!(office["first_reply"]["met"], 3);
    assert_eq!(office["first_reply"]["breached"], 1);
    // Next reply: P1's second run, met.
    assert_eq!(office["next_reply"]["met"], 1);
    // Resolution: E1 and P1 (thanks to the pause) met; R1 and O1 breached.
    assert_eq!(office["resolution"]["met"], 2);
    assert_eq!(office["resolution"]["breached"], 2);
    assert_eq!(office["overdue_backlog"], 1);
    assert_eq!(sla["overdue_backlog"], 1);
}

#[test]
fn breaches_list_due_times_and_overruns() {
    let breaches = ticketkpi([
        "sla",
        DATA,
        "--config",
        CONFIG,
        "--breaches",
        "--format",
        "json",
    ])
    .json();
    let list = breaches.as_array().expect("list");
    assert_eq!(list.len(), 4, "{list:?}");
    let r1 = list.iter().find(|b| b["ticket_id"] == "R1").expect("R1");
    // Mon 2 March 09:00 local + 8 business hours = 17:00 local.
    assert_eq!(r1["due_at"], "2026-03-02T16:00:00Z");
    assert_eq!(r1["elapsed_seconds"], 202_200.0);
    let c1 = list.iter().find(|b| b["ticket_id"] == "C1").expect("C1");
    assert_eq!(c1["target"], "first_reply");
    assert_eq!(c1["due_at"], "2026-03-09T10:05:00Z");
    assert_eq!(c1["fulfilled_at"], "2026-03-09T10:10:00Z");
    assert_eq!(c1["overrun_seconds"], 300.0);
    let o1_first = list
        .iter()
        .find(|b| b["ticket_id"] == "O1" && b["target"] == "first_reply")
        .expect("O1 first reply");
    // 2 business hours after Tue 09:00 local: 11:00 local, 10:00Z.
    assert_eq!(o1_first["due_at"], "2026-03-10T10:00:00Z");
    assert_eq!(o1_first["fulfilled_at"], Value::Null);
    let o1_resolution = list
        .iter()
        .find(|b| b["ticket_id"] == "O1" && b["target"] == "resolution")
        .expect("O1 resolution");
    assert_eq!(o1_resolution["due_at"], "2026-03-10T16:00:00Z");
    assert_eq!(o1_resolution["overrun_seconds"], (16.5 - 8.0) * 3600.0);
    ticketkpi(["sla", DATA, "--config", CONFIG])
        .success()
        .stdout_has("office")
        .stdout_has("Overdue");
}

#[test]
fn the_reopen_window_keeps_a_late_reopen_first_contact() {
    let with_window = ticketkpi(["report", DATA, "--config", CONFIG, "--format", "json"]).json();
    // Eligible: E1, C1, P1 (two replies), R1. First contact: E1, C1, R1.
    assert_eq!(with_window["overall"]["fcr"]["eligible"], 4);
    assert_eq!(with_window["overall"]["fcr"]["first_contact"], 3);
    let dir = scratch();
    let text = std::fs::read_to_string(CONFIG).expect("config");
    let no_window = dir.write(
        "ticketkpi.toml",
        text.replace("fcr_reopen_window = \"7d\"", ""),
    );
    let without = ticketkpi([
        "report",
        DATA,
        "--config",
        no_window.to_str().expect("path"),
        "--format",
        "json",
    ])
    .json();
    assert_eq!(without["overall"]["fcr"]["first_contact"], 2);
}

#[test]
fn without_a_config_the_contract_defaults_apply() {
    let report = ticketkpi(["report", "tests/fixtures/small.csv", "--format", "json"]).json();
    assert!(report["overall"].get("first_response_business").is_none());
    let names: Vec<&str> = report["overall"]["sla"]["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .filter_map(|p| p["policy"].as_str())
        .collect();
    assert_eq!(names, ["urgent", "high", "low", "normal"]);
    // Without the alias, "Resolved" is not a status: the row is invalid.
    ticketkpi(["report", DATA])
        .fails_with(1)
        .stderr_has("\"Resolved\" is not one of");
}

#[test]
fn init_writes_a_working_example_and_never_overwrites() {
    let dir = scratch();
    let path = dir.path().join("ticketkpi.toml");
    ticketkpi(["init"]).arg(&path).success();
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.contains("[[sla.policies]]"));
    ticketkpi(["init"])
        .arg(&path)
        .fails_with(1)
        .stderr_has("exists already");
    // The example works as it is, and ticketkpi.toml in the working directory is found.
    let report = ticketkpi([
        "report",
        &format!(
            "{}/sample-data/conversations.csv",
            env!("CARGO_MANIFEST_DIR")
        ),
        "--format",
        "json",
    ])
    .current_dir(dir.path())
    .json();
    assert!(report["overall"]["first_response_business"]["median"].is_number());
    assert_eq!(report["tz"], "Europe/Berlin");
    let policies = report["overall"]["sla"]["policies"]
        .as_array()
        .expect("policies");
    assert_eq!(policies.len(), 3);
    let chat = policies
        .iter()
        .find(|p| p["policy"] == "live chat")
        .expect("live chat");
    assert!(
        chat["tickets"].as_u64().unwrap_or(0) > 0,
        "chat tickets chose the chat policy"
    );
}

#[test]
fn config_mistakes_are_usage_errors_with_their_place() {
    let dir = scratch();
    let path = dir.write(
        "bad.toml",
        "[[sla.policies]]\nname = \"x\"\nschedule = \"nights\"\n",
    );
    ticketkpi(["report", DATA, "--config"])
        .arg(&path)
        .fails_with(2)
        .stderr_has("no schedule named \"nights\"");
}
