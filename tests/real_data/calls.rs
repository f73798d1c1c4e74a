//! anonymous-bank-callcenter: one row per call (preset `callcenter`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::DAY;
use crate::check::{
    assert_channel_share, assert_count, assert_distribution, assert_input, detected_report,
    start_detected, tally,
};
use crate::common::{at, real_data};
use crate::read::read_csv;

/// The February 1999 call log, tab-separated, CRLF line ends.
struct CallLog {
    columns: HashMap<String, usize>,
    records: Vec<csv::StringRecord>,
}

impl CallLog {
    fn read(file: &Path) -> CallLog {
        let (header, records) = read_csv(file, b'\t', false);
        let columns = header
            .into_iter()
            .enumerate()
            .map(|(i, h)| (h, i))
            .collect();
        CallLog { columns, records }
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        &record[self.columns[name]]
    }

    /// The calls: PHANTOM records are not calls (the preset excludes them).
    fn calls(&self) -> Vec<&csv::StringRecord> {
        self.records
            .iter()
            .filter(|r| self.get(r, "outcome") != "PHANTOM")
            .collect()
    }

    fn seconds(&self, record: &csv::StringRecord, name: &str) -> f64 {
        let text = self.get(record, name);
        text.parse()
            .unwrap_or_else(|_| panic!("{name} {text:?} is not a number"))
    }

    /// Seconds since midnight of the `H:MM:SS` in `name`, `None` for `0:00:00` (the step did
    /// not happen).
    fn clock(&self, record: &csv::StringRecord, name: &str) -> Option<i64> {
        let text = self.get(record, name);
        let parts: Vec<i64> = text
            .split(':')
            .map(|part| part.parse().unwrap_or_else(|_| panic!("time {text:?}")))
            .collect();
        let [hours, minutes, seconds] = parts[..] else {
            panic!("{name} {text:?} is not H:MM:SS");
        };
        (text != "0:00:00").then_some(hours * 3600 + minutes * 60 + seconds)
    }

    /// Seconds from the call's arrival to the time in `name` as the preset reads it: both on
    /// the call's `date`, so a time after midnight comes out negative.
    fn on_call_date(&self, record: &csv::StringRecord, name: &str) -> Option<f64> {
        let arrival = self
            .clock(record, "vru_entry")
            .expect("vru_entry is always set");
        Some((self.clock(record, name)? - arrival) as f64)
    }

    /// Seconds from the call's arrival to the time in `name`. Times are within a day of the
    /// arrival: an earlier clock time is on the next day.
    fn since_arrival(&self, record: &csv::StringRecord, name: &str) -> Option<f64> {
        Some(self.on_call_date(record, name)?.rem_euclid(DAY))
    }
}

#[test]
fn anonymous_bank_calls() {
    let Some(file) = real_data("anonymous-bank-callcenter/data_anonymous_bank_february.txt") else {
        return;
    };
    let runs = start_detected(&file, "callcenter");

    let log = CallLog::read(&file);
    let calls = log.calls();
    let ids: HashSet<(&str, &str)> = calls
        .iter()
        .map(|r| (log.get(r, "vru+line"), log.get(r, "call_id")))
        .collect();
    assert_eq!(
        ids.len(),
        calls.len(),
        "vru+line and call_id identify a call"
    );
    let phantom = log.records.len() - calls.len();
    let report = detected_report(runs, "callcenter");
    assert_input(&report, log.records.len(), phantom, ids.len());
    // Excluded by the preset's design, counted by value, and never a data-quality problem.
    assert_count(&report, "input.excluded_by_value.outcome=PHANTOM", phantom);
    assert_count(&report, "data_quality.rows_rejected", 0);

    // Served calls (AGENT) are solved; abandoned ones (HANG) closed with no answer, no
    // handle time and no resolution time, whatever their service columns hold.
    let served: Vec<&csv::StringRecord> = calls
        .iter()
        .copied()
        .filter(|r| log.get(r, "outcome") == "AGENT")
        .collect();
    // AHT: the service time of every served call, a recorded 0 included.
    let handled: Vec<f64> = served.iter().map(|r| log.seconds(r, "ser_time")).collect();
    assert_distribution(&report, "overall.aht", handled.clone());
    // Calls are answered or abandoned, not replied to: no first response, no response rate
    // (tests/contact_centre.rs checks the contact-centre figures against a reference).
    assert!(at(&report, "overall.first_response").is_null());
    assert!(at(&report, "overall.response_rate").is_null());
    assert_count(&report, "overall.contact_centre.answered", served.len());
    assert_count(
        &report,
        "overall.contact_centre.abandoned",
        calls.len() - served.len(),
    );
    let resolution: Vec<f64> = served
        .iter()
        .filter_map(|r| log.since_arrival(r, "ser_exit"))
        .collect();
    assert_distribution(&report, "overall.resolution_time", resolution);
    assert_count(&report, "data_quality.negative_durations.first_response", 0);
    assert_count(&report, "data_quality.negative_durations.resolution", 0);
    assert_count(&report, "overall.backlog.open", 0);
    assert_channel_share(&report, &tally(calls.iter().map(|r| log.get(r, "type"))));
    println!(
        "bank: {} calls, {} served, AHT {:.2} s",
        calls.len(),
        served.len(),
        handled.iter().sum::<f64>() / handled.len() as f64,
    );
}
