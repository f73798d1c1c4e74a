//! The table's trend section (`--period`): a sparkline and the change per headline KPI, right
//! under the periods table, agreeing with it.

use assert_cmd::Command;

fn table(args: &[&str]) -> String {
    let output = Command::cargo_bin("ticketkpi")
        .expect("binary builds")
        .env("NO_COLOR", "1")
        .arg("report")
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// The lines of the block whose title starts with `title`, up to the blank line after it.
fn block<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|line| !line.starts_with(title))
        .take_while(|line| !line.is_empty())
        .collect()
}

#[test]
fn trend_follows_the_periods_table_and_agrees_with_it() {
    let out = table(&["sample-data/conversations.csv", "--period", "week"]);
    let periods = block(&out, "By week");
    let trend = block(&out, "Trend by week");
    assert!(!trend.is_empty(), "{out}");
    assert!(
        out.find("By week") < out.find("Trend by week")
            && out.find("Trend by week") < out.find("Input:"),
        "trend between the periods table and the footer"
    );
    assert!(trend.iter().all(|line| line.chars().count() <= 80));
    // Header (2 lines: title, column names), rule, then one row per period.
    let rows: Vec<&str> = periods[4..].to_vec();
    let latest: Vec<&str> = rows.last().expect("a period").split_whitespace().collect();
    let sparks = |line: &str| line.chars().filter(|c| "▁▂▃▄▅▆▇█·".contains(*c)).count();
    let tickets = trend
        .iter()
        .find(|line| line.starts_with("Tickets"))
        .expect("a tickets row");
    assert_eq!(sparks(tickets), rows.len(), "one block per period");
    // The latest week's tickets, FRT median and backlog are those of the periods table.
    assert!(tickets.contains(&format!(" {} ", latest[1])), "{tickets}");
    let frt = trend
        .iter()
        .find(|line| line.starts_with("First response (median)"))
        .expect("an FRT row");
    assert!(
        frt.contains(&format!("{} {}", latest[2], latest[3])),
        "{frt}"
    );
    let backlog = trend
        .iter()
        .find(|line| line.starts_with("Backlog"))
        .expect("a backlog row");
    assert!(
        backlog.contains(&format!(" {} ", latest[latest.len() - 1])),
        "{backlog}"
    );
}

#[test]
fn no_trend_without_two_periods() {
    let out = table(&["tests/fixtures/small.csv"]);
    assert!(!out.contains("Trend by"));
    let out = table(&["tests/fixtures/small.csv", "--period", "month"]);
    assert!(!out.contains("Trend by"), "one month only: no trend");
}
