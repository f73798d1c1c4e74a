//! Values real exports carry never stop the run: help-desk-defined statuses are read by keyword,
//! every Freshdesk survey label is a score, deleted and spam tickets are excluded, placeholder
//! dates are empty, unknown priorities are counted. Each is listed under data quality as a note.
//! Every expected value is worked out by hand in the comments.

mod common;

use common::{flat, report_json, scratch, ticketkpi};
use serde_json::{Value, json};

const FRESHDESK: &str = "tests/fixtures/vendor/freshdesk_custom_values.csv";
const ZENDESK: &str = "tests/fixtures/vendor/zendesk_csv_placeholders.csv";

/// Rows a preset leaves out by design. The report is coming to keep them apart from rejected
/// rows (`input.rows_excluded`); until then they are the `excluded_by_mapping` rejects.
fn excluded_rows(input: &Value) -> Option<u64> {
    input["rows_excluded"]
        .as_u64()
        .or_else(|| input["rejects_by_reason"]["excluded_by_mapping"].as_u64())
}

/// The fixture without the rows whose status says they are not support work.
fn without_excluded(path: &str, statuses: &[&str]) -> String {
    let text = std::fs::read_to_string(path).expect("fixture");
    text.lines()
        .filter(|line| !statuses.iter().any(|status| line.contains(status)))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn freshdesk_custom_statuses_and_survey_labels_are_read_and_listed() {
    let report = report_json(FRESHDESK, &[]);
    let input = &report["input"];
    assert_eq!(input["read_as"][0]["mapping"], "freshdesk");
    // 11 rows: ticket 7 is Spam and ticket 10 Deleted, excluded and counted.
    assert_eq!(input["rows"], 11);
    assert_eq!(input["rows_used"], 9);
    assert_eq!(excluded_rows(input), Some(2));
    assert_eq!(input["tickets"], 9);
    let quality = &report["data_quality"];
    // "Waiting on Customer" is the preset's own (pending); three custom statuses are read by
    // keyword: waiting comes before fixed, and "In Review" names no category, so it is open.
    assert_eq!(
        quality["statuses_by_keyword"],
        json!({
            "Fixed/Waiting for Release": { "status": "pending", "rows": 1 },
            "In Review": { "status": "open", "rows": 1 },
            "Waiting on Acme Corp": { "status": "pending", "rows": 1 },
        })
    );
    // Low, Medium, High and Urgent are Freshdesk's priorities: none is unknown.
    assert_eq!(quality["unknown_priorities"], json!({}));
    let o = &report["overall"];
    // Surveys: Extremely satisfied 5 (1), Mostly satisfied 4 (2), Neither ... 3 (5),
    // Slightly dissatisfied 2 (6), Extremely dissatisfied 1 (11): 2 of 5 satisfied, mean 3.
    assert_eq!(o["csat"]["responses"], 5);
    assert_eq!(o["csat"]["satisfied"], 2);
    assert_eq!(o["csat"]["rate"], 0.4);
    assert_eq!(o["csat"]["mean_score"], 3.0);
    // Solved at as-of: 1, 2, 6, 9, 11; rated among them: all but 9.
    assert_eq!(o["csat"]["response_rate"], 0.8);
    // Open at as-of (2026-03-06 09:00, ticket 11's closing): 3 and 4 (pending), 5 (pending by
    // keyword), 8 (open by keyword). Ages 3d 1h, 2d 21h, 2d, 1d.
    assert_eq!(report["as_of"], "2026-03-06T09:00:00Z");
    assert_eq!(
        o["backlog"],
        json!({ "open": 4, "age": { "0-1d": 0, "1-3d": 3, "3-7d": 1, "7-30d": 0, "30d+": 0 } })
    );
    // Resolved after 2 h, 4 h, 24 h, 1 h and 1 h.
    assert_eq!(o["resolution_time"]["count"], 5);
    assert_eq!(o["resolution_time"]["median"], 7200.0);
    assert_eq!(o["resolution_time"]["mean"], 115_200.0 / 5.0);
    // Initial responses for all but ticket 8, which is past its 8 h (Medium: normal) target.
    assert_eq!(o["first_response"]["count"], 8);
    assert_eq!(o["first_response"]["unanswered"], 1);
    assert_eq!(o["sla"]["first_reply"]["met"], 8);
    assert_eq!(o["sla"]["first_reply"]["breached"], 1);

    let table = ticketkpi(["report", FRESHDESK]).output();
    // Footer lines wrap at 80 columns: compare the words.
    let footer = flat(&table.stdout);
    assert!(
        footer.contains(
            "Statuses read by keyword: \"Fixed/Waiting for Release\" as pending (1 row), \
             \"In Review\" as open (1 row), \"Waiting on Acme Corp\" as pending (1 row)."
        ),
        "{footer}"
    );
}

#[test]
fn zendesk_placeholder_dates_are_empty_and_deleted_tickets_excluded() {
    let report = report_json(ZENDESK, &[]);
    let input = &report["input"];
    assert_eq!(input["read_as"][0]["mapping"], "zendesk");
    // 204 (Deleted) and 206 (deleted) are excluded.
    assert_eq!(input["rows"], 7);
    assert_eq!(input["rows_used"], 5);
    assert_eq!(excluded_rows(input), Some(2));
    assert_eq!(input["tickets"], 5);
    let quality = &report["data_quality"];
    // 202, 203 (05:30 on the placeholder day) and 207 say 1900-01-01: not solved.
    assert_eq!(quality["placeholder_dates"], json!({ "Solved at": 3 }));
    assert_eq!(
        quality["negative_durations"],
        json!({ "first_response": 0, "resolution": 0 })
    );
    let o = &report["overall"];
    // Only 201 (4 h) and 205 (24 h) are solved; no placeholder became a resolution.
    assert_eq!(o["resolution_time"]["count"], 2);
    assert_eq!(o["resolution_time"]["median"], 50_400.0);
    // Open at as-of (2026-03-04 10:00, when 207 was created): 202 (2d), 203 (1d 2h), 207 (0).
    assert_eq!(report["as_of"], "2026-03-04T10:00:00Z");
    assert_eq!(
        o["backlog"],
        json!({ "open": 3, "age": { "0-1d": 1, "1-3d": 2, "3-7d": 0, "7-30d": 0, "30d+": 0 } })
    );
    // Good (201) and Bad (205); Offered, Unoffered and Not Offered are no ratings.
    assert_eq!(o["csat"]["responses"], 2);
    assert_eq!(o["csat"]["satisfied"], 1);
    assert_eq!(o["csat"]["response_rate"], 1.0);
    // First replies after 30, 60, 10 and 120 minutes; 207 has none.
    assert_eq!(o["first_response"]["median"], 2700.0);
    assert_eq!(o["first_response"]["unanswered"], 1);
    // 201: one reply, no reopen; 205: three replies and a reopen.
    assert_eq!(
        o["fcr"],
        json!({ "eligible": 2, "first_contact": 1, "rate": 0.5 })
    );
}

#[test]
fn values_read_by_rule_are_notes_that_strict_does_not_fail_on() {
    let dir = scratch();
    for (name, source, excluded) in [
        ("freshdesk.csv", FRESHDESK, &["\"Spam\"", "\"Deleted\""][..]),
        ("zendesk.csv", ZENDESK, &[",Deleted,", ",deleted,"][..]),
    ] {
        let path = dir.write(name, without_excluded(source, excluded));
        let report = report_json(&path, &["--strict"]);
        let quality = &report["data_quality"];
        assert_eq!(quality["rows_rejected"], 0, "{name}");
        assert_eq!(
            report["input"]["rows_used"], report["input"]["rows"],
            "{name}"
        );
        let notes = quality["statuses_by_keyword"]
            .as_object()
            .map_or(0, |m| m.len())
            + quality["placeholder_dates"]
                .as_object()
                .map_or(0, |m| m.len());
        assert!(notes > 0, "{name} still has its notes: {quality}");
    }
}

#[test]
fn csat_aliases_in_the_config_read_a_survey_s_own_labels() {
    let dir = scratch();
    // A Freshdesk survey in German: labels the preset cannot know.
    let text = std::fs::read_to_string(FRESHDESK)
        .expect("fixture")
        .replace("\"Extremely satisfied\"", "\"Sehr zufrieden\"")
        .replace("\"Extremely dissatisfied\"", "\"Sehr unzufrieden\"");
    let export = dir.write("tickets.csv", text);
    let failure = ticketkpi(["report"]).arg(&export).fails_with(1);
    let stderr = &failure.stderr;
    assert!(
        stderr.contains("tickets.csv:2: column 'Survey results'")
            && stderr.contains("\"Sehr zufrieden\"")
            && stderr.contains("[aliases.csat]"),
        "{stderr}"
    );
    let config = dir.write(
        "ticketkpi.toml",
        "[aliases.csat]\n\"Sehr zufrieden\" = 5\n\"Sehr unzufrieden\" = 1\n",
    );
    let report = report_json(&export, &["--config", config.to_str().expect("path")]);
    // The same scores as the English labels: 5, 4, 3, 2, 1.
    let csat = &report["overall"]["csat"];
    assert_eq!(csat["responses"], 5);
    assert_eq!(csat["satisfied"], 2);
    assert_eq!(csat["mean_score"], 3.0);
}

#[test]
fn a_mapping_may_reject_unknown_statuses_and_the_canonical_log_does() {
    let dir = scratch();
    let export = dir.write(
        "export.csv",
        "case,when,state\n\
         c1,2026-03-01 10:00,Waiting on vendor\n\
         c2,2026-03-01 11:00,Solved\n",
    );
    let mapping = |extra: &str| {
        let path = dir.write(
            &format!("mapping{}.toml", extra.len()),
            format!(
                "{extra}\n[fields]\nticket_id = \"case\"\ntimestamp = \"when\"\nstatus = \"state\"\n\
                 event = {{ value = \"status\" }}\n"
            ),
        );
        path.to_str().expect("path").to_owned()
    };
    // By default a mapping classifies: "Waiting on vendor" is pending, so c1 is in the backlog.
    let classified = report_json(&export, &["--mapping", &mapping("")]);
    assert_eq!(classified["overall"]["backlog"]["open"], 1);
    assert_eq!(
        classified["data_quality"]["statuses_by_keyword"]["Waiting on vendor"],
        json!({ "status": "pending", "rows": 1 })
    );
    let strict = mapping("unknown_status = \"reject\"");
    let rejected = report_json(&export, &["--mapping", &strict, "--skip-invalid"]);
    assert_eq!(
        rejected["input"]["rejects_by_reason"],
        json!({ "bad_status": 1 })
    );
    // The canonical event log is the contract's own vocabulary: a typo there is an error.
    ticketkpi(["report", "-"])
        .stdin("ticket_id,timestamp,event,status\nT1,2026-03-01T10:00:00Z,status,waiting\n")
        .fails_with(1)
        .stderr_has("\"waiting\" is not one of new, open, pending, on_hold, solved, closed");
}

#[test]
fn unknown_priorities_are_counted_and_still_get_normal_targets() {
    let log = "ticket_id,timestamp,event,author_type,priority\n\
               A,2026-03-01T10:00:00Z,message,customer,P3\n\
               A,2026-03-01T11:00:00Z,message,agent,P3\n\
               B,2026-03-01T10:00:00Z,message,customer,p3\n\
               C,2026-03-01T10:00:00Z,message,customer,Urgent\n\
               D,2026-03-01T10:00:00Z,message,customer,\n";
    let run = |args: &[&str]| -> Value {
        ticketkpi(["report", "-", "--format", "json"])
            .args(args)
            .stdin(log)
            .json()
    };
    let report = run(&[]);
    // A and B are "p3" (case-folded); C is a level; D has no priority (normal, no value).
    assert_eq!(
        report["data_quality"]["unknown_priorities"],
        json!({ "p3": 2 })
    );
    let policies = report["overall"]["sla"]["policies"]
        .as_array()
        .expect("policies");
    let normal = policies
        .iter()
        .find(|p| p["policy"] == "normal")
        .expect("normal policy");
    assert_eq!(normal["tickets"], 3, "p3 and the empty priority use normal");
    // A policy that names p3 makes it known.
    let dir = scratch();
    let config = dir.write(
        "ticketkpi.toml",
        "[[sla.policies]]\nname = \"p3\"\nwhen = { priority = \"p3\" }\nfirst_reply = \"2h\"\n\n\
         [[sla.policies]]\nname = \"rest\"\nfirst_reply = \"8h\"\n",
    );
    let configured = run(&["--config", config.to_str().expect("path")]);
    assert_eq!(configured["data_quality"]["unknown_priorities"], json!({}));
}
