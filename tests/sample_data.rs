//! The bundled sample's KPIs, checked independently.
//!
//! The expected values were computed by the independent oracle (tests/reference/, written from
//! the contract without reading the Rust code) and spot-checked by hand on single tickets
//! (sample-data/README.md lists a ticket for each situation). The differential test compares
//! every value; this test pins the headline figures so a change to the sample or the
//! definitions is a visible, reviewed change.

mod common;

use common::{assert_close, number, report_json};

const SAMPLE: &str = "sample-data/conversations.csv";

#[test]
fn sample_headline_kpis() {
    let report = report_json(SAMPLE, &[]);
    assert_eq!(report["input"]["rows"], 2506);
    assert_eq!(report["input"]["rows_rejected"], 0);
    assert_eq!(report["input"]["tickets"], 300);
    assert_eq!(report["as_of"], "2026-03-31T23:33:12Z");
    let o = &report["overall"];
    assert_eq!(o["first_response"]["count"], 266);
    assert_close(
        number(o, "first_response.median"),
        2277.0,
        "first_response.median",
    );
    assert_close(
        number(o, "first_response.p90"),
        50377.0,
        "first_response.p90",
    );
    assert_eq!(o["first_response"]["unanswered"], 5);
    assert_eq!(o["response_time"]["count"], 534);
    assert_close(
        number(o, "response_time.median"),
        2410.0,
        "response_time.median",
    );
    assert_eq!(o["resolution_time"]["count"], 283);
    assert_close(
        number(o, "resolution_time.median"),
        45237.0,
        "resolution_time.median",
    );
    assert_eq!(o["fcr"]["eligible"], 261);
    assert_eq!(o["fcr"]["first_contact"], 98);
    assert_eq!(o["bot_resolution"]["bot_resolved"], 17);
    assert_eq!(o["aht"]["count"], 265);
    assert_close(number(o, "aht.mean"), 926.7207547169811, "aht.mean");
    assert_eq!(o["csat"]["responses"], 108);
    assert_eq!(o["csat"]["satisfied"], 78);
    assert_close(number(o, "nps.score"), 30.76923076923077, "nps.score");
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
    let report = report_json(SAMPLE, &[]);
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
