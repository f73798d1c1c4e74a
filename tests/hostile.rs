//! Hostile inputs through the real binary (issue 16): outputs that would clobber inputs,
//! injection into secondary outputs, memory that must stay bounded, shapes that were
//! superlinear, DST at midnight, numbers at the limits, and the smaller cases. Each test says
//! what used to happen. The whole suite runs in well under a minute in a debug build; the
//! time limits asserted are generous (the shapes took minutes, or aborted, before).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

const HEADER: &str = "ticket_id,timestamp,event,author_type,channel,status\n";

/// `ticketkpi ARGS` in `dir`, through the shared harness; the process output as it is.
fn run(dir: &Path, args: &[&str]) -> Output {
    common::ticketkpi(args)
        .current_dir(dir)
        .command()
        .output()
        .expect("runs")
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, content).expect("write fixture");
    path
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

/// A small valid export with one invalid row.
fn export() -> String {
    format!(
        "{HEADER}T1,2026-03-02T09:00:00Z,message,customer,email,new\n\
         T1,2026-03-02T09:30:00Z,message,agent,email,solved\n\
         T2,not-a-time,message,customer,chat,\n"
    )
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

// ---- 4. Output paths ---------------------------------------------------------------------

#[test]
fn an_output_that_is_an_input_under_any_name_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(dir.path(), "in.csv", export());
    std::os::unix::fs::symlink(&input, dir.path().join("link.csv")).expect("symlink");
    fs::hard_link(&input, dir.path().join("hard.csv")).expect("hard link");
    let config = write(dir.path(), "c.toml", "[report]\ntz = \"UTC\"\n");
    for args in [
        &["report", "in.csv", "-o", "in.csv"][..],
        &["report", "in.csv", "-o", "link.csv"],
        &["report", "in.csv", "-o", "hard.csv"],
        &["report", "in.csv", "-o", "./sub/../in.csv"],
        &["report", "in.csv", "--rejects", "in.csv"],
        &["report", "link.csv", "--rejects", "hard.csv"],
        &["tickets", "in.csv", "--config", "c.toml", "-o", "c.toml"],
        &["report", "in.csv", "-o", "out.txt", "--rejects", "out.txt"],
        &["report", "in.csv", "-o", "-", "--rejects", "-"],
        &["inspect", "in.csv", "--rejects", "-"],
    ] {
        fs::create_dir_all(dir.path().join("sub")).expect("sub");
        let output = run(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("give"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(fs::read_to_string(&input).expect("input"), export());
    assert_eq!(
        fs::read_to_string(&config).expect("config"),
        "[report]\ntz = \"UTC\"\n"
    );
    assert!(!dir.path().join("out.txt").exists());
}

#[test]
fn dash_is_standard_output_for_the_report_and_the_rejects() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "in.csv", export());
    let report = json(&run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "--format",
            "json",
            "-o",
            "-",
            "--skip-invalid",
        ],
    ));
    assert_eq!(report["input"]["rows"], 3);
    let rejects = run(
        dir.path(),
        &["report", "in.csv", "-o", "r.json", "--rejects", "-"],
    );
    assert!(rejects.status.success(), "{}", stderr(&rejects));
    let text = String::from_utf8(rejects.stdout).expect("utf-8");
    assert!(text.starts_with("file,line,record,reason"), "{text}");
    assert!(text.contains("bad_timestamp"), "{text}");
    assert!(!dir.path().join("-").exists(), "no file named -");
    assert!(dir.path().join("r.json").exists());
}

#[test]
fn a_failed_run_leaves_earlier_outputs_as_they_were_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "in.csv", export());
    write(dir.path(), "bad.csv", "no,such,columns\n1,2,3\n");
    write(dir.path(), "report.txt", "last week's report");
    write(dir.path(), "rejects.csv", "last week's rejects");
    let output = run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "bad.csv",
            "-o",
            "report.txt",
            "--rejects",
            "rejects.csv",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("report.txt")).unwrap(),
        "last week's report"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("rejects.csv")).unwrap(),
        "last week's rejects"
    );
    assert_eq!(
        files_in(dir.path()),
        ["bad.csv", "in.csv", "rejects.csv", "report.txt"]
    );
    // Reading succeeds but the report cannot be written (a directory): the rejects file,
    // complete by then, is not put in place either.
    fs::create_dir(dir.path().join("dir")).expect("dir");
    let output = run(
        dir.path(),
        &["report", "in.csv", "-o", "dir", "--rejects", "rejects.csv"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("rejects.csv")).unwrap(),
        "last week's rejects"
    );
    fs::remove_dir(dir.path().join("dir")).expect("empty");
    // The same run on a good input replaces both.
    let output = run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "-o",
            "report.txt",
            "--rejects",
            "rejects.csv",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::read_to_string(dir.path().join("rejects.csv"))
            .unwrap()
            .contains("bad_timestamp")
    );
    assert!(
        fs::read_to_string(dir.path().join("report.txt"))
            .unwrap()
            .contains("Tickets")
    );
}

// ---- 5. Injection ------------------------------------------------------------------------

#[test]
fn the_rejects_file_defuses_formulas_like_the_csv_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut csv = HEADER.to_owned();
    for (i, payload) in ["=1+2", "@SUM(A1:A9)", "+7", "-5+5"].iter().enumerate() {
        csv.push_str(&format!("{payload},bad{i},message,customer,email,\n"));
    }
    write(dir.path(), "in.csv", csv);
    let output = run(
        dir.path(),
        &["report", "in.csv", "--rejects", "rejects.csv", "-q"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(dir.path().join("rejects.csv")).expect("rejects");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let raw = &row[6];
        assert!(raw.starts_with('\''), "the raw row is defused: {raw}");
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell in the rejects file: {cell:?}"
            );
        }
    }
}

#[test]
fn markdown_writes_no_html_links_or_control_characters_from_the_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
    ];
    let mut csv = HEADER.to_owned();
    for (i, channel) in hostile.iter().enumerate() {
        csv.push_str(&format!(
            "T{i},2026-03-02T09:00:00Z,message,customer,\"{channel}\",new\n"
        ));
    }
    csv.push_str("\"T\u{1b}[2J\u{7}\u{0}9\",2026-03-02T09:00:00Z,message,customer,email,new\n");
    write(dir.path(), "in.csv", csv);
    for command in ["report", "tickets"] {
        let output = run(dir.path(), &[command, "in.csv", "--format", "markdown"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = String::from_utf8(output.stdout).expect("utf-8");
        // An escaped bracket, `\]`, cannot close a link text.
        let unescaped = text.replace("\\]", "");
        for forbidden in [
            "<script",
            "<img",
            "](javascript:",
            "\u{1b}",
            "\u{7}",
            "\u{0}",
        ] {
            assert!(
                !unescaped.contains(forbidden),
                "{command}: {forbidden:?} in\n{text}"
            );
        }
        assert!(
            text.contains("&lt;script&gt;") || command == "tickets",
            "{text}"
        );
    }
}

#[test]
fn stderr_and_tables_show_escape_sequences_and_direction_overrides_as_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A header name with an escape sequence and a right-to-left override: missing columns.
    write(
        dir.path(),
        "evil\u{1b}[31m.csv",
        "ticket\u{1b}]0;pwned\u{7}\u{202e}id,when\n1,2\n",
    );
    let output = run(dir.path(), &["report", "evil\u{1b}[31m.csv"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("missing required column"), "{message}");
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!message.contains(raw), "{raw:?} raw in {message:?}");
    }
    assert!(message.contains("\\u{202e}"), "{message}");
    // U+202E in a group label, on the terminal report.
    write(
        dir.path(),
        "rtl.csv",
        format!("{HEADER}T1,2026-03-02T09:00:00Z,message,customer,\u{202e}liame,new\n"),
    );
    let output = run(dir.path(), &["report", "rtl.csv"]);
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        !text.contains('\u{202e}') && text.contains("\\u{202e}liame"),
        "{text}"
    );
}

// ---- 3. Memory ---------------------------------------------------------------------------

fn assert_memory_error(output: &Output) {
    assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
    assert!(
        stderr(output).contains("--max-memory"),
        "{}",
        stderr(output)
    );
}

#[test]
fn long_ids_long_values_and_one_huge_field_count_against_max_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 1,000 tickets with 10 KB ids (10 MB of ids; this took 1.09 GB under 200M at 100k).
    let mut ids = HEADER.to_owned();
    for i in 0..1_000 {
        ids.push_str(&format!(
            "{i}{},2026-03-02T09:00:00Z,message,customer,email,\n",
            "x".repeat(10_000)
        ));
    }
    write(dir.path(), "ids.csv", ids);
    let output = run(
        dir.path(),
        &["report", "ids.csv", "--max-memory", "4M", "-q"],
    );
    assert_memory_error(&output);
    assert!(
        stderr(&output).contains("MB of it ids"),
        "{}",
        stderr(&output)
    );
    // Distinct long agent values (2.19 GB under 200M).
    let mut agents = "ticket_id,timestamp,author_type,agent\n".to_owned();
    for i in 0..1_000 {
        agents.push_str(&format!(
            "T{i},2026-03-02T09:00:00Z,agent,{i}{}\n",
            "a".repeat(10_000)
        ));
    }
    write(dir.path(), "agents.csv", agents);
    assert_memory_error(&run(
        dir.path(),
        &["report", "agents.csv", "--max-memory", "4M", "-q"],
    ));
    // One row, one 8 MB field: checked from the first row (before, every 65,536 rows).
    let huge = format!(
        "ticket_id,timestamp,author_type,team\nT1,2026-03-02T09:00:00Z,customer,{}\n",
        "t".repeat(8 << 20)
    );
    write(dir.path(), "huge.csv", huge);
    assert_memory_error(&run(
        dir.path(),
        &["report", "huge.csv", "--max-memory", "4M", "-q"],
    ));
    // Without the limit, the same input is fine.
    let output = run(
        dir.path(),
        &["report", "huge.csv", "--format", "json", "-q"],
    );
    assert_eq!(json(&output)["input"]["tickets"], 1);
}

#[test]
fn absurd_period_counts_are_refused_before_the_table_is_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "two.csv",
        format!(
            "{HEADER}T1,1800-01-01T09:00:00Z,message,customer,email,\n\
             T2,2026-03-02T09:00:00Z,message,customer,email,\n"
        ),
    );
    // Two rows 226 years apart: 82,000 daily periods took 574 MB and a 378 MB report.
    let output = run(
        dir.path(),
        &["report", "two.csv", "--period", "day", "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("would list about 82,"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    // Months are fine (2,715 of them), but not under a small --max-memory.
    let months = run(
        dir.path(),
        &["report", "two.csv", "--period", "month", "--format", "json"],
    );
    assert_eq!(
        json(&months)["periods"].as_array().map(Vec::len),
        Some(2_715)
    );
    let month = run(
        dir.path(),
        &[
            "report",
            "two.csv",
            "--period",
            "month",
            "--max-memory",
            "10M",
        ],
    );
    assert_eq!(month.status.code(), Some(1), "{}", stderr(&month));
    assert!(
        stderr(&month).contains("--max-memory"),
        "{}",
        stderr(&month)
    );
    // Known from --since and --until alone: refused before reading (the file is missing).
    let early = run(
        dir.path(),
        &[
            "report",
            "missing.csv",
            "--period",
            "day",
            "--since",
            "0001-01-01",
            "--until",
            "9999-12-31",
        ],
    );
    assert_eq!(early.status.code(), Some(2), "{}", stderr(&early));
    assert!(stderr(&early).contains("--period"), "{}", stderr(&early));
}

// ---- 6. Superlinear time -----------------------------------------------------------------

fn within(limit: Duration, what: &str, run: impl FnOnce() -> Output) -> Output {
    let started = Instant::now();
    let output = run();
    assert!(
        started.elapsed() < limit,
        "{what} took {:?}",
        started.elapsed()
    );
    output
}

#[test]
fn a_rejected_row_of_16_mb_is_written_in_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A quoted cell forces quoting; the csv writer rescanned it per 8 KiB (80 MB: 29 s).
    let long = format!("{}\"", "x".repeat(16 << 20));
    let csv = format!(
        "{HEADER}T1,{},message,customer,email,\n",
        long.replace('"', "")
    );
    write(dir.path(), "long.csv", csv);
    let output = within(Duration::from_secs(30), "the rejects file", || {
        run(
            dir.path(),
            &["report", "long.csv", "--rejects", "rejects.csv", "-q"],
        )
    });
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(dir.path().join("rejects.csv")).expect("rejects");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row = reader.records().next().expect("one row").expect("parses");
    assert_eq!(
        row[6].len(),
        (16 << 20) + "T1,,message,customer,email,".len()
    );
}

#[test]
fn business_hours_over_millennia_and_since_the_epoch() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ticketkpi.toml",
        "[report]\nschedule = \"office\"\n\n[schedules.office]\ntimezone = \"Europe/Berlin\"\n\
         weekdays = [\"09:00-12:00\", \"13:00-17:30\"]\nholidays = [\"01-01\", \"12-25\"]\n\n\
         [[sla.policies]]\nname = \"office\"\nschedule = \"office\"\nfirst_reply = \"2h\"\n\
         resolution = \"8h\"\n",
    );
    // 100 tickets open from year 1 to 9999 (2.7 s each before) and 2,000 since the epoch
    // (32 s before).
    let mut csv = HEADER.to_owned();
    for i in 0..100 {
        csv.push_str(&format!(
            "A{i},0001-01-01T{:02}:00:00Z,message,customer,email,new\n",
            i % 24
        ));
        csv.push_str(&format!(
            "A{i},9999-12-31T12:00:00Z,message,agent,email,solved\n"
        ));
    }
    for i in 0..2_000 {
        csv.push_str(&format!("E{i},{i},message,customer,chat,new\n"));
        csv.push_str(&format!("E{i},1772442000,message,agent,chat,solved\n"));
    }
    write(dir.path(), "long.csv", csv);
    let output = within(Duration::from_secs(30), "business hours", || {
        run(
            dir.path(),
            &["report", "long.csv", "--format", "json", "-q"],
        )
    });
    let report = json(&output);
    let business = report["overall"]["resolution_time_business"]["median"]
        .as_f64()
        .expect("a business resolution time");
    assert!(business > 0.0);
}

#[test]
fn a_reply_chain_of_40_000_tweets_is_one_conversation_in_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut csv =
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
            .to_owned();
    for i in 1..=40_000u64 {
        let parent = if i == 1 {
            String::new()
        } else {
            (i - 1).to_string()
        };
        let (author, inbound) = if i % 2 == 1 {
            ("115712", "True")
        } else {
            ("AppleSupport", "False")
        };
        let minute = i % 60;
        let hour = i / 60 % 24;
        csv.push_str(&format!(
            "{i},{author},{inbound},Tue Oct 31 {hour:02}:{minute:02}:00 +0000 2017,hi,,{parent}\n"
        ));
    }
    write(dir.path(), "tweets.csv", csv);
    let output = within(Duration::from_secs(30), "thread roots", || {
        run(
            dir.path(),
            &["report", "tweets.csv", "--format", "json", "-q"],
        )
    });
    let report = json(&output);
    assert_eq!(report["input"]["rows_used"], 40_000);
    assert_eq!(report["input"]["tickets"], 1, "one chain, one conversation");
}

#[test]
fn daily_periods_over_a_decade_of_tickets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut csv = HEADER.to_owned();
    let start = 1_420_070_400i64; // 2015-01-01
    for i in 0..20_000i64 {
        let created = start + i * 15_768; // ten years over 20,000 tickets
        csv.push_str(&format!("T{i},{created},message,customer,email,new\n"));
        csv.push_str(&format!(
            "T{i},{},message,agent,email,solved\n",
            created + (i % 40 + 1) * 86_400
        ));
    }
    write(dir.path(), "decade.csv", csv);
    let output = within(Duration::from_secs(30), "--period day", || {
        run(
            dir.path(),
            &[
                "report",
                "decade.csv",
                "--period",
                "day",
                "--format",
                "json",
                "-q",
            ],
        )
    });
    let report = json(&output);
    let periods = report["periods"].as_array().expect("periods");
    assert!(periods.len() >= 3_650, "{}", periods.len());
    // Tickets live 1 to 40 days, about 17.5 created a day: a steady backlog of hundreds.
    let middle = periods[periods.len() / 2]["backlog_at_end"]
        .as_u64()
        .expect("a backlog");
    assert!((100..1_000).contains(&middle), "{middle}");
}

// ---- 7. DST at midnight --------------------------------------------------------------------

#[test]
fn periods_tile_time_in_havana_where_dst_ended_at_midnight() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 2018-11-04 in Havana: 01:00 CDT became 00:00 CST, so midnight came twice. A ticket
    // created at 00:30 the first time round, solved the next day.
    write(
        dir.path(),
        "havana.csv",
        format!(
            "{HEADER}A,2018-11-03T12:00:00-04:00,message,customer,email,new\n\
             B,2018-11-04T00:30:00-04:00,message,customer,email,new\n\
             B,2018-11-05T10:00:00-05:00,message,agent,email,solved\n\
             C,2018-11-06T10:00:00-05:00,message,customer,email,new\n"
        ),
    );
    let output = run(
        dir.path(),
        &[
            "report",
            "havana.csv",
            "--tz",
            "America/Havana",
            "--period",
            "day",
            "--format",
            "json",
        ],
    );
    let report = json(&output);
    let periods = report["periods"].as_array().expect("periods");
    for pair in periods.windows(2) {
        assert_eq!(
            pair[0]["end"], pair[1]["start"],
            "no gap, no overlap: {pair:?}"
        );
    }
    let day = |label: &str| periods.iter().find(|p| p["period"] == label).expect(label);
    assert_eq!(day("2018-11-03")["end"], "2018-11-04T04:00:00Z");
    assert_eq!(
        day("2018-11-04")["kpis"]["tickets"],
        1,
        "B belongs to the 4th"
    );
    assert_eq!(
        day("2018-11-03")["backlog_at_end"],
        1,
        "the 3rd ends before B: only A is open then"
    );
}

// ---- 8. Numbers ----------------------------------------------------------------------------

#[test]
fn implausible_durations_are_rejected_with_the_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let header = "Id,Status,Via,Created at,Solved at,First reply time in minutes,First resolution time in minutes,Full resolution time in minutes\n";
    write(
        dir.path(),
        "zendesk.csv",
        format!(
            "{header}1,Solved,Email,2026-03-02 09:00:00,2026-03-02 11:00:00,30,120,120\n\
             2,Open,Email,2026-03-02 09:00:00,,5256000000000000000000,,\n\
             3,Open,Email,2026-03-02 09:00:00,,5256000000000,,\n"
        ),
    );
    let output = run(
        dir.path(),
        &[
            "report",
            "zendesk.csv",
            "--skip-invalid",
            "--format",
            "json",
        ],
    );
    let report = json(&output);
    assert_eq!(report["input"]["rejects_by_reason"]["out_of_range"], 2);
    assert_eq!(
        report["as_of"], "2026-03-02T11:00:00Z",
        "no as_of in year 12019"
    );
    let strict = run(dir.path(), &["report", "zendesk.csv"]);
    assert!(
        stderr(&strict).contains("more than 100 years"),
        "{}",
        stderr(&strict)
    );
    // Huge handle times: rejected, so no `inf` in the tickets CSV.
    write(
        dir.path(),
        "handle.csv",
        "ticket_id,timestamp,author_type,handle_seconds\n\
         T1,2026-03-02T09:00:00Z,customer,1\n\
         T1,2026-03-02T09:01:00Z,agent,179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n\
         T1,2026-03-02T09:02:00Z,agent,179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n",
    );
    let output = run(
        dir.path(),
        &["tickets", "handle.csv", "--skip-invalid", "--format", "csv"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(!text.contains("inf"), "{text}");
}

#[test]
fn a_channel_written_none_is_its_own_group_and_shares_sum_to_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "none.csv",
        format!(
            "{HEADER}T1,2026-03-02T09:00:00Z,message,customer,(none),\n\
             T2,2026-03-02T09:00:00Z,message,customer,,\n\
             T3,2026-03-02T09:00:00Z,message,customer,email,\n"
        ),
    );
    let report = json(&run(
        dir.path(),
        &["report", "none.csv", "--format", "json"],
    ));
    let groups = report["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 3);
    assert!(groups.iter().any(|g| g["by"]["channel"].is_null()));
    assert!(groups.iter().any(|g| g["by"]["channel"] == "(none)"));
    let shares = report["overall"]["volume"]["channel_share"]
        .as_object()
        .expect("shares");
    let total: f64 = shares.values().filter_map(Value::as_f64).sum();
    assert!((total - 1.0).abs() < 1e-9, "{shares:?}");
    assert!(
        shares.contains_key("(none)") && shares.contains_key("\"(none)\""),
        "{shares:?}"
    );
    let table = run(dir.path(), &["report", "none.csv"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("\"(none)\""));
}

#[test]
fn threads_are_capped_with_the_cap_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "in.csv", export());
    let output = run(dir.path(), &["report", "in.csv", "--threads", "5000"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("at most 64"),
        "{}",
        stderr(&output)
    );
    let output = run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "--threads",
            "64",
            "--skip-invalid",
            "-q",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

// ---- 9. Smaller ----------------------------------------------------------------------------

#[test]
fn init_refuses_a_dangling_symlink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("dir");
    std::os::unix::fs::symlink(
        elsewhere.join("planted.toml"),
        dir.path().join("ticketkpi.toml"),
    )
    .expect("symlink");
    for args in [&["init"][..], &["init", "--force"]] {
        let output = run(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(stderr(&output).contains("symbolic link") || stderr(&output).contains("exists"));
    }
    assert!(
        !elsewhere.join("planted.toml").exists(),
        "nothing written through the link"
    );
    let output = run(dir.path(), &["init", "fresh.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::read_to_string(dir.path().join("fresh.toml"))
            .expect("written")
            .contains("[report]")
    );
}

#[test]
fn since_after_until_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "in.csv", export());
    let output = run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "--since",
            "2026-04-01",
            "--until",
            "2026-03-01",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("after --until"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn duplicate_counting_does_not_depend_on_the_order_of_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let row = "T1,2026-03-02T09:00:00Z,message,customer,email,new\n";
    write(dir.path(), "a.csv", format!("{HEADER}{row}"));
    write(dir.path(), "b.csv", format!("{HEADER}{row}{row}{row}"));
    let messages = |first: &str, second: &str| {
        let report = json(&run(
            dir.path(),
            &["report", first, second, "--format", "json"],
        ));
        (
            report["overall"]["volume"]["customer_messages"].clone(),
            report["data_quality"]["duplicate_events"].clone(),
        )
    };
    assert_eq!(messages("a.csv", "b.csv"), messages("b.csv", "a.csv"));
    assert_eq!(messages("a.csv", "b.csv").0, 3);
}

#[test]
fn a_header_of_a_million_columns_gives_a_short_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    write(dir.path(), "wide.csv", format!("{}\n", header.join(",")));
    let output = run(dir.path(), &["report", "wide.csv"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.len() < 10_000, "{} bytes", message.len());
    assert!(message.contains("more"), "{message}");
}
