//! Workforce views: the per-agent (and per-team) scorecard, whose columns are the KPIs the
//! export supports; `--columns` and `--sort`; `--by hour` and `--by weekday` against the
//! report's own `time_of_day` grid; `--period quarter`; thresholds scoped to an agent.

mod common;

use common::{at, count, real_data, report_json, scratch, ticketkpi};
use serde_json::Value;

const SAMPLE: &str = "sample-data/conversations.csv";
const SMALL: &str = "tests/fixtures/small.csv";
const CALLS: &str = "anonymous-bank-callcenter/data_anonymous_bank_february.txt";
const FORMATS: [&str; 5] = ["table", "markdown", "csv", "json", "html"];

/// The header line of the "By ..." table of a Markdown report (one line, `|`-separated).
fn markdown_header(text: &str, title: &str) -> Vec<String> {
    let after = text
        .split(&format!("## {title}"))
        .nth(1)
        .unwrap_or_else(|| panic!("no section {title}:\n{text}"));
    let line = after
        .lines()
        .find(|l| l.starts_with('|'))
        .expect("a table header");
    line.trim_matches('|')
        .split('|')
        .map(|cell| cell.trim().replace("<br>", " "))
        .collect()
}

fn groups(json: &Value) -> &Vec<Value> {
    json["groups"].as_array().expect("groups")
}

fn sum_tickets(groups: &[Value]) -> u64 {
    groups.iter().map(|g| count(g, "kpis.tickets")).sum()
}

#[test]
fn the_sample_scorecard_shows_the_main_kpis_it_supports() {
    let text = ticketkpi(["report", SAMPLE, "--by", "agent", "--format", "markdown"]).text();
    let header = markdown_header(&text, "By agent");
    assert_eq!(
        header,
        [
            "Agent",
            "Tickets",
            "Solved",
            "Re- plies",
            "FRT med.",
            "FCR",
            "CSAT",
            "AHT",
            "SLA 1st"
        ]
    );
    // Reopens are supported too, behind --columns (the defaults fit 80 columns).
    let chosen = ticketkpi(["report", SAMPLE, "--by", "agent", "--format", "markdown"])
        .args(["--columns", "tickets,reopens"])
        .text();
    assert_eq!(
        markdown_header(&chosen, "By agent"),
        ["Agent", "Tickets", "Re- opens"]
    );
    assert!(text.contains("A ticket counts for its assignee"), "{text}");
    let json = report_json(SAMPLE, &["--by", "agent"]);
    assert_eq!(sum_tickets(groups(&json)), count(&json, "overall.tickets"));
    // Solved = tickets - open backlog, per agent; reopens add up to the overall reopens.
    let reopens: u64 = groups(&json)
        .iter()
        .map(|g| count(g, "kpis.reopens.reopens"))
        .sum();
    assert_eq!(reopens, count(&json, "overall.reopens.reopens"));
    let marco = groups(&json)
        .iter()
        .find(|g| g["by"]["agent"] == "marco")
        .expect("marco");
    let solved = count(marco, "kpis.tickets") - count(marco, "kpis.backlog.open");
    let row = text
        .lines()
        .find(|l| l.starts_with("| marco "))
        .expect("marco's row");
    let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
    assert_eq!(cells[1], count(marco, "kpis.tickets").to_string());
    assert_eq!(cells[2], solved.to_string());
    assert_eq!(
        cells[3],
        count(marco, "kpis.volume.agent_messages").to_string()
    );
}

#[test]
fn the_call_log_scorecard_has_no_column_it_cannot_support() {
    let Some(file) = real_data(CALLS) else { return };
    let text = ticketkpi(["report"])
        .arg(&file)
        .args(["--by", "agent", "--format", "markdown", "--quiet"])
        .text();
    let header = markdown_header(&text, "By agent");
    assert_eq!(
        header,
        ["Agent", "Tickets", "Solved", "AHT", "An- swered", "ASA"]
    );
    for absent in [
        "FRT med.",
        "FCR",
        "CSAT",
        "Re- opens",
        "Re- plies",
        "SLA 1st",
        "n/a",
    ] {
        assert!(
            !header.iter().any(|h| h == absent),
            "{absent} in {header:?}"
        );
    }
    let json = ticketkpi(["report"])
        .arg(&file)
        .args(["--by", "agent", "--format", "json", "--quiet"])
        .json();
    let availability = json["availability"].as_array().expect("availability");
    let computable = |kpi: &str| {
        availability
            .iter()
            .find(|a| a["kpi"] == kpi)
            .map(|a| a["computable"] == true)
    };
    assert_eq!(computable("fcr"), Some(false));
    assert_eq!(computable("csat"), Some(false));
    assert_eq!(computable("aht"), Some(true));
    // Every agent of the log (NO_SERVER is no agent) is a group; calls add up.
    assert!(groups(&json).len() > 10, "{}", groups(&json).len());
    assert_eq!(sum_tickets(groups(&json)), count(&json, "overall.tickets"));
}

#[test]
fn columns_choose_and_sort_orders_in_every_format() {
    let args = [
        "report",
        SAMPLE,
        "--by",
        "agent",
        "--columns",
        "tickets,csat",
        "--sort=-tickets",
    ];
    let markdown = ticketkpi(args).args(["--format", "markdown"]).text();
    assert_eq!(
        markdown_header(&markdown, "By agent"),
        ["Agent", "Tickets", "CSAT"]
    );
    for format in FORMATS {
        ticketkpi(args).args(["--format", format]).success();
    }
    let json = ticketkpi(args).args(["--format", "json"]).json();
    let tickets: Vec<u64> = groups(&json)
        .iter()
        .map(|g| count(g, "kpis.tickets"))
        .collect();
    assert!(tickets.windows(2).all(|w| w[0] >= w[1]), "{tickets:?}");
    // Ascending CSAT: agents without a rate come last.
    let json = report_json(SAMPLE, &["--by", "agent", "--sort", "csat:asc"]);
    let rates: Vec<Option<f64>> = groups(&json)
        .iter()
        .map(|g| at(g, "kpis.csat.rate").as_f64())
        .collect();
    let known: Vec<f64> = rates.iter().flatten().copied().collect();
    assert!(known.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");
    let first_null = rates
        .iter()
        .position(Option::is_none)
        .unwrap_or(rates.len());
    assert!(rates[first_null..].iter().all(Option::is_none), "{rates:?}");
    // The CSV rows follow the same order as the JSON groups.
    let csv = ticketkpi([
        "report", SAMPLE, "--by", "agent", "--sort", "csat:asc", "--format", "csv",
    ])
    .text();
    let first = groups(&json)[0]["by"]["agent"].as_str().unwrap_or("(none)");
    let first_group_row = csv
        .lines()
        .find(|l| l.starts_with("group,"))
        .expect("a group row");
    assert!(
        first_group_row.contains(first),
        "{first}: {first_group_row}"
    );
}

#[test]
fn an_unknown_column_or_sort_key_is_a_usage_error_with_the_nearest_name() {
    ticketkpi(["report", SMALL, "--columns", "tickets,frt_medain"])
        .fails_with(2)
        .stderr_has("did you mean \"frt_median\"")
        .stderr_has("Columns: tickets, solved");
    ticketkpi(["report", SMALL, "--sort", "-cast"])
        .fails_with(2)
        .stderr_has("did you mean \"csat\"");
    ticketkpi(["report", SMALL, "--sort", "csat:up"])
        .fails_with(2)
        .stderr_has("asc or desc");
}

/// Hour and weekday groups, summed, are the rows and columns of the report's own grid.
#[test]
fn hours_and_weekdays_are_the_grid_s_columns_and_rows() {
    let by_hour = report_json(SAMPLE, &["--by", "hour"]);
    let grid = &by_hour["time_of_day"]["tickets"];
    let hours: Vec<&str> = groups(&by_hour)
        .iter()
        .map(|g| g["by"]["hour"].as_str().expect("an hour"))
        .collect();
    let numbers: Vec<u32> = hours.iter().map(|h| h.parse().expect("0-23")).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "time order: {hours:?}"
    );
    for group in groups(&by_hour) {
        let hour: usize = group["by"]["hour"]
            .as_str()
            .unwrap_or("x")
            .parse()
            .expect("hour");
        let column: u64 = (0..7).map(|d| grid[d][hour].as_u64().expect("count")).sum();
        assert_eq!(count(group, "kpis.tickets"), column, "hour {hour}");
    }
    let by_weekday = report_json(SAMPLE, &["--by", "weekday"]);
    let names: Vec<&str> = groups(&by_weekday)
        .iter()
        .map(|g| g["by"]["weekday"].as_str().expect("a day"))
        .collect();
    assert_eq!(
        names,
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday"
        ]
    );
    for (d, group) in groups(&by_weekday).iter().enumerate() {
        let row: u64 = grid[d]
            .as_array()
            .expect("24 hours")
            .iter()
            .filter_map(Value::as_u64)
            .sum();
        assert_eq!(count(group, "kpis.tickets"), row, "{}", names[d]);
    }
}

/// Tokyo is 9 hours ahead of UTC all year: a ticket of hour h in UTC is of hour h + 9 there.
#[test]
fn hours_are_those_of_tz() {
    let utc = report_json(SAMPLE, &["--by", "hour"]);
    let tokyo = report_json(SAMPLE, &["--by", "hour", "--tz", "Asia/Tokyo"]);
    let tickets_at = |json: &Value, hour: u32| {
        groups(json)
            .iter()
            .find(|g| g["by"]["hour"] == hour.to_string().as_str())
            .map_or(0, |g| count(g, "kpis.tickets"))
    };
    for hour in 0..24 {
        assert_eq!(
            tickets_at(&utc, hour),
            tickets_at(&tokyo, (hour + 9) % 24),
            "{hour}:00 UTC"
        );
    }
}

#[test]
fn time_of_day_breakdowns_and_quarters_work_in_every_format() {
    for args in [
        ["--by", "hour"],
        ["--by", "weekday"],
        ["--period", "quarter"],
    ] {
        for format in FORMATS {
            let text = ticketkpi(["report", SAMPLE])
                .args(args)
                .args(["--format", format])
                .text();
            let expected = match args[1] {
                "hour" if format == "html" => "First response time by hour",
                "weekday" if format == "html" => "First response time by weekday",
                "weekday" => "tuesday",
                "quarter" => "2026-Q1",
                _ => "23",
            };
            assert!(text.contains(expected), "{args:?} {format}: no {expected}");
        }
    }
    let json = report_json(SAMPLE, &["--period", "quarter"]);
    assert_eq!(json["period"], "quarter");
    assert_eq!(json["periods"][0]["period"], "2026-Q1");
    assert_eq!(
        count(&json, "periods.0.kpis.tickets"),
        count(&json, "overall.tickets")
    );
}

/// The threshold reads alice's group: its FRT median, from the same report.
#[test]
fn a_threshold_scoped_to_an_agent_reads_the_agent_s_group() {
    let json = report_json(SAMPLE, &["--by", "agent"]);
    let alice = groups(&json)
        .iter()
        .find(|g| g["by"]["agent"] == "alice")
        .expect("alice");
    let median = at(alice, "kpis.first_response.median")
        .as_f64()
        .expect("alice's FRT median");
    assert!(median < 4.0 * 3600.0, "{median}");
    ticketkpi([
        "report",
        SAMPLE,
        "--by",
        "agent",
        "--fail-if",
        "agent=alice: first_response.median > 4h",
    ])
    .success();
    let below = format!(
        "agent=alice: first_response.median > {}s",
        (median - 1.0).floor()
    );
    ticketkpi(["report", SAMPLE, "--by", "agent", "--fail-if", &below])
        .fails_with(4)
        .stderr_has("agent=alice");
    ticketkpi([
        "report",
        SAMPLE,
        "--by",
        "hour",
        "--fail-if",
        "hour=9: tickets > 1000",
    ])
    .success();
}

/// A call's answer is not a first response: a call answered a second "before" it arrived (two
/// clocks) is no negative first response time in the data quality, while a ticket row
/// answered before its creation still is.
#[test]
fn negative_first_responses_do_not_count_calls() {
    let quality = |report: &Value| count(report, "data_quality.negative_durations.first_response");
    let callcenter = report_json("tests/fixtures/periods/callcenter.txt", &[]);
    assert_eq!(count(&callcenter, "overall.contact_centre.offered"), 6);
    assert_eq!(quality(&callcenter), 0);
    let dir = scratch();
    // C1 arrives at 09:00:05 by the switch's clock and is answered at 09:00:04 by the
    // agent's; C2 is answered after 30 s.
    let log = dir.write(
        "calls.csv",
        "call_id,arrived,answered_at,outcome\n\
         C1,2026-03-02 09:00:05,2026-03-02 09:00:04,answered\n\
         C2,2026-03-02 09:10:00,2026-03-02 09:10:30,answered\n",
    );
    let fields = "shape = \"tickets\"\n[fields]\nticket_id = \"call_id\"\n\
                  created_at = \"arrived\"\nfirst_reply_at = \"answered_at\"\n";
    let calls = dir.write("calls.toml", format!("{fields}answered = \"outcome\"\n"));
    let tickets = dir.write("tickets.toml", fields);
    let read = |mapping: &std::path::Path| {
        report_json(&log, &["--mapping", mapping.to_str().expect("UTF-8")])
    };
    let as_calls = read(&calls);
    assert_eq!(count(&as_calls, "overall.contact_centre.answered"), 2);
    assert_eq!(
        quality(&as_calls),
        0,
        "a call's answer is not a first response"
    );
    assert_eq!(
        quality(&read(&tickets)),
        1,
        "the same rows as tickets: C1's first reply precedes its creation"
    );
}
