//! CSV on several threads: the input is cut into chunks at record boundaries, chunks are
//! parsed, mapped and validated in parallel, and their rows are booked in input order, so
//! the result (KPIs, error order, line numbers, rejects file) is that of the sequential
//! reader.
//!
//! A record boundary is a `\n` outside quotes. In CSV a quote toggles the quoted state and a
//! doubled quote toggles it twice, so counting quotes from a boundary is exact; only inputs
//! whose records end at `\n` take this path (CR-only files are read sequentially).

use std::io::{BufRead, Read};
use std::sync::Arc;

use rayon::prelude::*;

use super::csv_input::{check, header_record, is_blank, render, resolve_slots};
use super::mapping::Mapping;
use super::row::{RejectReason, RowError, RowRules};
use super::{Converted, IngestError, Ingestor, Location, Position, Sink, convert, fingerprint};
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
        raw: String,
    },
}

struct ChunkResult {
    outcomes: Vec<Outcome>,
    symbols: Symbols,
}

/// A piece of the input that holds whole records, and the line its first record starts on.
struct Chunk {
    bytes: Vec<u8>,
    first_line: u64,
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
    let mut splitter = Splitter::default();
    // The header: the first non-blank record; the rest of its chunk is data.
    let mut next_line = 1;
    let (header_names, header_len, first_data) = loop {
        let Some(mut chunk) = splitter.next(&mut reader, 1).map_err(io_error)? else {
            return Err(IngestError::Empty {
                file: file.to_string(),
            });
        };
        chunk.first_line = next_line;
        next_line += count_lines(&chunk.bytes);
        if let Some((header, consumed, lines)) = header_record(&chunk.bytes, delimiter)? {
            let names: Vec<String> = header
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim().to_owned())
                .collect();
            let rest = Chunk {
                bytes: chunk.bytes.split_off(consumed),
                first_line: chunk.first_line + lines,
            };
            break (names, header.len(), rest);
        }
    };
    let names: Vec<&str> = header_names.iter().map(String::as_str).collect();
    let mapping = ingestor.mapping_for(file, &names);
    let slots = resolve_slots(file, &mapping, &names)?;
    let rules = ingestor.input_rules.clone();
    let context = ChunkContext {
        mapping: &mapping,
        slots: &slots,
        header_names: &header_names,
        header_len,
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
            match splitter.next(&mut reader, CHUNK_BYTES)? {
                Some(mut chunk) => {
                    chunk.first_line = next_line;
                    next_line += count_lines(&chunk.bytes);
                    batch.push(chunk);
                }
                None => break,
            }
        }
        Ok::<_, std::io::Error>(batch)
    };
    let parse = |batch: &[Chunk]| -> Vec<Result<ChunkResult, IngestError>> {
        batch
            .par_iter()
            .map(|chunk| parse_chunk(chunk, file, &context))
            .collect()
    };
    // The main thread reads and books (the reader and the sink stay on it); the pool parses.
    let batch = next_batch(&mut splitter, Some(first_data)).map_err(io_error)?;
    let mut parsed = pool.install(|| parse(&batch));
    loop {
        let batch = next_batch(&mut splitter, None).map_err(io_error)?;
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
                        ingestor.reject(location, error, raw)?;
                    }
                }
            }
        }
    }
    Ok(())
}

struct ChunkContext<'a> {
    mapping: &'a Mapping,
    slots: &'a [Option<usize>],
    header_names: &'a [String],
    header_len: usize,
    delimiter: u8,
    source: u16,
    rules: &'a RowRules,
}

fn parse_chunk(
    chunk: &Chunk,
    file: &Arc<str>,
    context: &ChunkContext<'_>,
) -> Result<ChunkResult, IngestError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(context.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk.bytes.as_slice());
    let mut symbols = Symbols::default();
    let mut outcomes = Vec::new();
    let mut record = csv::ByteRecord::new();
    let line_of =
        |record: &csv::ByteRecord| chunk.first_line + record.position().map_or(1, |p| p.line()) - 1;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = chunk.first_line + error.position().map_or(1, |p| p.line()) - 1;
                return Err(IngestError::Malformed {
                    location: Location {
                        file: file.clone(),
                        position: Position::Line(line),
                    },
                    message: error.to_string(),
                });
            }
        }
        if is_blank(&record) {
            continue;
        }
        let mapping = context.mapping;
        let mapped = check(&record, context.header_len, context.header_names).and_then(|()| {
            mapping.apply(|slot| {
                context.slots[slot]
                    .and_then(|index| record.get(index))
                    .and_then(|bytes| std::str::from_utf8(bytes).ok())
            })
        });
        let converted = mapped.and_then(|row| {
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
            Err(error) => Outcome::Rejected {
                line: line_of(&record),
                error: mapping.explain(error),
                raw: render(&record, context.delimiter),
            },
        });
    }
    Ok(ChunkResult { outcomes, symbols })
}

/// Cuts a stream into chunks of whole records.
#[derive(Default)]
struct Splitter {
    /// Bytes read but not yet handed out (the start of an unfinished record).
    pending: Vec<u8>,
    eof: bool,
}

impl Splitter {
    /// The next chunk of at least `target` bytes (less at the end), ending at a record
    /// boundary; `None` when the input is exhausted.
    fn next(&mut self, reader: &mut dyn BufRead, target: usize) -> std::io::Result<Option<Chunk>> {
        let mut scanned = 0;
        let mut quoted = false;
        loop {
            // Scan what is new for the last boundary.
            let mut last_boundary = None;
            let mut position = scanned;
            while let Some(offset) = memchr::memchr2(b'"', b'\n', &self.pending[position..]) {
                let at = position + offset;
                if self.pending[at] == b'"' {
                    quoted = !quoted;
                } else if !quoted {
                    last_boundary = Some(at + 1);
                }
                position = at + 1;
            }
            scanned = self.pending.len();
            if let Some(end) = last_boundary.filter(|end| *end >= target || self.eof) {
                let rest = self.pending.split_off(end);
                let bytes = std::mem::replace(&mut self.pending, rest);
                return Ok(Some(Chunk {
                    bytes,
                    first_line: 0,
                }));
            }
            if self.eof {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Chunk {
                    bytes: std::mem::take(&mut self.pending),
                    first_line: 0,
                }));
            }
            // Read more; the quote state carries on from where scanning stopped.
            let before = self.pending.len();
            let wanted = target.max(64 << 10);
            Read::take(&mut *reader, wanted as u64).read_to_end(&mut self.pending)?;
            if self.pending.len() == before {
                self.eof = true;
            }
        }
    }
}

/// The `\n`s in `bytes`: how many lines the chunk spans, as the CSV reader counts them.
fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn chunks(input: &str, target: usize) -> Vec<String> {
        let mut reader: Box<dyn BufRead> = Box::new(Cursor::new(input.as_bytes().to_vec()));
        let mut splitter = Splitter::default();
        let mut out = Vec::new();
        while let Some(chunk) = splitter.next(&mut reader, target).unwrap() {
            out.push(String::from_utf8(chunk.bytes).unwrap());
        }
        out
    }

    #[test]
    fn chunks_end_at_record_boundaries_never_inside_quotes() {
        // Records with quoted newlines and doubled quotes, well past one read (64 KiB).
        let record = "1,\"x\ny \"\"q\"\"\n\",z\n";
        let input = format!("a,b,c\n{}", record.repeat(20_000));
        let pieces = chunks(&input, 100_000);
        assert!(pieces.len() > 2, "{} chunks", pieces.len());
        assert_eq!(pieces.concat(), input, "nothing lost or repeated");
        for piece in &pieces[1..] {
            assert!(piece.starts_with("1,\""), "a chunk starts with a record");
        }
        assert_eq!(
            chunks("a\nb", 1),
            ["a\n", "b"],
            "a last line without newline"
        );
        assert!(chunks("", 1).is_empty());
    }
}
