//! The one harness of the integration tests: runs the real binary on files and stdin, and
//! reads its JSON. Every test file uses it (`mod common;`), so that they all run the tool the
//! same way (same environment, same assertions on failure).

#![allow(dead_code)] // each test file uses a part of it

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
pub fn ticketkpi<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
    Run {
        args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
        stdin: None,
        dir: None,
        env: Vec::new(),
    }
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub command: String,
}

impl Run {
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
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

    pub fn output(self) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ticketkpi"));
        command
            .args(&self.args)
            // The user's terminal settings never reach a test.
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &self.env {
            command.env(key, value);
        }
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        let shown = format!(
            "ticketkpi {}",
            self.args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut child = command.spawn().expect("the ticketkpi binary starts");
        if let Some(bytes) = self.stdin {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A tool that stops reading early closes the pipe: that is its business.
            let _ = pipe.write_all(&bytes);
        }
        let output = child.wait_with_output().expect("ticketkpi finishes");
        Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            command: shown,
        }
    }

    /// Runs it, expecting success.
    pub fn success(self) -> Output {
        let output = self.output();
        assert_eq!(
            output.code,
            Some(0),
            "{} failed:\n{}",
            output.command,
            output.stderr
        );
        output
    }

    /// Runs it, expecting exit code `code`.
    pub fn fails_with(self, code: i32) -> Output {
        let output = self.output();
        assert_eq!(
            output.code,
            Some(code),
            "{}: expected exit code {code}; stdout:\n{}\nstderr:\n{}",
            output.command,
            output.stdout,
            output.stderr
        );
        output
    }

    /// Runs it, expecting success and JSON on stdout.
    pub fn json(self) -> Value {
        let output = self.success();
        serde_json::from_str(&output.stdout).unwrap_or_else(|error| {
            panic!("{}: not JSON ({error}):\n{}", output.command, output.stdout)
        })
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

/// The value at a dotted path (`overall.first_response.median`); a missing member is null.
pub fn at<'v>(value: &'v Value, path: &str) -> &'v Value {
    static NULL: Value = Value::Null;
    path.split('.')
        .try_fold(value, |value, key| match value {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            other => other.get(key),
        })
        .unwrap_or(&NULL)
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

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} != {expected}"
    );
}
