//! Every number of every block lies in its range.

use proptest::prelude::*;
use serde_json::Value;
use ticketkpi::model::Ticket;

use crate::logs::{Log, Options, VALUES, log, options};
use crate::writers::csv_file;
use crate::{analyse, config, kpis, single_run_config};

proptest! {
    #![proptest_config(single_run_config())]

    /// Every rate is null or within 0..=1, every distribution is empty with null statistics
    /// or ordered and within its values, the NPS score is within -100..=100, and without any
    /// status the status-based KPIs are null, in every block.
    #[test]
    fn every_number_is_in_its_range(log in log(&VALUES, 1..40), options in options()) {
        check_ranges(&log, &options)?;
    }
}

pub fn check_ranges(log: &Log, options: &Options) -> Result<(), TestCaseError> {
    let config = config(
        vec![("export.csv".to_owned(), csv_file(&log.rows, log.step))],
        options,
        log.step,
    );
    let analysis = analyse(&config);
    let report = kpis(&config, &analysis);
    let mut problems = Vec::new();
    walk(&report, "", &mut problems);

    // The overall distributions against the values they summarise.
    let tickets = &analysis.tickets;
    let values: [(&str, Vec<f64>); 5] = [
        (
            "first_response",
            tickets
                .iter()
                .filter_map(Ticket::first_response_seconds)
                .collect(),
        ),
        (
            "response_time",
            tickets.iter().flat_map(Ticket::response_waits).collect(),
        ),
        (
            "resolution_time",
            tickets
                .iter()
                .filter_map(Ticket::resolution_seconds)
                .collect(),
        ),
        (
            "first_resolution_time",
            tickets
                .iter()
                .filter_map(Ticket::first_resolution_seconds)
                .collect(),
        ),
        (
            "aht",
            tickets.iter().filter_map(|t| t.handle_seconds).collect(),
        ),
    ];
    for (name, values) in values {
        let summary = &report["overall"][name];
        if summary.is_null() {
            continue;
        }
        within_values(summary, &values, &format!("overall.{name}"), &mut problems);
    }

    // Every ticket is in one group and one period.
    let overall_tickets = &report["overall"]["tickets"];
    let sum = |blocks: &Value| -> u64 {
        blocks
            .as_array()
            .expect("a list")
            .iter()
            .map(|block| block["kpis"]["tickets"].as_u64().expect("a count"))
            .sum()
    };
    if !options.by.is_empty() {
        prop_assert_eq!(Some(sum(&report["groups"])), overall_tickets.as_u64());
    }
    if options.period.is_some() {
        prop_assert_eq!(Some(sum(&report["periods"])), overall_tickets.as_u64());
    }

    if !analysis.stats.has_status {
        for block in blocks(&report) {
            for pointer in STATUS_BASED {
                if !block.pointer(pointer).is_some_and(Value::is_null) {
                    problems.push(format!("{pointer} is not null without any status"));
                }
            }
        }
    }
    prop_assert!(problems.is_empty(), "{problems:#?}\nin {report:#}");
    Ok(())
}

/// What the contract makes null in every block when no row has a status.
pub const STATUS_BASED: [&str; 9] = [
    "/resolution_time",
    "/first_resolution_time",
    "/fcr",
    "/reopens",
    "/bot_resolution",
    "/backlog",
    "/sla/resolution",
    "/csat/response_rate",
    "/interactions/replies_per_solved_ticket",
];

pub fn blocks(report: &Value) -> Vec<&Value> {
    let mut blocks = vec![&report["overall"]];
    for list in ["groups", "periods"] {
        blocks.extend(
            report[list]
                .as_array()
                .expect("a list")
                .iter()
                .map(|b| &b["kpis"]),
        );
    }
    blocks
}

/// Checks every rate, distribution and NPS score under `value`.
pub fn walk(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if ["count", "mean", "median", "p90"]
                .iter()
                .all(|key| map.contains_key(*key))
            {
                check_summary(value, path, problems);
            }
            for (key, child) in map {
                let here = format!("{path}.{key}");
                match (key.as_str(), child) {
                    ("rate" | "attainment" | "response_rate", Value::Number(_)) => {
                        fraction(child, &here, problems);
                    }
                    ("channel_share", Value::Object(shares)) => {
                        for (channel, share) in shares {
                            fraction(share, &format!("{here}.{channel}"), problems);
                        }
                        let total: f64 = shares.values().filter_map(Value::as_f64).sum();
                        if !shares.is_empty() && (total - 1.0).abs() > 1e-9 {
                            problems.push(format!("{here} sums to {total}"));
                        }
                    }
                    ("nps", Value::Object(nps)) => {
                        if let Some(score) = nps.get("score").and_then(Value::as_f64)
                            && !(-100.0..=100.0).contains(&score)
                        {
                            problems.push(format!("{here}.score = {score}"));
                        }
                    }
                    _ => {}
                }
                walk(child, &here, problems);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), problems);
            }
        }
        _ => {}
    }
}

pub fn fraction(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value.as_f64() {
        Some(rate) if (0.0..=1.0).contains(&rate) => {}
        None if value.is_null() => {}
        _ => problems.push(format!("{path} = {value} is not a fraction")),
    }
}

/// `count` 0 with null statistics, or all of them with median <= p90.
pub fn check_summary(summary: &Value, path: &str, problems: &mut Vec<String>) {
    let count = summary["count"].as_u64();
    let [mean, median, p90] = ["mean", "median", "p90"].map(|key| summary[key].as_f64());
    match (count, mean, median, p90) {
        (Some(0), None, None, None) => {}
        (Some(count), Some(_), Some(median), Some(p90)) if count > 0 => {
            if median > p90 {
                problems.push(format!("{path}: median {median} > p90 {p90}"));
            }
        }
        _ => problems.push(format!("{path}: inconsistent summary {summary}")),
    }
}

/// The summary of `values`: their count, and statistics within their minimum and maximum.
pub fn within_values(summary: &Value, values: &[f64], path: &str, problems: &mut Vec<String>) {
    if summary["count"].as_u64() != Some(values.len() as u64) {
        problems.push(format!(
            "{path}: count of {} values: {summary}",
            values.len()
        ));
        return;
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for key in ["mean", "median", "p90"] {
        if let Some(statistic) = summary[key].as_f64()
            && !(min..=max).contains(&statistic)
        {
            problems.push(format!(
                "{path}.{key} = {statistic} is outside [{min}, {max}] of {values:?}"
            ));
        }
    }
}
