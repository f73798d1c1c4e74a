//! From the text of one row to a validated [`Event`], or the reason the row is invalid.
//!
//! Every input format (CSV, JSON, JSON Lines) reduces a row to the same array of canonical
//! field values, so the rules of what makes a row invalid live here once.

use std::fmt;

use chrono_tz::Tz;

use super::event::{Attributes, AuthorType, Event, EventKind, Status};
use super::names::{UnknownName, named_enum};
use super::values::{UnknownStatus, ValueNotes, classify_status};
use crate::symbols::Symbols;
use crate::time::{TimestampError, parse_timestamp};

named_enum! {
    /// The columns of the canonical event log.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
    )]
    pub enum Field {
        TicketId = "ticket_id",
        Timestamp = "timestamp",
        Event = "event",
        AuthorType = "author_type",
        Channel = "channel",
        Agent = "agent",
        Team = "team",
        Priority = "priority",
        Category = "category",
        Status = "status",
        Csat = "csat",
        HandleSeconds = "handle_seconds",
        TalkSeconds = "talk_seconds",
        HoldSeconds = "hold_seconds",
        AcwSeconds = "acw_seconds",
        Nps = "nps",
        Sentiment = "sentiment",
        /// The ticket's tags, a list in one cell (see `ingest::tags`); an addition to the
        /// contract's columns, optional like the other attributes.
        Tags = "tags",
    }
}

pub const FIELD_COUNT: usize = Field::ALL.len();

impl Field {
    /// Its position in [`Field::ALL`], so that a row of fields is a plain array.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The values of one row, indexed by field; a missing column reads as empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowValues<'r> {
    values: [&'r str; FIELD_COUNT],
}

impl<'r> RowValues<'r> {
    pub fn set(&mut self, field: Field, value: &'r str) {
        self.values[field.index()] = value;
    }

    /// The trimmed value: the contract trims every value. (Mapped rows are trimmed already,
    /// which makes this a check of two bytes.)
    pub fn get(&self, field: Field) -> &'r str {
        self.values[field.index()].trim()
    }
}

named_enum! {
    /// Why a row is invalid. The names are stable: they key `rejects_by_reason` in reports.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
    )]
    #[serde(rename_all = "snake_case")]
    pub enum RejectReason {
        FieldCount = "field_count",
        InvalidUtf8 = "invalid_utf8",
        BadJson = "bad_json",
        NotAnObject = "not_an_object",
        NestedValue = "nested_value",
        /// A JSON record whose `events_path` holds no event (missing, empty, not an array).
        NoEvents = "no_events",
        EmptyTicketId = "empty_ticket_id",
        BadTimestamp = "bad_timestamp",
        BadEvent = "bad_event",
        BadAuthorType = "bad_author_type",
        MissingAuthorType = "missing_author_type",
        BadStatus = "bad_status",
        BadNumber = "bad_number",
        OutOfRange = "out_of_range",
        RatingWithoutCsat = "rating_without_csat",
        /// A value outside a field's vocabulary (e.g. an SLA verdict that is not met/breached).
        BadValue = "bad_value",
        ExcludedByMapping = "excluded_by_mapping",
    }
}

/// A row-level problem, without its location (the reader adds file and line).
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub reason: RejectReason,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub message: String,
    /// The mapping's columns (by slot) that hold the bad value, so that the reader can point
    /// at the cell; empty where no cell is at fault (a row of the wrong width).
    pub slots: Vec<usize>,
}

impl RowError {
    pub fn new(reason: RejectReason, column: Option<&str>, message: impl Into<String>) -> Self {
        RowError {
            reason,
            column: column.map(str::to_owned),
            message: message.into(),
            slots: Vec::new(),
        }
    }

    /// The same error, pointing at the cells of these slots of the mapping.
    pub fn in_slots(mut self, slots: &[usize]) -> Self {
        self.slots = slots.to_vec();
        self
    }

    fn in_field(reason: RejectReason, field: Field, message: impl Into<String>) -> Self {
        RowError::new(reason, Some(field.as_str()), message)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "column '{column}': {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Values a help desk writes for `event`, `author_type`, `status` and `csat`, and the
/// canonical value each means (keys lowercase). They are tried before the canonical names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aliases {
    pub event: Vec<(String, EventKind)>,
    pub author_type: Vec<(String, AuthorType)>,
    pub status: Vec<(String, Status)>,
    /// Survey labels and their scores ("good" = 5).
    pub csat: Vec<(String, f64)>,
}

fn alias<T: Copy>(aliases: &[(String, T)], text: &str) -> Option<T> {
    if aliases.is_empty() || text.is_empty() {
        return None;
    }
    let lower = text.to_lowercase();
    aliases
        .iter()
        .find(|(from, _)| *from == lower)
        .map(|(_, value)| *value)
}

/// The settings that decide whether a value is valid.
#[derive(Debug, Clone)]
pub struct RowRules {
    pub tz: Tz,
    pub csat_min: f64,
    pub csat_max: f64,
    pub aliases: Aliases,
}

impl Default for RowRules {
    fn default() -> Self {
        RowRules {
            tz: Tz::UTC,
            csat_min: 1.0,
            csat_max: 5.0,
            aliases: Aliases::default(),
        }
    }
}

/// Validates a row of the canonical event log and builds its event; returns the ticket id
/// alongside.
pub fn parse_row<'r>(
    row: &RowValues<'r>,
    rules: &RowRules,
    symbols: &mut Symbols,
) -> Result<(&'r str, Event), RowError> {
    let mut notes = ValueNotes::default();
    parse_row_noting(row, rules, UnknownStatus::Reject, symbols, &mut notes)
}

/// The same, for a row read through a mapping: `unknown_status` says what a status outside the
/// vocabulary becomes, and what the row says beyond its event goes to `notes`.
pub fn parse_row_noting<'r>(
    row: &RowValues<'r>,
    rules: &RowRules,
    unknown_status: UnknownStatus,
    symbols: &mut Symbols,
    notes: &mut ValueNotes,
) -> Result<(&'r str, Event), RowError> {
    let ticket_id = row.get(Field::TicketId);
    if ticket_id.is_empty() {
        return Err(RowError::in_field(
            RejectReason::EmptyTicketId,
            Field::TicketId,
            "is empty",
        ));
    }
    let at = parse_at(row.get(Field::Timestamp), rules)?;
    let aliases = &rules.aliases;
    let kind = match alias(&aliases.event, row.get(Field::Event)) {
        Some(kind) => kind,
        None => parse_kind(row.get(Field::Event))?,
    };
    let author = match alias(&aliases.author_type, row.get(Field::AuthorType)) {
        Some(author) => Some(author),
        None => parse_author(row.get(Field::AuthorType))?,
    };
    if kind == EventKind::Message && author.is_none() {
        return Err(RowError::in_field(
            RejectReason::MissingAuthorType,
            Field::AuthorType,
            "is empty on a message row",
        ));
    }
    let status = status_of(row.get(Field::Status), rules, unknown_status, notes)?;
    let csat = csat_of(row.get(Field::Csat), rules)?;
    if kind == EventKind::Rating && csat.is_none() {
        return Err(RowError::in_field(
            RejectReason::RatingWithoutCsat,
            Field::Csat,
            "is empty on a rating row",
        ));
    }
    let event = Event {
        at,
        kind,
        author,
        status,
        attributes: Attributes {
            channel: symbols.intern(row.get(Field::Channel)),
            agent: symbols.intern(row.get(Field::Agent)),
            team: symbols.intern(row.get(Field::Team)),
            priority: symbols.intern(row.get(Field::Priority)),
            category: symbols.intern(row.get(Field::Category)),
        },
        csat,
        nps: number(row, Field::Nps, 0.0, 10.0)?,
        sentiment: number(row, Field::Sentiment, -1.0, 1.0)?,
        handle_seconds: handle_seconds(row)?,
        fingerprint: 0,
        source: 0,
    };
    Ok((ticket_id, event))
}

fn parse_at(text: &str, rules: &RowRules) -> Result<i64, RowError> {
    parse_timestamp(text, rules.tz).map_err(|error| {
        let message = match error {
            TimestampError::Unparseable => format!("cannot parse \"{text}\" as a timestamp"),
            TimestampError::NonexistentLocal(tz) => {
                format!("\"{text}\" does not exist in time zone {tz} (skipped by a DST change)")
            }
        };
        RowError::in_field(RejectReason::BadTimestamp, Field::Timestamp, message)
    })
}

/// A value of a vocabulary (case-insensitive); the empty value is `None`.
fn one_of<T: std::str::FromStr<Err = UnknownName>>(
    text: &str,
    field: Field,
    reason: RejectReason,
) -> Result<Option<T>, RowError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|error: UnknownName| RowError::in_field(reason, field, error.to_string()))
}

fn parse_kind(text: &str) -> Result<EventKind, RowError> {
    Ok(one_of(text, Field::Event, RejectReason::BadEvent)?.unwrap_or(EventKind::Message))
}

fn parse_author(text: &str) -> Result<Option<AuthorType>, RowError> {
    one_of(text, Field::AuthorType, RejectReason::BadAuthorType)
}

/// A status, through the aliases first; one outside the vocabulary is classified by keyword
/// (and noted) or invalid, as `unknown_status` says.
pub(crate) fn status_of(
    text: &str,
    rules: &RowRules,
    unknown_status: UnknownStatus,
    notes: &mut ValueNotes,
) -> Result<Option<Status>, RowError> {
    if let Some(status) = alias(&rules.aliases.status, text) {
        return Ok(Some(status));
    }
    match (parse_status(text), unknown_status) {
        (Err(error), UnknownStatus::Reject) => Err(error),
        (Err(_), UnknownStatus::Classify) => {
            let status = classify_status(text);
            notes.status_by_keyword = Some((text.to_owned(), status));
            Ok(Some(status))
        }
        (known, _) => known,
    }
}

/// A survey score: a label through the csat aliases, else a number; within the scale.
pub(crate) fn csat_of(text: &str, rules: &RowRules) -> Result<Option<f64>, RowError> {
    let (min, max) = (rules.csat_min, rules.csat_max);
    let Some(score) = alias(&rules.aliases.csat, text) else {
        return decimal(text, Field::Csat, min, max).map_err(|mut error| {
            if error.reason == RejectReason::BadNumber {
                error.message.push_str(
                    "; a survey label needs its score in [aliases.csat] of ticketkpi.toml",
                );
            }
            error
        });
    };
    if score < min || score > max {
        return Err(RowError::in_field(
            RejectReason::OutOfRange,
            Field::Csat,
            format!("\"{text}\" is aliased to {score}, outside {min}..={max}"),
        ));
    }
    Ok(Some(score))
}

fn parse_status(text: &str) -> Result<Option<Status>, RowError> {
    one_of(text, Field::Status, RejectReason::BadStatus)
}

/// A finite decimal number within `[min, max]`, or `None` when empty.
fn number(row: &RowValues<'_>, field: Field, min: f64, max: f64) -> Result<Option<f64>, RowError> {
    decimal(row.get(field), field, min, max)
}

fn decimal(text: &str, field: Field, min: f64, max: f64) -> Result<Option<f64>, RowError> {
    if text.is_empty() {
        return Ok(None);
    }
    // Plain decimals only: Rust would also read "1e3", "inf" and "NaN", which no survey
    // tool or phone system writes and which more likely mean a shifted column.
    let is_decimal = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    let value = is_decimal
        .then(|| text.parse::<f64>().ok())
        .flatten()
        .filter(|value| value.is_finite())
        .ok_or_else(|| {
            RowError::in_field(
                RejectReason::BadNumber,
                field,
                format!("cannot parse \"{text}\" as a number"),
            )
        })?;
    if value < min || value > max {
        return Err(RowError::in_field(
            RejectReason::OutOfRange,
            field,
            format!("{text} is outside {min}..={max}"),
        ));
    }
    Ok(Some(value))
}

/// `handle_seconds`, or where it is empty the sum of talk, hold and after-call work.
fn handle_seconds(row: &RowValues<'_>) -> Result<Option<f64>, RowError> {
    let duration = |field| number(row, field, 0.0, crate::time::MAX_DURATION_SECONDS);
    if let Some(handle) = duration(Field::HandleSeconds)? {
        // The parts are still validated: a bad value is a bad row even when unused.
        for field in [Field::TalkSeconds, Field::HoldSeconds, Field::AcwSeconds] {
            duration(field)?;
        }
        return Ok(Some(handle));
    }
    let mut total = None;
    for field in [Field::TalkSeconds, Field::HoldSeconds, Field::AcwSeconds] {
        if let Some(part) = duration(field)? {
            *total.get_or_insert(0.0) += part;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(pairs: &[(Field, &'a str)]) -> RowValues<'a> {
        let mut values = RowValues::default();
        values.set(Field::TicketId, "T1");
        values.set(Field::Timestamp, "2026-03-01T10:00:00Z");
        values.set(Field::AuthorType, "customer");
        for (field, value) in pairs {
            values.set(*field, value);
        }
        values
    }

    fn parse(pairs: &[(Field, &str)]) -> Result<Event, RowError> {
        parse_row(&row(pairs), &RowRules::default(), &mut Symbols::default()).map(|(_, e)| e)
    }

    fn reason(pairs: &[(Field, &str)]) -> RejectReason {
        parse(pairs).expect_err("row should be invalid").reason
    }

    #[test]
    fn event_defaults_to_message_and_values_are_case_insensitive() {
        let event = parse(&[(Field::AuthorType, " Agent "), (Field::Status, "SOLVED")]).unwrap();
        assert_eq!(event.kind, EventKind::Message);
        assert_eq!(event.author, Some(AuthorType::Agent));
        assert_eq!(event.status, Some(Status::Solved));
        assert!(event.is_reply());
    }

    #[test]
    fn invalid_rows_name_their_reason() {
        assert_eq!(
            reason(&[(Field::TicketId, "  ")]),
            RejectReason::EmptyTicketId
        );
        assert_eq!(
            reason(&[(Field::Timestamp, "2026-13-01")]),
            RejectReason::BadTimestamp
        );
        assert_eq!(reason(&[(Field::Event, "call")]), RejectReason::BadEvent);
        assert_eq!(
            reason(&[(Field::AuthorType, "robot")]),
            RejectReason::BadAuthorType
        );
        assert_eq!(
            reason(&[(Field::AuthorType, "")]),
            RejectReason::MissingAuthorType
        );
        assert_eq!(
            reason(&[(Field::Status, "resolved")]),
            RejectReason::BadStatus
        );
        assert_eq!(
            reason(&[(Field::Event, "rating")]),
            RejectReason::RatingWithoutCsat
        );
        assert_eq!(reason(&[(Field::Csat, "great")]), RejectReason::BadNumber);
        assert_eq!(reason(&[(Field::Csat, "6")]), RejectReason::OutOfRange);
        assert_eq!(reason(&[(Field::Csat, "0")]), RejectReason::OutOfRange);
        assert_eq!(reason(&[(Field::Nps, "11")]), RejectReason::OutOfRange);
        assert_eq!(
            reason(&[(Field::Sentiment, "-1.5")]),
            RejectReason::OutOfRange
        );
        assert_eq!(
            reason(&[(Field::Sentiment, "NaN")]),
            RejectReason::BadNumber
        );
        assert_eq!(reason(&[(Field::Csat, "inf")]), RejectReason::BadNumber);
        assert_eq!(reason(&[(Field::Csat, "1e0")]), RejectReason::BadNumber);
        assert_eq!(
            reason(&[(Field::HandleSeconds, "-3")]),
            RejectReason::OutOfRange
        );
        assert_eq!(
            reason(&[(Field::HandleSeconds, "30"), (Field::AcwSeconds, "x")]),
            RejectReason::BadNumber
        );
    }

    #[test]
    fn aliases_come_before_canonical_names() {
        let rules = RowRules {
            aliases: Aliases {
                event: vec![("comment".into(), EventKind::Message)],
                author_type: vec![("bot".into(), AuthorType::Agent)],
                status: vec![("resolved".into(), Status::Solved)],
                csat: Vec::new(),
            },
            ..RowRules::default()
        };
        let values = row(&[
            (Field::Event, "Comment"),
            (Field::AuthorType, "BOT"),
            (Field::Status, "Resolved"),
        ]);
        let (_, event) = parse_row(&values, &rules, &mut Symbols::default()).unwrap();
        assert_eq!(event.kind, EventKind::Message);
        assert_eq!(
            event.author,
            Some(AuthorType::Agent),
            "bots counted as agents"
        );
        assert_eq!(event.status, Some(Status::Solved));
    }

    fn parse_mapped(
        pairs: &[(Field, &str)],
        rules: &RowRules,
        unknown_status: UnknownStatus,
    ) -> Result<(Event, ValueNotes), RowError> {
        let mut notes = ValueNotes::default();
        let values = row(pairs);
        let (_, event) = parse_row_noting(
            &values,
            rules,
            unknown_status,
            &mut Symbols::default(),
            &mut notes,
        )?;
        Ok((event, notes))
    }

    #[test]
    fn mapped_statuses_outside_the_vocabulary_are_classified_and_noted() {
        let rules = RowRules::default();
        let status = [(Field::Status, "Waiting on Acme")];
        let (event, notes) = parse_mapped(&status, &rules, UnknownStatus::Classify).unwrap();
        assert_eq!(event.status, Some(Status::Pending));
        assert_eq!(
            notes.status_by_keyword,
            Some(("Waiting on Acme".to_owned(), Status::Pending))
        );
        let (_, canonical) = parse_mapped(
            &[(Field::Status, "Solved")],
            &rules,
            UnknownStatus::Classify,
        )
        .unwrap();
        assert!(canonical.is_empty(), "a canonical status is no finding");
        let rejected = parse_mapped(&status, &rules, UnknownStatus::Reject).unwrap_err();
        assert_eq!(rejected.reason, RejectReason::BadStatus);
        assert_eq!(
            reason(&[(Field::Status, "Waiting on Acme")]),
            RejectReason::BadStatus,
            "the canonical event log stays strict"
        );
        let aliased = RowRules {
            aliases: Aliases {
                status: vec![("waiting on acme".into(), Status::OnHold)],
                ..Aliases::default()
            },
            ..RowRules::default()
        };
        let (event, notes) = parse_mapped(&status, &aliased, UnknownStatus::Classify).unwrap();
        assert_eq!(event.status, Some(Status::OnHold), "an alias wins");
        assert!(notes.is_empty());
    }

    #[test]
    fn csat_aliases_turn_survey_labels_into_scores() {
        let rules = RowRules {
            aliases: Aliases {
                csat: vec![("good".into(), 5.0), ("meh".into(), 9.0)],
                ..Aliases::default()
            },
            ..RowRules::default()
        };
        let rating = |csat: &'static str| {
            parse_mapped(
                &[(Field::Event, "rating"), (Field::Csat, csat)],
                &rules,
                UnknownStatus::Reject,
            )
        };
        assert_eq!(rating("Good").unwrap().0.csat, Some(5.0));
        assert_eq!(rating("4").unwrap().0.csat, Some(4.0), "numbers still read");
        let outside = rating("meh").unwrap_err();
        assert_eq!(outside.reason, RejectReason::OutOfRange);
        assert!(
            outside.message.contains("aliased to 9"),
            "{}",
            outside.message
        );
        let label = rating("Fantastic").unwrap_err();
        assert_eq!(label.reason, RejectReason::BadNumber);
        assert!(
            label.message.contains("[aliases.csat]"),
            "{}",
            label.message
        );
    }

    #[test]
    fn non_message_rows_need_no_author() {
        let event = parse(&[
            (Field::AuthorType, ""),
            (Field::Event, "status"),
            (Field::Status, "open"),
        ])
        .unwrap();
        assert_eq!(event.kind, EventKind::Status);
        assert_eq!(event.author, None);
    }

    #[test]
    fn error_message_names_column_and_value() {
        let error = parse(&[(Field::Timestamp, "2026-13-01")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "column 'timestamp': cannot parse \"2026-13-01\" as a timestamp"
        );
    }

    #[test]
    fn handle_time_falls_back_to_talk_hold_and_wrap_up() {
        let parts = [
            (Field::TalkSeconds, "100"),
            (Field::HoldSeconds, "20"),
            (Field::AcwSeconds, "30.5"),
        ];
        assert_eq!(parse(&parts).unwrap().handle_seconds, Some(150.5));
        let mut with_handle = parts.to_vec();
        with_handle.push((Field::HandleSeconds, "90"));
        assert_eq!(parse(&with_handle).unwrap().handle_seconds, Some(90.0));
        assert_eq!(parse(&[]).unwrap().handle_seconds, None);
        assert_eq!(
            parse(&[(Field::HoldSeconds, "0")]).unwrap().handle_seconds,
            Some(0.0),
            "a zero is a value, not an absence"
        );
    }

    #[test]
    fn header_names_match_trimmed_and_case_insensitively() {
        assert_eq!(" Ticket_ID ".parse::<Field>(), Ok(Field::TicketId));
        assert_eq!("TIMESTAMP".parse::<Field>(), Ok(Field::Timestamp));
        assert!("id".parse::<Field>().is_err());
        assert_eq!(FIELD_COUNT, 18);
        assert!(Field::ALL.iter().enumerate().all(|(i, f)| f.index() == i));
    }
}
