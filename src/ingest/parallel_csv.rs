//! CSV on several threads: the input is cut into chunks at record boundaries, chunks are
//! parsed, mapped and validated in parallel, and their rows are booked in input order, so
//! the result (KPIs, error order, line numbers, rejects file) is that of the sequential
//! reader.
//!
//! The chunks are those of the sequential reader ([`Splitter`]: whole records, every line
//! ending understood, bounded in size), so both readers see the same records.

use std::io::BufRead;
use std::sync::Arc;

use rayon::prelude::*;

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
const CHUNK_BYTES: usize = 4 << 20;

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

    // A few chunks per thread in flight keeps every core busy with bounded memory.
    let mut next_batch = |splitter: &mut Splitter, first: Option<Chunk>| {
        let mut batch: Vec<Chunk> = first.into_iter().collect();
        while batch.len() < threads * 2 {
            match next_chunk(splitter, &mut reader, CHUNK_BYTES, file)? {
                Some(chunk) => batch.push(chunk),
                None => break,
            }
        }
        Ok::<_, IngestError>(batch)
    };
    let parse = |batch: &[Chunk]| -> Vec<Result<ChunkResult, IngestError>> {
        batch
            .par_iter()
            .map(|chunk| parse_chunk(chunk, file, &context))
            .collect()
    };
    // The main thread reads and books (the reader and the sink stay on it); the pool parses.
    let batch = next_batch(&mut splitter, Some(first_data))?;
    let mut parsed = pool.install(|| parse(&batch));
    loop {
        // A read error is reported after the rows before it, as the sequential reader does.
        let batch = match next_batch(&mut splitter, None) {
            Ok(batch) => batch,
            Err(error) => {
                book(ingestor, file, parsed)?;
                return Err(error);
            }
        };
        if batch.is_empty() {
            return book(ingestor, file, parsed);
        }
        // Book the parsed batch while the pool parses the next one.
        let next = std::thread::scope(|scope| {
            let parsing = scope.spawn(|| pool.install(|| parse(&batch)));
            let booked = book(ingestor, file, std::mem::take(&mut parsed));
            let next = parsing
                .join()
                .map_err(|_| io_error(std::io::Error::other("a parsing thread panicked")));
            booked.and(next)
        })?;
        parsed = next;
    }
}

/// Books parsed chunks in input order, as the sequential reader would have.
fn book<S: Sink>(
    ingestor: &mut Ingestor<'_, S>,
    file: &Arc<str>,
    parsed: Vec<Result<ChunkResult, IngestError>>,
) -> Result<(), IngestError> {
    for result in parsed {
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
    let mut outcomes = Vec::new();
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
