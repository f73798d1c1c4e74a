//! Status durations (docs/metrics.md): requester wait (new, open, on hold), agent wait
//! (pending) and on-hold time, per ticket in `tickets` and as distributions in `report`, in
//! calendar time and business hours; null for a ticket export. Figures worked out by hand.

mod common;

use common::{assert_close, at, number, present, report_json, scratch, ticketkpi};
use serde_json::Value;

/// T1: new 09:00, open 09:30 (agent reply), pending 10:00, on hold 11:00, solved 12:00:
/// requester wait 30 + 30 + 60 min = 2 h, agent wait 1 h, on hold 1 h.
/// T2: new 09:00 Monday, pending 09:15, customer reopens (open) Tuesday 09:00, solved 10:00:
/// requester wait 15 min + 1 h, agent wait 23 h 45 min, on hold 0.
const LOG: &str = "\
ticket_id,timestamp,event,author_type,status
T1,2026-03-02T09:00:00Z,message,customer,new
T1,2026-03-02T09:30:00Z,message,agent,open
T1,2026-03-02T10:00:00Z,message,agent,pending
T1,2026-03-02T11:00:00Z,status,agent,on_hold
T1,2026-03-02T12:00:00Z,message,agent,solved
T2,2026-03-02T09:00:00Z,message,customer,new
T2,2026-03-02T09:15:00Z,message,agent,pending
T2,2026-03-03T09:00:00Z,message,customer,open
T2,2026-03-03T10:00:00Z,message,agent,solved
";

/// Office hours 09:00-17:00 UTC on weekdays: T2's pending from Monday 09:15 to Tuesday 09:00
/// is 7 h 45 min of business time.
const OFFICE: &str = "\
[report]
schedule = \"office\"

[schedules.office]
timezone = \"UTC\"
weekdays = [\"09:00-17:00\"]
";

fn ticket<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|row| row["ticket_id"] == id)
        .unwrap_or_else(|| panic!("ticket {id}"))
}

#[test]
fn each_ticket_has_its_requester_wait_agent_wait_and_on_hold_time() {
    let dir = scratch();
    let file = dir.write("log.csv", LOG);
    let rows = ticketkpi(["tickets"])
        .arg(&file)
        .args(["--format", "json"])
        .json();
    let t1 = ticket(&rows, "T1");
    assert_eq!(number(t1, "requester_wait_seconds"), 7200.0);
    assert_eq!(number(t1, "agent_wait_seconds"), 3600.0);
    assert_eq!(number(t1, "on_hold_seconds"), 3600.0);
    let t2 = ticket(&rows, "T2");
    assert_eq!(number(t2, "requester_wait_seconds"), 75.0 * 60.0);
    assert_eq!(
        number(t2, "agent_wait_seconds"),
        (23.0 * 60.0 + 45.0) * 60.0
    );
    assert_eq!(number(t2, "on_hold_seconds"), 0.0);
    assert!(
        at(t1, "requester_wait_business_seconds").is_null(),
        "no schedule"
    );
}

#[test]
fn the_report_has_their_distributions() {
    let dir = scratch();
    let report = report_json(dir.write("log.csv", LOG), &[]);
    let durations = present(&report, "overall.status_durations");
    // Requester waits 7200 and 4500: mean 5850, median 5850.
    assert_close(
        number(durations, "requester_wait.mean"),
        5850.0,
        "requester wait",
    );
    assert_close(
        number(durations, "agent_wait.median"),
        (3600.0 + 85_500.0) / 2.0,
        "agent",
    );
    assert_close(number(durations, "on_hold.mean"), 1800.0, "on hold");
    assert!(
        present(&report, "overall")
            .get("status_durations_business")
            .is_none()
    );
    let text = ticketkpi(["report"]).arg(dir.write("log2.csv", LOG)).text();
    assert!(text.contains("Status durations (per ticket)"), "{text}");
}

#[test]
fn business_hours_count_only_open_hours() {
    let dir = scratch();
    let file = dir.write("log.csv", LOG);
    let config = dir.write("ticketkpi.toml", OFFICE);
    let rows = ticketkpi(["tickets"])
        .arg(&file)
        .args(["--format", "json", "--config"])
        .arg(&config)
        .json();
    let t2 = ticket(&rows, "T2");
    assert_eq!(
        number(t2, "agent_wait_business_seconds"),
        (7.0 * 60.0 + 45.0) * 60.0
    );
    assert_eq!(number(t2, "requester_wait_business_seconds"), 75.0 * 60.0);
    let report = ticketkpi(["report"])
        .arg(&file)
        .args(["--format", "json", "--config"])
        .arg(&config)
        .json();
    let business = present(&report, "overall.status_durations_business");
    assert_close(
        number(business, "agent_wait.mean"),
        (3600.0 + 27_900.0) / 2.0,
        "business agent wait",
    );
}

#[test]
fn a_ticket_export_has_no_status_history() {
    let dir = scratch();
    let file = dir.write(
        "tickets.csv",
        "id,created,solved,status\n1,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,solved\n",
    );
    let mapping = dir.write(
        "mapping.toml",
        "shape = \"tickets\"\n[fields]\nticket_id = \"id\"\ncreated_at = \"created\"\n\
         solved_at = \"solved\"\nstatus = \"status\"\n",
    );
    let report = ticketkpi(["report"])
        .arg(&file)
        .args(["--format", "json", "--mapping"])
        .arg(&mapping)
        .json();
    assert!(at(&report, "overall.status_durations").is_null());
    let entry = present(&report, "availability")
        .as_array()
        .expect("a list")
        .iter()
        .find(|entry| entry["kpi"] == "status_durations")
        .expect("status_durations in availability")
        .clone();
    let reason = entry["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("status history"), "{reason}");
}
