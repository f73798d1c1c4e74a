//! `--fail-if` and `[[alerts]]`: exit code 4 when a threshold holds, the report still
//! written, each holding condition on stderr with its value; unknown ones (a null KPI, an
//! absent group) fail only with --fail-on-unknown; a KPI that does not exist is a usage error
//! with a suggestion. The grammar itself is unit-tested in src/thresholds/.

mod common;

use common::{scratch, ticketkpi};

/// small.csv: 8 tickets, CSAT 66.7%, backlog 3 open, FRT median 30 min, groups by channel
/// email, chat, ...
const SMALL: &str = "tests/fixtures/small.csv";
/// No agent message, no rating, no status: FRT, CSAT and the backlog are null.
const CUSTOMERS_ONLY: &str = "tests/fixtures/trust/customers_only.csv";

fn report(file: &str, conditions: &[&str]) -> common::Run {
    let mut run = ticketkpi(["report", file, "--format", "json"]);
    for condition in conditions {
        run = run.args(["--fail-if", condition]);
    }
    run
}

#[test]
fn a_threshold_that_holds_exits_4_after_writing_the_report() {
    let output = report(SMALL, &["backlog.open > 2"]).fails_with(4);
    let json = output.parse_json();
    assert_eq!(
        json["overall"]["backlog"]["open"], 3,
        "the report is written"
    );
    output
        .stderr_has("--fail-if 'backlog.open > 2' holds: backlog.open is 3")
        .stderr_has("1 of 1 thresholds failed the run (exit code 4)");
}

#[test]
fn thresholds_that_do_not_hold_exit_0_and_say_nothing() {
    let output = report(
        SMALL,
        &[
            "backlog.open > 3",
            "csat.rate < 50%",
            "first_response.median > 1h",
            "sla.first_reply.attainment < 0%",
        ],
    )
    .success();
    assert!(output.stderr.is_empty(), "{}", output.stderr);
}

#[test]
fn each_holding_condition_is_printed_with_its_value_as_the_condition_writes_it() {
    let output = report(
        SMALL,
        &[
            "csat.rate < 70%",
            "first_response.median >= 30m",
            "backlog.open > 100",
            "tickets == 8",
        ],
    )
    .fails_with(4);
    output
        .stderr_has("'csat.rate < 70%' holds: csat.rate is 66.7% (0.666667)")
        .stderr_has(
            "'first_response.median >= 30m' holds: first_response.median is 30m 0s (1800 s)",
        )
        .stderr_has("'tickets == 8' holds: tickets is 8")
        .stderr_has("3 of 4 thresholds failed");
    assert!(
        !output.stderr.contains("backlog.open > 100"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_scope_reads_the_group_of_the_breakdown() {
    let by_channel = ticketkpi(["report", SMALL, "--format", "json"]).json();
    let email = by_channel["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["by"]["channel"] == "email")
        .expect("an email group");
    let tickets = email["kpis"]["tickets"].as_u64().expect("a count");
    report(SMALL, &[&format!("channel=email: tickets == {tickets}")])
        .fails_with(4)
        .stderr_has(&format!("tickets is {tickets}"));
    report(SMALL, &[&format!("channel=email: tickets != {tickets}")]).success();
}

#[test]
fn a_null_kpi_or_an_absent_group_is_unknown_and_fails_only_with_fail_on_unknown() {
    let output = report(CUSTOMERS_ONLY, &["csat.rate < 80%", "backlog.open > 1"]).success();
    output
        .stderr_has("'csat.rate < 80%' is unknown: csat.rate is null")
        .stderr_has("'backlog.open > 1' is unknown: backlog.open is null");
    report(CUSTOMERS_ONLY, &["csat.rate < 80%"])
        .arg("--fail-on-unknown")
        .fails_with(4)
        .stderr_has("is unknown");
    report(SMALL, &["channel=fax: backlog.open > 0"])
        .success()
        .stderr_has("is unknown: the report has no group channel=fax");
    report(SMALL, &["channel=fax: backlog.open > 0"])
        .arg("--fail-on-unknown")
        .fails_with(4);
}

#[test]
fn a_kpi_that_does_not_exist_is_a_usage_error_with_a_suggestion() {
    report(SMALL, &["first_respons.median > 4h"])
        .fails_with(2)
        .stderr_has("'--fail-if'")
        .stderr_has("did you mean \"first_response.median\"?");
    report(SMALL, &["csat > 1"])
        .fails_with(2)
        .stderr_has("csat.rate");
}

#[test]
fn a_malformed_condition_or_scope_is_a_usage_error_before_anything_is_read() {
    // The input does not exist: the usage error comes first.
    let missing = "no/such/export.csv";
    report(missing, &["backlog.open 50"])
        .fails_with(2)
        .stderr_has("no comparison");
    report(missing, &["backlog.open > many"])
        .fails_with(2)
        .stderr_has("percentage");
    report(missing, &["agent=ann: backlog.open > 1"])
        .fails_with(2)
        .stderr_has("add --by agent");
    ticketkpi(["report", missing, "--by", "channel", "--by", "priority"])
        .args(["--fail-if", "channel=email: backlog.open > 1"])
        .fails_with(2)
        .stderr_has("channel=...,priority=...");
}

#[test]
fn alerts_of_the_config_file_fail_the_run_by_name() {
    let dir = scratch();
    let config = dir.write(
        "ticketkpi.toml",
        "[[alerts]]\nname = \"backlog over 2\"\ncondition = \"backlog.open > 2\"\n\n\
         [[alerts]]\nname = \"email tickets\"\ncondition = \"channel=email: tickets > 100\"\n",
    );
    let output = ticketkpi(["report", SMALL, "--config"])
        .arg(&config)
        .args(["--fail-if", "csat.rate < 10%"])
        .fails_with(4);
    output
        .stderr_has("alert \"backlog over 2\" (backlog.open > 2) holds: backlog.open is 3")
        .stderr_has("1 of 3 thresholds failed");
}

#[test]
fn a_mistake_in_an_alert_is_a_usage_error_on_its_line() {
    let dir = scratch();
    let config = dir.write(
        "ticketkpi.toml",
        "[report]\ntz = \"UTC\"\n\n[[alerts]]\nname = \"x\"\ncondition = \"backlog.opn > 2\"\n",
    );
    ticketkpi(["report", SMALL, "--config"])
        .arg(&config)
        .fails_with(2)
        .stderr_has("line 6")
        .stderr_has("did you mean \"backlog.open\"");
    let scoped = dir.write(
        "scoped.toml",
        "[[alerts]]\nname = \"agent ann\"\ncondition = \"agent=ann: backlog.open > 2\"\n",
    );
    ticketkpi(["report", SMALL, "--config"])
        .arg(&scoped)
        .fails_with(2)
        .stderr_has("alerts \"agent ann\": the scope names agent")
        .stderr_has("add --by agent");
}

#[test]
fn the_report_file_is_written_when_a_threshold_fails_the_run() {
    let dir = scratch();
    let out = dir.path().join("report.html");
    ticketkpi(["report", SMALL, "--format", "html", "-o"])
        .arg(&out)
        .args(["--fail-if", "backlog.open > 0"])
        .fails_with(4);
    let page = std::fs::read_to_string(&out).expect("the page is written");
    assert!(page.contains("<html"), "{page}");
}

#[test]
fn strict_wins_over_thresholds_and_both_are_told() {
    let dir = scratch();
    let bad = dir.write(
        "bad.csv",
        "ticket_id,timestamp,event,author_type,status\n\
         A,2026-03-01T09:00:00Z,message,customer,new\n\
         A,yesterday,message,agent,solved\n",
    );
    ticketkpi(["report"])
        .arg(&bad)
        .args(["--skip-invalid", "--strict", "--fail-if", "tickets > 0"])
        .fails_with(3)
        .stderr_has("'tickets > 0' holds: tickets is 1")
        .stderr_has("--strict");
}

#[test]
fn help_documents_exit_code_4_and_the_grammar() {
    let help = ticketkpi(["report", "--help"]).text();
    assert!(help.contains("4  a threshold holds"), "{help}");
    assert!(help.contains("[SCOPE:] KPI OP VALUE"), "{help}");
    assert!(help.contains("--fail-on-unknown"), "{help}");
    let completions = ticketkpi(["completions", "bash"]).text();
    assert!(completions.contains("--fail-if"));
}
