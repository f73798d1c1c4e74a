//! How a run fails: the errors that are not input errors, and the exit code each error
//! means (documented in `--help` and README.md; 4, a threshold that holds, is
//! `thresholds::ThresholdFailure`).

use std::io;
use std::process::ExitCode;

use crate::report::escape;

pub const EXIT_INPUT_ERROR: u8 = 1;
pub const EXIT_USAGE_ERROR: u8 = 2;
pub const EXIT_DATA_QUALITY: u8 = 3;
pub const EXIT_THRESHOLD: u8 = 4;

/// A bad value of an option, or of the file it names: reported like clap's own usage errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value \"{value}\" for '--{option}': {reason}")]
pub struct BadValue {
    pub option: &'static str,
    pub value: String,
    pub reason: String,
}

/// A mistake in how the tool was asked to run (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    Value(#[from] BadValue),
    /// A mistake in the config file read from the working directory: no option named it, so
    /// none is blamed.
    #[error("{path}, the config file found in the working directory: {reason}")]
    FoundConfig { path: String, reason: String },
}

/// `--strict` and the input has data-quality findings (the report was still written).
#[derive(Debug, thiserror::Error)]
#[error("data-quality check failed (--strict): {}", .0.join(", "))]
pub struct DataQualityFailure(pub Vec<String>);

/// The longest error message printed; the rest is counted.
const MAX_MESSAGE_CHARS: usize = 4_000;

/// The error and its causes, joined as anyhow's `{:#}` does, each said once: an I/O error
/// that its wrapper quotes already is not repeated ("x.csv: No such file: No such file").
fn said_once(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// Maps an error to its documented exit code, printing it unless the output pipe was closed
/// (`ticketkpi ... | head` is not a failure).
pub fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // Messages quote file, column and mapping names and values from the input: shown as on
    // a terminal, and one value cannot make a message of megabytes.
    let message = said_once(error);
    let message = escape::elide(&message, MAX_MESSAGE_CHARS);
    eprintln!("ticketkpi: error: {}", escape::message(&message));
    if error.downcast_ref::<UsageError>().is_some() || error.downcast_ref::<BadValue>().is_some() {
        ExitCode::from(EXIT_USAGE_ERROR)
    } else if error.downcast_ref::<DataQualityFailure>().is_some() {
        ExitCode::from(EXIT_DATA_QUALITY)
    } else if error
        .downcast_ref::<crate::thresholds::ThresholdFailure>()
        .is_some()
    {
        ExitCode::from(EXIT_THRESHOLD)
    } else {
        ExitCode::from(EXIT_INPUT_ERROR)
    }
}
