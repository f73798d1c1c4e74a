//! CSV on several threads: the input is cut into chunks at record boundaries, chunks are
//! parsed, mapped and validated in parallel, and their rows are booked in input order, so
//! the result (KPIs, error order, line numbers, rejects file) is that of the sequential
//! reader.
//!
//! The chunks are those of the sequential reader ([`Splitter`]: whole records, every line
//! ending understood, bounded in size), so both readers see the same records.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::Arc;

use super::convert::{Converted, convert};
use super::csv_input::{
    Layout, chunk_reader, is_blank, line_of, map_record, next_chunk, read_header, read_record,
    render,
};
use super::records::{Chunk, Splitter};
use super::row::{RejectReason, RowError, RowRules};
use super::{IngestError, Ingestor, Location, Position, RawRow, Sink, fingerprint};
use crate::symbols::Symbols;

/// Bytes a chunk aims for: big enough that per-chunk costs vanish, small enough that a few
/// in flight per thread stay cheap.
const CHUNK_BYTES: usize = 1 << 20;

/// One row's outcome, computed on a worker.
enum Outcome {
    Converted(Converted<'static>),
    Rejected {
        line: u64,
        error: RowError,
        raw: RawRow,
    },
}

struct ChunkResult {
    outcomes: Vec<Outcome>,
    symbols: Symbols,
}

pub(super) fn read<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    mut reader: Box<dyn BufRead>,
    delimiter: u8,
    threads: usize,
) -> Result<(), IngestError> {
    let io_error = |source| IngestError::Io {
        file: file.to_string(),
        source,
    };
    let mut splitter = Splitter::new(delimiter, ingestor.options.max_record_bytes());
    // The header: the first non-blank record; the rest of its chunk is data.
    let (layout, first_data) = loop {
        let Some(chunk) = next_chunk(&mut splitter, &mut reader, 1, file)? else {
            return Err(IngestError::Empty {
                file: file.to_string(),
            });
        };
        let mut csv = chunk_reader(&chunk, delimiter);
        let mut header = csv::ByteRecord::new();
        let mut found = false;
        while read_record(&mut csv, &mut header, &chunk, file)? {
            if !is_blank(&header) {
                found = true;
                break;
            }
        }
        if found {
            let end = csv.position().clone();
            drop(csv);
            let layout = read_header(ingestor, file, &header)?;
            let mut bytes = chunk.bytes;
            let rest = Chunk {
                bytes: bytes.split_off(end.byte() as usize),
                first_line: chunk.first_line + end.line() - 1,
            };
            break (layout, rest);
        }
    };
    let rules = ingestor.input_rules.clone();
    let context = ChunkContext {
        layout: &layout,
        delimiter,
        source: ingestor.source_index(),
        rules: &rules,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| io_error(std::io::Error::other(error)))?;

    // The main thread reads and books (the reader and the sink stay on it); the pool parses
    // chunk after chunk, each as soon as a thread is free. No batch waits for its slowest
    // chunk: a few chunks per thread in flight keep every core busy with bounded memory, and
    // the parsed chunks are booked in input order as they come.
    let in_flight_at_most = threads * 2;
    let (done, parsed) = std::sync::mpsc::channel::<(u64, Result<ChunkResult, IngestError>)>();
    pool.in_place_scope(|scope| {
        let mut next: Option<Chunk> = Some(first_data);
        let mut read_error: Option<IngestError> = None;
        let (mut sent, mut booked) = (0u64, 0u64);
        let mut waiting: BTreeMap<u64, Result<ChunkResult, IngestError>> = BTreeMap::new();
        loop {
            while sent - booked < in_flight_at_most as u64 && read_error.is_none() {
                let chunk = match next.take() {
                    Some(chunk) => chunk,
                    None => match next_chunk(&mut splitter, &mut reader, CHUNK_BYTES, file) {
                        Ok(Some(chunk)) => chunk,
                        Ok(None) => break,
                        Err(error) => {
                            read_error = Some(error);
                            break;
                        }
                    },
                };
                let (done, context) = (done.clone(), &context);
                let seq = sent;
                scope.spawn(move |_| {
                    // The receiver is gone only when booking failed: nothing to tell then.
                    let _ = done.send((seq, parse_chunk(&chunk, file, context)));
                });
                sent += 1;
            }
            if sent == booked {
                // A read error is reported after the rows before it, as the sequential
                // reader does.
                return read_error.map_or(Ok(()), Err);
            }
            let (seq, result) = parsed
                .recv()
                .map_err(|_| io_error(std::io::Error::other("a parsing thread stopped")))?;
            waiting.insert(seq, result);
            while let Some(result) = waiting.remove(&booked) {
                book(ingestor, file, result)?;
                booked += 1;
            }
        }
    })
}

/// Books a parsed chunk, the next in input order, as the sequential reader would have.
fn book<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    result: Result<ChunkResult, IngestError>,
) -> Result<(), IngestError> {
    let result = result?;
    let map = ingestor.symbols.absorb(&result.symbols);
    for outcome in result.outcomes {
        ingestor.stats.rows += 1;
        ingestor.tick()?;
        match outcome {
            Outcome::Converted(mut converted) => {
                converted.remap(&map);
                ingestor.stats.rows_used += 1;
                ingestor.apply(converted);
            }
            Outcome::Rejected { line, error, raw } => {
                let location = Location {
                    file: file.clone(),
                    position: Position::Line(line),
                };
                if error.reason == RejectReason::ExcludedByMapping {
                    ingestor.exclude(&error);
                } else {
                    let error = ingestor.absent_column(error);
                    ingestor.reject(location, error, raw)?;
                }
            }
        }
    }
    Ok(())
}

struct ChunkContext<'a> {
    layout: &'a Layout,
    delimiter: u8,
    source: u16,
    rules: &'a RowRules,
}

fn parse_chunk(
    chunk: &Chunk,
    file: &Arc<str>,
    context: &ChunkContext<'_>,
) -> Result<ChunkResult, IngestError> {
    let mut csv = chunk_reader(chunk, context.delimiter);
    let mut symbols = Symbols::default();
    // Room for every row at once (at most one a line), rather than growth by doubling,
    // which copies 264-byte outcomes over and leaves up to half the vector unused.
    let mut outcomes = Vec::with_capacity(memchr::memchr_iter(b'\n', &chunk.bytes).count() + 1);
    let mut record = csv::ByteRecord::new();
    let mapping = &context.layout.mapping;
    while read_record(&mut csv, &mut record, chunk, file)? {
        if is_blank(&record) {
            continue;
        }
        let converted = map_record(&record, context.layout).and_then(|row| {
            convert(
                mapping,
                &row,
                fingerprint(record.iter()),
                context.source,
                context.rules,
                &mut symbols,
            )
            .map(Converted::into_owned)
        });
        outcomes.push(match converted {
            Ok(converted) => Outcome::Converted(converted),
            Err(error) => {
                let error = mapping.explain(error);
                let raw = render(&record, context.layout, context.delimiter, &error.slots);
                Outcome::Rejected {
                    line: line_of(&record, chunk),
                    error,
                    raw,
                }
            }
        });
    }
    Ok(ChunkResult { outcomes, symbols })
}
