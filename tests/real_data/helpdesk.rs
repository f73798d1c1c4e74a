//! helpdesk-4tu: activity log of an Italian software company's help desk (preset `helpdesk`),
//! and helpdesk-tax2017, the same log with numeric activity codes (examples/mappings).

use crate::activity::{Case, State, Step, assert_activity_kpis, cases_of};
use crate::check::{assert_input, detected_report, mapping, read_as, start, start_detected};
use crate::common::{present, real_data};
use crate::read::{column, local_seconds, naive_seconds, read_csv};

/// The helpdesk preset's reading of an activity.
fn helpdesk_step(activity: &str) -> Step {
    match activity {
        "Assign seriousness" | "Insert ticket" => Step::Customer(Some(State::Unsolved)),
        "Take in charge ticket" => Step::Agent(Some(State::Unsolved)),
        "Wait" => Step::Status(State::Unsolved),
        "Resolve ticket" | "RESOLVED" => Step::Status(State::Solved),
        "Closed" | "INVALID" | "DUPLICATE" => Step::Status(State::Closed),
        _ => Step::Note,
    }
}

fn helpdesk_4tu(relative: &str, timestamp_format: &str) {
    let Some(file) = real_data(relative) else {
        return;
    };
    let runs = start_detected(&file, "helpdesk");

    let (header, records) = read_csv(&file, b',', false);
    let (case, activity, time) = (
        column(&header, "Case ID"),
        column(&header, "Activity"),
        column(&header, "Complete Timestamp"),
    );
    let cases: Vec<Case> = cases_of(records.iter().map(|r| {
        (
            r[case].to_owned(),
            // The preset reads the company's local times in Rome's zone.
            local_seconds(&r[time], timestamp_format, chrono_tz::Europe::Rome),
            helpdesk_step(&r[activity]),
        )
    }))
    .into_values()
    .collect();
    let report = detected_report(runs, "helpdesk");
    assert_input(&report, records.len(), 0, cases.len());
    assert_activity_kpis(&report, &cases, true);
    println!(
        "{relative}: {} events, {} cases, resolution median {}",
        records.len(),
        cases.len(),
        present(&report, "overall.resolution_time.median")
    );
}

#[test]
fn helpdesk_4tu_full_log() {
    helpdesk_4tu(
        "helpdesk-4tu/helpdesk_full_4tu.csv",
        "%Y/%m/%d %H:%M:%S%.3f",
    );
}

/// The analyst's filtered log of completed cases: same columns, ISO timestamps, `Variant.1`.
#[test]
fn helpdesk_4tu_completed_cases() {
    helpdesk_4tu(
        "helpdesk-4tu/helpdesk_completed_cases_nkwachiabel.csv",
        "%Y-%m-%d %H:%M:%S",
    );
}

// ---------------------------------------------------------------------------------------------
// helpdesk-tax2017: the same log with numeric activity codes (examples/mappings).

#[test]
fn helpdesk_tax2017_numeric_activities() {
    let Some(file) = real_data("helpdesk-tax2017/helpdesk.csv") else {
        return;
    };
    let run = start(&file, &["--mapping", &mapping("helpdesk-tax2017")]);

    let (header, records) = read_csv(&file, b',', false);
    let (case, activity, time) = (
        column(&header, "CaseID"),
        column(&header, "ActivityID"),
        column(&header, "CompleteTimestamp"),
    );
    // The codes' activities, matched event by event with the 4TU log (see the mapping).
    let step = |code: &str| match code {
        "1" => helpdesk_step("Assign seriousness"),
        "3" => helpdesk_step("Insert ticket"),
        "8" => helpdesk_step("Take in charge ticket"),
        "9" => helpdesk_step("Wait"),
        "6" => helpdesk_step("Resolve ticket"),
        "2" | "4" | "5" | "7" => Step::Note,
        other => panic!("activity code {other:?}"),
    };
    let cases: Vec<Case> = cases_of(records.iter().map(|r| {
        (
            r[case].to_owned(),
            naive_seconds(&r[time], "%Y-%m-%d %H:%M:%S"),
            step(&r[activity]),
        )
    }))
    .into_values()
    .collect();
    let report = run.json();
    assert_eq!(read_as(&report), "helpdesk-tax2017");
    assert_input(&report, records.len(), 0, cases.len());
    assert_eq!(
        (records.len(), cases.len()),
        (13_710, 3_804),
        "SOURCE.md counts"
    );
    assert_activity_kpis(&report, &cases, true);
    println!(
        "tax2017: {} cases, resolution median {}",
        cases.len(),
        present(&report, "overall.resolution_time.median")
    );
}
