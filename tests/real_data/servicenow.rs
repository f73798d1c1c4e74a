//! uci-incident-event-log: ServiceNow audit rows, the last update of an incident wins.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::HOUR;
use crate::check::{
    assert_channel_share, assert_count, assert_distribution, assert_input, mapping, median,
    read_as, start, tally,
};
use crate::common::real_data;
use crate::read::{column, csv_reader};

/// One incident as its last update (highest `sys_mod_count`, the later row on a tie) says.
struct Incident {
    modifications: u64,
    state: String,
    opened: i64,
    resolved: Option<i64>,
    closed: Option<i64>,
    priority: String,
    channel: String,
}

/// `d/m/yyyy HH:MM` (day first, no zero padding) as seconds, read as UTC; `?` is no date.
fn day_first(text: &str) -> Option<i64> {
    if text == "?" {
        return None;
    }
    let mut parts = text.split(['/', ' ', ':']).map(|part| {
        part.parse::<u32>()
            .unwrap_or_else(|_| panic!("{text:?} is not d/m/yyyy HH:MM"))
    });
    let mut next = || parts.next().unwrap_or_else(|| panic!("{text:?} is short"));
    let (day, month, year, hour, minute) = (next(), next(), next(), next(), next());
    let at = NaiveDate::from_ymd_opt(year as i32, month, day)
        .and_then(|date| date.and_hms_opt(hour, minute, 0))
        .unwrap_or_else(|| panic!("{text:?} is not a date"));
    Some(at.and_utc().timestamp())
}

fn uci_incidents(file: &Path, state_column: &str) {
    // The preset is detected by the original header; 8 s in a debug build, so it is checked
    // by the mapping the report names rather than by a second run with --preset.
    let (run, expected_mapping) = match state_column {
        "incident_state" => (start(file, &[]), "servicenow"),
        _ => {
            let name = "uci-incident-event-log-stripped";
            (start(file, &["--mapping", &mapping(name)]), name)
        }
    };
    let (header, mut reader) = csv_reader(file, b',', false);
    let col = |name| column(&header, name);
    let (number, state, mods, opened, channel, priority, resolved, closed) = (
        col("number"),
        col(state_column),
        col("sys_mod_count"),
        col("opened_at"),
        col("contact_type"),
        col("priority"),
        col("resolved_at"),
        col("closed_at"),
    );
    let mut incidents: HashMap<String, Incident> = HashMap::new();
    let mut as_of = i64::MIN;
    let mut rows = 0;
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .unwrap_or_else(|error| panic!("{}: {error}", file.display()))
    {
        rows += 1;
        let (opened, resolved, closed) = (
            day_first(&record[opened]).expect("opened_at is always set"),
            day_first(&record[resolved]),
            day_first(&record[closed]),
        );
        // as_of: the latest timestamp of any row.
        as_of = [Some(opened), resolved, closed]
            .into_iter()
            .flatten()
            .fold(as_of, i64::max);
        let modifications: u64 = record[mods].parse().expect("sys_mod_count");
        if incidents
            .get(&record[number])
            .is_some_and(|kept| kept.modifications > modifications)
        {
            continue;
        }
        let incident = Incident {
            modifications,
            state: record[state].to_owned(),
            opened,
            resolved,
            closed,
            priority: record[priority].to_owned(),
            channel: record[channel].to_owned(),
        };
        incidents.insert(record[number].to_owned(), incident);
    }
    let report = run.json();
    assert_eq!(read_as(&report), expected_mapping);
    assert_input(&report, rows, 0, incidents.len());

    let solved = |i: &Incident| match i.state.as_str() {
        "Resolved" | "Closed" => true,
        // The bogus state is no status: then a closing date says it is closed.
        "-100" => i.closed.or(i.resolved).is_some(),
        _ => false,
    };
    let target = |i: &Incident| match i.priority.chars().next() {
        Some('1') => 8.0 * HOUR,
        Some('2') => 24.0 * HOUR,
        Some('4') => 168.0 * HOUR,
        _ => 72.0 * HOUR,
    };
    let resolution: Vec<(f64, f64)> = incidents
        .values()
        .filter(|i| solved(i))
        .filter_map(|i| Some(((i.resolved.or(i.closed)? - i.opened) as f64, target(i))))
        .collect();
    assert_distribution(
        &report,
        "overall.resolution_time",
        resolution.iter().map(|(seconds, _)| *seconds).collect(),
    );
    let open: Vec<&Incident> = incidents.values().filter(|i| !solved(i)).collect();
    assert_count(&report, "overall.backlog.open", open.len());
    let met = resolution.iter().filter(|(s, t)| s <= t).count();
    let running = open
        .iter()
        .filter(|i| (as_of - i.opened) as f64 <= target(i))
        .count();
    assert_count(&report, "overall.sla.resolution.met", met);
    assert_count(
        &report,
        "overall.sla.resolution.breached",
        incidents.len() - met - running,
    );
    assert_count(&report, "overall.sla.resolution.running", running);
    assert_channel_share(
        &report,
        &tally(incidents.values().map(|i| i.channel.as_str())),
    );
    println!(
        "{}: {} rows, {} incidents, resolution median {} s, SLA met {met}",
        file.display(),
        rows,
        incidents.len(),
        median(
            &resolution
                .iter()
                .map(|(seconds, _)| *seconds)
                .collect::<Vec<_>>()
        )
    );
}

#[test]
fn uci_incident_log_original_format() {
    if let Some(file) =
        real_data("uci-incident-event-log/incident_event_log_original_first119998rows.csv")
    {
        uci_incidents(&file, "incident_state");
    }
}

#[test]
fn uci_incident_log_prefixes_stripped() {
    if let Some(file) =
        real_data("uci-incident-event-log/incident_event_log_full_prefixes_stripped.csv")
    {
        uci_incidents(&file, "ident_state");
    }
}
