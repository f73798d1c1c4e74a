//! Honest numbers on real exports (issue 10): a column the file lacks is unmapped, a KPI the
//! input cannot support is null with its reason, `inspect` and `report` take the same decision,
//! exclusions by design are not faults, and the desk's own figures are used where ours cannot
//! be measured.

mod common;

use common::{at, count, fixture, flat, number, real_data, report_json, ticketkpi};
use serde_json::Value;

fn inspect(file: &std::path::Path, args: &[&str]) -> Value {
    ticketkpi(["inspect"])
        .arg(file)
        .args(args)
        .arg("--json")
        .json()
}

/// The reason the report gives for a null KPI.
fn reason<'r>(report: &'r Value, kpi: &str) -> &'r str {
    let entry = at(report, "availability")
        .as_array()
        .expect("availability")
        .iter()
        .find(|a| a["kpi"] == kpi)
        .unwrap_or_else(|| panic!("{kpi} is listed in availability"));
    assert_eq!(entry["computable"], false, "{kpi} should not be computable");
    entry["reason"].as_str().expect("a reason")
}

#[test]
fn a_zendesk_view_with_only_business_hours_first_replies_is_detected_and_not_made_up() {
    let file = fixture("vendor/zendesk_view_business_hours_only.csv");
    let report = report_json(&file, &[]);
    assert_eq!(
        at(&report, "input.read_as.0.mapping"),
        "zendesk",
        "detected"
    );
    assert_eq!(count(&report, "overall.tickets"), 4);
    // No calendar first-reply column: the calendar FRT and its SLA are unknowable...
    assert!(at(&report, "overall.first_response").is_null());
    assert!(at(&report, "overall.sla.first_reply").is_null());
    assert!(
        reason(&report, "first_response").contains("business hours only"),
        "{}",
        reason(&report, "first_response")
    );
    // ...but the business-hours column says who was answered, and how fast in business time:
    // tickets 1, 2 and 4 after 30, 45 and 600 business minutes; ticket 3 waits.
    assert_eq!(count(&report, "overall.first_response_business.count"), 3);
    assert_eq!(
        number(&report, "overall.first_response_business.median"),
        2700.0
    );
    assert_eq!(count(&report, "overall.response_rate.answered"), 3);
    assert_eq!(count(&report, "overall.response_rate.unanswered"), 1);
    assert_eq!(number(&report, "overall.response_rate.rate"), 0.75);
    // Solved at 2 h and 24 h; Good/Bad/Offered: two ratings, one satisfied.
    assert_eq!(number(&report, "overall.resolution_time.median"), 46_800.0);
    assert_eq!(count(&report, "overall.csat.responses"), 2);
    assert_eq!(number(&report, "overall.csat.rate"), 0.5);
    // No Assignee, no Ticket type, no Via: unmapped, listed so by inspect.
    let inspection = inspect(&file, &[]);
    let fields = at(&inspection, "inputs.0.fields")
        .as_array()
        .expect("fields");
    let source = |field: &str| {
        fields
            .iter()
            .find(|f| f[0] == field)
            .and_then(|f| f[1].as_str())
            .unwrap_or_else(|| panic!("{field} is described"))
            .to_owned()
    };
    assert!(source("first_reply_seconds").starts_with("unmapped"));
    assert!(source("agent").contains("unmapped"));
    assert_eq!(
        source("first_reply_business_seconds"),
        "First reply time in minutes within business hours"
    );
}

#[test]
fn a_freshdesk_export_without_a_first_response_column_has_no_response_rate() {
    let file = fixture("vendor/freshdesk_subset_no_first_response.csv");
    let report = report_json(&file, &[]);
    assert_eq!(at(&report, "input.read_as.0.mapping"), "freshdesk");
    for kpi in ["first_response", "response_rate", "csat"] {
        assert!(at(&report, &format!("overall.{kpi}")).is_null(), "{kpi}");
    }
    assert!(
        reason(&report, "response_rate").contains("'Initial response time'"),
        "{}",
        reason(&report, "response_rate")
    );
    assert!(reason(&report, "csat").contains("'Survey results'"));
    assert_eq!(number(&report, "overall.resolution_time.median"), 10_800.0);
    assert_eq!(
        number(&report, "overall.interactions.replies_per_solved_ticket"),
        2.0
    );
}

#[test]
fn one_channel_and_no_bot_leave_redirects_and_bot_resolution_unknowable() {
    let report = report_json(fixture("trust/one_channel_no_bot.csv"), &[]);
    assert!(at(&report, "overall.redirects").is_null());
    assert_eq!(
        reason(&report, "redirects"),
        "every message row has the same channel"
    );
    assert!(at(&report, "overall.bot_resolution").is_null());
    assert_eq!(
        reason(&report, "bot_resolution"),
        "no bot messages in this input"
    );
    // What the log does support is there: 2 of 3 answered.
    assert_eq!(number(&report, "overall.response_rate.answered"), 2.0);
    for kpi in ["aht", "csat", "nps", "sentiment"] {
        assert!(at(&report, &format!("overall.{kpi}")).is_null(), "{kpi}");
        assert!(reason(&report, kpi).contains("no column"), "{kpi}");
    }
}

#[test]
fn a_status_log_has_no_message_kpis() {
    let report = report_json(fixture("trust/status_only.csv"), &[]);
    for kpi in [
        "first_response",
        "response_time",
        "response_rate",
        "fcr",
        "bot_resolution",
        "redirects",
    ] {
        assert!(at(&report, &format!("overall.{kpi}")).is_null(), "{kpi}");
    }
    assert!(at(&report, "overall.interactions.replies_per_solved_ticket").is_null());
    assert!(reason(&report, "fcr").contains("no message rows"));
    assert_eq!(count(&report, "overall.backlog.open"), 1);
    assert_eq!(number(&report, "overall.resolution_time.median"), 3600.0);
}

#[test]
fn customer_messages_without_agents_are_not_a_zero_response_rate() {
    let report = report_json(fixture("trust/customers_only.csv"), &[]);
    assert!(at(&report, "overall.response_rate").is_null());
    assert!(at(&report, "overall.first_response").is_null());
    assert!(reason(&report, "response_rate").contains("no agent replies"));
    // Two channels across the log: redirects can be measured (A moved from chat to e-mail).
    assert_eq!(count(&report, "overall.redirects.tickets"), 1);
}

#[test]
fn exclusions_by_design_are_not_faults() {
    let file = fixture("vendor/seelab_calls_with_phantom.txt");
    let output = ticketkpi(["report"])
        .arg(&file)
        .args(["--format", "json", "--strict"])
        .success();
    let report: Value = serde_json::from_str(&output.stdout).expect("json");
    assert_eq!(at(&report, "input.read_as.0.mapping"), "callcenter");
    assert_eq!(count(&report, "input.rows"), 3);
    assert_eq!(count(&report, "input.rows_used"), 2);
    assert_eq!(count(&report, "input.rows_rejected"), 0);
    assert_eq!(count(&report, "input.rows_excluded"), 1);
    assert_eq!(count(&report, "input.excluded_by_value.outcome=PHANTOM"), 1);
    assert_eq!(count(&report, "data_quality.rows_rejected"), 0);
    let table = flat(&ticketkpi(["report"]).arg(&file).success().stdout);
    assert!(
        table.contains("Excluded by design (not errors): outcome=PHANTOM 1."),
        "{table}"
    );
    assert!(table.contains("1 excluded by the mapping"), "{table}");
}

#[test]
fn default_sla_targets_are_marked_and_configured_ones_are_not() {
    let small = fixture("small.csv");
    let defaults = report_json(&small, &[]);
    assert_eq!(defaults["sla_targets"], "default");
    let table = flat(&ticketkpi(["report"]).arg(&small).success().stdout);
    assert!(table.contains("default targets"), "{table}");
    assert!(table.contains("SLA targets: the defaults"), "{table}");
    let configured = report_json(fixture("sla.csv"), &["--config", "tests/fixtures/sla.toml"]);
    assert_eq!(configured["sla_targets"], "config");
}

#[test]
fn a_preset_reads_local_times_in_its_declared_zone_and_marks_its_proxies() {
    let Some(file) = real_data("helpdesk-4tu/helpdesk_completed_cases_nkwachiabel.csv") else {
        return;
    };
    let report = report_json(&file, &[]);
    assert_eq!(at(&report, "input.read_as.0.tz"), "Europe/Rome");
    let caveat = at(&report, "availability")
        .as_array()
        .expect("availability")
        .iter()
        .find(|a| a["kpi"] == "fcr")
        .and_then(|a| a["caveat"].as_str())
        .expect("the FCR of a process log carries a caveat");
    assert!(caveat.contains("taken in charge once"), "{caveat}");
    let table = flat(&ticketkpi(["report"]).arg(&file).success().stdout);
    assert!(
        table.contains("Note on first contact resolution: taken in charge once"),
        "{table}"
    );
    assert!(table.contains("read in Europe/Rome"), "{table}");
}

#[test]
fn servicenow_reports_its_own_sla_verdict_beside_ours() {
    let Some(file) =
        real_data("uci-incident-event-log/incident_event_log_original_first119998rows.csv")
    else {
        return;
    };
    let report = report_json(&file, &[]);
    // Independently: the last update (highest sys_mod_count, the later row on a tie) of each
    // incident, and its made_sla.
    let mut reader = csv::Reader::from_path(&file).expect("reads");
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (number_col, mods_col, made_sla_col) = (
        column("number"),
        column("sys_mod_count"),
        column("made_sla"),
    );
    let mut last: std::collections::HashMap<String, (u64, bool)> = Default::default();
    for record in reader.records() {
        let record = record.expect("record");
        let mods: u64 = record[mods_col].parse().expect("sys_mod_count");
        let made = &record[made_sla_col] == "true";
        let entry = last
            .entry(record[number_col].to_owned())
            .or_insert((mods, made));
        if mods >= entry.0 {
            *entry = (mods, made);
        }
    }
    let met = last.values().filter(|(_, made)| *made).count() as u64;
    let breached = last.len() as u64 - met;
    assert_eq!(count(&report, "overall.desk_sla.resolution.met"), met);
    assert_eq!(
        count(&report, "overall.desk_sla.resolution.breached"),
        breached
    );
    let attainment = number(&report, "overall.desk_sla.resolution.attainment");
    println!(
        "ServiceNow made_sla attainment: {attainment:.4} ({met} of {})",
        last.len()
    );
    assert!((attainment - 0.606).abs() < 0.0005, "{attainment}");
    assert!(at(&report, "overall.desk_sla.first_reply").is_null());
    assert_eq!(report["sla_targets"], "default");
}

/// Every input the project knows, read as it would be: the presets by detection, the other
/// real datasets with their mapping.
fn every_input() -> Vec<(std::path::PathBuf, Vec<String>)> {
    let mut inputs: Vec<(std::path::PathBuf, Vec<String>)> = [
        "small.csv",
        "presets/zendesk.csv",
        "presets/zendesk.jsonl",
        "presets/freshdesk.csv",
        "vendor/zendesk_view_business_hours_only.csv",
        "vendor/freshdesk_subset_no_first_response.csv",
        "vendor/seelab_calls_with_phantom.txt",
        "trust/one_channel_no_bot.csv",
        "trust/status_only.csv",
        "trust/customers_only.csv",
        "helpdesks/intercom_conversation_list.json",
        "helpdesks/intercom_conversations.jsonl",
        "helpdesks/helpscout_conversations_page.json",
        "helpdesks/servicenow_incident_list.csv",
        "helpdesks/jira_service_management.csv",
        "helpdesks/chatwoot/conversations.jsonl",
        "helpdesks/gorgias/tickets.jsonl",
        "helpdesks/front/events_page.json",
    ]
    .iter()
    .map(|name| (fixture(name), Vec::new()))
    .collect();
    inputs.push(("sample-data/conversations.csv".into(), Vec::new()));
    let real: [(&str, Option<&str>); 11] = [
        ("twcs-head/twcs_head5000.csv", None),
        (
            "anonymous-bank-callcenter/data_anonymous_bank_february.txt",
            None,
        ),
        ("helpdesk-4tu/helpdesk_full_4tu.csv", None),
        (
            "helpdesk-4tu/helpdesk_completed_cases_nkwachiabel.csv",
            None,
        ),
        ("helpdesk-tax2017/helpdesk.csv", Some("helpdesk-tax2017")),
        (
            "bpic2013-incidents/VINST-new_ibm.csv",
            Some("bpic2013-incidents"),
        ),
        (
            "bpic2013-incidents/bpi_13_incidents.csv",
            Some("bpic2013-incidents-numeric"),
        ),
        (
            "uci-incident-event-log/incident_event_log_original_first119998rows.csv",
            None,
        ),
        (
            "uci-incident-event-log/incident_event_log_full_prefixes_stripped.csv",
            Some("uci-incident-event-log-stripped"),
        ),
        (
            "comcast-complaints/Comcast_telecom_complaints_data.csv",
            Some("comcast-complaints"),
        ),
        (
            "kaggle-customer-support-tickets-synthetic/customer_support_tickets_closed_subset.csv",
            Some("kaggle-customer-support-tickets-synthetic"),
        ),
    ];
    for (relative, mapping) in real {
        let Some(file) = real_data(relative) else {
            break;
        };
        let args = mapping
            .map(|name| {
                vec![
                    "--mapping".to_owned(),
                    format!("examples/mappings/{name}.toml"),
                ]
            })
            .unwrap_or_default();
        inputs.push((file, args));
    }
    inputs
}

/// The KPI block's value for an availability key (a missing member is null).
fn kpi<'v>(block: &'v Value, key: &str) -> &'v Value {
    at(block, key)
}

#[test]
fn inspect_and_report_agree_on_every_kpi_of_every_input() {
    for (file, args) in every_input() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let shown = file.display().to_string();
        let report = report_json(&file, &[args.as_slice(), &["--skip-invalid"]].concat());
        let inspection = inspect(&file, &args);
        assert_eq!(
            report["availability"], inspection["kpis"],
            "{shown}: report and inspect disagree on what the input supports"
        );
        let blocks: Vec<&Value> = std::iter::once(&report["overall"])
            .chain(
                report["groups"]
                    .as_array()
                    .expect("groups")
                    .iter()
                    .map(|g| &g["kpis"]),
            )
            .collect();
        for entry in report["availability"].as_array().expect("availability") {
            let key = entry["kpi"].as_str().expect("key");
            let computable = entry["computable"] == true;
            assert_eq!(
                entry["reason"].is_null(),
                computable,
                "{shown}: {key} has a reason exactly when it is not computable"
            );
            for block in &blocks {
                let value = kpi(block, key);
                if !computable {
                    assert!(
                        value.is_null(),
                        "{shown}: {key} is not computable ({}) but the report says {value}",
                        entry["reason"]
                    );
                }
            }
            // A computable KPI is reported overall (business-hours figures only with a
            // schedule or the desk's column, which `computable` already says).
            if computable {
                assert!(
                    !kpi(&report["overall"], key).is_null(),
                    "{shown}: {key} is computable but null overall"
                );
            }
        }
    }
}
