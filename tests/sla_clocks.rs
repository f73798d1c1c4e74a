//! SLA clocks through the binary: a solve stops a next-reply clock as a reply would (issue 10,
//! item 7). The case is sample-data's T000012, solved three minutes after the customer's last
//! message, which was listed as an open next-reply breach overrun by almost a week.

mod common;

use common::ticketkpi;
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";
const CONFIG: &str = "examples/ticketkpi.toml";

/// T000012's rows as the sample has them (default policy: next reply 8 business hours in
/// the `support` schedule, pending pauses the clocks).
const T000012: &str = "\
ticket_id,timestamp,event,author_type,channel,agent,team,priority,category,status,csat,handle_seconds,talk_seconds,hold_seconds,acw_seconds,nps,sentiment
T000012,2026-03-02T11:48:31Z,message,customer,wechat,,,low,technical,,,,,,,,-0.23
T000012,2026-03-02T11:49:05Z,message,customer,wechat,,,low,technical,,,,,,,,-0.37
T000012,2026-03-02T11:53:25Z,message,customer,wechat,,,low,technical,,,,,,,,-0.39
T000012,2026-03-02T12:02:26Z,message,customer,wechat,,,low,technical,,,,,,,,-0.17
T000012,2026-03-02T12:48:02Z,message,agent,wechat,Sami,social-care,low,technical,pending,,443,,,,,
T000012,2026-03-02T13:29:23Z,message,customer,wechat,,social-care,low,technical,open,,,,,,,0.14
T000012,2026-03-02T13:39:40Z,note,agent,wechat,Sami,social-care,low,technical,,,,,,,,
T000012,2026-03-02T13:52:23Z,message,agent,wechat,Sami,social-care,low,technical,pending,,87,,,,,
T000012,2026-03-02T14:18:24Z,message,customer,wechat,,social-care,low,technical,open,,,,,,,-0.01
T000012,2026-03-02T14:21:35Z,status,agent,wechat,Sami,social-care,low,technical,solved,,,,,,,
T000012,2026-03-02T16:58:11Z,rating,customer,wechat,,social-care,low,technical,,5,,,,,,
T000012,2026-03-06T14:56:41Z,status,,wechat,,social-care,low,technical,closed,,,,,,,
";

/// `ticketkpi ARGS --config CONFIG --format json`, reading `stdin`.
fn run(args: &[&str], stdin: &str) -> Value {
    ticketkpi(args)
        .args(["--config", CONFIG, "--format", "json"])
        .stdin(stdin)
        .json()
}

fn next_reply(sla: &Value) -> &Value {
    &sla["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .find(|p| p["policy"] == "default")
        .expect("the default policy")["next_reply"]
}

#[test]
fn t000012_solved_three_minutes_after_the_customer_wrote_met_its_next_reply() {
    let sla = run(&["sla", "-"], T000012);
    let next = next_reply(&sla);
    // 13:29 -> reply 13:52, and 14:18 -> solved 14:21: both within 8 business hours.
    assert_eq!(next["met"], 2, "{next}");
    assert_eq!(next["breached"], 0, "{next}");
    assert_eq!(next["running"], 0, "a solved ticket has no running clock");
    let breaches = run(&["sla", "-", "--breaches"], T000012);
    assert_eq!(breaches, Value::Array(Vec::new()), "nothing breached");
}

#[test]
fn a_solve_after_the_target_passed_is_a_breach_fulfilled_at_the_solve() {
    // The same ticket, solved only on Wednesday at 14:21: the customer's 14:18 message
    // waited past its 8 business hours (due Tuesday 14:48 UTC) before the solve.
    let late = T000012.replace("2026-03-02T14:21:35Z,status", "2026-03-04T14:21:35Z,status");
    let breaches = run(&["sla", "-", "--breaches"], &late);
    let list = breaches.as_array().expect("a list");
    let next: Vec<&Value> = list
        .iter()
        .filter(|b| b["target"] == "next_reply")
        .collect();
    assert_eq!(next.len(), 1, "{list:?}");
    assert_eq!(next[0]["started_at"], "2026-03-02T14:18:24Z");
    assert_eq!(next[0]["due_at"], "2026-03-03T14:48:24Z");
    assert_eq!(next[0]["fulfilled_at"], "2026-03-04T14:21:35Z");
    // On the clock (09:00-12:00 and 13:00-17:30 Berlin): Monday 15:18 to 17:30, Tuesday's
    // 7h 30m, Wednesday 09:00 to 15:21: 15h 3m 11s, of which 8 h were the target.
    assert_eq!(next[0]["elapsed_seconds"], 54_191.0);
    assert_eq!(next[0]["overrun_seconds"], 25_391.0);
}

#[test]
fn no_open_next_reply_breach_on_a_solved_sample_ticket() {
    let breaches = run(&["sla", SAMPLE, "--breaches"], "");
    let tickets = run(&["tickets", SAMPLE], "");
    let solved = |id: &Value| {
        tickets
            .as_array()
            .expect("tickets")
            .iter()
            .find(|t| &t["ticket_id"] == id)
            .is_some_and(|t| t["status"] == "solved" || t["status"] == "closed")
    };
    let next: Vec<&Value> = breaches
        .as_array()
        .expect("a list")
        .iter()
        .filter(|b| b["target"] == "next_reply")
        .collect();
    assert!(!next.is_empty(), "the sample has real next-reply breaches");
    assert!(next.iter().all(|b| b["ticket_id"] != "T000012"));
    for breach in &next {
        if breach["fulfilled_at"].is_null() {
            assert!(
                !solved(&breach["ticket_id"]),
                "an open next-reply clock on a solved ticket: {breach}"
            );
        }
    }
    let t000012 = tickets
        .as_array()
        .expect("tickets")
        .iter()
        .find(|t| t["ticket_id"] == "T000012")
        .expect("T000012");
    assert_eq!(t000012["sla_next_reply_breaches"], 0);
}
