//! Ingest: inputs in any supported format become validated events and ticket records.
//!
//! Readers (`csv_input` and `parallel_csv` over the one splitter in `records`, `json_input`)
//! read each record through a [`Mapping`] into a [`mapping::MappedRow`]; `convert` validates it
//! into an event, a message of a thread or a [`TicketRecord`]; [`Ingestor`] counts every row
//! and hands what is valid to the caller's [`Sink`]. Nothing here knows about KPIs. The tour:
//! docs/architecture.md (Ingest).

mod convert;
pub mod coverage;
mod csv_input;
pub mod event;
pub mod extras;
mod inflate;
mod json_events;
mod json_input;
mod json_page;
mod json_span;
mod json_stream;
mod json_value;
pub mod mapping;
pub mod names;
mod parallel_csv;
#[cfg(feature = "parquet")]
mod parquet_input;
pub mod presets;
mod records;
pub mod row;
pub mod sample;
pub mod source;
pub mod tags;
mod threads;
pub mod ticket_record;
pub mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::Arc;

pub use event::Event;
pub use row::{RejectReason, RowError, RowRules};
pub use source::{InputFormat, Source};

pub use coverage::{Coverage, Feed, RowFacts};
pub use mapping::{Mapping, Shape};
pub use records::DEFAULT_MAX_RECORD_BYTES;
pub use ticket_record::{DeskFigures, TicketRecord};

use crate::symbols::Symbols;
use crate::time::Instant;
use convert::{Converted, Record, convert};
use mapping::MappedRow;

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
    /// The nth event (from 1) of the JSON record on a line: an `events_path` element.
    EventAtLine(u64, u64),
    /// The nth event (from 1) of the nth record.
    EventOfRecord(u64, u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::Line(line) => write!(f, "{}:{line}", self.file),
            Position::Record(record) => write!(f, "{}: record {record}", self.file),
            Position::EventAtLine(line, event) => write!(f, "{}:{line}, event {event}", self.file),
            Position::EventOfRecord(record, event) => {
                write!(f, "{}: record {record}, event {event}", self.file)
            }
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
    /// Where in `raw` the bad value is: one cell, or the cells a field joins; none when the
    /// row as a whole is at fault (a row of the wrong width, text that is not JSON).
    pub cells: Vec<Cell>,
}

/// A cell of a rejected row: its column as the input names it, and its bytes in the row's
/// text (the value without the spaces around it; empty for an empty cell, at its place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub column: String,
    pub bytes: std::ops::Range<usize>,
}

/// A row rendered for a reject: its text and the cells of the error's slots.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    pub text: String,
    pub cells: Vec<Cell>,
}

/// What a user does about a row that stops the run: the fix for its kind of error, and the
/// way on (`--skip-invalid`), said once under the error.
fn fix_of(error: &RowError) -> String {
    let fix = match error.reason {
        RejectReason::BadTimestamp if error.message.contains("cannot parse") => {
            "\n  accepted: RFC 3339 / ISO 8601 (2024-03-04T09:05:00Z, 2024-03-04 09:05:00, with \
             or without an offset) and Unix seconds; for another layout give the column a \
             chrono `format` in a mapping, e.g. timestamp = { column = \"When\", format = \
             \"%d/%m/%Y %H:%M\" } (ticketkpi help mappings)"
        }
        _ => "",
    };
    format!(
        "{fix}\n  to leave out invalid rows (counted by reason) and go on: --skip-invalid \
         (--rejects FILE keeps them)"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("{location}: {error}{}", fix_of(error))]
    InvalidRow { location: Location, error: RowError },
    #[error(
        "{file}: missing required column{} {} (reading it as {mapping}; columns found: {})",
        if missing.len() > 1 { "s" } else { "" },
        missing.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", "),
        crate::report::escape::elide_list(found, 1_000)
    )]
    MissingColumns {
        file: String,
        mapping: String,
        missing: Vec<String>,
        found: String,
    },
    #[error("{file}: the input is empty (no header row)")]
    Empty { file: String },
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("writing rejected rows: {0}")]
    RejectsOutput(#[source] io::Error),
    #[error(
        "the input needs about {needed_mb} MB of memory so far ({events} events of {tickets} \
         tickets; {text_mb} MB of it ids, values and messages waiting for their thread), more \
         than the limit of {limit_mb} MB; raise it with --max-memory, or give the export in \
         smaller pieces (a month at a time)"
    )]
    MemoryLimit {
        needed_mb: u64,
        limit_mb: u64,
        events: u64,
        tickets: u64,
        text_mb: u64,
    },
}

/// Which mapping reads an input.
#[derive(Debug, Clone, Default)]
pub enum MappingChoice {
    /// A preset detected from the header, else the canonical event log.
    #[default]
    Auto,
    /// This mapping for every input (`--preset`, `--mapping`, ticketkpi.toml).
    Given(Box<Mapping>),
}

impl MappingChoice {
    /// The attribute columns the given mapping declares (`[attributes]`); none for presets
    /// chosen by detection, which declare none.
    pub fn attribute_names(&self) -> Vec<String> {
        match self {
            MappingChoice::Given(mapping) => mapping
                .attribute_names()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            MappingChoice::Auto => Vec::new(),
        }
    }
}

/// How one input was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputReading {
    pub file: String,
    pub mapping: String,
    pub shape: Shape,
    /// Whether the mapping was detected from the header (rather than given or canonical).
    pub detected: bool,
    /// Canonical field -> where it comes from, as `inspect` shows it.
    pub fields: Vec<(String, String)>,
    /// The zone its local times were read in, when the mapping declares one (else `--tz`).
    pub tz: Option<String>,
}

/// What was read, for the report's `input` block.
/// Invariant: `rows = rows_used + rows_rejected + rows_excluded`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputStats {
    pub files: Vec<String>,
    pub inputs: Vec<InputReading>,
    pub rows: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejects_by_reason: BTreeMap<RejectReason, u64>,
    /// Rows a mapping leaves out by design (e.g. phantom calls, deleted tickets): not faults.
    pub rows_excluded: u64,
    /// `column=value` -> rows excluded for it.
    pub excluded_by_value: BTreeMap<String, u64>,
    /// Whether any valid row (before or after `as_of`) carries a status: without one, the
    /// resolution KPIs are unknowable and reported as null.
    pub has_status: bool,
    /// The latest timestamp among valid rows: the default `as_of`.
    pub latest: Option<Instant>,
    /// The earliest, for `inspect`.
    pub earliest: Option<Instant>,
    /// What the inputs' columns can tell, together.
    pub coverage: Coverage,
    /// What their valid rows hold.
    pub facts: RowFacts,
    /// Values read by rule rather than as written (statuses by keyword, placeholder dates).
    pub values: values::ValueFindings,
}

impl InputStats {
    fn saw(&mut self, at: Instant) {
        self.latest = self.latest.max(Some(at));
        self.earliest = Some(self.earliest.map_or(at, |earliest| earliest.min(at)));
    }
}

/// A hash of a source row's fields, to recognise a row repeated verbatim. Each field's
/// length goes in too, so ("ab", "c") and ("a", "bc") differ.
pub(crate) fn fingerprint<'f>(fields: impl IntoIterator<Item = &'f [u8]>) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    for field in fields {
        hasher.write_usize(field.len());
        hasher.write(field);
    }
    hasher.finish()
}

/// Receives what ingest produces.
pub trait Sink {
    fn event(&mut self, ticket_id: &str, event: Event);
    /// The tags and attribute values of the row whose event was just given (only when it
    /// has some).
    fn extras(&mut self, ticket_id: &str, at: crate::time::Instant, extras: extras::Extras) {
        let _ = (ticket_id, at, extras);
    }
    fn ticket(&mut self, record: TicketRecord);
    fn reject(&mut self, reject: &Reject) -> io::Result<()>;
    /// Called for every row, so keep it cheap: a sink that holds data can stop the run before
    /// memory runs out, with a clear error. `held`: bytes ingest holds meanwhile (interned
    /// values, messages waiting for their thread's root).
    fn check(&mut self, held: u64) -> Result<(), IngestError> {
        let _ = held;
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub rules: RowRules,
    pub input_format: Option<InputFormat>,
    pub delimiter: Option<u8>,
    pub mapping: MappingChoice,
    /// Decode the inputs from this encoding instead of expecting UTF-8.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Count and report invalid rows instead of stopping at the first.
    pub skip_invalid: bool,
    /// Threads for reading CSV (0 or 1: the sequential reader).
    pub threads: usize,
    /// A progress bar for long inputs.
    pub progress: Option<crate::progress::Progress>,
    /// The longest record (CSV record, JSON Lines line, JSON value read whole) an input may
    /// hold; `None` for [`DEFAULT_MAX_RECORD_BYTES`].
    pub max_record_bytes: Option<u64>,
}

impl IngestOptions {
    fn max_record_bytes(&self) -> u64 {
        self.max_record_bytes.unwrap_or(DEFAULT_MAX_RECORD_BYTES)
    }
}

/// A message of the threads shape, held until every reply-to link is known.
struct ThreadMessage {
    id: String,
    parent: Option<String>,
    event: Event,
    extras: extras::Extras,
}

/// Validates rows and keeps the books.
pub struct Ingestor<'a, S: Sink> {
    options: &'a IngestOptions,
    symbols: &'a mut Symbols,
    sink: &'a mut S,
    stats: InputStats,
    threads: Vec<ThreadMessage>,
    /// The input being read: its mapping and which of the mapping's columns it has.
    current: Option<(Mapping, Vec<bool>)>,
    /// The coverage of the inputs read so far, together.
    coverage: Option<Coverage>,
    /// The rules for the input being read (its mapping may declare the zone of its times).
    input_rules: RowRules,
    /// What `threads` holds, for the memory check.
    thread_bytes: u64,
}

impl<'a, S: Sink> Ingestor<'a, S> {
    pub fn new(options: &'a IngestOptions, symbols: &'a mut Symbols, sink: &'a mut S) -> Self {
        Ingestor {
            options,
            symbols,
            sink,
            stats: InputStats::default(),
            threads: Vec::new(),
            current: None,
            coverage: None,
            input_rules: options.rules.clone(),
            thread_bytes: 0,
        }
    }

    /// An ingestor that goes on from the inputs `stats` describes, read by an earlier run
    /// (`--state`): the sources read now are counted, indexed and covered as if they followed
    /// those inputs in one run.
    pub fn resume(
        options: &'a IngestOptions,
        symbols: &'a mut Symbols,
        sink: &'a mut S,
        stats: InputStats,
    ) -> Self {
        let coverage = (!stats.inputs.is_empty()).then(|| stats.coverage.clone());
        Ingestor {
            stats,
            coverage,
            ..Ingestor::new(options, symbols, sink)
        }
    }

    /// Reads every source in order; files are one export.
    pub fn read_all(mut self, sources: &[Source]) -> Result<InputStats, IngestError> {
        for source in sources {
            self.read(source)?;
            self.finish_input();
            self.check_memory()?;
        }
        if let Some(progress) = &self.options.progress {
            progress.finish();
        }
        self.resolve_threads();
        self.stats.coverage = self.coverage.take().unwrap_or_default();
        self.check_memory()?;
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
        let mut reader = source
            .open(self.options.encoding, self.options.progress.as_ref())
            .map_err(io_error)?;
        source::skip_bom(&mut reader).map_err(io_error)?;
        let format = source::detect_format(source, self.options.input_format, &mut reader)
            .map_err(io_error)?;
        match format {
            InputFormat::Csv => {
                let given_delimiter = match &self.options.mapping {
                    MappingChoice::Given(mapping) => mapping.delimiter,
                    MappingChoice::Auto => None,
                };
                let delimiter = source::detect_delimiter(
                    source,
                    self.options.delimiter.or(given_delimiter),
                    &mut reader,
                )
                .map_err(io_error)?;
                if self.options.threads > 1 {
                    parallel_csv::read(self, &name, reader, delimiter, self.options.threads)
                } else {
                    csv_input::read(self, &name, reader, delimiter)
                }
            }
            InputFormat::Json => json_input::read_array(self, &name, reader),
            InputFormat::Jsonl => json_input::read_lines(self, &name, reader),
            #[cfg(feature = "parquet")]
            InputFormat::Parquet => parquet_input::read(self, &name, reader),
            #[cfg(not(feature = "parquet"))]
            InputFormat::Parquet => Err(IngestError::Malformed {
                location: Location {
                    file: name.clone(),
                    position: Position::Record(0),
                },
                message: "a Parquet file, and this ticketkpi was built without Parquet \
                          (cargo feature `parquet`)"
                    .to_owned(),
            }),
        }
    }

    /// The mapping for an input with these column names, noted for the report.
    fn mapping_for(&mut self, file: &str, header: &[&str]) -> Mapping {
        let (mapping, detected) = match &self.options.mapping {
            MappingChoice::Given(mapping) => ((**mapping).clone(), false),
            MappingChoice::Auto => match presets::detect(header) {
                Some(preset) => (preset, true),
                None => (Mapping::canonical(), false),
            },
        };
        self.input_rules = RowRules {
            tz: mapping.tz.unwrap_or(self.options.rules.tz),
            ..self.options.rules.clone()
        };
        // Named as in `files` ("-" for standard input).
        let file = self
            .stats
            .files
            .last()
            .map_or(file, String::as_str)
            .to_owned();
        self.stats.inputs.push(InputReading {
            file,
            mapping: mapping.name.clone(),
            shape: mapping.shape,
            detected,
            fields: Vec::new(),
            tz: mapping.tz.map(|tz| tz.name().to_owned()),
        });
        self.current = Some((mapping.clone(), mapping.present_in(header)));
        mapping
    }

    /// Notes the members of a JSON record: a column any record has is present.
    fn saw_columns<'n>(&mut self, names: impl Iterator<Item = &'n str> + Clone) {
        let Some((mapping, present)) = self.current.as_mut() else {
            return;
        };
        if present.iter().all(|p| *p) {
            return;
        }
        for (seen, column) in present.iter_mut().zip(&mapping.columns) {
            *seen = *seen || names.clone().any(|name| name.eq_ignore_ascii_case(column));
        }
    }

    /// What the input just read feeds, now that its columns are known.
    fn finish_input(&mut self) {
        let Some((mapping, present)) = self.current.take() else {
            return;
        };
        let coverage = mapping.coverage(&present);
        if let Some(input) = self.stats.inputs.last_mut() {
            input.fields = mapping.describe(&present);
        }
        self.coverage = Some(match self.coverage.take() {
            Some(earlier) => earlier.and(coverage),
            None => coverage,
        });
    }

    /// Takes one row: valid rows become events or ticket records, invalid ones stop the run
    /// or are counted; rows a mapping excludes are counted, never fatal.
    /// `raw` renders the row, and finds the cells of the error's slots, only when it is
    /// rejected.
    fn row(
        &mut self,
        mapping: &Mapping,
        location: impl FnOnce() -> Location,
        mapped: Result<MappedRow<'_>, RowError>,
        fingerprint: u64,
        raw: impl FnOnce(&[usize]) -> RawRow,
    ) -> Result<(), IngestError> {
        self.stats.rows += 1;
        self.tick()?;
        match mapped.and_then(|row| self.accept(mapping, &row, fingerprint)) {
            Ok(()) => {
                self.stats.rows_used += 1;
                Ok(())
            }
            // The mapping's author excluded these rows on purpose: counted, never fatal.
            Err(error) if error.reason == RejectReason::ExcludedByMapping => {
                self.exclude(&error);
                Ok(())
            }
            Err(error) => {
                let error = self.absent_column(mapping.explain(error));
                let raw = raw(&error.slots);
                self.reject(location(), error, raw)
            }
        }
    }

    /// An error about a value whose column the input lacks is about the column: it was
    /// renamed or left out of the export, and saying its value is empty would mislead.
    fn absent_column(&self, mut error: RowError) -> RowError {
        let Some((mapping, present)) = &self.current else {
            return error;
        };
        let absent = !error.slots.is_empty()
            && error
                .slots
                .iter()
                .all(|slot| !present.get(*slot).copied().unwrap_or(true));
        if absent && let Some(column) = error.slots.first().and_then(|s| mapping.columns.get(*s)) {
            error.message = format!(
                "the input has no column \"{column}\" (renamed, or left out of the export?): \
                 name the export's column in the mapping's [fields]"
            );
        }
        error
    }

    fn accept(
        &mut self,
        mapping: &Mapping,
        row: &MappedRow<'_>,
        fingerprint: u64,
    ) -> Result<(), RowError> {
        let source = self.source_index();
        let converted = convert(
            mapping,
            row,
            fingerprint,
            source,
            &self.input_rules,
            self.symbols,
        )?;
        self.apply(converted);
        Ok(())
    }

    /// Books a converted row and hands it on.
    fn apply(&mut self, converted: Converted<'_>) {
        if !converted.notes.is_empty() {
            self.stats.values.record(converted.notes);
        }
        match converted.record {
            Record::Event {
                ticket_id,
                event,
                extras,
            } => {
                self.note(&event);
                let at = event.at;
                self.sink.event(&ticket_id, event);
                if !extras.is_empty() {
                    self.sink.extras(&ticket_id, at, extras);
                }
            }
            Record::Message {
                id,
                parent,
                event,
                extras,
            } => {
                self.note(&event);
                self.thread_bytes += (std::mem::size_of::<ThreadMessage>()
                    + id.len()
                    + parent.as_ref().map_or(0, String::len)
                    + extras.bytes()) as u64;
                self.threads.push(ThreadMessage {
                    id,
                    parent,
                    event,
                    extras,
                });
            }
            Record::Ticket(record) => {
                self.stats.has_status |= record.status.is_some()
                    || record.solved_at.is_some()
                    || record.closed_at.is_some();
                for at in [
                    Some(record.created_at),
                    record.first_reply_at,
                    record.solved_at,
                    record.closed_at,
                ]
                .into_iter()
                .flatten()
                {
                    self.stats.saw(at);
                }
                self.sink.ticket(*record);
            }
        }
    }

    /// The index of the input being read (saturating: beyond 65,535 files, the last ones
    /// share an index, which only makes duplicate detection across them more cautious).
    fn source_index(&self) -> u16 {
        u16::try_from(self.stats.files.len().saturating_sub(1)).unwrap_or(u16::MAX)
    }

    /// Every row: the sink checks its memory from the first row on (one huge value or id
    /// counts at once); every 64 Ki rows the progress bar shows the count.
    fn tick(&mut self) -> Result<(), IngestError> {
        if self.stats.rows.trailing_zeros() >= 16
            && let Some(progress) = &self.options.progress
        {
            progress.rows(self.stats.rows);
        }
        self.check_memory()
    }

    fn check_memory(&mut self) -> Result<(), IngestError> {
        self.sink
            .check(self.symbols.estimated_bytes() + self.thread_bytes)
    }

    fn note(&mut self, event: &Event) {
        self.stats.has_status |= event.status.is_some();
        self.stats.facts.observe(event);
        self.stats.saw(event.at);
    }

    /// Each message joins the conversation of its root: the earliest ancestor present in the
    /// input (threads cut at the file boundary start where the file does).
    fn resolve_threads(&mut self) {
        let messages = std::mem::take(&mut self.threads);
        self.thread_bytes = 0;
        if messages.is_empty() {
            return;
        }
        let (ids, nodes, parents) = threads::link(
            messages
                .iter()
                .map(|m| (m.id.as_str(), m.parent.as_deref())),
        );
        let roots = threads::roots(&parents);
        let root_ids: Vec<String> = nodes
            .iter()
            .map(|node| ids[roots[*node]].to_owned())
            .collect();
        for (message, root) in messages.into_iter().zip(root_ids) {
            let at = message.event.at;
            self.sink.event(&root, message.event);
            if !message.extras.is_empty() {
                self.sink.extras(&root, at, message.extras);
            }
        }
    }

    fn reject(
        &mut self,
        location: Location,
        error: RowError,
        raw: RawRow,
    ) -> Result<(), IngestError> {
        if !self.options.skip_invalid {
            return Err(IngestError::InvalidRow { location, error });
        }
        self.count_reject(location, error, raw)
    }

    /// A row a mapping leaves out by design: counted by the value that excluded it.
    pub(super) fn exclude(&mut self, error: &RowError) {
        self.stats.rows_excluded += 1;
        let key = format!(
            "{}={}",
            error.column.as_deref().unwrap_or_default(),
            error.message
        );
        *self.stats.excluded_by_value.entry(key).or_default() += 1;
    }

    fn count_reject(
        &mut self,
        location: Location,
        error: RowError,
        raw: RawRow,
    ) -> Result<(), IngestError> {
        self.stats.rows_rejected += 1;
        *self
            .stats
            .rejects_by_reason
            .entry(error.reason)
            .or_default() += 1;
        let reject = Reject {
            location,
            error,
            raw: raw.text,
            cells: raw.cells,
        };
        self.sink
            .reject(&reject)
            .map_err(IngestError::RejectsOutput)
    }
}
