//! The one harness of the integration tests: runs the real binary on files and stdin, and
//! reads its JSON. Every test file that runs the binary uses it (`mod common;`), so that they
//! all run the tool the same way (same environment, same messages on failure).
//!
//! - [`ticketkpi`] builds a run (`.arg`, `.args`, `.stdin`, `.current_dir`, `.env`), which
//!   ends in [`Run::output`], [`Run::success`], [`Run::fails_with`], [`Run::json`] or
//!   [`Run::text`];
//!   [`report_json`] is the most common of them all. [`Run::spawn`] starts it for a test that
//!   works while the tool runs; [`Run::command`] hands over the process to one that needs
//!   the pipes itself.
//! - [`Output::stdout_has`] and [`Output::stderr_has`] check what a run printed.
//! - [`fixture`], [`real_data`] and [`scratch`] are the inputs: files under tests/fixtures,
//!   the real public exports, and a test's own files in a temporary folder. [`generate`]
//!   writes an export of examples/generate.
//! - [`at`], [`present`], [`count`] and [`number`] read the JSON by dotted path; [`flat`]
//!   and [`assert_close`] compare text and numbers.

#![allow(dead_code)] // each test file uses a part of it

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The real public exports, beside the project (see ../shared/README.md).
pub const REAL_DATA: &str = "../shared/data/real";

/// A run of `ticketkpi` being set up.
pub struct Run {
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    dir: Option<PathBuf>,
    env: Vec<(String, String)>,
}

/// `ticketkpi ARGS...`.
pub fn ticketkpi<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
    Run {
        args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
        stdin: None,
        dir: None,
        env: Vec::new(),
    }
}

/// `ticketkpi report FILE ARGS... --format json`, expecting success: the JSON report.
pub fn report_json(file: impl AsRef<OsStr>, args: &[&str]) -> Value {
    ticketkpi(["report"])
        .arg(file)
        .args(args)
        .args(["--format", "json"])
        .json()
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    /// stdout as text (an invalid UTF-8 sequence shows as U+FFFD; see [`Output::utf8`]).
    pub stdout: String,
    /// stdout exactly as written, for byte-for-byte comparisons.
    pub stdout_bytes: Vec<u8>,
    pub stderr: String,
    pub command: String,
}

impl Run {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = Some(dir.as_ref().to_owned());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The process as every run starts it: the binary, the arguments, the environment and
    /// the directory, with stdin closed. Only for a test that must handle the pipes itself.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ticketkpi"));
        command
            .args(&self.args)
            // The user's terminal settings never reach a test.
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .stdin(Stdio::null());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command
    }

    /// Starts it: the test may go on with its own work while the tool runs.
    pub fn spawn(self) -> Running {
        let mut command = self.command();
        if self.stdin.is_some() {
            command.stdin(Stdio::piped());
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ticketkpi binary starts");
        if let Some(bytes) = self.stdin {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // Written beside the tool, so that a large input never waits on a full stdout;
            // a tool that stops reading early closes the pipe: that is its business.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        let command = format!(
            "ticketkpi {}",
            self.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        );
        Running { child, command }
    }

    pub fn output(self) -> Output {
        self.spawn().output()
    }

    /// Runs it, expecting success.
    pub fn success(self) -> Output {
        self.output().expect_code(0)
    }

    /// Runs it, expecting exit code `code`.
    pub fn fails_with(self, code: i32) -> Output {
        self.output().expect_code(code)
    }

    /// Runs it, expecting success and JSON on stdout.
    pub fn json(self) -> Value {
        self.success().parse_json()
    }

    /// Runs it, expecting success and UTF-8 text on stdout: the text.
    pub fn text(self) -> String {
        self.success().utf8().to_owned()
    }
}

/// A run that has started.
pub struct Running {
    child: Child,
    command: String,
}

impl Running {
    /// Waits for it to end.
    pub fn output(self) -> Output {
        let output = self.child.wait_with_output().expect("ticketkpi finishes");
        Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stdout_bytes: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            command: self.command,
        }
    }

    /// Waits for it, expecting success and JSON on stdout.
    pub fn json(self) -> Value {
        self.output().expect_code(0).parse_json()
    }
}

impl Output {
    /// Itself, after checking it ended with exit code `code` (0 is success).
    pub fn expect_code(self, code: i32) -> Output {
        if code == 0 {
            assert_eq!(
                self.code,
                Some(0),
                "{} failed:\n{}",
                self.command,
                self.stderr
            );
        } else {
            assert_eq!(
                self.code,
                Some(code),
                "{}: expected exit code {code}; stdout:\n{}\nstderr:\n{}",
                self.command,
                self.stdout,
                self.stderr
            );
        }
        self
    }

    /// stdout, which must be valid UTF-8.
    pub fn utf8(&self) -> &str {
        std::str::from_utf8(&self.stdout_bytes)
            .unwrap_or_else(|error| panic!("{}: stdout is not UTF-8 ({error})", self.command))
    }

    /// stdout parsed as JSON.
    pub fn parse_json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!("{}: not JSON ({error}):\n{}", self.command, self.stdout)
        })
    }

    /// Checks that stdout holds `text`.
    pub fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "{}: stdout lacks {text:?}:\n{}",
            self.command,
            self.stdout
        );
        self
    }

    /// Checks that stderr holds `text`.
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "{}: stderr lacks {text:?}:\n{}",
            self.command,
            self.stderr
        );
        self
    }
}

/// A file under tests/fixtures.
pub fn fixture(relative: &str) -> PathBuf {
    let path = Path::new("tests/fixtures").join(relative);
    assert!(path.is_file(), "fixture {} is missing", path.display());
    path
}

/// A file of the real public exports, or `None` (after saying so) where the folder is absent.
pub fn real_data(relative: &str) -> Option<PathBuf> {
    if !Path::new(REAL_DATA).is_dir() {
        println!("SKIPPED: {REAL_DATA} not found");
        return None;
    }
    let path = Path::new(REAL_DATA).join(relative);
    assert!(
        path.is_file(),
        "{} is missing from {REAL_DATA}",
        path.display()
    );
    Some(path)
}

/// A temporary folder for a test's own input files, removed when it is dropped.
pub struct Scratch {
    dir: tempfile::TempDir,
}

pub fn scratch() -> Scratch {
    Scratch {
        dir: tempfile::tempdir().expect("a temporary folder"),
    }
}

impl Scratch {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to the file `name` in the folder, and gives its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

/// Writes the export examples/generate prints for `args` to `path`. `cargo test` builds the
/// examples next to the test binaries.
pub fn generate(path: &Path, args: &[&str]) {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_ticketkpi"));
    let generator = binary
        .parent()
        .expect("target dir")
        .join("examples")
        .join(format!("generate{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&generator)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", generator.display()));
    assert!(
        output.status.success(),
        "generate {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(path, output.stdout).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The value at a dotted path (`overall.first_response.median`, `groups.0.by`); a missing
/// member is null.
pub fn at<'v>(value: &'v Value, path: &str) -> &'v Value {
    static NULL: Value = Value::Null;
    path.split('.')
        .try_fold(value, |value, key| match value {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            other => other.get(key),
        })
        .unwrap_or(&NULL)
}

/// The value at a dotted path, which must be there: unlike [`at`], a missing member fails
/// the test, so that "is null" never passes for a member the report lacks.
pub fn present<'v>(value: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(value, |value, key| {
        value
            .get(key)
            .unwrap_or_else(|| panic!("the report has no {path} (no key {key:?})"))
    })
}

/// A whole number at `path`.
pub fn count(value: &Value, path: &str) -> u64 {
    at(value, path)
        .as_u64()
        .unwrap_or_else(|| panic!("{path} is not a count: {}", at(value, path)))
}

/// A number at `path`.
pub fn number(value: &Value, path: &str) -> f64 {
    at(value, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number: {}", at(value, path)))
}

/// Text with every run of whitespace made one space: what a reader sees of a table whose
/// cells and footer lines wrap at 80 columns.
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `actual` equals `expected` up to floating-point rounding (a relative 1e-9).
pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} != {expected}"
    );
}
