//! `--format html`: the page's numbers are the JSON report's, it is self-contained, a null KPI
//! reads "n/a", its golden output, and it renders in headless Chromium without console errors.
//!
//! Every mark that stands for a number carries `data-json` (a JSON Pointer into the JSON
//! report) and `data-value`; these tests read them back and compare with `--format json` for
//! the same input.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{scratch, ticketkpi};
use serde_json::Value;

const SMALL: &str = "tests/fixtures/small.csv";
const SAMPLE: &str = "sample-data/conversations.csv";
const CALLS: &str = "tests/fixtures/periods/callcenter.txt";
/// Calls that queued: answered after 30 s and 10 s (Monday 09:xx), one abandoned after 50 s,
/// answered after 120 s and one never queued (0 s) on Tuesday at 14:xx.
const QUEUED_CALLS: &str = "tests/fixtures/contact/queued_calls.txt";

/// The sample by week with the example config: policies, schedules and periods.
const SAMPLE_BY_WEEK: [&str; 5] = [
    SAMPLE,
    "--period",
    "week",
    "--config",
    "examples/ticketkpi.toml",
];
const NOT_COMPUTABLE: &str = "n/a — not computable from this input";

/// The HTML and the JSON report of the same input.
fn both(args: &[&str]) -> (String, Value) {
    let mut html_args = vec!["report"];
    html_args.extend_from_slice(args);
    let mut json_args = html_args.clone();
    html_args.extend(["--format", "html"]);
    json_args.extend(["--format", "json"]);
    let json =
        serde_json::from_str(&quote_numbers(&ticketkpi(json_args).text())).expect("JSON report");
    (ticketkpi(html_args).text(), json)
}

/// The JSON text with every number turned into a string of its digits. serde_json's default
/// float parser is not correctly rounded (it may land one ulp off: `0.44285714285714284` reads
/// as `0.4428571428571429`), so numbers are compared after Rust's exact `str::parse`.
fn quote_numbers(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 4);
    let (mut in_string, mut escaped, mut in_number) = (false, false, false);
    for ch in json.chars() {
        if in_string {
            out.push(ch);
            match ch {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        let numeric = ch.is_ascii_digit() || matches!(ch, '-' | '+' | '.' | 'e' | 'E');
        if numeric && !in_number && (ch.is_ascii_digit() || ch == '-') {
            in_number = true;
            out.push('"');
        } else if in_number && !numeric {
            in_number = false;
            out.push('"');
        }
        if ch == '"' {
            in_string = true;
        }
        out.push(ch);
    }
    if in_number {
        out.push('"');
    }
    out
}

/// A number of the JSON report (quoted by `quote_numbers`), parsed exactly.
fn number(value: &Value) -> Option<f64> {
    value.as_str().and_then(|text| text.parse().ok())
}

/// The start tags of the page (text between `<` and `>`; values and text are escaped, so
/// neither holds a raw `>`).
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter_map(|chunk| chunk.split_once('>').map(|(tag, _)| tag))
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(
        tag[at..at + len]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Every `(data-json, data-value)` pair, in page order.
fn marks(html: &str) -> Vec<(String, String)> {
    tags(html)
        .filter_map(|tag| Some((attr(tag, "data-json")?, attr(tag, "data-value")?)))
        .collect()
}

/// The JSON value at `pointer`; `Null` when it or a parent is null (a null block has no
/// fields: `/overall/fcr/rate` of `"fcr": null`).
fn at(json: &Value, pointer: &str) -> Value {
    if let Some(value) = json.pointer(pointer) {
        return value.clone();
    }
    let mut parent = pointer;
    while let Some((head, _)) = parent.rsplit_once('/') {
        if json.pointer(head) == Some(&Value::Null) {
            return Value::Null;
        }
        parent = head;
    }
    panic!("{pointer} is not in the JSON report");
}

fn assert_same(json: &Value, pointer: &str, shown: &str) {
    let expected = at(json, pointer);
    if shown == "null" {
        assert_eq!(expected, Value::Null, "{pointer}: the page says null");
        return;
    }
    let shown: f64 = shown
        .parse()
        .unwrap_or_else(|_| panic!("{pointer}: data-value {shown:?} is not a number"));
    let expected = number(&expected)
        .unwrap_or_else(|| panic!("{pointer}: the page shows {shown}, the JSON {expected}"));
    assert_eq!(shown, expected, "{pointer}");
}

/// Every number on the page is the JSON report's, and the marks we expect are all there.
fn check_against_json(html: &str, json: &Value) -> BTreeSet<String> {
    let marks = marks(html);
    assert!(!marks.is_empty(), "no marks on the page");
    for (pointer, value) in &marks {
        assert_same(json, pointer, value);
    }
    // Tile changes: the previous value, and the delta = latest - previous.
    for tag in tags(html).filter(|tag| tag.contains(" data-delta=")) {
        let field = |name| attr(tag, name).unwrap_or_else(|| panic!("{name} in {tag}"));
        let previous = field("data-json-previous");
        assert_same(json, &previous, &field("data-value-previous"));
        let latest = number(&at(json, &field("data-json-latest")));
        let previous = number(&at(json, &previous));
        let delta: f64 = field("data-delta").parse().expect("a number");
        assert_eq!(
            latest.zip(previous).map(|(l, p)| l - p),
            Some(delta),
            "{tag}"
        );
    }
    marks.into_iter().map(|(pointer, _)| pointer).collect()
}

fn len(json: &Value, pointer: &str) -> usize {
    json.pointer(pointer)
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

/// The pointers a full report's page must draw.
fn expected_marks(json: &Value) -> Vec<String> {
    let mut expected: Vec<String> = [
        "/overall/tickets",
        "/overall/first_response/median",
        "/overall/fcr/rate",
        "/overall/csat/rate",
        "/overall/sla/first_reply/attainment",
        "/overall/backlog/open",
        "/data_quality/rows_rejected",
        "/data_quality/duplicate_events",
        "/data_quality/negative_durations/first_response",
        "/data_quality/negative_durations/resolution",
        "/data_quality/tickets_on_several_channels",
        "/data_quality/tickets_with_several_priorities",
        "/overall/first_response/p90",
    ]
    .map(str::to_owned)
    .into();
    for histogram in ["first_response", "resolution_time"] {
        for i in 0..len(json, &format!("/histograms/{histogram}")) {
            expected.push(format!("/histograms/{histogram}/{i}/count"));
        }
    }
    for i in 0..len(json, "/groups") {
        expected.push(format!("/groups/{i}/kpis/first_response/median"));
    }
    // The heatmaps: a cell per weekday and hour, of volume and (where known) median FRT.
    for day in 0..7 {
        for hour in 0..24 {
            expected.push(format!("/time_of_day/tickets/{day}/{hour}"));
            if !json["time_of_day"]["first_response_median"].is_null() {
                expected.push(format!("/time_of_day/first_response_median/{day}/{hour}"));
            }
        }
    }
    for i in 0..len(json, "/periods") {
        expected.push(format!("/periods/{i}/backlog_at_end"));
        expected.push(format!("/periods/{i}/kpis/csat/rate"));
        expected.push(format!("/periods/{i}/kpis/tickets"));
    }
    for i in 0..len(json, "/overall/sla/policies") {
        for target in ["first_reply", "next_reply", "resolution"] {
            let base = format!("/overall/sla/policies/{i}/{target}");
            if json.pointer(&base).is_some_and(|t| !t.is_null()) {
                expected.push(format!("{base}/attainment"));
            }
        }
    }
    expected
}

#[test]
fn sample_chart_data_equals_the_json_report() {
    let (html, json) = both(&SAMPLE_BY_WEEK);
    let drawn = check_against_json(&html, &json);
    for pointer in expected_marks(&json) {
        assert!(drawn.contains(&pointer), "{pointer} is not drawn");
    }
    assert!(
        len(&json, "/overall/sla/policies") >= 3 && len(&json, "/periods") >= 2,
        "the sample exercises policies and periods"
    );
    assert_eq!(html.matches("<article class=\"tile\"").count(), 6);
    // The last week (W14) is partial: the tiles compare W13 with W12, and never W14.
    let periods = len(&json, "/periods");
    assert_eq!(json["periods"][periods - 1]["complete"], Value::Bool(false));
    let (latest, previous) = (periods - 2, periods - 3);
    let changes: Vec<&str> = tags(&html).filter(|t| t.contains(" data-delta=")).collect();
    for tag in &changes {
        let latest_path = attr(tag, "data-json-latest").expect("latest");
        let previous_path = attr(tag, "data-json-previous").expect("previous");
        assert!(
            latest_path.starts_with(&format!("/periods/{latest}/")),
            "{tag}"
        );
        assert!(
            previous_path.starts_with(&format!("/periods/{previous}/")),
            "{tag}"
        );
    }
    // Tickets, FRT, SLA first reply and backlog are compared; W13's tickets are younger than
    // the p90 resolution time, so FCR and CSAT are not comparable yet.
    assert_eq!(changes.len(), 4, "{changes:?}");
    for kpi in ["fcr", "csat"] {
        let tile = tile(&html, kpi);
        assert!(
            tile.contains("not comparable yet</span> (until 2026-04-03"),
            "{kpi}: {tile}"
        );
        assert!(
            !tile.contains("(better)") && !tile.contains("(worse)"),
            "{kpi}"
        );
    }
}

/// The tile of one headline KPI, up to its end.
fn tile<'a>(html: &'a str, kpi: &str) -> &'a str {
    let tile = html
        .split("<article class=\"tile\"")
        .find(|t| t.contains(&format!("data-kpi=\"{kpi}\"")))
        .unwrap_or_else(|| panic!("a {kpi} tile"));
    &tile[..tile.find("</article>").expect("closed")]
}

/// The SVG of one chart, by its id.
fn chart<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("a chart {id}"));
    &html[start..start + html[start..].find("</svg>").expect("closed")]
}

fn number_attr(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {tag}"))
}

/// The backlog chart draws each bar to the scale of the value it is labelled with: every
/// segment's height is its count times one factor, each stack adds up to its total, and the
/// total's label sits on the stack's top, inside the chart.
fn assert_backlog_drawn_to_scale(html: &str, json: &Value) {
    let svg = chart(html, "chart-backlog");
    let mut scale: Option<f64> = None;
    for (i, _) in json["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .enumerate()
    {
        let total_path = format!("/periods/{i}/backlog_at_end");
        let segments: Vec<&str> = tags(svg)
            .filter(|t| {
                t.starts_with("rect")
                    && attr(t, "data-json")
                        .is_some_and(|p| p.starts_with(&format!("/periods/{i}/backlog_age")))
            })
            .collect();
        let Some(label) = tags(svg).find(|t| {
            t.starts_with("text") && attr(t, "data-json").as_deref() == Some(total_path.as_str())
        }) else {
            panic!("no label for {total_path}");
        };
        if attr(label, "data-value").as_deref() == Some("null") {
            assert!(
                segments.is_empty(),
                "{total_path}: bars drawn for an unknown backlog"
            );
            continue;
        }
        let total = number_attr(label, "data-value");
        let sum: f64 = segments.iter().map(|t| number_attr(t, "data-value")).sum();
        assert_eq!(sum, total, "{total_path}: the stack is not its total");
        let mut top = f64::INFINITY;
        for segment in &segments {
            let (n, h) = (
                number_attr(segment, "data-value"),
                number_attr(segment, "height"),
            );
            let factor = h / n;
            let scale = *scale.get_or_insert(factor);
            assert!(
                (factor - scale).abs() <= 0.06 / n.min(1.0) * scale.max(1.0),
                "{segment}"
            );
            assert!(
                number_attr(segment, "y") >= 0.0,
                "{segment} rises above the chart"
            );
            top = top.min(number_attr(segment, "y"));
        }
        if total > 0.0 {
            assert!(
                (number_attr(label, "y") - (top - 5.0)).abs() < 0.2,
                "{label} is not on its bar"
            );
        }
    }
}

/// Histogram bars: the area (drawn width plus the 2-pixel gap, times height) is the count
/// times one factor, so that a bucket wide on the log axis is not drawn as if it were tall.
fn assert_histogram_areas_are_counts(html: &str, id: &str) {
    let svg = chart(html, id);
    let bars: Vec<&str> = tags(svg)
        .filter(|t| t.starts_with("rect") && number_attr(t, "data-value") > 0.0)
        .collect();
    assert!(bars.len() >= 3, "{id}: {bars:?}");
    let area = |t: &str| (number_attr(t, "width") + 2.0) * number_attr(t, "height");
    let factor = area(bars[0]) / number_attr(bars[0], "data-value");
    for bar in &bars {
        let expected = factor * number_attr(bar, "data-value");
        // Coordinates are rounded to 0.1 px.
        let slack = 0.1 * (number_attr(bar, "width") + number_attr(bar, "height") + 4.0);
        assert!(
            (area(bar) - expected).abs() <= slack,
            "{id}: {bar} (expected area {expected})"
        );
    }
    // The buckets differ in width, so counts and heights do not go together.
    let widths: BTreeSet<String> = bars.iter().filter_map(|t| attr(t, "width")).collect();
    assert!(widths.len() > 1, "{id}: equal widths");
}

#[test]
fn bars_are_drawn_to_the_scale_of_their_labels() {
    let (html, json) = both(&SAMPLE_BY_WEEK);
    assert_backlog_drawn_to_scale(&html, &json);
    assert_histogram_areas_are_counts(&html, "chart-hist-frt");
    assert_histogram_areas_are_counts(&html, "chart-hist-resolution");
    assert!(html.contains("tickets per doubling"));
}

#[test]
fn a_call_log_has_no_backlog_at_any_weeks_end() {
    // A finished call is never backlog: an abandoned call is over when it left the queue, so
    // the backlog at the end of every week is 0, with every age 0 (before, the abandoned
    // calls piled up, then were unknown).
    let (html, json) = both(&[CALLS, "--period", "week"]);
    check_against_json(&html, &json);
    assert_backlog_drawn_to_scale(&html, &json);
    let periods = json["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    for period in periods {
        assert_eq!(number(&period["backlog_at_end"]), Some(0.0), "{period}");
        let ages = period["backlog_age_at_end"].as_object().expect("ages");
        assert!(ages.values().all(|n| number(n) == Some(0.0)), "{ages:?}");
    }
    assert!(html.contains("id=\"contact-centre\""), "the calls section");
}

#[test]
fn a_call_log_gets_a_speed_of_answer_heatmap_whose_cells_are_the_json_s() {
    let (html, json) = both(&[QUEUED_CALLS]);
    let drawn = check_against_json(&html, &json);
    let grid = &json["time_of_day"]["speed_of_answer_median"];
    for day in 0..7 {
        for hour in 0..24 {
            let pointer = format!("/time_of_day/speed_of_answer_median/{day}/{hour}");
            assert!(drawn.contains(&pointer), "{pointer} is not drawn");
            let expected = match (day, hour) {
                (0, 9) => Some(20.0), // median of 30 and 10; the abandoned call is not answered
                (1, 14) => Some(60.0), // median of 120 and 0 (never queued)
                _ => None,
            };
            assert_eq!(number(&grid[day][hour]), expected, "{pointer}");
        }
    }
    assert!(html.contains("id=\"heat-asa\""));
    assert!(html.contains("Monday 09:00-10:00: median speed of answer 20s"));
    assert!(html.contains("for calls, the median speed of answer"));
    // Beside volume; the call log has no first response, so that layer is one line.
    assert!(html.contains("id=\"heat-volume\""));
    assert!(!html.contains("id=\"heat-frt\""));
    assert!(html.contains("data-json=\"/time_of_day/first_response_median\" data-value=\"null\""));
    // The bundled call log too: its answered calls never queued, a speed of 0.
    let (html, json) = both(&[CALLS]);
    check_against_json(&html, &json);
    assert!(html.contains("id=\"heat-asa\""));
    assert_eq!(
        number(&json["time_of_day"]["speed_of_answer_median"][0][7]),
        Some(0.0)
    );
    // No calls, no layer: neither the heatmap nor a line about it.
    let (html, json) = both(&[SMALL]);
    assert!(json["time_of_day"]["speed_of_answer_median"].is_null());
    assert!(!html.contains("id=\"heat-asa\"") && !html.contains("speed_of_answer_median"));
}

#[test]
fn sections_without_a_computable_kpi_are_one_line() {
    // A call log: no ratings column, so no CSAT chart, and no CSAT tile.
    let (html, json) = both(&[CALLS, "--period", "week"]);
    check_against_json(&html, &json);
    assert!(!html.contains("id=\"chart-csat\""), "an empty CSAT chart");
    let csat = &html[html.find("<section id=\"csat\"").expect("a CSAT section")..];
    let csat = &csat[..csat.find("</section>").expect("closed")];
    assert!(csat.contains("no column is mapped to csat"), "{csat}");
    assert_eq!(csat.matches("<p").count(), 1, "one line: {csat}");
    assert!(!html.contains("data-kpi=\"csat\"><h3"), "no CSAT tile");
    let line = &html[html.find("id=\"not-computable\"").expect("the n/a line")..];
    assert!(line.contains("CSAT"), "{line}");
}

#[test]
fn small_fixture_chart_data_equals_the_json_report() {
    for period in ["week", "day"] {
        let (html, json) = both(&[SMALL, "--period", period]);
        let drawn = check_against_json(&html, &json);
        for pointer in expected_marks(&json) {
            assert!(
                drawn.contains(&pointer),
                "{pointer} is not drawn ({period})"
            );
        }
    }
    // Without --period: no change, and the backlog is drawn at as_of.
    let (html, json) = both(&[SMALL, "--by", "priority"]);
    let drawn = check_against_json(&html, &json);
    assert!(!html.contains(" data-delta="), "no change without periods");
    assert!(drawn.contains("/overall/backlog/age/0-1d"));
    assert!(html.contains("First response time by priority"));
}

#[test]
fn the_page_is_self_contained() {
    let (html, _) = both(&[SAMPLE, "--period", "week"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", " src=",
    ] {
        assert!(!html.contains(forbidden), "the page holds {forbidden:?}");
    }
    // The only URL is the SVG namespace, which is a name, not a request.
    let urls = html.matches("http").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(urls, namespaces, "a URL other than the SVG namespace");
    // Charts are labelled for assistive technology and have real text.
    let charts = html.matches("<svg class=\"chart\"").count();
    assert_eq!(
        charts, 8,
        "FRT by channel, two heatmaps, two histograms, backlog, SLA, CSAT"
    );
    assert_eq!(
        html.matches("role=\"img\" aria-labelledby=").count(),
        charts
    );
    assert!(html.contains("<text"));
    assert!(html.contains("@media print"));
}

#[test]
fn a_null_kpi_reads_not_computable_never_zero() {
    let dir = scratch();
    // No status anywhere: FCR and backlog are unknowable; no rating: no CSAT. The channel
    // name is markup, which must come out as text.
    let input = dir.write(
        "no-status.csv",
        "ticket_id,timestamp,event,author_type,channel\n\
         A,2026-03-02T09:00:00Z,message,customer,<b>web</b> & \"co\"\n\
         A,2026-03-02T09:30:00Z,message,agent,<b>web</b> & \"co\"\n\
         B,2026-03-02T10:00:00Z,message,customer,<script>alert(1)</script>\n",
    );
    let path = input.to_str().expect("utf-8 path");
    let (html, json) = both(&[path]);
    check_against_json(&html, &json);
    // No tile for what is not computable: one line names them, each marked null.
    let line = &html[html.find("id=\"not-computable\"").expect("the n/a line")..];
    let line = &line[..line.find("</p>").expect("closed")];
    assert!(
        line.starts_with("id=\"not-computable\">Not computable from this input: "),
        "{line}"
    );
    for (kpi, pointer) in [
        ("fcr", "/overall/fcr/rate"),
        ("csat", "/overall/csat/rate"),
        ("backlog", "/overall/backlog/open"),
    ] {
        assert!(
            !html.contains(&format!("data-kpi=\"{kpi}\"><h3")),
            "{kpi}: a tile for nothing"
        );
        let mark = format!("data-json=\"{pointer}\" data-value=\"null\" data-kpi=\"{kpi}\"");
        assert!(line.contains(&mark), "{kpi}: {line}");
    }
    assert!(!line.contains(">0<") && !line.contains(">0.0%<"));
    // Their sections say so in one line: no empty chart.
    for section in ["backlog", "csat"] {
        let text = &html[html
            .find(&format!("<section id=\"{section}\""))
            .expect("a section")..];
        let text = &text[..text.find("</section>").expect("closed")];
        assert!(text.contains(NOT_COMPUTABLE), "{section}: {text}");
        assert!(!text.contains("<svg"), "{section}: an empty chart");
    }
    assert!(!html.contains("<script"), "input is escaped");
    assert!(!html.contains("<b>web"), "input is escaped");
    assert!(html.contains("&lt;b&gt;web&lt;/b&gt; &amp; &quot;co&quot;"));
}

/// The page of the small fixture, one tag per line so that a change reads as a small diff
/// (the page itself has no line breaks between tags).
#[test]
fn golden_html() {
    let html = ticketkpi(["report", SMALL, "--period", "week", "--format", "html"]).text();
    insta::assert_snapshot!(html.replace("><", ">\n<"));
}

// ---------------------------------------------------------------------------------------------
// Headless Chromium

const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| BROWSERS.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn is_root() -> bool {
    Process::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Chromium, installed with apt-get if it is missing and we may; else why not.
fn browser() -> Result<PathBuf, String> {
    if let Some(found) = find_browser() {
        return Ok(found);
    }
    if !is_root() {
        return Err("not installed, and not root to install it".to_owned());
    }
    let apt = |args: &[&str]| {
        Process::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("apt-get: {e}"))
            .and_then(|status| {
                status
                    .success()
                    .then_some(())
                    .ok_or(format!("apt-get {} failed: {status}", args.join(" ")))
            })
    };
    apt(&["update", "-qq"])?;
    apt(&["install", "-y", "-qq", "chromium"])?;
    find_browser().ok_or_else(|| "apt-get installed no chromium".to_owned())
}

/// Runs Chromium on `page` with a fresh profile, no network and a time limit; returns its
/// stdout and stderr.
fn chromium(browser: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let profile = scratch();
    let mut child = Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes while waiting, so that a chatty browser never blocks on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).map(|_| text)
    });
    let deadline = Instant::now() + Duration::from_secs(25);
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium took longer than 25 s");
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let joined = |handle: std::thread::JoinHandle<std::io::Result<String>>| {
        handle
            .join()
            .expect("reader thread")
            .expect("chromium's output")
    };
    (joined(out), joined(err))
}

#[test]
fn renders_in_headless_chromium_without_console_errors() {
    let browser = match browser() {
        Ok(browser) => browser,
        Err(why) if std::env::var_os("TICKETKPI_REQUIRE_CHROMIUM").is_none() => {
            println!("SKIPPED: chromium not available ({why})");
            return;
        }
        Err(why) => panic!("chromium not available ({why}) and TICKETKPI_REQUIRE_CHROMIUM is set"),
    };
    let dir = scratch();
    let html = ticketkpi(["report"])
        .args(SAMPLE_BY_WEEK)
        .args(["--format", "html"])
        .text();
    let page = dir.write("report.html", &html);

    let (dom, log) = chromium(&browser, &page, &["--dump-dom"]);
    let console: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .collect();
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    // The browser built the same document: every chart, every mark, no element swallowed by
    // another (an SVG element without its end tag would nest the next one inside it).
    assert_eq!(
        dom.matches("<svg class=\"chart\"").count(),
        html.matches("<svg class=\"chart\"").count()
    );
    assert_eq!(
        dom.matches(" data-json=").count(),
        html.matches(" data-json=").count()
    );
    for line in dom.split("<rect").skip(1) {
        let inside = line.split("</rect>").next().unwrap_or_default();
        assert!(!inside.contains("<text"), "a rect holds text: {inside}");
    }
    assert!(dom.contains(NOT_COMPUTABLE) || !html.contains(NOT_COMPUTABLE));

    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report.png");
    let _ = std::fs::remove_file(&screenshot);
    let (_, log) = chromium(
        &browser,
        &page,
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,2400",
        ],
    );
    let png = std::fs::read(&screenshot).unwrap_or_else(|e| panic!("no screenshot ({e}): {log}"));
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real picture"
    );
    println!("screenshot: {}", screenshot.display());
}
