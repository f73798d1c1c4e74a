//! Markdown renders the same view as the terminal table: with `--period`, the trend section
//! follows the periods table there too, with the same cells and the same notes.

mod common;

use common::{flat, ticketkpi};

const SAMPLE: &str = "sample-data/conversations.csv";

fn report(format: &str) -> String {
    ticketkpi(["report", SAMPLE, "--period", "week", "--format", format])
        .success()
        .stdout
}

/// The cells of a Markdown table row (`| a | b |`); the trend's are our own words and
/// figures, which Markdown escaping leaves as they are.
fn cells(row: &str) -> Vec<&str> {
    row.trim_matches('|').split(" | ").map(str::trim).collect()
}

#[test]
fn the_markdown_report_has_the_trend_the_terminal_shows() {
    let markdown = report("markdown");
    let heading = "## Trend by week (2026-W14 partial, not compared)";
    let trend: Vec<&str> = markdown
        .lines()
        .skip_while(|line| *line != heading)
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert!(
        markdown.find("## By week") < markdown.find(heading),
        "the trend follows the periods table:\n{markdown}"
    );
    assert_eq!(
        cells(trend[0]),
        ["KPI", "Trend", "2026-W13", "Change vs 2026-W12"]
    );
    assert_eq!(trend[1], "| --- | --- | --: | --- |");
    let rows: Vec<Vec<&str>> = trend[2..].iter().map(|row| cells(row)).collect();
    assert_eq!(rows.len(), 8, "one row per headline KPI");
    assert_eq!(rows[0], ["Tickets", "▁▇█▇▇▃", "67", "↑ +5"]);
    assert_eq!(rows[3][3], "not comparable yet", "resolution time");
    // Every cell is the terminal's, and so is the note on what is not comparable yet.
    let table = flat(&report("table"));
    for row in &rows {
        let line = row.join(" ");
        assert!(
            table.contains(&line),
            "{line:?} is not in the table's trend"
        );
    }
    let note = markdown
        .lines()
        .find(|line| line.starts_with("Not comparable yet:"))
        .expect("the note under the trend");
    assert!(note.ends_with("  "), "a hard line break: {note:?}");
    assert!(table.contains(note.trim_end()), "{note}");
}
