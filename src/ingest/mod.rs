//! Ingest: inputs in any supported format become validated canonical events.
//!
//! Readers (`csv_input`, `json_input`) turn each row into [`RowValues`]; [`Ingestor`] validates
//! them, counts every row, and hands events to the caller's sink. Nothing here knows about
//! tickets or KPIs.

mod csv_input;
pub mod event;
mod json_input;
pub mod row;
pub mod source;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::Arc;

pub use event::Event;
pub use row::{RejectReason, RowError, RowRules};
pub use source::{InputFormat, Source};

use crate::symbols::Symbols;
use crate::time::Instant;
use row::RowValues;

/// Where a row came from: `file:line` (CSV, JSON Lines) or `file: record N` (JSON array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub position: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Line(u64),
    Record(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::Line(line) => write!(f, "{}:{line}", self.file),
            Position::Record(record) => write!(f, "{}: record {record}", self.file),
        }
    }
}

/// A rejected row, with the evidence a user needs to find and fix it.
#[derive(Debug, Clone)]
pub struct Reject {
    pub location: Location,
    pub error: RowError,
    /// The row as read (fields joined by the delimiter, or the JSON text).
    pub raw: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("{location}: {error}")]
    InvalidRow { location: Location, error: RowError },
    #[error(
        "{file}: missing required column{} {} (columns found: {found})",
        if missing.len() > 1 { "s" } else { "" },
        missing.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ")
    )]
    MissingColumns {
        file: String,
        missing: Vec<&'static str>,
        found: String,
    },
    #[error("{file}: the input is empty (no header row)")]
    Empty { file: String },
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("writing rejected rows: {0}")]
    RejectsOutput(#[source] io::Error),
}

/// What was read, for the report's `input` block. Invariant: `rows = rows_used + rows_rejected`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputStats {
    pub files: Vec<String>,
    pub rows: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejects_by_reason: BTreeMap<RejectReason, u64>,
    /// Whether any valid row (before or after `as_of`) carries a status: without one, the
    /// resolution KPIs are unknowable and reported as null.
    pub has_status: bool,
    /// The latest timestamp among valid rows: the default `as_of`.
    pub latest: Option<Instant>,
}

/// Receives what ingest produces.
pub trait Sink {
    fn event(&mut self, ticket_id: &str, event: Event);
    fn reject(&mut self, reject: &Reject) -> io::Result<()>;
}

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub rules: RowRules,
    pub input_format: Option<InputFormat>,
    pub delimiter: Option<u8>,
    /// Count and report invalid rows instead of stopping at the first.
    pub skip_invalid: bool,
}

/// Validates rows and keeps the books.
pub struct Ingestor<'a, S: Sink> {
    options: &'a IngestOptions,
    symbols: &'a mut Symbols,
    sink: &'a mut S,
    stats: InputStats,
}

impl<'a, S: Sink> Ingestor<'a, S> {
    pub fn new(options: &'a IngestOptions, symbols: &'a mut Symbols, sink: &'a mut S) -> Self {
        Ingestor {
            options,
            symbols,
            sink,
            stats: InputStats::default(),
        }
    }

    /// Reads every source in order; files are one export.
    pub fn read_all(mut self, sources: &[Source]) -> Result<InputStats, IngestError> {
        for source in sources {
            self.read(source)?;
        }
        Ok(self.stats)
    }

    fn read(&mut self, source: &Source) -> Result<(), IngestError> {
        let name: Arc<str> = Arc::from(source.to_string());
        let io_error = |source| IngestError::Io {
            file: name.to_string(),
            source,
        };
        self.stats.files.push(match source {
            Source::Stdin => "-".to_owned(),
            other => other.to_string(),
        });
        let mut reader = source.open().map_err(io_error)?;
        source::skip_bom(&mut reader).map_err(io_error)?;
        let format = source::detect_format(source, self.options.input_format, &mut reader)
            .map_err(io_error)?;
        match format {
            InputFormat::Csv => {
                let delimiter =
                    source::detect_delimiter(source, self.options.delimiter, &mut reader)
                        .map_err(io_error)?;
                csv_input::read(self, &name, reader, delimiter)
            }
            InputFormat::Json => json_input::read_array(self, &name, reader),
            InputFormat::Jsonl => json_input::read_lines(self, &name, reader),
        }
    }

    /// Takes one row: valid rows become events, invalid ones stop the run or are counted.
    /// `raw` renders the row only when it is rejected.
    fn row(
        &mut self,
        location: impl FnOnce() -> Location,
        values: Result<RowValues<'_>, RowError>,
        raw: impl FnOnce() -> String,
    ) -> Result<(), IngestError> {
        self.stats.rows += 1;
        let parsed = match values {
            Ok(values) => row::parse_row(&values, &self.options.rules, self.symbols),
            Err(error) => Err(error),
        };
        match parsed {
            Ok((ticket_id, event)) => {
                self.stats.rows_used += 1;
                self.stats.has_status |= event.status.is_some();
                self.stats.latest = self.stats.latest.max(Some(event.at));
                self.sink.event(ticket_id, event);
                Ok(())
            }
            Err(error) => self.reject(location(), error, raw()),
        }
    }

    fn reject(
        &mut self,
        location: Location,
        error: RowError,
        raw: String,
    ) -> Result<(), IngestError> {
        if !self.options.skip_invalid {
            return Err(IngestError::InvalidRow { location, error });
        }
        self.stats.rows_rejected += 1;
        *self
            .stats
            .rejects_by_reason
            .entry(error.reason)
            .or_default() += 1;
        let reject = Reject {
            location,
            error,
            raw,
        };
        self.sink
            .reject(&reject)
            .map_err(IngestError::RejectsOutput)
    }
}
