//! `--baseline PREVIOUS.json`: every KPI with its previous value and change (JSON beside each
//! value, table an arrow and the delta, HTML the tiles); a baseline of another schema version
//! is refused. The schema check of a compared report is in tests/schema.rs.

mod common;

use std::path::{Path, PathBuf};

use common::{Scratch, at, scratch, ticketkpi};
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";

/// The sample's report as of the 20th of March (an earlier night), written to the scratch
/// folder: the baseline.
fn earlier(dir: &Scratch) -> PathBuf {
    let path = dir.path().join("monday.json");
    ticketkpi(["report", SAMPLE, "--format", "json", "-q"])
        .args([
            "--until",
            "2026-03-20",
            "--as-of",
            "2026-03-20T23:59:59Z",
            "-o",
        ])
        .arg(&path)
        .success();
    path
}

fn compared(baseline: &Path, args: &[&str]) -> Value {
    ticketkpi(["report", SAMPLE, "--format", "json", "-q", "--baseline"])
        .arg(baseline)
        .args(args)
        .json()
}

#[test]
fn every_number_of_a_kpi_gets_its_previous_value_and_change_beside_it() {
    let dir = scratch();
    let baseline_path = earlier(&dir);
    let before: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline_path).expect("the baseline"))
            .expect("JSON");
    let now = compared(&baseline_path, &[]);
    for member in [
        "first_response.median",
        "first_response.count",
        "sla.first_reply.attainment",
        "backlog.open",
        "csat.rate",
        "fcr.rate",
        "aht.mean",
    ] {
        let (object, name) = member.rsplit_once('.').expect("a member");
        let value = at(&now["overall"], member);
        let was = at(&before["overall"], member);
        assert_eq!(
            at(&now["overall"], &format!("{object}.previous.{name}")),
            was,
            "{member}: previous"
        );
        let change = at(&now["overall"], &format!("{object}.change.{name}"));
        let expected = value.as_f64().expect("a number") - was.as_f64().expect("a number");
        common::assert_close(change.as_f64().expect("a change"), expected, member);
    }
    assert_eq!(
        now["overall"]["previous"]["tickets"],
        before["overall"]["tickets"]
    );
    assert_eq!(now["baseline"]["as_of"], "2026-03-20T23:59:59Z");
    assert_eq!(now["schema_version"], 2, "an additive change");
}

#[test]
fn groups_are_compared_with_the_same_group_and_maps_are_left_alone() {
    let dir = scratch();
    let baseline = earlier(&dir);
    let now = compared(&baseline, &[]);
    let email = now["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["by"]["channel"] == "email")
        .expect("email");
    assert!(
        email["kpis"]["change"]["tickets"]
            .as_i64()
            .expect("a count")
            > 0
    );
    let share = &now["overall"]["volume"]["channel_share"];
    assert!(share.get("previous").is_none(), "{share}");
    // A breakdown the baseline does not have is not compared.
    let by_agent = compared(&baseline, &["--by", "agent"]);
    assert!(by_agent["groups"][0]["kpis"].get("change").is_none());
}

#[test]
fn the_same_report_as_baseline_changes_nothing() {
    let dir = scratch();
    let path = dir.path().join("today.json");
    ticketkpi(["report", SAMPLE, "--format", "json", "-q", "-o"])
        .arg(&path)
        .success();
    let now = compared(&path, &[]);
    assert_eq!(now["overall"]["backlog"]["change"]["open"], 0);
    assert_eq!(now["overall"]["csat"]["change"]["rate"], 0.0);
    let table = ticketkpi(["report", SAMPLE, "-q", "--baseline"])
        .arg(&path)
        .text();
    assert!(table.contains("Since the baseline"), "{table}");
    assert!(table.contains("→ +0"), "{table}");
    assert!(!table.contains('↑') && !table.contains('↓'), "{table}");
}

#[test]
fn the_table_shows_an_arrow_and_the_delta_of_each_headline_kpi() {
    let dir = scratch();
    let baseline = earlier(&dir);
    let table = ticketkpi(["report", SAMPLE, "-q", "--baseline"])
        .arg(&baseline)
        .text();
    let section = table
        .split_once("Since the baseline")
        .map(|(_, section)| section)
        .expect("the comparison section");
    assert!(
        section.contains("(as of 2026-03-20 23:59 UTC)"),
        "{section}"
    );
    assert!(section.contains("Tickets"), "{section}");
    assert!(section.contains("↑ +101"), "{section}");
    assert!(section.contains("pts (better)") || section.contains("pts (worse)"));
}

#[test]
fn the_html_tiles_show_the_baseline_and_the_change() {
    let dir = scratch();
    let baseline = earlier(&dir);
    let page = ticketkpi(["report", SAMPLE, "-q", "--format", "html", "--baseline"])
        .arg(&baseline)
        .text();
    let tiles = page.matches("class=\"change baseline\"").count();
    assert!(tiles >= 5, "{tiles} tiles compared");
    assert!(page.contains("Baseline: 199"), "the tickets tile");
    assert!(page.contains("↑ +101"));
    let plain = ticketkpi(["report", SAMPLE, "-q", "--format", "html"]).text();
    assert!(!plain.contains("change baseline"));
}

#[test]
fn thresholds_read_the_change() {
    let dir = scratch();
    let baseline = earlier(&dir);
    ticketkpi(["report", SAMPLE, "-q", "--format", "json", "--baseline"])
        .arg(&baseline)
        .args(["--fail-if", "change.tickets > 100"])
        .fails_with(4)
        .stderr_has("change.tickets is 101");
    // Without a baseline there is no change to read: unknown.
    ticketkpi(["report", SAMPLE, "-q", "--format", "json"])
        .args(["--fail-if", "change.tickets > 100"])
        .success()
        .stderr_has("is unknown");
}

#[test]
fn a_baseline_of_another_schema_version_is_refused() {
    let dir = scratch();
    let old = dir.write(
        "v1.json",
        r#"{"schema_version": 1, "overall": {"tickets": 3}}"#,
    );
    ticketkpi(["report", SAMPLE, "--baseline"])
        .arg(&old)
        .fails_with(2)
        .stderr_has("'--baseline'")
        .stderr_has("a report of schema_version 1, and this ticketkpi writes version 2");
    let tickets = dir.write(
        "tickets.json",
        ticketkpi(["tickets", SAMPLE, "--format", "json"]).text(),
    );
    ticketkpi(["report", SAMPLE, "--baseline"])
        .arg(&tickets)
        .fails_with(2)
        .stderr_has("no ticketkpi JSON report");
    let text = dir.write("notes.txt", "yesterday was fine");
    ticketkpi(["report", SAMPLE, "--baseline"])
        .arg(&text)
        .fails_with(2)
        .stderr_has("it is not JSON");
    ticketkpi(["report", SAMPLE, "--baseline", "no/such.json"])
        .fails_with(2)
        .stderr_has("cannot read it");
}

#[test]
fn csv_and_markdown_do_not_take_a_baseline() {
    let dir = scratch();
    let baseline = earlier(&dir);
    for format in ["csv", "markdown"] {
        ticketkpi(["report", SAMPLE, "--format", format, "--baseline"])
            .arg(&baseline)
            .fails_with(2)
            .stderr_has("json, table and html");
    }
}

#[test]
fn the_baseline_may_be_the_file_the_report_replaces() {
    let dir = scratch();
    let latest = earlier(&dir);
    ticketkpi(["report", SAMPLE, "-q", "--format", "json", "--baseline"])
        .arg(&latest)
        .arg("-o")
        .arg(&latest)
        .success();
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&latest).expect("written")).expect("JSON");
    assert_eq!(written["overall"]["tickets"], 300);
    assert_eq!(written["overall"]["change"]["tickets"], 101);
}
