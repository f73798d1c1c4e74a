//! `report --state DIR`: night after night over successive exports, the report is byte for
//! byte that of one run over all of them; a night given twice is told and not counted twice;
//! a state made with other settings, of another format or schema version, or damaged is
//! refused (exit 2); a failed night leaves the state as it was; thresholds and a baseline
//! work on the report as usual.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Scratch, at, count, generate, scratch, ticketkpi};
use serde_json::Value;

/// The canonical header of a hand-written export.
const HEADER: &str = "ticket_id,timestamp,event,author_type,channel,status\n";

/// A generated export (time order), cut into one file a day (`night-YYYY-MM-DD.csv`, each with
/// the header), in date order. A row whose timestamp is no date (an invalid row of `--dirty`)
/// stays in the night of the row before it, as it would in a nightly export.
fn nights(dir: &Scratch, args: &[&str]) -> Vec<PathBuf> {
    let export = dir.path().join("export.csv");
    let mut all = vec!["--order", "time"];
    all.extend_from_slice(args);
    generate(&export, &all);
    // Bytes, not text: an invalid row may hold bytes that are not UTF-8.
    let bytes = std::fs::read(&export).expect("the export");
    let mut lines = bytes.split_inclusive(|byte| *byte == b'\n');
    let header = lines.next().expect("a header");
    let mut days: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut current = String::new();
    for line in lines {
        let timestamp = line.split(|byte| *byte == b',').nth(1).unwrap_or_default();
        let date = timestamp
            .get(..10)
            .and_then(|d| std::str::from_utf8(d).ok());
        if let Some(date) = date.filter(|d| d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-') {
            current = date.to_owned();
        }
        days.entry(current.clone())
            .or_insert_with(|| header.to_vec())
            .extend_from_slice(line);
    }
    days.iter()
        .map(|(day, rows)| dir.write(&format!("night-{day}.csv"), rows))
        .collect()
}

/// `report FILES ARGS --format json`, its stdout as bytes (the comparison is byte for byte).
fn one_run(files: &[PathBuf], args: &[&str]) -> Vec<u8> {
    ticketkpi(["report", "--format", "json", "-q"])
        .args(files)
        .args(args)
        .success()
        .stdout_bytes
}

/// One night: `report FILE --state STATE ARGS --format json`, expecting success.
fn night(file: &Path, state: &Path, args: &[&str]) -> common::Output {
    ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(state)
        .arg(file)
        .args(args)
        .success()
}

/// Every file of a folder and its bytes: what "left as it was" compares.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("the state folder")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("readable"))
        })
        .collect()
}

fn manifest(state: &Path) -> Value {
    let text = std::fs::read_to_string(state.join("state.json")).expect("a manifest");
    serde_json::from_str(&text).expect("the manifest is JSON")
}

#[test]
fn night_after_night_the_report_is_one_runs_over_the_nights_so_far() {
    let dir = scratch();
    let files = nights(&dir, &["--tickets", "240", "--days", "6", "--seed", "11"]);
    assert!(files.len() >= 6, "{} nights", files.len());
    let state = dir.path().join("state");
    let args = ["--period", "day", "--by", "channel", "--by", "priority"];
    for (index, file) in files.iter().enumerate() {
        let nightly = night(file, &state, &args).stdout_bytes;
        let whole = one_run(&files[..=index], &args);
        assert!(
            nightly == whole,
            "night {} differs from one run over the first {} exports",
            index + 1,
            index + 1
        );
    }
    assert_eq!(
        manifest(&state)["nights"].as_array().map(Vec::len),
        Some(files.len())
    );
}

#[test]
fn invalid_rows_and_other_report_settings_come_out_as_in_one_run() {
    let dir = scratch();
    let files = nights(
        &dir,
        &[
            "--tickets",
            "150",
            "--days",
            "4",
            "--seed",
            "3",
            "--dirty",
            "0.02",
        ],
    );
    let state = dir.path().join("state");
    // The reading settings stay; the report's own (period, breakdown, as-of) may change from
    // night to night, since the tickets are derived again from every event each night.
    for file in &files {
        night(file, &state, &["--skip-invalid"]);
    }
    let args = ["--skip-invalid", "--period", "week", "--by", "team"];
    let again = ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(files.last().expect("a night"))
        .args(args)
        .output();
    // Given again, the last night is not added: the report is the state's.
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let whole = one_run(&files, &args);
    assert!(again.stdout_bytes == whole, "the state's report differs");
    let report: Value = serde_json::from_slice(&whole).expect("JSON");
    assert!(
        count(&report, "input.rows_rejected") > 0,
        "the cut holds invalid rows"
    );
}

#[test]
fn a_reopen_that_spans_two_nights_is_one_reopen_as_in_one_run() {
    let dir = scratch();
    // T1 is asked and solved on the first night; the customer writes again on the second,
    // and it is solved again: one reopen, resolved twice.
    let monday = dir.write(
        "monday.csv",
        format!(
            "{HEADER}T1,2026-03-02T09:00:00Z,message,customer,email,new\n\
             T1,2026-03-02T09:30:00Z,message,agent,email,solved\n\
             T2,2026-03-02T10:00:00Z,message,customer,chat,new\n"
        ),
    );
    let tuesday = dir.write(
        "tuesday.csv",
        format!(
            "{HEADER}T1,2026-03-03T08:00:00Z,message,customer,email,open\n\
             T1,2026-03-03T08:20:00Z,message,agent,email,solved\n\
             T2,2026-03-03T11:00:00Z,message,agent,chat,solved\n"
        ),
    );
    let state = dir.path().join("state");
    let first = night(&monday, &state, &[]).parse_json();
    assert_eq!(
        count(&first, "overall.backlog.open"),
        1,
        "T2 is open on monday"
    );
    let second = night(&tuesday, &state, &[]);
    let whole = one_run(&[monday, tuesday], &[]);
    assert!(second.stdout_bytes == whole, "tuesday differs from one run");
    let report = second.parse_json();
    // T2 is solved at its first reply; T1's reopen on tuesday takes it out of first contact.
    assert_eq!(count(&report, "overall.fcr.eligible"), 2, "{report:#}");
    assert_eq!(count(&report, "overall.fcr.first_contact"), 1, "{report:#}");
    assert_eq!(count(&report, "overall.backlog.open"), 0);
}

#[test]
fn a_night_given_twice_is_told_and_not_counted_twice() {
    let dir = scratch();
    let files = nights(&dir, &["--tickets", "60", "--days", "3", "--seed", "5"]);
    let state = dir.path().join("state");
    night(&files[0], &state, &[]);
    night(&files[1], &state, &[]);
    let before = snapshot(&state);
    // The same rows under another name are the same night.
    let copy = dir.path().join("copy-of-night-2.csv");
    std::fs::copy(&files[1], &copy).expect("a copy");
    let again = night(&copy, &state, &[]);
    again.stderr_has("the state already holds these rows");
    again.stderr_has("not added again");
    assert!(again.stdout_bytes == one_run(&files[..2], &[]));
    assert_eq!(snapshot(&state), before, "the state is unchanged");
    let third = night(&files[2], &state, &[]);
    assert!(third.stdout_bytes == one_run(&files, &[]));
}

/// A state of two nights over a small export, for the refusals.
fn two_nights(dir: &Scratch, args: &[&str]) -> (Vec<PathBuf>, PathBuf) {
    let files = nights(dir, &["--tickets", "40", "--days", "3", "--seed", "9"]);
    let state = dir.path().join("state");
    night(&files[0], &state, args);
    night(&files[1], &state, args);
    (files, state)
}

/// Runs the third night with `args` on `state`, which must be refused with exit 2 and leave
/// the state as it was; gives stderr.
fn refused(files: &[PathBuf], state: &Path, args: &[&str]) -> String {
    let before = snapshot(state);
    let output = ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(state)
        .arg(&files[2])
        .args(args)
        .fails_with(2);
    assert_eq!(snapshot(state), before, "a refused night changed the state");
    assert!(output.stdout.is_empty(), "no report: {}", output.stdout);
    output.stderr
}

#[test]
fn a_state_read_with_another_mapping_is_refused_naming_it() {
    let dir = scratch();
    let identity = "name = \"ours\"\nshape = \"events\"\n[fields]\nticket_id = \"ticket_id\"\n\
                    timestamp = \"timestamp\"\nevent = \"event\"\nauthor_type = \"author_type\"\n\
                    channel = \"channel\"\nstatus = \"status\"\nagent = \"agent\"\nteam = \"team\"\n\
                    priority = \"priority\"\ncategory = \"category\"\ncsat = \"csat\"\n\
                    handle_seconds = \"handle_seconds\"\nnps = \"nps\"\nsentiment = \"sentiment\"\n";
    let mapping = dir.write("ours.toml", identity);
    let (files, state) = two_nights(&dir, &["--mapping", &mapping.to_string_lossy()]);
    let other = dir.write(
        "ours.toml",
        identity.replace("channel = \"channel\"", "channel = \"team\""),
    );
    let stderr = refused(&files, &state, &["--mapping", &other.to_string_lossy()]);
    assert!(
        stderr.contains("mapping: the state has mapping file, text hash"),
        "{stderr}"
    );
    assert!(stderr.contains("start a new state folder"), "{stderr}");
    // Without the mapping at all, too.
    let stderr = refused(&files, &state, &[]);
    assert!(
        stderr.contains("this run the config's [mapping], else detected"),
        "{stderr}"
    );
}

#[test]
fn a_state_read_with_another_config_or_zone_is_refused_naming_it() {
    let dir = scratch();
    let config = dir.write(
        "ticketkpi.toml",
        "[aliases.status]\nresolved = \"solved\"\n",
    );
    let (files, state) = two_nights(&dir, &["--config", &config.to_string_lossy()]);
    // An alert or an SLA policy is no reading setting: the night goes on.
    let with_alert = dir.write(
        "alerting.toml",
        "[aliases.status]\nresolved = \"solved\"\n\n[[alerts]]\nname = \"big\"\n\
         condition = \"backlog.open > 100000\"\n",
    );
    let other = dir.write("other.toml", "[aliases.status]\ndone = \"solved\"\n");
    let stderr = refused(&files, &state, &["--config", &other.to_string_lossy()]);
    assert!(stderr.contains("config (aliases, mapping"), "{stderr}");
    assert!(stderr.contains("run with the state's settings"), "{stderr}");
    let stderr = refused(
        &files,
        &state,
        &[
            "--config",
            &config.to_string_lossy(),
            "--tz",
            "Europe/Paris",
        ],
    );
    assert!(
        stderr.contains("tz: the state has UTC, this run Europe/Paris"),
        "{stderr}"
    );
    night(
        &files[2],
        &state,
        &["--config", &with_alert.to_string_lossy()],
    );
}

#[test]
fn a_state_of_another_format_or_schema_version_is_refused() {
    let dir = scratch();
    let (files, state) = two_nights(&dir, &[]);
    let path = state.join("state.json");
    let original = std::fs::read_to_string(&path).expect("manifest");
    let mut value: Value = serde_json::from_str(&original).expect("JSON");
    value["format"] = 99.into();
    std::fs::write(&path, value.to_string()).expect("written");
    let stderr = refused(&files, &state, &[]);
    assert!(stderr.contains("a state of format 99"), "{stderr}");
    value["format"] = 2.into();
    value["schema_version"] = 1.into();
    std::fs::write(&path, value.to_string()).expect("written");
    let stderr = refused(&files, &state, &[]);
    assert!(stderr.contains("schema_version 1"), "{stderr}");
    std::fs::write(&path, original).expect("restored");
    night(&files[2], &state, &[]);
}

#[test]
fn a_damaged_manifest_or_events_file_is_refused() {
    let dir = scratch();
    let (files, state) = two_nights(&dir, &[]);
    let path = state.join("state.json");
    let original = std::fs::read(&path).expect("manifest");
    std::fs::write(&path, &original[..original.len() / 2]).expect("cut");
    let stderr = refused(&files, &state, &[]);
    assert!(stderr.contains("state.json is not JSON"), "{stderr}");
    assert!(
        stderr.contains("restore the folder from a backup"),
        "{stderr}"
    );
    std::fs::write(&path, b"{\"nights\": []}").expect("written");
    assert!(refused(&files, &state, &[]).contains("no ticketkpi state"));
    std::fs::write(&path, &original).expect("restored");
    let live = manifest(&state)["live"]["file"]
        .as_str()
        .expect("a live events file")
        .to_owned();
    let events = state.join(&live);
    let mut bytes = std::fs::read(&events).expect("events");
    bytes.truncate(bytes.len() - 30);
    std::fs::write(&events, &bytes).expect("cut");
    let stderr = refused(&files, &state, &[]);
    assert!(stderr.contains(&live), "{stderr}");
    assert!(stderr.contains("truncated or altered"), "{stderr}");
}

#[test]
fn a_failed_night_leaves_the_state_as_it_was() {
    let dir = scratch();
    let (files, state) = two_nights(&dir, &[]);
    let before = snapshot(&state);
    // A row with a bad timestamp stops the run (no --skip-invalid): exit 1.
    let mut broken = std::fs::read_to_string(&files[2]).expect("night 3");
    broken.push_str("T999999,yesterday,message,customer,email,,,,,new,,,,,,,\n");
    let broken = dir.write("broken.csv", broken);
    ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(&broken)
        .fails_with(1)
        .stderr_has("broken.csv:");
    assert_eq!(snapshot(&state), before);
    // A report that cannot be written (its folder does not exist) adds nothing either.
    let nowhere = dir.path().join("no-such-folder").join("report.json");
    let output = ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(&files[2])
        .arg("-o")
        .arg(&nowhere)
        .output();
    assert_ne!(output.code, Some(0));
    assert_eq!(snapshot(&state), before);
    let third = night(&files[2], &state, &[]);
    assert!(third.stdout_bytes == one_run(&files, &[]));
}

#[test]
fn thresholds_and_a_baseline_read_the_report_of_every_night_so_far() {
    let dir = scratch();
    let files = nights(&dir, &["--tickets", "60", "--days", "3", "--seed", "5"]);
    let state = dir.path().join("state");
    let monday = dir.path().join("monday.json");
    ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(&files[0])
        .arg("-o")
        .arg(&monday)
        .success();
    // A condition that holds: the report is written, the night is added, the run exits 4.
    let tuesday = dir.path().join("tuesday.json");
    ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(&files[1])
        .args(["--fail-if", "volume.tickets > 0", "--baseline"])
        .arg(&monday)
        .arg("-o")
        .arg(&tuesday)
        .fails_with(4)
        .stderr_has("volume.tickets > 0");
    assert_eq!(manifest(&state)["nights"].as_array().map(Vec::len), Some(2));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&tuesday).expect("written")).expect("JSON");
    let whole: Value = serde_json::from_slice(&one_run(&files[..2], &[])).expect("one run's JSON");
    assert_eq!(
        at(&report, "overall.volume.tickets"),
        at(&whole, "overall.volume.tickets")
    );
    let first: Value =
        serde_json::from_str(&std::fs::read_to_string(&monday).expect("written")).expect("JSON");
    assert_eq!(
        at(&report, "overall.volume.previous.tickets"),
        at(&first, "overall.volume.tickets"),
        "the baseline is monday's report"
    );
    assert!(at(&report, "baseline").is_object());
}

#[test]
fn a_ticket_table_is_refused_with_the_reason() {
    let dir = scratch();
    let state = dir.path().join("state");
    ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(common::fixture("presets/freshdesk.csv"))
        .fails_with(2)
        .stderr_has("is read as a ticket table (mapping freshdesk)")
        .stderr_has("--state takes event logs");
    assert!(!state.exists(), "no state was made");
}

/// `report FILES ARGS --format FORMAT`, its stdout as bytes.
fn one_run_as(files: &[PathBuf], format: &str, args: &[&str]) -> Vec<u8> {
    ticketkpi(["report", "--format", format, "-q"])
        .args(files)
        .args(args)
        .success()
        .stdout_bytes
}

/// Every night of `files` into `state` with `args`, each compared with one run so far.
fn every_night_equals_one_run(files: &[PathBuf], state: &Path, args: &[&str]) {
    for (index, file) in files.iter().enumerate() {
        let nightly = night(file, state, args);
        assert!(
            nightly.stdout_bytes == one_run(&files[..=index], args),
            "night {} differs from one run",
            index + 1
        );
    }
}

/// How many tickets the state's fold holds.
fn folded_tickets(state: &Path) -> u64 {
    count(&manifest(state), "fold.tickets")
}

#[test]
fn with_tickets_folded_away_every_night_is_one_run_in_json_and_table() {
    let dir = scratch();
    let files = nights(&dir, &["--tickets", "300", "--days", "70", "--seed", "5"]);
    let state = dir.path().join("state");
    let args = ["--by", "channel", "--by", "priority", "--period", "week"];
    every_night_equals_one_run(&files, &state, &args);
    let folded = folded_tickets(&state);
    assert!(folded > 50, "{folded} tickets folded");
    // A rating or a message after a close sends a night back to the archive: rare.
    let rederived = count(&manifest(&state), "rederived");
    assert!(
        rederived <= 2,
        "re-derived {rederived} times over {} nights",
        files.len()
    );
    let live = count(&manifest(&state), "live.tickets");
    assert!(
        live + folded >= 290 && live < 250,
        "{live} live tickets, {folded} folded"
    );
    // The table too, on one more night (the last one again would be a duplicate).
    let extra = dir.write(
        "extra.csv",
        format!("{HEADER}X1,2030-01-01T09:00:00Z,message,customer,email,new\n"),
    );
    let mut all = files.clone();
    all.push(extra.clone());
    let table = ticketkpi(["report", "--format", "table", "-q", "--state"])
        .arg(&state)
        .arg(&extra)
        .args(args)
        .success()
        .stdout_bytes;
    assert!(
        table == one_run_as(&all, "table", &args),
        "the table differs"
    );
}

/// Tickets A and Z opened and closed on the first two nights in January, other tickets night
/// after night in February (more than four weeks later: A and Z are folded by then), written
/// by hand so that the ticket reopened later is surely a folded one.
fn reopen_nights(dir: &Scratch) -> Vec<PathBuf> {
    let mut files = vec![
        dir.write(
            "n1.csv",
            format!(
                "{HEADER}A,2026-01-05T09:00:00Z,message,customer,email,new\n\
                 A,2026-01-05T09:10:00Z,message,agent,email,open\n\
                 A,2026-01-05T09:20:00Z,status,agent,,solved\n\
                 A,2026-01-05T09:30:00Z,status,system,,closed\n"
            ),
        ),
        dir.write(
            "n2.csv",
            format!(
                "{HEADER}Z,2026-01-06T09:00:00Z,message,customer,chat,new\n\
                 Z,2026-01-06T09:05:00Z,message,agent,chat,solved\n"
            ),
        ),
    ];
    for day in 3..=6 {
        files.push(dir.write(
            &format!("n{day}.csv"),
            format!(
                "{HEADER}B{day},2026-02-0{day}T09:00:00Z,message,customer,chat,new\n\
                 B{day},2026-02-0{day}T09:05:00Z,message,agent,chat,solved\n"
            ),
        ));
    }
    files
}

#[test]
fn a_reopen_of_a_ticket_folded_nights_ago_rederives_and_is_one_run() {
    let dir = scratch();
    let mut files = reopen_nights(&dir);
    let state = dir.path().join("state");
    let args = ["--period", "day"];
    every_night_equals_one_run(&files, &state, &args);
    assert_eq!(folded_tickets(&state), 2, "A and Z are folded");
    files.push(dir.write(
        "n7.csv",
        format!(
            "{HEADER}A,2026-02-07T08:00:00Z,message,customer,email,open\n\
             C,2026-02-07T08:30:00Z,message,customer,email,new\n"
        ),
    ));
    let reopened = night(&files[6], &state, &args);
    reopened.stderr_has("state: 1 folded ticket got new rows; re-derived from the archive");
    assert!(reopened.stdout_bytes == one_run(&files, &args));
    assert_eq!(count(&manifest(&state), "rederived"), 1);
    // A is live again (reopened), Z folded again: the next night uses the fold.
    assert_eq!(folded_tickets(&state), 1, "Z is folded again");
    files.push(dir.write(
        "n8.csv",
        format!("{HEADER}D,2026-02-08T08:00:00Z,message,customer,email,new\n"),
    ));
    let next = night(&files[7], &state, &args);
    assert!(!next.stderr.contains("re-derived"), "{}", next.stderr);
    assert!(next.stdout_bytes == one_run(&files, &args));
}

#[test]
fn an_old_night_after_folding_is_still_a_duplicate() {
    let dir = scratch();
    let files = reopen_nights(&dir);
    let state = dir.path().join("state");
    every_night_equals_one_run(&files, &state, &[]);
    assert_eq!(folded_tickets(&state), 2);
    // The first night again: the same rows, told and not added.
    let again = night(&files[0], &state, &[]);
    again.stderr_has("the state already holds these rows");
    assert!(again.stdout_bytes == one_run(&files, &[]));
    // The first night's rows with one more: its old rows are duplicates from another file,
    // counted as one run counts them (the fold cannot tell: re-derived).
    let mut overlap = std::fs::read_to_string(&files[0]).expect("night 1");
    overlap.push_str("E,2026-02-07T10:00:00Z,message,customer,email,new\n");
    let overlap = dir.write("overlap.csv", overlap);
    let mut all = files.clone();
    all.push(overlap.clone());
    let output = night(&overlap, &state, &[]);
    output.stderr_has("re-derived from the archive");
    let json = output.parse_json();
    assert_eq!(
        count(&json, "data_quality.duplicate_events"),
        4,
        "the 4 rows of night 1"
    );
    assert!(output.stdout_bytes == one_run(&all, &[]));
}

#[test]
fn other_settings_after_folding_give_one_run_with_them() {
    let dir = scratch();
    let files = nights(&dir, &["--tickets", "150", "--days", "45", "--seed", "3"]);
    let state = dir.path().join("state");
    let policy = |first_reply: &str| {
        format!(
            "[[sla.policies]]\nname = \"all\"\nfirst_reply = \"{first_reply}\"\nresolution = \"1d\"\n"
        )
    };
    let config = dir.write("ticketkpi.toml", policy("30m"));
    let config = config.to_str().expect("UTF-8");
    let (first, last) = files.split_at(files.len() - 2);
    every_night_equals_one_run(first, &state, &["--config", config]);
    assert!(folded_tickets(&state) > 0);
    // --by added: the fold was made without it.
    let by = ["--by", "priority", "--config", config];
    let output = night(&last[0], &state, &by);
    output.stderr_has("folded with other settings (by)");
    assert!(output.stdout_bytes == one_run(&files[..files.len() - 1], &by));
    // An SLA policy changed in the config file: re-derived with it.
    dir.write("ticketkpi.toml", policy("2h"));
    let with_config = by;
    let output = night(&last[1], &state, &with_config);
    output.stderr_has("folded with other settings (config)");
    assert!(output.stdout_bytes == one_run(&files, &with_config));
    assert!(count(&manifest(&state), "rederived") >= 2);
}

#[test]
fn a_damaged_fold_file_is_refused() {
    let dir = scratch();
    let files = reopen_nights(&dir);
    let state = dir.path().join("state");
    for file in &files[..4] {
        night(file, &state, &[]);
    }
    let fold = manifest(&state)["fold"]["file"]
        .as_str()
        .expect("a fold file")
        .to_owned();
    let path = state.join(&fold);
    let mut bytes = std::fs::read(&path).expect("the fold");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&path, &bytes).expect("altered");
    let stderr = refused(&files, &state, &[]);
    assert!(stderr.contains(&fold), "{stderr}");
    assert!(stderr.contains("truncated or altered"), "{stderr}");
    assert!(
        stderr.contains("restore the folder from a backup"),
        "{stderr}"
    );
}

#[test]
fn a_report_inside_the_state_folder_is_refused() {
    let dir = scratch();
    let files = reopen_nights(&dir);
    let state = dir.path().join("state");
    night(&files[0], &state, &[]);
    let inside = state.join("report.json");
    let output = ticketkpi(["report", "--format", "json", "-q", "--state"])
        .arg(&state)
        .arg(&files[1])
        .arg("-o")
        .arg(&inside)
        .fails_with(2);
    output
        .stderr_has("report.json")
        .stderr_has("inside the state folder");
    assert!(!inside.exists());
}
