//! The bundled sample's KPIs, checked independently.
//!
//! The expected values were computed by the independent oracle (tests/reference/, written from
//! the contract without reading the Rust code) and spot-checked by hand on single tickets
//! (sample-data/README.md lists a ticket for each situation). The differential test compares
//! every value; this test pins the headline figures so a change to the sample or the
//! definitions is a visible, reviewed change.

use assert_cmd::Command;
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";

fn report(args: &[&str]) -> Value {
    let output = Command::cargo_bin("ticketkpi")
        .expect("binary")
        .arg("report")
        .arg(SAMPLE)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

fn close(value: &Value, expected: f64) {
    let actual = value.as_f64().unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{actual} != {expected}"
    );
}

#[test]
fn sample_headline_kpis() {
    let report = report(&[]);
    assert_eq!(report["input"]["rows"], 2506);
    assert_eq!(report["input"]["rows_rejected"], 0);
    assert_eq!(report["input"]["tickets"], 300);
    assert_eq!(report["as_of"], "2026-03-31T23:33:12Z");
    let o = &report["overall"];
    assert_eq!(o["first_response"]["count"], 266);
    close(&o["first_response"]["median"], 2277.0);
    close(&o["first_response"]["p90"], 50377.0);
    assert_eq!(o["first_response"]["unanswered"], 5);
    assert_eq!(o["response_time"]["count"], 534);
    close(&o["response_time"]["median"], 2410.0);
    assert_eq!(o["resolution_time"]["count"], 283);
    close(&o["resolution_time"]["median"], 45237.0);
    assert_eq!(o["fcr"]["eligible"], 261);
    assert_eq!(o["fcr"]["first_contact"], 98);
    assert_eq!(o["bot_resolution"]["bot_resolved"], 17);
    assert_eq!(o["aht"]["count"], 265);
    close(&o["aht"]["mean"], 926.7207547169811);
    assert_eq!(o["csat"]["responses"], 108);
    assert_eq!(o["csat"]["satisfied"], 78);
    close(&o["nps"]["score"], 30.76923076923077);
    assert_eq!(o["backlog"]["open"], 17);
    assert_eq!(o["backlog"]["age"]["7-30d"], 3);
    assert_eq!(o["sla"]["first_reply"]["met"], 223);
    assert_eq!(o["sla"]["first_reply"]["breached"], 46);
    assert_eq!(o["sla"]["resolution"]["met"], 211);
    assert_eq!(o["sla"]["resolution"]["breached"], 79);
    assert_eq!(o["response_rate"]["closed_without_reply"], 22);
    assert_eq!(o["redirects"]["tickets"], 12);
    assert_eq!(o["sentiment"]["tickets"], 64);
}

#[test]
fn sample_by_channel_adds_up() {
    let report = report(&[]);
    let groups = report["groups"].as_array().expect("groups");
    let channels: Vec<&str> = groups
        .iter()
        .map(|g| g["by"]["channel"].as_str().unwrap_or_default())
        .collect();
    for channel in [
        "email",
        "chat",
        "whatsapp",
        "messenger",
        "instagram",
        "twitter",
        "wechat",
        "phone",
    ] {
        assert!(channels.contains(&channel), "{channel} missing");
    }
    let sum = |path: &[&str]| -> u64 {
        groups
            .iter()
            .map(|g| {
                path.iter()
                    .fold(&g["kpis"], |v, key| &v[key])
                    .as_u64()
                    .unwrap_or(0)
            })
            .sum()
    };
    assert_eq!(sum(&["tickets"]), 300);
    assert_eq!(sum(&["first_response", "count"]), 266);
    assert_eq!(sum(&["backlog", "open"]), 17);
    assert_eq!(sum(&["fcr", "first_contact"]), 98);
}
