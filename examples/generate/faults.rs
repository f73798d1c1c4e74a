//! The ways a row can be invalid (kpi-definitions section 1), plus blank lines.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::output::{
    COL_AGENT, COL_AUTHOR, COL_CSAT, COL_EVENT, COL_HANDLE, COL_NPS, COL_SENTIMENT, COL_STATUS,
    COL_TICKET, COL_TIMESTAMP, Casing, Cell, Shape,
};
/// The ways a row can be invalid (kpi-definitions section 1), plus blank lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    MissingField,
    ExtraField,
    InvalidUtf8,
    EmptyTicketId,
    BadTimestamp,
    UnknownEvent,
    UnknownAuthor,
    UnknownStatus,
    MissingAuthor,
    BadCsat,
    BadNps,
    BadSentiment,
    NegativeDuration,
    RatingWithoutCsat,
    BlankLine,
}

pub const FAULTS: [Fault; 15] = [
    Fault::MissingField,
    Fault::ExtraField,
    Fault::InvalidUtf8,
    Fault::EmptyTicketId,
    Fault::BadTimestamp,
    Fault::UnknownEvent,
    Fault::UnknownAuthor,
    Fault::UnknownStatus,
    Fault::MissingAuthor,
    Fault::BadCsat,
    Fault::BadNps,
    Fault::BadSentiment,
    Fault::NegativeDuration,
    Fault::RatingWithoutCsat,
    Fault::BlankLine,
];

impl Fault {
    pub fn name(self) -> &'static str {
        match self {
            Fault::MissingField => "missing_field",
            Fault::ExtraField => "extra_field",
            Fault::InvalidUtf8 => "invalid_utf8",
            Fault::EmptyTicketId => "empty_ticket_id",
            Fault::BadTimestamp => "bad_timestamp",
            Fault::UnknownEvent => "unknown_event",
            Fault::UnknownAuthor => "unknown_author_type",
            Fault::UnknownStatus => "unknown_status",
            Fault::MissingAuthor => "message_without_author",
            Fault::BadCsat => "bad_csat",
            Fault::BadNps => "bad_nps",
            Fault::BadSentiment => "bad_sentiment",
            Fault::NegativeDuration => "negative_duration",
            Fault::RatingWithoutCsat => "rating_without_csat",
            Fault::BlankLine => "blank_line",
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Fault::MissingField => Shape::MissingField,
            Fault::ExtraField => Shape::ExtraField,
            _ => Shape::Whole,
        }
    }

    /// Breaks a copy of a valid row. Every result must be invalid, whatever the row was.
    pub fn apply(self, cells: &mut [Cell; 17], rng: &mut ChaCha8Rng) {
        let message = Cell::Text("message", Casing::AsIs);
        let rating = Cell::Text("rating", Casing::AsIs);
        let customer = Cell::Text("customer", Casing::AsIs);
        match self {
            // The shape of the line is broken when it is written.
            Fault::MissingField | Fault::ExtraField | Fault::BlankLine => {}
            // "José" in Latin-1.
            Fault::InvalidUtf8 => cells[COL_AGENT] = Cell::Raw(b"Jos\xe9"),
            Fault::EmptyTicketId => cells[COL_TICKET] = one_of(rng, &["", "  "]),
            Fault::BadTimestamp => {
                cells[COL_TIMESTAMP] = one_of(
                    rng,
                    &[
                        "2026-13-01 10:00",
                        "2026-02-30T10:00:00Z",
                        "2026-03-01T25:10:00Z",
                        "03/15/2026 10:00",
                        "yesterday",
                        "",
                    ],
                );
            }
            Fault::UnknownEvent => {
                cells[COL_EVENT] = one_of(rng, &["forward", "call_log", "merge"])
            }
            Fault::UnknownAuthor => {
                cells[COL_EVENT] = message;
                cells[COL_AUTHOR] = one_of(rng, &["vendor", "supervisor", "unknown"]);
            }
            Fault::UnknownStatus => {
                cells[COL_STATUS] = one_of(rng, &["archived", "escalated", "deleted"])
            }
            Fault::MissingAuthor => {
                cells[COL_EVENT] = if rng.random_bool(0.5) {
                    message
                } else {
                    Cell::Empty
                };
                cells[COL_AUTHOR] = Cell::Empty;
            }
            Fault::BadCsat => {
                cells[COL_EVENT] = rating;
                cells[COL_AUTHOR] = customer;
                cells[COL_CSAT] = one_of(rng, &["five", "6", "0", "-1", "NaN", "inf"]);
            }
            Fault::BadNps => cells[COL_NPS] = one_of(rng, &["11", "-1", "ten", "NaN"]),
            Fault::BadSentiment => {
                cells[COL_SENTIMENT] = one_of(rng, &["1.5", "-2", "positive", "NaN"])
            }
            Fault::NegativeDuration => {
                let column = COL_HANDLE + rng.random_range(0..4);
                cells[column] = one_of(rng, &["-30", "-1", "-0.5"]);
            }
            Fault::RatingWithoutCsat => {
                cells[COL_EVENT] = rating;
                cells[COL_AUTHOR] = customer;
                cells[COL_CSAT] = Cell::Empty;
            }
        }
    }
}

fn one_of(rng: &mut ChaCha8Rng, options: &[&'static str]) -> Cell {
    Cell::Raw(options[rng.random_range(0..options.len())].as_bytes())
}
