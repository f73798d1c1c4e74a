//! The tickets shape: one row per ticket (created/first reply/solved timestamps or durations,
//! counts, status), validated into a [`TicketRecord`].

use super::event::{Attributes, Status};
use super::mapping::{MappedField, MappedRow};
use super::row::{Field, RejectReason, RowError, RowRules, csat_of, status_of};
use super::values::{UnknownStatus, ValueNotes};
use crate::symbols::Symbols;
use crate::time::{
    Instant, LATEST, MAX_DURATION_SECONDS, MICROS_PER_SECOND, TimestampError, parse_timestamp,
};

/// What a ticket-level export says about one ticket. Durations given instead of timestamps
/// are turned into timestamps from `created_at` (help desks measure them from creation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TicketRecord {
    pub id: String,
    pub created_at: Instant,
    pub first_reply_at: Option<Instant>,
    pub solved_at: Option<Instant>,
    pub first_resolved_at: Option<Instant>,
    pub closed_at: Option<Instant>,
    pub status: Option<Status>,
    pub reopens: Option<u32>,
    pub replies: Option<u32>,
    pub customer_messages: Option<u32>,
    pub csat: Option<f64>,
    pub nps: Option<f64>,
    pub handle_seconds: Option<f64>,
    pub attributes: Attributes,
    /// The row's tags and attribute values: the winning row's are the ticket's (its state,
    /// as its status).
    pub extras: super::extras::Extras,
    /// Which row of a ticket wins when an export repeats it (audit rows): the greatest.
    pub order: Option<f64>,
    pub desk: DeskFigures,
    /// A call's outcome and queue, when the row is a call (it has an `answered` value).
    pub call: Option<CallRecord>,
}

/// What a call log says about one call.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CallRecord {
    pub answered: bool,
    pub queued_at: Option<Instant>,
    pub queue_exit_at: Option<Instant>,
    pub speed_of_answer_seconds: Option<f64>,
}

/// What the help desk itself measured, as its export says: used where the export has no
/// timestamps to measure from (business-hours durations only) and reported beside our own
/// figures (SLA verdicts), never instead of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeskFigures {
    pub first_reply_business_seconds: Option<f64>,
    pub first_resolution_business_seconds: Option<f64>,
    pub resolution_business_seconds: Option<f64>,
    pub sla_first_reply_met: Option<bool>,
    pub sla_resolution_met: Option<bool>,
}

/// How the tickets shape reads a row: the mapping's settings that apply beyond one field.
#[derive(Debug, Clone, Copy)]
pub struct TicketRules<'m> {
    /// The `order_by` cell of the row.
    pub order: Option<&'m str>,
    /// Instants that roll over to the next day when earlier than the creation.
    pub rollover: &'m [MappedField],
    pub unknown_status: UnknownStatus,
    /// The mapping (its tags separator and attribute columns).
    pub mapping: &'m super::mapping::Mapping,
}

/// Validates a ticket row; what it says beyond the record (statuses read by keyword) goes to
/// `notes`.
pub fn parse_ticket_row(
    row: &MappedRow<'_>,
    ticket: TicketRules<'_>,
    rules: &RowRules,
    symbols: &mut Symbols,
    notes: &mut ValueNotes,
) -> Result<TicketRecord, RowError> {
    let TicketRules {
        order,
        rollover,
        unknown_status,
        ..
    } = ticket;
    let id = row.get(MappedField::Event(Field::TicketId));
    if id.is_empty() {
        return Err(RowError::new(
            RejectReason::EmptyTicketId,
            Some("ticket_id"),
            "is empty",
        ));
    }
    let created_at = instant(row, MappedField::CreatedAt, rules)?
        .ok_or_else(|| RowError::new(RejectReason::BadTimestamp, Some("created_at"), "is empty"))?;
    // A time of day that passed midnight belongs to the next day.
    let instant = |row: &MappedRow<'_>, target: MappedField, rules: &RowRules| {
        Ok::<_, RowError>(instant(row, target, rules)?.map(|at| {
            if rollover.contains(&target) && at < created_at {
                at + 86_400 * MICROS_PER_SECOND
            } else {
                at
            }
        }))
    };
    let after_creation = |target: MappedField| -> Result<Option<Instant>, RowError> {
        let Some(seconds) = duration(row, target)? else {
            return Ok(None);
        };
        let at = created_at + (seconds * MICROS_PER_SECOND as f64).round() as i64;
        if at > LATEST {
            return Err(RowError::new(
                RejectReason::OutOfRange,
                Some(target.name()),
                format!("{seconds} seconds after creation is after the year 9999"),
            ));
        }
        Ok(Some(at))
    };
    let first_reply_at = match instant(row, MappedField::FirstReplyAt, rules)? {
        Some(at) => Some(at),
        None => after_creation(MappedField::FirstReplySeconds)?,
    };
    let solved_at = match instant(row, MappedField::SolvedAt, rules)? {
        Some(at) => Some(at),
        None => after_creation(MappedField::ResolutionSeconds)?,
    };
    let first_resolved_at = match instant(row, MappedField::FirstResolvedAt, rules)? {
        Some(at) => Some(at),
        None => after_creation(MappedField::FirstResolutionSeconds)?,
    };
    let number =
        |field: Field, min: f64, max: f64| bounded(row, MappedField::Event(field), min, max);
    let order = match order.map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(match text.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => parse_timestamp(text, rules.tz)
                .map(|at| at as f64)
                .map_err(|_| {
                    RowError::new(
                        RejectReason::BadNumber,
                        Some("order_by"),
                        format!("cannot order rows by \"{text}\""),
                    )
                })?,
        }),
    };
    let call = match outcome(row)? {
        None => None,
        Some(answered) => Some(CallRecord {
            answered,
            queued_at: instant(row, MappedField::QueuedAt, rules)?,
            queue_exit_at: instant(row, MappedField::QueueExitAt, rules)?,
            speed_of_answer_seconds: duration(row, MappedField::SpeedOfAnswerSeconds)?,
        }),
    };
    Ok(TicketRecord {
        id: id.to_owned(),
        created_at,
        first_reply_at,
        solved_at,
        first_resolved_at,
        closed_at: instant(row, MappedField::ClosedAt, rules)?,
        status: status_of(
            row.get(MappedField::Event(Field::Status)),
            rules,
            unknown_status,
            notes,
        )?,
        reopens: count(row, MappedField::Reopens)?,
        replies: count(row, MappedField::Replies)?,
        customer_messages: count(row, MappedField::CustomerMessages)?,
        csat: csat_of(row.get(MappedField::Event(Field::Csat)), rules)?,
        nps: number(Field::Nps, 0.0, 10.0)?,
        handle_seconds: handle_seconds(row)?,
        attributes: Attributes {
            channel: symbols.intern(row.get(MappedField::Event(Field::Channel))),
            agent: symbols.intern(row.get(MappedField::Event(Field::Agent))),
            team: symbols.intern(row.get(MappedField::Event(Field::Team))),
            priority: symbols.intern(row.get(MappedField::Event(Field::Priority))),
            category: symbols.intern(row.get(MappedField::Event(Field::Category))),
        },
        extras: super::extras::Extras::of(row, ticket.mapping, symbols),
        order,
        desk: DeskFigures {
            first_reply_business_seconds: duration(row, MappedField::FirstReplyBusinessSeconds)?,
            first_resolution_business_seconds: duration(
                row,
                MappedField::FirstResolutionBusinessSeconds,
            )?,
            resolution_business_seconds: duration(row, MappedField::ResolutionBusinessSeconds)?,
            sla_first_reply_met: verdict(row, MappedField::SlaFirstReplyMet)?,
            sla_resolution_met: verdict(row, MappedField::SlaResolutionMet)?,
        },
        call,
    })
}

/// A call's outcome: answered (true, yes, 1, answered, agent, served, handled) or abandoned
/// (false, no, 0, abandoned, hang, hangup, missed).
fn outcome(row: &MappedRow<'_>) -> Result<Option<bool>, RowError> {
    let text = row.get(MappedField::Answered);
    if text.is_empty() {
        return Ok(None);
    }
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "answered" | "agent" | "served" | "handled" => Ok(Some(true)),
        "false" | "no" | "0" | "abandoned" | "hang" | "hangup" | "hung up" | "missed" => {
            Ok(Some(false))
        }
        _ => Err(RowError::new(
            RejectReason::BadValue,
            Some(MappedField::Answered.name()),
            format!(
                "\"{text}\" is not a call outcome (answered/abandoned, true/false); map \
                 other values with `values` in the mapping"
            ),
        )),
    }
}

/// `handle_seconds`, or where it is empty the sum of talk, hold and after-call work (a call
/// log's parts).
fn handle_seconds(row: &MappedRow<'_>) -> Result<Option<f64>, RowError> {
    let handle = duration(row, MappedField::Event(Field::HandleSeconds))?;
    let mut parts = None;
    for field in [Field::TalkSeconds, Field::HoldSeconds, Field::AcwSeconds] {
        // Validated even when handle_seconds is given: a bad value is a bad row.
        if let Some(part) = duration(row, MappedField::Event(field))? {
            *parts.get_or_insert(0.0) += part;
        }
    }
    Ok(handle.or(parts))
}

/// An SLA verdict: met (true, yes, 1, met, within SLA) or breached (false, no, 0, breached,
/// violated, SLA violated).
fn verdict(row: &MappedRow<'_>, target: MappedField) -> Result<Option<bool>, RowError> {
    let text = row.get(target);
    if text.is_empty() {
        return Ok(None);
    }
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "met" | "within sla" | "achieved" => Ok(Some(true)),
        "false" | "no" | "0" | "breached" | "violated" | "sla violated" | "missed" => {
            Ok(Some(false))
        }
        _ => Err(RowError::new(
            RejectReason::BadValue,
            Some(target.name()),
            format!(
                "\"{text}\" is not an SLA verdict (true/false, met/breached, \
                 within SLA/SLA violated); map other values with `values` in the mapping"
            ),
        )),
    }
}

fn instant(
    row: &MappedRow<'_>,
    target: MappedField,
    rules: &RowRules,
) -> Result<Option<Instant>, RowError> {
    let text = row.get(target);
    if text.is_empty() {
        return Ok(None);
    }
    parse_timestamp(text, rules.tz).map(Some).map_err(|error| {
        let message = match error {
            TimestampError::Unparseable => format!("cannot parse \"{text}\" as a timestamp"),
            TimestampError::NonexistentLocal(tz) => {
                format!("\"{text}\" does not exist in time zone {tz}")
            }
        };
        RowError::new(RejectReason::BadTimestamp, Some(target.name()), message)
    })
}

fn bounded(
    row: &MappedRow<'_>,
    target: MappedField,
    min: f64,
    max: f64,
) -> Result<Option<f64>, RowError> {
    let text = row.get(target);
    if text.is_empty() {
        return Ok(None);
    }
    let value = text
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            RowError::new(
                RejectReason::BadNumber,
                Some(target.name()),
                format!("cannot parse \"{text}\" as a number"),
            )
        })?;
    if value < min || value > max {
        return Err(RowError::new(
            RejectReason::OutOfRange,
            Some(target.name()),
            format!("{text} is outside {min}..={max}"),
        ));
    }
    Ok(Some(value))
}

/// Seconds, at most `MAX_DURATION_SECONDS` (100 years).
fn duration(row: &MappedRow<'_>, target: MappedField) -> Result<Option<f64>, RowError> {
    bounded(row, target, 0.0, MAX_DURATION_SECONDS)
}

fn count(row: &MappedRow<'_>, target: MappedField) -> Result<Option<u32>, RowError> {
    Ok(bounded(row, target, 0.0, f64::from(u32::MAX))?.map(|value| value.round() as u32))
}
