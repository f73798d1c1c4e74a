//! bpic2013-incidents: Volvo IT incident status changes (examples/mappings).

use std::collections::HashMap;

use chrono::DateTime;
use serde_json::Value;

use crate::HOUR;
use crate::activity::{Case, State, Step, cases_of};
use crate::check::{
    assert_count, assert_distribution, assert_input, assert_null, mapping, read_as, start,
};
use crate::common::{count, present, real_data};
use crate::read::{column, naive_seconds, read_csv};

/// The status an activity sets in bpic2013-incidents.toml: `None` for the skipped rows.
fn vinst_state(activity: &str) -> Option<State> {
    match activity {
        "Completed-Resolved" | "Completed-In Call" => Some(State::Solved),
        "Completed-Closed" | "Completed-Cancelled" => Some(State::Closed),
        "Unmatched-Unmatched" => None,
        other if other.starts_with("Queued-") || other.starts_with("Accepted-") => {
            Some(State::Unsolved)
        }
        other => panic!("activity {other:?}"),
    }
}

/// Status-only logs: resolution, backlog and resolution SLA by the incident's impact.
fn assert_incident_kpis(report: &Value, cases: &[(Case, f64)]) {
    let solved = cases.iter().filter(|(c, _)| c.is_solved()).count();
    assert_count(report, "overall.backlog.open", cases.len() - solved);
    let resolution: Vec<f64> = cases
        .iter()
        .filter(|(c, _)| c.is_solved())
        .filter_map(|(c, _)| Some((c.last_resolved? - c.created) as f64))
        .collect();
    assert_distribution(report, "overall.resolution_time", resolution);
    let first_resolution = cases
        .iter()
        .filter_map(|(c, _)| Some((c.first_resolved? - c.created) as f64))
        .collect();
    assert_distribution(report, "overall.first_resolution_time", first_resolution);
    // No messages: first response and FCR are unknowable (null), not 0.
    assert_null(report, "overall.first_response");
    assert_null(report, "overall.fcr");
    assert_null(report, "overall.response_rate");
    // Every incident is older than its target at as_of, so unsolved ones are breached.
    let met = cases
        .iter()
        .filter(|(c, target)| {
            c.is_solved()
                && c.last_resolved
                    .is_some_and(|at| (at - c.created) as f64 <= *target)
        })
        .count();
    assert_count(report, "overall.sla.resolution.met", met);
    assert_count(report, "overall.sla.resolution.breached", cases.len() - met);
}

#[test]
fn bpic2013_incidents_ibm_log() {
    let Some(file) = real_data("bpic2013-incidents/VINST-new_ibm.csv") else {
        return;
    };
    let run = start(&file, &["--mapping", &mapping("bpic2013-incidents")]);

    let (header, records) = read_csv(&file, b',', false);
    let (case, time, activity, impact) = (
        column(&header, "SR Number"),
        column(&header, "Change Date+Time"),
        column(&header, "Activity"),
        column(&header, "SR Latest Impact"),
    );
    let mut impacts: HashMap<String, f64> = HashMap::new();
    let mut rows = Vec::new();
    for record in &records {
        let Some(state) = vinst_state(&record[activity]) else {
            continue;
        };
        let target = match &record[impact] {
            "Major" => 8.0 * HOUR,
            "High" => 24.0 * HOUR,
            "Medium" => 72.0 * HOUR,
            "Low" => 168.0 * HOUR,
            other => panic!("impact {other:?}"),
        };
        impacts.insert(record[case].to_owned(), target);
        let at = DateTime::parse_from_rfc3339(&record[time])
            .unwrap_or_else(|error| panic!("{:?}: {error}", &record[time]))
            .timestamp();
        rows.push((record[case].to_owned(), at, Step::Status(state)));
    }
    let skipped = records.len() - rows.len();
    let cases: Vec<(Case, f64)> = cases_of(rows)
        .into_iter()
        .map(|(id, case)| (case, impacts[&id]))
        .collect();
    let report = run.json();
    assert_eq!(read_as(&report), "bpic2013-incidents");
    assert_input(&report, records.len(), skipped, cases.len());
    assert_eq!(skipped, 5, "SOURCE.md: Unmatched 5");
    assert_incident_kpis(&report, &cases);
    println!(
        "vinst: {} incidents, {} open, resolution median {}",
        cases.len(),
        count(&report, "overall.backlog.open"),
        present(&report, "overall.resolution_time.median")
    );
}

/// bpi_13_incidents.csv: the tool's report and the test's own reading.
struct NumericLog {
    report: Value,
    rows: usize,
    skipped: usize,
    /// Each incident with its resolution target.
    cases: Vec<(Case, f64)>,
}

/// `None` without the data.
fn bpic2013_numeric() -> Option<NumericLog> {
    let file = real_data("bpic2013-incidents/bpi_13_incidents.csv")?;
    let run = start(
        &file,
        &["--mapping", &mapping("bpic2013-incidents-numeric")],
    );
    let (header, records) = read_csv(&file, b',', false);
    let (case, activity, time) = (
        column(&header, "CaseID"),
        column(&header, "ActivityID"),
        column(&header, "CompleteTimestamp"),
    );
    let rows: Vec<(String, i64, Step)> = records
        .iter()
        .filter_map(|r| {
            let state = match &r[activity] {
                "3" | "9" => State::Solved,
                "5" | "13" => State::Closed,
                // Unmatched: skipped by the mapping.
                "12" => return None,
                "1" | "2" | "4" | "6" | "7" | "8" | "10" | "11" => State::Unsolved,
                other => panic!("activity code {other:?}"),
            };
            let at = naive_seconds(&r[time], "%Y-%m-%d %H:%M:%S");
            Some((r[case].to_owned(), at, Step::Status(state)))
        })
        .collect();
    let skipped = records.len() - rows.len();
    // No impact column: every incident has the default (normal) target.
    let cases: Vec<(Case, f64)> = cases_of(rows)
        .into_values()
        .map(|case| (case, 72.0 * HOUR))
        .collect();
    let report = run.json();
    assert_eq!(read_as(&report), "bpic2013-incidents-numeric");
    Some(NumericLog {
        report,
        rows: records.len(),
        skipped,
        cases,
    })
}

#[test]
fn bpic2013_incidents_numeric_log() {
    let Some(log) = bpic2013_numeric() else {
        return;
    };
    assert_input(&log.report, log.rows, log.skipped, log.cases.len());
}

/// Timestamps cut to minutes put several status changes of an incident in the same minute
/// (incident 1-364285768 at 2010-04-07 00:44: codes 1, 2, 1, 3, i.e. in progress, queued, in
/// progress, resolved). They are distinct events, and docs/metrics.md counts every one.
#[test]
fn bpic2013_incidents_numeric_log_kpis() {
    let Some(log) = bpic2013_numeric() else {
        return;
    };
    assert_incident_kpis(&log.report, &log.cases);
}
