//! Cutting a CSV stream into chunks of whole physical records, in bounded memory.
//!
//! Both CSV readers take their bytes from here, so they see the same records. A record ends at
//! `\n`, `\r\n` or a lone `\r` outside quotes (how the CSV parser reads quotes is followed
//! exactly: a quote opens a quoted field only at the start of a field). Which lone `\r` ends a
//! record is decided by the file:
//! - where the header line ends in a lone `\r` (old Mac exports), every lone `\r` does;
//! - where it ends in `\n` or `\r\n`, the lone `\r`s of a line (up to its `\n`) end records
//!   unless the line read as one record has exactly the header's number of fields: then they
//!   belong to their field (real tweet exports carry unquoted `\r` inside their text). So
//!   rows joined by `\r` are each counted, and a line of the right width stays whole. Only
//!   short rows whose widths add up to the header's are ambiguous; they are read as one.
//!
//! A lone `\r` that ends a record is rewritten to `\n` in the chunk, so the parser (which
//! ends records at `\n`) sees the same records and counts lines as we do. No record may be
//! longer than the record limit: a file without line ends (binary data, `/dev/zero`, a quote
//! never closed) stops with an error at the line where the record starts, instead of
//! growing one record until memory runs out.

use std::io::{self, BufRead, Read};

/// The longest record read by default: far above any real export's row (tens of KB with long
/// ticket descriptions), small enough that holding a few of them is harmless.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 << 20;

/// Bytes asked of the reader at a time when the chunk target is small.
const MIN_READ: usize = 64 << 10;

/// A piece of the input that holds whole records, and the line its first byte is on.
#[derive(Debug)]
pub(super) struct Chunk {
    pub bytes: Vec<u8>,
    pub first_line: u64,
}

/// A record longer than the limit: where it starts.
#[derive(Debug)]
pub(super) struct RecordTooLong {
    pub line: u64,
    pub limit: u64,
}

#[derive(Debug)]
pub(super) enum SplitError {
    Io(io::Error),
    TooLong(RecordTooLong),
}

impl From<io::Error> for SplitError {
    fn from(error: io::Error) -> Self {
        SplitError::Io(error)
    }
}

/// What ends records, once the header has said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endings {
    /// Before the header's end: every line end ends a (blank) record.
    Undecided,
    /// The header ended in `\n` or `\r\n`.
    Lf,
    /// The header ended in a lone `\r`.
    Cr,
}

/// Where the look-ahead over a line stopped for want of bytes.
#[derive(Debug, Clone, Copy)]
struct MergedScan {
    position: usize,
    quoted: bool,
    fields: usize,
}

/// Cuts a stream into chunks of whole records.
pub(super) struct Splitter {
    delimiter: u8,
    max_record: u64,
    /// Bytes read but not yet handed out: whole records, then the start of an unfinished one.
    pending: Vec<u8>,
    eof: bool,
    /// How far `pending` has been scanned; the quote state holds there.
    scanned: usize,
    quoted: bool,
    /// Where the record being scanned starts in `pending`.
    record_start: usize,
    endings: Endings,
    header_fields: usize,
    /// Where the current physical line starts: after the last `\n` that ended a record.
    line_start: usize,
    /// Whether the lone `\r`s of the current line end records, once one was met.
    line_split: Option<bool>,
    /// The current line read as one record, while its end has not been read yet.
    merged: Option<MergedScan>,
    /// Lines handed out so far: the line of `pending[0]` is one more.
    lines_out: u64,
}

impl Splitter {
    pub fn new(delimiter: u8, max_record: u64) -> Self {
        Splitter {
            delimiter,
            max_record: max_record.max(1),
            pending: Vec::new(),
            eof: false,
            scanned: 0,
            quoted: false,
            record_start: 0,
            endings: Endings::Undecided,
            header_fields: 0,
            line_start: 0,
            line_split: None,
            merged: None,
            lines_out: 0,
        }
    }

    /// The next chunk of at least `target` bytes (less at the end), ending at a record
    /// boundary; `None` when the input is exhausted.
    pub fn next(
        &mut self,
        reader: &mut dyn BufRead,
        target: usize,
    ) -> Result<Option<Chunk>, SplitError> {
        let mut last_boundary = None;
        loop {
            if let Some(end) = self.scan()? {
                last_boundary = Some(end);
            }
            if let Some(end) = last_boundary.filter(|end| *end >= target || self.eof) {
                return Ok(Some(self.hand_out(end)));
            }
            if self.eof {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                let end = self.pending.len();
                return Ok(Some(self.hand_out(end)));
            }
            self.check_length()?;
            let wanted = target.clamp(MIN_READ, 4 << 20) as u64;
            let wanted = wanted.min(self.max_record.saturating_add(1));
            let before = self.pending.len();
            Read::take(&mut *reader, wanted).read_to_end(&mut self.pending)?;
            if self.pending.len() == before {
                self.eof = true;
            }
        }
    }

    /// Stops a record that has grown past the limit, naming the line it starts on.
    fn check_length(&self) -> Result<(), SplitError> {
        let record = (self.pending.len() - self.record_start) as u64;
        if record > self.max_record {
            let line = self.lines_out + 1 + count_lines(&self.pending[..self.record_start]);
            return Err(SplitError::TooLong(RecordTooLong {
                line,
                limit: self.max_record,
            }));
        }
        Ok(())
    }

    fn hand_out(&mut self, end: usize) -> Chunk {
        let rest = self.pending.split_off(end);
        let bytes = std::mem::replace(&mut self.pending, rest);
        let first_line = self.lines_out + 1;
        self.lines_out += count_lines(&bytes);
        self.scanned -= end.min(self.scanned);
        self.record_start -= end.min(self.record_start);
        self.line_start = self.line_start.saturating_sub(end);
        if let Some(merged) = &mut self.merged {
            merged.position = merged.position.saturating_sub(end);
        }
        Chunk { bytes, first_line }
    }

    /// Scans what is new for record ends; the offset after the last one found, if any.
    fn scan(&mut self) -> Result<Option<usize>, SplitError> {
        let mut last_boundary = None;
        let mut position = self.scanned;
        while let Some(offset) = memchr::memchr3(b'"', b'\n', b'\r', &self.pending[position..]) {
            let at = position + offset;
            let byte = self.pending[at];
            // A quote in a quoted field and a `\r` are read with the byte after them.
            let needs_next = if self.quoted {
                byte == b'"'
            } else {
                byte == b'\r'
            };
            let next = self.pending.get(at + 1).copied();
            if needs_next && next.is_none() && !self.eof {
                self.scanned = at;
                return Ok(last_boundary);
            }
            position = at + 1;
            match byte {
                b'"' if self.quoted => {
                    if next == Some(b'"') {
                        position = at + 2;
                    } else {
                        self.quoted = false;
                    }
                }
                b'"' => self.quoted = self.starts_field(at),
                _ if self.quoted => {}
                b'\n' => {
                    self.end_record(at, false);
                    last_boundary = Some(at + 1);
                }
                // `\r\n`: the `\n` ends the record.
                _ if next == Some(b'\n') => {}
                _ => match self.lone_cr_ends_record() {
                    Some(true) => {
                        self.pending[at] = b'\n';
                        self.end_record(at, true);
                        last_boundary = Some(at + 1);
                    }
                    Some(false) => {}
                    // The line's end decides; it has not been read yet.
                    None => {
                        self.scanned = at;
                        return Ok(last_boundary);
                    }
                },
            }
        }
        self.scanned = self.pending.len();
        Ok(last_boundary)
    }

    /// A quote opens a quoted field only where a field starts.
    fn starts_field(&self, at: usize) -> bool {
        at == self.record_start || self.pending[at - 1] == self.delimiter
    }

    /// Whether a lone `\r` of the current line ends a record; `None` while that depends on
    /// bytes not read yet.
    fn lone_cr_ends_record(&mut self) -> Option<bool> {
        if self.endings != Endings::Lf {
            return Some(true);
        }
        if let Some(split) = self.line_split {
            return Some(split);
        }
        let fields = self.merged_line_fields()?;
        let split = fields != self.header_fields;
        self.line_split = Some(split);
        Some(split)
    }

    /// The fields of the current line read as one record (`\r` a character), scanned on from
    /// where the last call stopped; `None` until its end is read. A line longer than the
    /// record limit counts as too wide (it must be cut).
    fn merged_line_fields(&mut self) -> Option<usize> {
        let start = self.line_start;
        let MergedScan {
            mut position,
            mut quoted,
            mut fields,
        } = self.merged.take().unwrap_or(MergedScan {
            position: start,
            quoted: false,
            fields: 1,
        });
        while position < self.pending.len() {
            if (position - start) as u64 > self.max_record {
                return Some(usize::MAX);
            }
            let byte = self.pending[position];
            if quoted {
                if byte == b'"' {
                    match self.pending.get(position + 1) {
                        Some(b'"') => position += 1,
                        Some(_) => quoted = false,
                        None if self.eof => quoted = false,
                        None => break,
                    }
                }
            } else if byte == b'"' {
                quoted = position == start || self.pending[position - 1] == self.delimiter;
            } else if byte == self.delimiter {
                fields += 1;
            } else if byte == b'\n' {
                return Some(fields);
            }
            position += 1;
        }
        if self.eof {
            return Some(fields);
        }
        self.merged = Some(MergedScan {
            position,
            quoted,
            fields,
        });
        None
    }

    /// Books the end of the record that ends at `at` (its terminator's last byte).
    fn end_record(&mut self, at: usize, lone_cr: bool) {
        if self.endings == Endings::Undecided {
            let record = &self.pending[self.record_start..at];
            let blank = record
                .iter()
                .all(|b| b.is_ascii_whitespace() && *b != self.delimiter);
            if !blank {
                self.header_fields = count_fields(record, self.delimiter);
                self.endings = if lone_cr { Endings::Cr } else { Endings::Lf };
            }
        }
        self.record_start = at + 1;
        if !lone_cr {
            self.line_start = at + 1;
            self.line_split = None;
            self.merged = None;
        }
    }
}

/// The error text for a record past the limit; `what` says what was missing.
pub(super) fn too_long_message(limit: u64, what: &str) -> String {
    format!(
        "a record longer than {} ({what} within it: a binary file, or a quote never closed?); \
         if the records really are this long, raise --max-record-size",
        describe_size(limit)
    )
}

fn describe_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The fields of one record, as the CSV parser splits it.
fn count_fields(record: &[u8], delimiter: u8) -> usize {
    let mut fields = 1;
    let mut quoted = false;
    let mut index = 0;
    while index < record.len() {
        let byte = record[index];
        if quoted {
            if byte == b'"' {
                if record.get(index + 1) == Some(&b'"') {
                    index += 1;
                } else {
                    quoted = false;
                }
            }
        } else if byte == b'"' {
            quoted = index == 0 || record[index - 1] == delimiter;
        } else if byte == delimiter {
            fields += 1;
        }
        index += 1;
    }
    fields
}

/// The `\n`s in `bytes`: how many lines they span, as the CSV parser counts them.
pub(super) fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn chunks_of(input: &[u8], target: usize) -> Vec<Vec<u8>> {
        let mut reader: Box<dyn BufRead> = Box::new(Cursor::new(input.to_vec()));
        let mut splitter = Splitter::new(b',', DEFAULT_MAX_RECORD_BYTES);
        let mut out = Vec::new();
        while let Some(chunk) = splitter.next(&mut reader, target).unwrap() {
            out.push(chunk.bytes);
        }
        out
    }

    /// The records the CSV parser finds in the chunks, as text.
    fn records(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for chunk in chunks_of(input, 1) {
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_reader(chunk.as_slice());
            for record in csv.byte_records() {
                let record = record.unwrap();
                let fields: Vec<String> = record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                out.push(fields.join("|"));
            }
        }
        out
    }

    #[test]
    fn chunks_end_at_record_boundaries_never_inside_quotes() {
        // Records with quoted newlines and doubled quotes, well past one read (64 KiB).
        let record = "1,\"x\ny \"\"q\"\"\n\",z\n";
        let input = format!("a,b,c\n{}", record.repeat(20_000));
        let pieces = chunks_of(input.as_bytes(), 100_000);
        assert!(pieces.len() > 2, "{} chunks", pieces.len());
        assert_eq!(
            pieces.concat(),
            input.as_bytes(),
            "nothing lost or repeated"
        );
        for piece in &pieces[1..] {
            assert!(piece.starts_with(b"1,\""), "a chunk starts with a record");
        }
        assert_eq!(chunks_of(b"a\nb", 1), [b"a\n".to_vec(), b"b".to_vec()]);
        assert!(chunks_of(b"", 1).is_empty());
    }

    #[test]
    fn a_quote_inside_a_field_is_a_character_as_the_parser_reads_it() {
        // `5" screen` does not open a quoted field, so the next line is a record of its own.
        let input = b"a,b\n1,5\" screen\n2,x\n";
        assert_eq!(records(input), ["a|b", "1|5\" screen", "2|x"]);
        let record = b"1,5\" screen\n".repeat(30_000);
        let pieces = chunks_of(&[&b"a,b\n"[..], &record].concat(), 20_000);
        assert!(
            pieces.len() > 3,
            "cut between records: {} chunks",
            pieces.len()
        );
        assert!(pieces[1..].iter().all(|piece| piece.starts_with(b"1,5")));
    }

    #[test]
    fn lone_cr_ends_records_in_a_cr_file_and_full_records_in_an_lf_file() {
        assert_eq!(
            records(b"a,b\r1,2\r3,4\n5,6\r\n7,8"),
            ["a|b", "1|2", "3|4", "5|6\r", "7|8"],
            "the header ends in \\r: every line end counts"
        );
        assert_eq!(
            records(b"a,b,c\n1,2,3\r4,5,6\r\n7,8,9\n"),
            ["a|b|c", "1|2|3", "4|5|6\r", "7|8|9"],
            "a full record then \\r"
        );
        assert_eq!(
            records(b"a,b,c\n1,tweet \r\rtext,3\n"),
            ["a|b|c", "1|tweet \r\rtext|3"],
            "a line of the header's width stays whole"
        );
        assert_eq!(
            records(b"a,b,c\n1,2,tweet \r\rtext\n"),
            ["a|b|c", "1|2|tweet \r\rtext"],
            "in the last column too"
        );
        assert_eq!(
            records(b"a,b,c\n1,2,3\r4,5\n6,7,8\n"),
            ["a|b|c", "1|2|3", "4|5", "6|7|8"],
            "a short row after \\r is a row of its own"
        );
        assert_eq!(
            records(b"a,b,c\n1,2\r3,4\n"),
            ["a|b|c", "1|2\r3|4"],
            "short rows that add up to the header's width are read as one"
        );
        assert_eq!(
            records(b"a,b\n1,\"x\ry\"\r2,z\n"),
            ["a|b", "1|x\ry", "2|z"],
            "a quoted \\r is a character"
        );
    }

    #[test]
    fn line_numbers_count_every_line_end() {
        let input = b"a,b\r1,2\r3,4\r".repeat(10_000);
        let mut reader: Box<dyn BufRead> = Box::new(Cursor::new(input));
        let mut splitter = Splitter::new(b',', DEFAULT_MAX_RECORD_BYTES);
        let first = splitter.next(&mut reader, 1000).unwrap().unwrap();
        assert_eq!(first.first_line, 1);
        assert!(
            first.bytes.starts_with(b"a,b\n1,2\n3,4\n"),
            "\\r became \\n"
        );
        let second = splitter.next(&mut reader, 1000).unwrap().unwrap();
        assert_eq!(second.first_line, 1 + count_lines(&first.bytes));
        assert_eq!(
            count_lines(&first.bytes),
            memchr::memchr_iter(b'\n', &first.bytes).count() as u64
        );
        assert!(first.bytes.len() >= 1000 && !first.bytes.contains(&b'\r'));
    }

    #[test]
    fn a_record_past_the_limit_is_an_error_at_its_first_line() {
        let mut input = b"a,b\n1,2\n".to_vec();
        input.extend(std::iter::repeat_n(b'A', 10_000));
        let mut reader: Box<dyn BufRead> = Box::new(Cursor::new(input));
        let mut splitter = Splitter::new(b',', 1000);
        let error = loop {
            match splitter.next(&mut reader, 1) {
                Ok(Some(_)) => {}
                Ok(None) => panic!("the long record was read"),
                Err(error) => break error,
            }
        };
        match error {
            SplitError::TooLong(too_long) => assert_eq!((too_long.line, too_long.limit), (3, 1000)),
            SplitError::Io(error) => panic!("{error}"),
        }
    }

    #[test]
    fn fields_are_counted_as_the_parser_splits_them() {
        assert_eq!(count_fields(b"a,b,c", b','), 3);
        assert_eq!(count_fields(b"\"a,b\",c", b','), 2);
        assert_eq!(count_fields(b"x\"a,b\",c", b','), 3);
        assert_eq!(count_fields(b"\"a\"\",b\",c", b','), 2);
        assert_eq!(count_fields(b"", b','), 1);
    }
}
