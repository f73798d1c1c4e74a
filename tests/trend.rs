//! The table's trend section (`--period`): a sparkline and the change per headline KPI, right
//! under the periods table, agreeing with it.

mod common;

use common::{scratch, ticketkpi};

/// `ticketkpi report ARGS`: the table.
fn table(args: &[&str]) -> String {
    ticketkpi(["report"]).args(args).text()
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
    // W14 holds as_of: partial, so the trend shows and compares W13 (the row before).
    assert!(rows.last().expect("a period").starts_with("2026-W14"));
    assert_eq!(
        trend[0], "Trend by week (2026-W14 partial, not compared)",
        "{trend:?}"
    );
    assert!(trend[1].contains("2026-W13") && trend[1].contains("Change vs 2026-W12"));
    let compared: Vec<&str> = rows[rows.len() - 2].split_whitespace().collect();
    assert_eq!(compared[0], "2026-W13");
    let sparks = |line: &str| line.chars().filter(|c| "▁▂▃▄▅▆▇█·".contains(*c)).count();
    let row = |name: &str| {
        *trend
            .iter()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("a {name} row"))
    };
    let tickets = row("Tickets");
    assert_eq!(sparks(tickets), rows.len(), "one block per period");
    // W13's tickets, FRT median and backlog are those of the periods table.
    assert!(tickets.contains(&format!(" {} ", compared[1])), "{tickets}");
    // Columns: period, tickets, solved, then the FRT median (two words: `31m 0s`).
    let frt = row("First response (median)");
    assert!(
        frt.contains(&format!("{} {}", compared[3], compared[4])),
        "{frt}"
    );
    let backlog = row("Backlog");
    assert!(
        backlog.contains(&format!(" {} ", compared[compared.len() - 1])),
        "{backlog}"
    );
}

#[test]
fn a_partial_period_is_never_called_better_or_worse() {
    let out = table(&["sample-data/conversations.csv", "--period", "week"]);
    let trend = block(&out, "Trend by week");
    // W13 ended 2 days before as_of: younger than the p90 resolution time, so the KPIs that
    // wait for a resolution are not judged yet; those that wait for a first reply are.
    for name in [
        "Resolution time (median)",
        "First contact resolution",
        "CSAT",
    ] {
        let line = trend
            .iter()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name}"));
        assert!(line.ends_with("not comparable yet"), "{line}");
    }
    let frt = trend
        .iter()
        .find(|line| line.starts_with("First response (median)"))
        .expect("FRT");
    assert!(
        frt.ends_with(", better") || frt.ends_with(", worse"),
        "{frt}"
    );
    let note = trend
        .iter()
        .skip_while(|line| !line.starts_with("Not comparable yet:"))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        note.starts_with("Not comparable yet: resolution time, FCR and CSAT of 2026-W13 until "),
        "{note}"
    );
    assert!(note.contains("p90 resolution time"), "{note}");

    // Cut at --until 2026-03-25 (a Wednesday): W13 is partial, W12 and W11 are compared.
    let out = table(&[
        "sample-data/conversations.csv",
        "--period",
        "week",
        "--until",
        "2026-03-25",
    ]);
    let trend = block(&out, "Trend by week");
    assert_eq!(trend[0], "Trend by week (2026-W13 partial, not compared)");
    assert!(trend[1].contains("2026-W12") && trend[1].contains("Change vs 2026-W11"));

    // Two partial weeks only (data from Monday noon to Wednesday, then the next Monday):
    // nothing is compared, and nothing is better or worse.
    let dir = scratch();
    let input = dir.write(
        "two-partial-weeks.csv",
        "ticket_id,timestamp,event,author_type,status\n\
         A,2026-03-02T12:00:00Z,message,customer,new\n\
         A,2026-03-02T12:30:00Z,message,agent,solved\n\
         B,2026-03-09T09:00:00Z,message,customer,new\n\
         B,2026-03-09T09:05:00Z,message,agent,solved\n",
    );
    let out = table(&[input.to_str().expect("utf-8"), "--period", "week"]);
    let trend = block(&out, "Trend by week");
    assert!(trend[1].contains("2026-W11 (partial)"), "{trend:?}");
    for line in &trend[3..11] {
        assert!(line.ends_with("not comparable yet"), "{line}");
    }
    assert!(
        !out.contains("better") && !out.contains("worse"),
        "a partial week judged: {out}"
    );
}

#[test]
fn no_trend_without_two_periods() {
    let out = table(&["tests/fixtures/small.csv"]);
    assert!(!out.contains("Trend by"));
    let out = table(&["tests/fixtures/small.csv", "--period", "month"]);
    assert!(!out.contains("Trend by"), "one month only: no trend");
}
