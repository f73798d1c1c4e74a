//! The report side: runs of the tool on a real export, and assertions that compare its JSON
//! with what the test computed itself.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{Running, assert_close, count, number, present, ticketkpi};

/// The folder of the mappings the tests read the exports with.
const MAPPINGS: &str = "examples/mappings";

pub fn mapping(name: &str) -> String {
    format!("{MAPPINGS}/{name}.toml")
}

/// `ticketkpi report FILE ARGS --format json --skip-invalid`, started: the test reads the
/// file itself while the tool runs.
pub fn start(file: &Path, args: &[&str]) -> Running {
    ticketkpi(["report"])
        .arg(file)
        .args(args)
        .args(["--format", "json", "--skip-invalid"])
        .spawn()
}

pub fn report(file: &Path, args: &[&str]) -> Value {
    start(file, args).json()
}

pub fn assert_count(report: &Value, path: &str, expected: usize) {
    assert_eq!(count(report, path), expected as u64, "{path}");
}

/// The number at `path` is `expected`, computed here, up to rounding.
pub fn assert_near(report: &Value, path: &str, expected: f64) {
    assert_close(number(report, path), expected, path);
}

/// The member at `path` is there, and null.
pub fn assert_null(report: &Value, path: &str) {
    assert!(
        present(report, path).is_null(),
        "{path} should be null: {}",
        present(report, path)
    );
}

/// The input accounting every report must satisfy, and the rows and tickets counted here.
/// The real exports have no invalid row; `excluded` rows are left out by the mapping's design.
pub fn assert_input(report: &Value, rows: usize, excluded: usize, tickets: usize) {
    assert_count(report, "input.rows", rows);
    assert_count(report, "input.rows_rejected", 0);
    assert_count(report, "input.rows_excluded", excluded);
    assert_eq!(
        count(report, "input.rows"),
        count(report, "input.rows_used")
            + count(report, "input.rows_rejected")
            + count(report, "input.rows_excluded"),
        "rows = rows_used + rows_rejected + rows_excluded"
    );
    assert_count(report, "input.tickets", tickets);
    assert_count(report, "overall.tickets", tickets);
}

/// The mapping the report says it read the (single) input with.
pub fn read_as(report: &Value) -> &str {
    present(report, "input.read_as")
        .get(0)
        .and_then(|input| input["mapping"].as_str())
        .expect("input.read_as names the mapping")
}

/// Runs the tool on `file` without `--preset` and with `--preset preset`.
pub fn start_detected(file: &Path, preset: &str) -> (Running, Running) {
    (start(file, &[]), start(file, &["--preset", preset]))
}

/// The auto-detected run must have read the file with `preset`, exactly as the named run.
pub fn detected_report((detected, named): (Running, Running), preset: &str) -> Value {
    let (detected, named) = (detected.json(), named.json());
    assert_eq!(read_as(&detected), preset, "the preset detected");
    assert_eq!(
        detected, named,
        "auto-detection and --preset {preset} give different reports"
    );
    detected
}
/// Linear interpolation between closest ranks (numpy's default), on sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * q;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

/// Checks a distribution block (`count`, `mean`, `median`, `p90`) against the values.
pub fn assert_distribution(report: &Value, path: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    assert_count(report, &format!("{path}.count"), values.len());
    if values.is_empty() {
        assert_null(report, &format!("{path}.median"));
        return;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    assert_near(report, &format!("{path}.mean"), mean);
    assert_near(report, &format!("{path}.median"), quantile(&values, 0.5));
    assert_near(report, &format!("{path}.p90"), quantile(&values, 0.9));
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile(&sorted, 0.5)
}

/// Channel shares: each channel's tickets over all tickets, channels lowercased.
pub fn assert_channel_share(report: &Value, counts: &BTreeMap<String, usize>) {
    let total: usize = counts.values().sum();
    let share = present(report, "overall.volume.channel_share")
        .as_object()
        .expect("channel_share is an object");
    assert_eq!(
        share.keys().collect::<Vec<_>>(),
        counts.keys().collect::<Vec<_>>(),
        "channels"
    );
    for (channel, tickets) in counts {
        let path = format!("overall.volume.channel_share.{channel}");
        assert_near(report, &path, *tickets as f64 / total as f64);
    }
}

pub fn tally<'a>(values: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for value in values {
        *counts.entry(value.to_lowercase()).or_default() += 1;
    }
    counts
}
