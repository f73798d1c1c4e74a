//! Random canonical event logs: rows drawn from the contract's valid values, timestamps from
//! a dozen slots (so that equal timestamps are common) written in every format the contract
//! reads, and the report options to ask for.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::select;
use ticketkpi::metrics::group::Dimension;
use ticketkpi::time::{MICROS_PER_SECOND, Period};

pub const HEADER: [&str; 12] = [
    "ticket_id",
    "timestamp",
    "event",
    "author_type",
    "channel",
    "agent",
    "priority",
    "status",
    "csat",
    "handle_seconds",
    "nps",
    "sentiment",
];
pub const TICKET: usize = 0;
pub const TIMESTAMP: usize = 1;
pub const EVENT: usize = 2;
pub const AUTHOR: usize = 3;
pub const CHANNEL: usize = 4;
pub const STATUS: usize = 7;
pub const CSAT: usize = 8;
pub const HANDLE: usize = 9;
pub const NPS: usize = 10;
pub const SENTIMENT: usize = 11;

/// 2026-03-02T09:00:00Z, a Monday.
pub const BASE_SECONDS: i64 = 1_772_442_000;
/// Timestamps fall on `SLOTS` instants, `step` seconds apart.
pub const SLOTS: i64 = 12;

/// The numbers a generated row may carry.
#[derive(Debug)]
pub struct Values {
    csat: &'static [&'static str],
    handle: &'static [&'static str],
    nps: &'static [&'static str],
    sentiment: &'static [&'static str],
}

/// Numbers floating point holds exactly (4.5, 12.5) and everyday decimals it rounds (0.1, 4.2).
pub static VALUES: Values = Values {
    csat: &["1", "2", "3", "4", "5", "4.5", "4.2", "3.3", "1.6"],
    handle: &["0", "30", "12.5", "600", "0.1", "0.2", "45.7"],
    nps: &["0", "3", "6", "7", "8", "9", "10", "8.5"],
    sentiment: &["-1", "-0.5", "-0.3", "0", "0.1", "0.2", "0.7", "1"],
};

/// One event row, before it is written out.
#[derive(Debug, Clone)]
pub struct Row {
    pub ticket: &'static str,
    pub slot: i64,
    /// Which timestamp format to write (see [`format_timestamp`]).
    pub style: u8,
    pub event: &'static str,
    pub author: &'static str,
    pub channel: &'static str,
    pub agent: &'static str,
    pub priority: &'static str,
    pub status: &'static str,
    pub csat: &'static str,
    pub handle: &'static str,
    pub nps: &'static str,
    pub sentiment: &'static str,
}

/// A generated export: rows and the spacing of the timestamp slots.
#[derive(Debug, Clone)]
pub struct Log {
    pub step: i64,
    pub rows: Vec<Row>,
}

/// The instant of a slot; every fourth slot has a fraction of a second.
pub fn instant(slot: i64, step: i64) -> i64 {
    let fraction = if slot % 4 == 3 { 250_000 } else { 0 };
    (BASE_SECONDS + slot * step) * MICROS_PER_SECOND + fraction
}

/// The instant in one of the contract's formats: Unix seconds, RFC 3339 with `Z` or an
/// offset, `T` or a space, or a local time without offset (read in UTC, the default zone).
pub fn format_timestamp(at: i64, style: u8) -> String {
    let utc = DateTime::<Utc>::from_timestamp_micros(at).expect("in range");
    let micros = at.rem_euclid(MICROS_PER_SECOND);
    let fraction = if micros == 0 {
        String::new()
    } else {
        format!(".{micros:06}")
    };
    let local = |offset_minutes: i64, separator: char| {
        let shifted = utc + Duration::minutes(offset_minutes);
        format!(
            "{}{separator}{}{fraction}",
            shifted.format("%Y-%m-%d"),
            shifted.format("%H:%M:%S")
        )
    };
    match style % 7 {
        0 if micros == 0 => (at / MICROS_PER_SECOND).to_string(),
        1 => format!("{}+02:00", local(120, ' ')),
        2 => format!("{}-05:30", local(-330, 'T')),
        3 => local(0, ' '),
        4 => local(0, 'T'),
        5 if micros == 0 && utc.format("%S").to_string() == "00" => {
            utc.format("%Y-%m-%d %H:%M").to_string()
        }
        _ => format!("{}Z", local(0, 'T')),
    }
}

impl Row {
    pub fn at(&self, step: i64) -> i64 {
        instant(self.slot, step)
    }

    /// The field values, in `HEADER` order.
    pub fn fields(&self, step: i64) -> Vec<String> {
        let timestamp = format_timestamp(self.at(step), self.style);
        [
            self.ticket,
            &timestamp,
            self.event,
            self.author,
            self.channel,
            self.agent,
            self.priority,
            self.status,
            self.csat,
            self.handle,
            self.nps,
            self.sentiment,
        ]
        .map(str::to_owned)
        .to_vec()
    }

    pub fn csv_line(&self, step: i64) -> String {
        self.fields(step).join(",")
    }
}

/// What a row is, with the spellings of its event and author (case varies: both match
/// case-insensitively).
pub const KINDS: [(&[&str], &[&str]); 7] = [
    (&["", "message", "Message"], &["customer", "Customer"]),
    (&["", "message"], &["customer"]),
    (&["", "message", "MESSAGE"], &["agent", "Agent"]),
    (&["message", ""], &["bot", "system"]),
    (&["note", "Note"], &["", "agent", "system"]),
    (&["status", "Status"], &["", "system", "agent"]),
    (&["rating", "Rating"], &["", "customer"]),
];
pub const RATING: usize = 6;

pub fn row(values: &'static Values, with_status: bool) -> impl Strategy<Value = Row> {
    let statuses: &'static [&'static str] = if with_status {
        &[
            "", "", "", "", "new", "open", "pending", "on_hold", "solved", "Solved", "closed",
        ]
    } else {
        &[""]
    };
    (
        (
            select(vec!["T1", "T2", "T3", "T4", "T5"]),
            0..SLOTS,
            any::<u8>(),
        ),
        (0..KINDS.len(), any::<u8>(), any::<u8>()),
        (
            select(vec!["", "email", "Email", "chat", " phone "]),
            select(vec!["", "ann", "Bob"]),
            select(vec!["", "urgent", "high", "normal", "low", "whenever"]),
            select(statuses),
        ),
        (
            select(values.csat),
            proptest::bool::weighted(0.1),
            proptest::option::weighted(0.3, select(values.handle)),
            proptest::option::weighted(0.3, select(values.nps)),
            proptest::option::weighted(0.5, select(values.sentiment)),
        ),
    )
        .prop_map(
            |(
                (ticket, slot, style),
                (kind, event, author),
                (channel, agent, priority, status),
                (csat, csat_elsewhere, handle, nps, sentiment),
            )| {
                let (events, authors) = KINDS[kind];
                Row {
                    ticket,
                    slot,
                    style,
                    event: events[usize::from(event) % events.len()],
                    author: authors[usize::from(author) % authors.len()],
                    channel,
                    agent,
                    priority,
                    status,
                    csat: if kind == RATING || csat_elsewhere {
                        csat
                    } else {
                        ""
                    },
                    handle: handle.unwrap_or_default(),
                    nps: nps.unwrap_or_default(),
                    sentiment: sentiment.unwrap_or_default(),
                }
            },
        )
}

/// Slots `step` seconds apart: a second, a minute, an hour, six hours or a day (so that ages
/// and SLA clocks cover every bucket and state).
pub fn step() -> impl Strategy<Value = i64> {
    select(vec![1, 60, 3_600, 6 * 3_600, 86_400])
}

pub fn log(values: &'static Values, rows: std::ops::Range<usize>) -> impl Strategy<Value = Log> {
    (step(), proptest::bool::weighted(0.85)).prop_flat_map(move |(step, with_status)| {
        prop::collection::vec(row(values, with_status), rows.clone())
            .prop_map(move |rows| Log { step, rows })
    })
}

/// How a report is asked for: `--as-of` (a slot), `--by` and `--period`.
#[derive(Debug, Clone)]
pub struct Options {
    pub as_of_slot: Option<i64>,
    pub by: Vec<Dimension>,
    pub period: Option<Period>,
}

pub fn options() -> impl Strategy<Value = Options> {
    let by: &[&[Dimension]] = &[
        &[Dimension::Channel],
        &[],
        &[Dimension::Agent],
        &[Dimension::Priority, Dimension::Channel],
    ];
    (
        prop::option::of(0..SLOTS),
        select(by),
        select(vec![
            None,
            Some(Period::Day),
            Some(Period::Week),
            Some(Period::Month),
        ]),
    )
        .prop_map(|(as_of_slot, by, period)| Options {
            as_of_slot,
            by: by.to_vec(),
            period,
        })
}
