//! Bounded reading for the JSON readers: lines of at most the record limit, ended by any line
//! ending, and a reader that fails once a value read whole passes the limit.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use super::records::RecordTooLong;

/// Bytes a value read whole may still take; shared by the reader and the code that resets it
/// at each value.
#[derive(Clone)]
pub(super) struct Budget {
    limit: u64,
    used: Rc<Cell<u64>>,
    exceeded: Rc<Cell<bool>>,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: Rc::new(Cell::new(0)),
            exceeded: Rc::new(Cell::new(false)),
        }
    }

    pub fn reset(&self) {
        self.used.set(0);
    }

    pub fn exceeded(&self) -> bool {
        self.exceeded.get()
    }
}

/// A reader that fails once the value being read passes its budget.
pub(super) struct Capped {
    pub inner: Box<dyn BufRead>,
    pub budget: Budget,
}

impl Read for Capped {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let left = self.budget.limit.saturating_sub(self.budget.used.get());
        if left == 0 {
            // At the limit: the end of the input is fine, one more byte is not.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.budget.exceeded.set(true);
                    Err(io::Error::other("a value longer than the record limit"))
                }
            };
        }
        let wanted = buffer
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buffer[..wanted])?;
        self.budget.used.set(self.budget.used.get() + read as u64);
        Ok(read)
    }
}

pub(super) enum LineError {
    Io(io::Error),
    TooLong(RecordTooLong),
}

impl From<io::Error> for LineError {
    fn from(error: io::Error) -> Self {
        LineError::Io(error)
    }
}

/// Lines of at most `limit` bytes, ended by `\n`, `\r\n` or `\r`.
pub(super) struct Lines {
    limit: u64,
    /// The last line ended in `\r`: a `\n` right after it belongs to that end.
    after_cr: bool,
    number: u64,
}

impl Lines {
    pub fn new(limit: u64) -> Self {
        Lines {
            limit,
            after_cr: false,
            number: 0,
        }
    }

    /// Reads the next line into `line` (without its end): its number, or `None` at the end.
    pub fn next(
        &mut self,
        reader: &mut dyn BufRead,
        line: &mut Vec<u8>,
    ) -> Result<Option<u64>, LineError> {
        let mut started = false;
        loop {
            let buffer = reader.fill_buf()?;
            if buffer.is_empty() {
                if !started {
                    return Ok(None);
                }
                self.number += 1;
                return Ok(Some(self.number));
            }
            if std::mem::take(&mut self.after_cr) && buffer[0] == b'\n' {
                reader.consume(1);
                continue;
            }
            started = true;
            let end = memchr::memchr2(b'\n', b'\r', buffer);
            let take = end.unwrap_or(buffer.len());
            line.extend_from_slice(&buffer[..take]);
            if let Some(at) = end {
                self.after_cr = buffer[at] == b'\r';
                reader.consume(at + 1);
            } else {
                reader.consume(take);
            }
            if line.len() as u64 > self.limit {
                return Err(LineError::TooLong(RecordTooLong {
                    line: self.number + 1,
                    limit: self.limit,
                }));
            }
            if end.is_some() {
                self.number += 1;
                return Ok(Some(self.number));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: u64) -> Vec<Result<(u64, String), u64>> {
        let mut reader: Box<dyn BufRead> = Box::new(io::Cursor::new(input.to_vec()));
        let mut lines = Lines::new(limit);
        let mut out = Vec::new();
        loop {
            let mut line = Vec::new();
            match lines.next(&mut *reader, &mut line) {
                Ok(Some(number)) => {
                    out.push(Ok((number, String::from_utf8_lossy(&line).into_owned())));
                }
                Ok(None) => return out,
                Err(LineError::TooLong(too_long)) => {
                    out.push(Err(too_long.line));
                    return out;
                }
                Err(LineError::Io(error)) => panic!("{error}"),
            }
        }
    }

    #[test]
    fn lines_end_at_any_line_ending() {
        let found = lines(b"a\rb\r\nc\nd", 100);
        let expected: Vec<Result<(u64, String), u64>> = vec![
            Ok((1, "a".into())),
            Ok((2, "b".into())),
            Ok((3, "c".into())),
            Ok((4, "d".into())),
        ];
        assert_eq!(found, expected);
        assert_eq!(lines(b"\r\n\r\n", 100).len(), 2, "two empty lines");
    }

    #[test]
    fn a_line_past_the_limit_is_an_error_at_its_number() {
        let found = lines(b"short\nlonger than ten\n", 10);
        assert_eq!(found, vec![Ok((1, "short".into())), Err(2)]);
    }

    #[test]
    fn a_capped_reader_stops_past_its_budget() {
        let budget = Budget::new(4);
        let mut capped = Capped {
            inner: Box::new(io::Cursor::new(b"abcdef".to_vec())),
            budget: budget.clone(),
        };
        let mut out = Vec::new();
        assert!(capped.read_to_end(&mut out).is_err());
        assert!(budget.exceeded());
        assert_eq!(out, b"abcd");
        let exact = Budget::new(3);
        let mut capped = Capped {
            inner: Box::new(io::Cursor::new(b"abc".to_vec())),
            budget: exact.clone(),
        };
        let mut out = Vec::new();
        assert!(capped.read_to_end(&mut out).is_ok(), "exactly the budget");
    }
}
