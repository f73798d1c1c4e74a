//! comcast-complaints: one row per complaint, intake channel and status (examples/mappings).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::DAY;
use crate::check::{
    assert_channel_share, assert_count, assert_input, assert_null, mapping, read_as, report, tally,
};
use crate::common::{count, present, real_data};
use crate::read::{column, naive_seconds, read_csv};

struct Complaint {
    filed: i64,
    channel: String,
    status: String,
}

fn comcast() -> Option<(PathBuf, Vec<Complaint>)> {
    let file = real_data("comcast-complaints/Comcast_telecom_complaints_data.csv")?;
    let (header, records) = read_csv(&file, b',', false);
    let (date, time, channel, status) = (
        column(&header, "Date_month_year"),
        column(&header, "Time"),
        column(&header, "Received Via"),
        column(&header, "Status"),
    );
    let complaints = records
        .iter()
        .map(|r| Complaint {
            filed: naive_seconds(
                &format!("{} {}", &r[date], &r[time]),
                "%d-%b-%y %I:%M:%S %p",
            ),
            channel: r[channel].to_owned(),
            status: r[status].to_owned(),
        })
        .collect();
    Some((file, complaints))
}

fn comcast_report(file: &Path, args: &[&str]) -> Value {
    let mapping = mapping("comcast-complaints");
    let mut all = vec!["--mapping", mapping.as_str()];
    all.extend_from_slice(args);
    report(file, &all)
}

fn is_open(complaint: &Complaint) -> bool {
    matches!(complaint.status.as_str(), "Open" | "Pending")
}

#[test]
fn comcast_complaints() {
    let Some((file, complaints)) = comcast() else {
        return;
    };
    let report = comcast_report(&file, &[]);
    assert_eq!(read_as(&report), "comcast-complaints");
    assert_input(&report, complaints.len(), 0, complaints.len());
    assert_eq!(complaints.len(), 2_224, "SOURCE.md: 2,224 rows");

    assert_channel_share(
        &report,
        &tally(complaints.iter().map(|c| c.channel.as_str())),
    );
    // Backlog: Open and Pending complaints, by age at as_of (the latest filing).
    let as_of = complaints
        .iter()
        .map(|c| c.filed)
        .max()
        .expect("complaints");
    let mut ages = [0usize; 5];
    for complaint in complaints.iter().filter(|c| is_open(c)) {
        let days = (as_of - complaint.filed) as f64 / DAY;
        let bucket = [1.0, 3.0, 7.0, 30.0]
            .iter()
            .take_while(|limit| days >= **limit)
            .count();
        ages[bucket] += 1;
    }
    assert_count(&report, "overall.backlog.open", ages.iter().sum());
    for (bucket, expected) in ["0-1d", "1-3d", "3-7d", "7-30d", "30d+"].iter().zip(ages) {
        assert_count(&report, &format!("overall.backlog.age.{bucket}"), expected);
    }
    // No reply times: first response is not a number the export can give.
    assert_null(&report, "overall.first_response");
    println!(
        "comcast: {} complaints, backlog {} by age {ages:?}",
        complaints.len(),
        ages.iter().sum::<usize>()
    );
}

/// A solved complaint whose resolution time the export does not give has met or missed no
/// target that anyone can know; it must not count as a breach.
#[test]
fn comcast_solved_complaints_are_not_sla_breaches() {
    let Some((file, complaints)) = comcast() else {
        return;
    };
    let report = comcast_report(&file, &[]);
    let open = complaints.iter().filter(|c| is_open(c)).count();
    let resolution = present(&report, "overall.sla.resolution");
    if !resolution.is_null() {
        let counted = count(&report, "overall.sla.resolution.met")
            + count(&report, "overall.sla.resolution.breached")
            + count(&report, "overall.sla.resolution.running");
        assert_eq!(
            counted, open as u64,
            "only unsolved complaints have a clock"
        );
    }
}

#[test]
fn comcast_backlog_at_the_end_of_the_last_period_is_the_backlog() {
    let Some((file, complaints)) = comcast() else {
        return;
    };
    let report = comcast_report(&file, &["--period", "month"]);
    let open = complaints.iter().filter(|c| is_open(c)).count();
    let periods = present(&report, "periods").as_array().expect("periods");
    let last = periods.last().expect("at least one period");
    assert_eq!(
        last["backlog_at_end"], open,
        "the last period ends at as_of"
    );
}

#[test]
fn comcast_unsupported_kpis_are_null() {
    let Some((file, _)) = comcast() else {
        return;
    };
    let report = comcast_report(&file, &[]);
    assert_null(&report, "overall.resolution_time");
    // No satisfaction column: the whole CSAT block is unknowable.
    assert_null(&report, "overall.csat");
    assert_null(&report, "overall.sla.resolution");
}
