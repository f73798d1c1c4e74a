//! The output: events as CSV or JSON lines, with invalid rows injected when asked to.

use std::io::{self, Write};

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::Format;
use crate::event::Event;
use crate::faults::{FAULTS, Fault};
use crate::format::{push_hundredths, push_int, push_text, push_ticket_id, push_timestamp};
use crate::vocabulary::{AGENTS, Author, CATEGORIES, Channel, Priority, Status, TEAMS};
const COLUMNS: [&str; 17] = [
    "ticket_id",
    "timestamp",
    "event",
    "author_type",
    "channel",
    "agent",
    "team",
    "priority",
    "category",
    "status",
    "csat",
    "handle_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "nps",
    "sentiment",
];
pub const COL_TICKET: usize = 0;
pub const COL_TIMESTAMP: usize = 1;
pub const COL_EVENT: usize = 2;
pub const COL_AUTHOR: usize = 3;
const COL_CHANNEL: usize = 4;
pub const COL_AGENT: usize = 5;
const COL_TEAM: usize = 6;
const COL_PRIORITY: usize = 7;
const COL_CATEGORY: usize = 8;
pub const COL_STATUS: usize = 9;
pub const COL_CSAT: usize = 10;
pub const COL_HANDLE: usize = 11;
pub const COL_NPS: usize = 15;
pub const COL_SENTIMENT: usize = 16;

/// Text columns that exports sometimes write in another case or with spaces around (channel
/// most often), with weights.
pub const RESTYLED: [(usize, u32); 7] = [
    (COL_CHANNEL, 6),
    (COL_EVENT, 1),
    (COL_AUTHOR, 1),
    (COL_TEAM, 1),
    (COL_PRIORITY, 1),
    (COL_CATEGORY, 1),
    (COL_STATUS, 1),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casing {
    AsIs,
    Capitalized,
    Upper,
    Padded,
}

pub const CASINGS: [(Casing, u32); 3] = [
    (Casing::Capitalized, 5),
    (Casing::Upper, 2),
    (Casing::Padded, 3),
];

/// A field value, written as CSV or JSON.
#[derive(Clone, Copy, Debug)]
pub enum Cell {
    Empty,
    Text(&'static str, Casing),
    TicketId(u32),
    Time(i64),
    Int(i64),
    /// A decimal with two digits after the point.
    Hundredths(i16),
    /// Written verbatim (faults).
    Raw(&'static [u8]),
}

impl Cell {
    fn text(value: Option<&'static str>, casing: Casing) -> Cell {
        value.map_or(Cell::Empty, |s| Cell::Text(s, casing))
    }

    fn int<T: Into<i64>>(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, |n| Cell::Int(n.into()))
    }

    fn write(self, line: &mut Vec<u8>) {
        match self {
            Cell::Empty => {}
            Cell::Text(text, casing) => push_text(line, text, casing),
            Cell::TicketId(n) => push_ticket_id(line, n),
            Cell::Time(ts) => push_timestamp(line, ts),
            Cell::Int(n) => push_int(line, n),
            Cell::Hundredths(n) => push_hundredths(line, n),
            Cell::Raw(bytes) => line.extend_from_slice(bytes),
        }
    }

    fn write_json(self, line: &mut Vec<u8>) {
        // Values never contain quotes, backslashes or control characters: no escaping needed.
        if matches!(self, Cell::Int(_) | Cell::Hundredths(_)) {
            self.write(line);
        } else {
            line.push(b'"');
            self.write(line);
            line.push(b'"');
        }
    }
}

fn cells(e: &Event) -> [Cell; 17] {
    let text = |column: usize, value: Option<&'static str>| Cell::text(value, e.casing(column));
    let kind = (!e.implicit_kind).then(|| e.kind.name());
    [
        Cell::TicketId(e.ticket),
        Cell::Time(e.ts),
        text(COL_EVENT, kind),
        text(COL_AUTHOR, e.author.map(Author::name)),
        text(COL_CHANNEL, e.channel.map(Channel::name)),
        text(COL_AGENT, e.agent.map(|a| AGENTS[usize::from(a)])),
        text(COL_TEAM, e.team.map(|t| TEAMS[usize::from(t)])),
        text(COL_PRIORITY, e.priority.map(Priority::name)),
        text(COL_CATEGORY, e.category.map(|c| CATEGORIES[usize::from(c)])),
        text(COL_STATUS, e.status.map(Status::name)),
        Cell::int(e.csat),
        Cell::int(e.handle),
        Cell::int(e.talk),
        Cell::int(e.hold),
        Cell::int(e.acw),
        Cell::int(e.nps),
        e.sentiment.map_or(Cell::Empty, Cell::Hundredths),
    ]
}

/// The field count of a written row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Whole,
    MissingField,
    ExtraField,
}

/// What was written, for `--summary`.
#[derive(Default)]
pub struct Stats {
    /// Data lines (valid and invalid rows; blank lines are not rows).
    pub rows: u64,
    pub faults: [u64; FAULTS.len()],
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Most events held at once by `--order time`.
    pub peak_buffered: Option<usize>,
}

/// Renders events as CSV or JSON lines, injecting invalid rows when asked to.
pub struct RowWriter<W: Write> {
    out: W,
    /// Reused for every row to avoid allocating per row.
    line: Vec<u8>,
    format: Format,
    dirty: f64,
    dirt: ChaCha8Rng,
    pub stats: Stats,
}

impl<W: Write> RowWriter<W> {
    pub fn new(out: W, format: Format, dirty: f64, dirt: ChaCha8Rng) -> RowWriter<W> {
        let line = Vec::with_capacity(256);
        RowWriter {
            out,
            line,
            format,
            dirty,
            dirt,
            stats: Stats::default(),
        }
    }

    pub fn header(&mut self) -> io::Result<()> {
        match self.format {
            Format::Csv => writeln!(self.out, "{}", COLUMNS.join(",")),
            Format::Jsonl => Ok(()),
        }
    }

    pub fn row(&mut self, event: &Event) -> io::Result<()> {
        let cells = cells(event);
        self.emit(&cells, Shape::Whole)?;
        self.stats.rows += 1;
        self.stats.first = Some(self.stats.first.map_or(event.ts, |t| t.min(event.ts)));
        self.stats.last = Some(self.stats.last.map_or(event.ts, |t| t.max(event.ts)));
        if self.dirty > 0.0 && self.dirt.random_bool(self.dirty) {
            self.inject(cells)?;
        }
        Ok(())
    }

    fn inject(&mut self, mut cells: [Cell; 17]) -> io::Result<()> {
        let fault = FAULTS[self.dirt.random_range(0..FAULTS.len())];
        self.stats.faults[fault as usize] += 1;
        if fault == Fault::BlankLine {
            let blank: &[u8] = if self.dirt.random_bool(0.5) {
                b"\n"
            } else {
                b"   \n"
            };
            return self.out.write_all(blank);
        }
        fault.apply(&mut cells, &mut self.dirt);
        self.emit(&cells, fault.shape())?;
        self.stats.rows += 1;
        Ok(())
    }

    /// Writes one line.
    fn emit(&mut self, cells: &[Cell; 17], shape: Shape) -> io::Result<()> {
        self.line.clear();
        match self.format {
            Format::Csv => {
                let cells = match shape {
                    Shape::MissingField => &cells[..cells.len() - 1],
                    Shape::Whole | Shape::ExtraField => &cells[..],
                };
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b',');
                    }
                    cell.write(&mut self.line);
                }
                if shape == Shape::ExtraField {
                    self.line.extend_from_slice(b",extra");
                }
            }
            Format::Jsonl => {
                self.line.push(b'{');
                let mut first = true;
                for (name, cell) in COLUMNS.iter().zip(cells) {
                    if matches!(cell, Cell::Empty) {
                        continue;
                    }
                    if !first {
                        self.line.push(b',');
                    }
                    first = false;
                    self.line.push(b'"');
                    self.line.extend_from_slice(name.as_bytes());
                    self.line.extend_from_slice(b"\":");
                    cell.write_json(&mut self.line);
                }
                // A JSON object has no field count: an unknown key would be ignored, so a
                // misshapen row is a truncated object instead.
                if shape == Shape::Whole {
                    self.line.push(b'}');
                }
            }
        }
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
