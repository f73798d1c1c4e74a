//! The JSON report against its schema (docs/schema/report.schema.json, draft 2020-12): every
//! golden JSON report, and the reports of the sample data, the vendor and preset fixtures and
//! the real exports in the shapes the options give them (--period, --by, a schedule, rejected
//! rows). The schema is strict (closed objects, required members, types and nullability), and
//! the last tests check that it rejects what breaks that contract.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{real_data, report_json, scratch, ticketkpi};
use serde_json::{Value, json};

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(&ticketkpi(["schema"]).text())
            .expect("ticketkpi schema prints JSON");
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema is a valid draft 2020-12 schema")
    })
}

/// What the schema finds wrong with `report`: one line per error, with where it is.
fn violations(report: &Value) -> Vec<String> {
    validator()
        .iter_errors(report)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn assert_valid(report: &Value, what: &str) {
    let found = violations(report);
    assert!(
        found.is_empty(),
        "{what}: the report breaks its schema:\n{}",
        found.join("\n")
    );
}

fn assert_invalid(report: &Value, what: &str) {
    assert!(
        !violations(report).is_empty(),
        "the schema accepts a report with {what}"
    );
}

fn assert_report_valid(file: impl AsRef<Path>, args: &[&str]) {
    let file = file.as_ref();
    let report = report_json(file, args);
    assert_valid(&report, &format!("{} {}", file.display(), args.join(" ")));
}

#[test]
fn the_printed_schema_is_the_repository_file_and_a_valid_2020_12_schema() {
    let printed = ticketkpi(["schema"]).text();
    let file = std::fs::read_to_string("docs/schema/report.schema.json").expect("the schema file");
    assert_eq!(printed, file);
    let schema: Value = serde_json::from_str(&printed).expect("JSON");
    let meta = jsonschema::meta::validate(&schema);
    assert!(meta.is_ok(), "not a valid schema: {meta:?}");
    assert_eq!(schema["properties"]["schema_version"]["const"], 2);
}

#[test]
fn every_golden_json_report_is_valid() {
    let mut checked = Vec::new();
    for entry in std::fs::read_dir("tests/snapshots").expect("tests/snapshots") {
        let path = entry.expect("a snapshot").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".snap") || !name.contains("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a snapshot");
        // insta's header is the block between the first two `---` lines.
        let body = text.splitn(3, "---\n").nth(2).expect("an insta snapshot");
        let value: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{name}: a JSON snapshot that is not JSON: {e}"));
        // The tickets list is an array of rows, not the report.
        if value.get("schema_version").is_some() {
            assert_valid(&value, name);
            checked.push(name.to_owned());
        }
    }
    assert!(
        checked.contains(&"golden__report_json.snap".to_owned()),
        "the golden JSON report was not found: {checked:?}"
    );
}

#[test]
fn sample_data_reports_are_valid_with_every_breakdown() {
    let sample = "sample-data/conversations.csv";
    assert_report_valid(sample, &[]);
    assert_report_valid(sample, &["--period", "day"]);
    assert_report_valid(sample, &["--period", "week", "--by", "agent"]);
    assert_report_valid(sample, &["--period", "month", "--by", "team"]);
    assert_report_valid(sample, &["--by", "channel", "--by", "priority"]);
    assert_report_valid(sample, &["--by", "category", "--tz", "Europe/Paris"]);
    assert_report_valid(sample, &["--since", "2026-03-10", "--until", "2026-03-20"]);
}

#[test]
fn a_report_with_a_schedule_and_policies_is_valid_and_has_business_hours() {
    let report = report_json(
        "tests/fixtures/sla.csv",
        &["--config", "tests/fixtures/sla.toml", "--period", "week"],
    );
    assert!(
        report["overall"].get("first_response_business").is_some(),
        "the schedule adds the *_business members"
    );
    assert_valid(&report, "sla.csv with sla.toml");
}

#[test]
fn preset_and_vendor_fixtures_give_valid_reports() {
    let mut fixtures = Vec::new();
    for folder in [
        "tests/fixtures/presets",
        "tests/fixtures/vendor",
        "tests/fixtures/trust",
    ] {
        for entry in std::fs::read_dir(folder).expect("a fixture folder") {
            fixtures.push(entry.expect("a fixture").path());
        }
    }
    fixtures.sort();
    assert!(fixtures.len() >= 15, "fixtures: {fixtures:?}");
    for fixture in &fixtures {
        assert_report_valid(fixture, &["--skip-invalid"]);
    }
    assert_report_valid(
        "tests/fixtures/periods/callcenter.txt",
        &["--period", "week"],
    );
}

#[test]
fn a_report_with_rejected_rows_and_an_empty_report_are_valid() {
    let dir = scratch();
    let rows = "ticket_id,timestamp,event,author_type,channel\n\
                A,2026-03-01T09:00:00Z,message,customer,email\n\
                B,not a time,message,customer,chat\n\
                A,2026-03-01T09:30:00Z,message,agent,email\n";
    let bad = dir.write("bad.csv", rows);
    let report = report_json(&bad, &["--skip-invalid"]);
    assert_eq!(report["input"]["rejects_by_reason"]["bad_timestamp"], 1);
    assert_valid(&report, "a report with a rejected row");
    // Every row rejected: no as_of, every distribution empty.
    let only_bad = dir.write(
        "only_bad.csv",
        "ticket_id,timestamp,event,author_type\nB,never,message,customer\n",
    );
    let report = report_json(&only_bad, &["--skip-invalid", "--period", "day"]);
    assert_eq!(report["as_of"], Value::Null);
    assert_valid(&report, "a report without a valid row");
}

#[test]
fn real_exports_read_with_presets_and_mappings_give_valid_reports() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "twcs-head/twcs_head5000.csv",
            &["--preset", "twitter", "--period", "day"],
        ),
        (
            "anonymous-bank-callcenter/data_anonymous_bank_february.txt",
            &["--preset", "callcenter", "--by", "agent"],
        ),
        (
            "helpdesk-tax2017/helpdesk.csv",
            &[
                "--mapping",
                "examples/mappings/helpdesk-tax2017.toml",
                "--period",
                "month",
            ],
        ),
        (
            "comcast-complaints/Comcast_telecom_complaints_data.csv",
            &[
                "--mapping",
                "examples/mappings/comcast-complaints.toml",
                "--by",
                "channel",
            ],
        ),
        (
            "kaggle-customer-support-tickets-synthetic/customer_support_tickets_closed_subset.csv",
            &[
                "--mapping",
                "examples/mappings/kaggle-customer-support-tickets-synthetic.toml",
                "--by",
                "priority",
            ],
        ),
    ];
    for (relative, args) in cases {
        let Some(file) = real_data(relative) else {
            return;
        };
        let mut args = args.to_vec();
        args.push("--skip-invalid");
        assert_report_valid(&file, &args);
    }
}

/// A valid report to break in the tests below.
fn valid_report() -> Value {
    let report = report_json("tests/fixtures/small.csv", &["--period", "week"]);
    assert_valid(&report, "small.csv");
    report
}

#[test]
fn the_schema_rejects_unknown_members_where_the_report_is_closed() {
    let report = valid_report();
    for pointer in [
        "",
        "/input",
        "/overall",
        "/overall/sla",
        "/groups/0/kpis/csat",
    ] {
        let mut broken = report.clone();
        let object = broken
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{pointer} is an object"));
        object.insert("surprise".to_owned(), json!(1));
        assert_invalid(&broken, &format!("an unknown member at {pointer:?}"));
    }
}

#[test]
fn the_schema_rejects_missing_members_wrong_types_and_out_of_range_values() {
    let report = valid_report();
    let mut missing = report.clone();
    missing["overall"]
        .as_object_mut()
        .expect("overall")
        .remove("csat");
    assert_invalid(&missing, "no overall.csat");
    let breaks: [(&str, Value); 8] = [
        ("/schema_version", json!(3)),
        ("/overall/tickets", json!("8")),
        ("/overall/tickets", json!(-1)),
        ("/overall/fcr/rate", json!(1.5)),
        ("/overall/first_response/median", json!(-60.0)),
        ("/overall/volume", Value::Null),
        ("/periods/0/start", json!("last Monday")),
        ("/group_by/0", json!("weather")),
    ];
    for (pointer, value) in breaks {
        let mut broken = report.clone();
        *broken
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} is in the report")) = value.clone();
        assert_invalid(&broken, &format!("{pointer} = {value}"));
    }
}

#[test]
fn the_schema_requires_a_reason_for_every_kpi_the_input_cannot_support() {
    let mut report = valid_report();
    let availability = report["availability"].as_array_mut().expect("availability");
    let unsupported = availability
        .iter_mut()
        .find(|a| a["computable"] == false)
        .expect("small.csv has no schedule, so a business-hours KPI is not computable");
    unsupported["reason"] = Value::Null;
    assert_invalid(&report, "a KPI not computable without a reason");
}

#[test]
fn a_report_compared_with_a_baseline_is_valid() {
    let dir = scratch();
    let sample = "sample-data/conversations.csv";
    let baseline = dir.path().join("before.json");
    ticketkpi([
        "report", sample, "--format", "json", "-q", "--period", "week",
    ])
    .args(["--until", "2026-03-20", "-o"])
    .arg(&baseline)
    .success();
    let report = ticketkpi([
        "report", sample, "--format", "json", "-q", "--period", "week",
    ])
    .arg("--baseline")
    .arg(&baseline)
    .json();
    assert!(report["overall"]["first_response"].get("change").is_some());
    assert!(report["periods"][0].get("change").is_some());
    assert_valid(&report, "a report with --baseline");
    let mut broken = report.clone();
    broken["overall"]["first_response"]["change"]["median"] = json!("faster");
    assert_invalid(&broken, "a change that is no number");
}
