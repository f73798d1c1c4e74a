//! examples/nightly.sh, run twice on two generated nights: each night writes its dated JSON
//! and HTML, the state goes on, the second night is compared with the first, and the job exits
//! with the threshold code. Skipped (with the reason printed) where bash is absent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Scratch, at, count, generate, scratch, ticketkpi};
use serde_json::Value;

/// Two nights of a generated export (time order), cut at midnight of its second day.
fn two_nights(dir: &Scratch) -> (PathBuf, PathBuf) {
    let export = dir.path().join("export.csv");
    generate(
        &export,
        &[
            "--order",
            "time",
            "--tickets",
            "80",
            "--days",
            "2",
            "--seed",
            "21",
        ],
    );
    let text = std::fs::read_to_string(&export).expect("a clean export is UTF-8");
    let (header, rows) = text.split_once('\n').expect("a header");
    let (mut first, mut second) = (format!("{header}\n"), format!("{header}\n"));
    for line in rows.lines() {
        let night = if line.contains(",2026-03-01T") {
            &mut first
        } else {
            &mut second
        };
        night.push_str(line);
        night.push('\n');
    }
    (
        dir.write("2026-03-01.csv", first),
        dir.write("2026-03-02.csv", second),
    )
}

fn bash_present() -> bool {
    Command::new("bash")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Runs the script on `export` for `day` in `dir` (state and reports in it); gives the exit
/// code and stderr.
fn nightly(dir: &Path, export: &Path, day: &str, options: &[&str]) -> (Option<i32>, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nightly.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(export)
        .arg(dir.join("state"))
        .arg(dir.join("reports"))
        .arg("--")
        .args(options)
        .env("TICKETKPI", env!("CARGO_BIN_EXE_ticketkpi"))
        .env("NIGHTLY_DATE", day)
        .env_remove("NO_COLOR")
        .current_dir(dir)
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn two_nights_give_dated_reports_the_state_of_both_and_the_threshold_code() {
    if !bash_present() {
        println!("SKIPPED: bash is absent, examples/nightly.sh cannot run");
        return;
    }
    let dir = scratch();
    let (monday, tuesday) = two_nights(&dir);
    let reports = dir.path().join("reports");

    let (code, stderr) = nightly(dir.path(), &monday, "2026-03-01", &["--by", "team"]);
    assert_eq!(code, Some(0), "{stderr}");
    let first = reports.join("ticketkpi-2026-03-01.json");
    // The first night has no baseline: its report is one run's over monday, byte for byte.
    let alone = ticketkpi(["report", "--format", "json", "-q", "--by", "team"])
        .arg(&monday)
        .success();
    assert!(std::fs::read(&first).expect("written") == alone.stdout_bytes);
    let page = std::fs::read_to_string(reports.join("ticketkpi-2026-03-01.html")).expect("html");
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "{}",
        &page[..page.len().min(80)]
    );

    // The second night: a threshold that holds makes the job exit 4, reports written.
    let options = ["--by", "team", "--fail-if", "volume.tickets > 1"];
    let (code, stderr) = nightly(dir.path(), &tuesday, "2026-03-02", &options);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("volume.tickets > 1"), "{stderr}");
    let second = json(&reports.join("ticketkpi-2026-03-02.json"));
    let both = ticketkpi(["report", "--format", "json", "-q", "--by", "team"])
        .arg(&monday)
        .arg(&tuesday)
        .json();
    for path in [
        "input.rows",
        "overall.volume.tickets",
        "overall.backlog.open",
    ] {
        assert_eq!(at(&second, path), at(&both, path), "{path}");
    }
    assert_eq!(second["groups"], annotated(&both, &second)["groups"]);
    assert_eq!(
        count(&second, "overall.volume.previous.tickets"),
        count(&json(&first), "overall.volume.tickets"),
        "compared with monday"
    );
    assert!(reports.join("ticketkpi-2026-03-02.html").is_file());
    assert_eq!(json(&reports.join("latest.json")), second);

    // Tuesday's export given again (a job re-run): told, not counted twice.
    let (code, stderr) = nightly(dir.path(), &tuesday, "2026-03-02", &options);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(
        stderr.contains("the state already holds these rows"),
        "{stderr}"
    );
    let again = json(&reports.join("ticketkpi-2026-03-02.json"));
    assert_eq!(at(&again, "input.rows"), at(&both, "input.rows"));
}

/// `both` with `second`'s comparison members (`previous`, `change`, `baseline`) put back, so
/// that the groups can be compared whole.
fn annotated(both: &Value, second: &Value) -> Value {
    fn merge(plain: &Value, compared: &Value) -> Value {
        match (plain, compared) {
            (Value::Object(a), Value::Object(b)) => {
                let mut out = a.clone();
                for (key, value) in b {
                    match a.get(key) {
                        Some(mine) => {
                            out.insert(key.clone(), merge(mine, value));
                        }
                        None => {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                }
                Value::Object(out)
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                Value::Array(a.iter().zip(b).map(|(x, y)| merge(x, y)).collect())
            }
            _ => plain.clone(),
        }
    }
    merge(both, second)
}
