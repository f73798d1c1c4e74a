//! A ticket's derived facts: one ordered walk over its events up to `as_of`.

use super::call::Call;
use crate::ingest::event::{AuthorType, Event, EventKind, Status};
use crate::ingest::{DeskFigures, TicketRecord};
use crate::symbols::Sym;
use crate::time::{Instant, seconds_between};

/// Who started the conversation: the first message by a customer or an agent (bot and system
/// messages do not decide direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
    /// No customer or agent message yet (only bot, system, note, status or rating rows).
    Undecided,
}

/// Where an inbound ticket stands at `as_of` as far as replies go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyState {
    Answered,
    /// Solved at `as_of` with no reply: bot-resolved or closed by the customer.
    ClosedWithoutReply,
    Unanswered,
}

/// An interval of time, `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: Instant,
    pub end: Instant,
}

impl Span {
    pub fn seconds(self) -> f64 {
        seconds_between(self.start, self.end)
    }
}

/// A change of the solved state, kept to know the state at any past instant (period backlog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SolvedChange {
    pub at: Instant,
    pub solved: bool,
}

/// Its serde form carries its symbols as bare indices (see `Sym`): a copy read elsewhere
/// needs the labels beside it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ticket {
    pub id: String,
    pub created_at: Instant,
    pub channel: Sym,
    pub priority: Sym,
    pub category: Sym,
    pub team: Sym,
    /// Agent of the last agent message (the assignee).
    pub agent: Sym,
    /// The tags at `as_of`, in symbol order: the union over an event log's rows until then,
    /// a ticket table's winning row's.
    pub tags: Vec<Sym>,
    /// The mapping's attribute columns at `as_of`: (name, value), by name symbol, non-empty
    /// values only; an event log's last non-empty value, a ticket table's winning row's.
    pub attributes: Vec<(Sym, Sym)>,
    pub direction: Direction,
    pub first_customer_message_at: Option<Instant>,
    /// First reply at or after the first customer message (inbound tickets only).
    pub first_reply_at: Option<Instant>,
    pub replies: u32,
    pub customer_messages: u32,
    pub bot_messages: u32,
    pub system_messages: u32,
    pub notes: u32,
    /// For each run of customer messages answered by a reply: from the run's first message
    /// to the reply.
    pub response_spans: Vec<Span>,
    /// The first message of a run still waiting for a reply at `as_of`.
    pub waiting_since: Option<Instant>,
    /// The first customer message after each resolution: where a next-reply SLA clock that
    /// a solve stopped can start again.
    pub customer_returns: Vec<Instant>,
    /// Every status the ticket took, in order (a reopen by a customer message included).
    pub status_changes: Vec<(Instant, Status)>,
    /// For each reopen: seconds since the resolution it undid.
    pub reopen_gaps: Vec<f64>,
    pub status: Option<Status>,
    pub first_resolved_at: Option<Instant>,
    pub last_resolved_at: Option<Instant>,
    pub reopens: u32,
    pub solved_changes: Vec<SolvedChange>,
    pub handle_seconds: Option<f64>,
    /// Score of the last rating row.
    pub csat: Option<f64>,
    /// Last NPS score on any row.
    pub nps: Option<f64>,
    pub first_sentiment: Option<f64>,
    pub last_sentiment: Option<f64>,
    pub scored_customer_messages: u32,
    /// Distinct non-empty channels over the message rows.
    pub message_channels: u32,
    /// Distinct non-empty priorities over the ticket's rows.
    pub priorities: u32,
    /// What the help desk measured itself (ticket-level exports only).
    pub desk: DeskFigures,
    /// The call, when the ticket is one row of a call log with an outcome.
    pub call: Option<Call>,
}

impl Ticket {
    /// Derives the ticket from its events. `events` must be in event order (timestamp, then
    /// input order) and contain nothing later than `as_of`; it must not be empty.
    pub fn derive(id: String, events: &[Event]) -> Option<Ticket> {
        let created_at = events.first()?.at;
        let mut walk = Walk::default();
        for event in events {
            walk.observe(event);
        }
        Some(walk.finish(id, created_at))
    }

    /// A ticket from a ticket-level export, as it stood at `as_of`: facts dated later are
    /// not known yet. Such exports are inbound by nature (a customer opened the ticket).
    pub fn from_record(record: TicketRecord, as_of: Instant) -> Option<Ticket> {
        if record.created_at > as_of {
            return None;
        }
        let known = |at: Option<Instant>| at.filter(|at| *at <= as_of);
        let first_reply_at = known(record.first_reply_at);
        let solved_at = known(record.solved_at);
        let closed_at = known(record.closed_at);
        let call = record
            .call
            .map(|call| Call::from_record(call, record.created_at, first_reply_at, solved_at));
        // A call's outcome is its status where the log has none: answered calls are solved,
        // abandoned ones closed.
        let record_status = record.status.or_else(|| {
            call.map(|call| {
                if call.answered {
                    Status::Solved
                } else {
                    Status::Closed
                }
            })
        });
        let dated = record.solved_at.is_some() || record.closed_at.is_some();
        let status = match record_status {
            // Solved in the export, but only after as_of: open at as_of.
            Some(status) if status.is_solved() && dated && solved_at.or(closed_at).is_none() => {
                Some(Status::Open)
            }
            Some(status) => Some(status),
            None if closed_at.is_some() => Some(Status::Closed),
            None if solved_at.is_some() => Some(Status::Solved),
            None => None,
        };
        let solved = status.is_some_and(Status::is_solved);
        let last_resolved_at = solved.then(|| solved_at.or(closed_at)).flatten();
        let replied =
            first_reply_at.is_some() || record.desk.first_reply_business_seconds.is_some();
        let replies = record.replies.unwrap_or(u32::from(replied));
        Some(Ticket {
            id: record.id,
            created_at: record.created_at,
            channel: record.attributes.channel,
            priority: record.attributes.priority,
            category: record.attributes.category,
            team: record.attributes.team,
            agent: record.attributes.agent,
            tags: record.extras.tags,
            attributes: {
                let mut attributes = record.extras.attributes;
                attributes.sort_by_key(|(name, _)| *name);
                attributes
            },
            direction: Direction::Inbound,
            first_customer_message_at: Some(record.created_at),
            first_reply_at,
            replies,
            customer_messages: record.customer_messages.unwrap_or(0),
            bot_messages: 0,
            system_messages: 0,
            notes: 0,
            response_spans: Vec::new(),
            waiting_since: None,
            customer_returns: Vec::new(),
            // A ticket table does not say when a status began, so SLA clocks never pause.
            status_changes: Vec::new(),
            reopen_gaps: Vec::new(),
            status,
            first_resolved_at: known(record.first_resolved_at),
            last_resolved_at,
            reopens: record.reopens.unwrap_or(0),
            // A finished call is over when it ends, even when its log dates no resolution.
            solved_changes: last_resolved_at
                .or_else(|| {
                    call.filter(|call| solved && call.ended_at <= as_of)
                        .map(|call| call.ended_at)
                })
                .map(|at| vec![SolvedChange { at, solved: true }])
                .unwrap_or_default(),
            handle_seconds: record.handle_seconds,
            csat: record.csat,
            nps: record.nps,
            first_sentiment: None,
            last_sentiment: None,
            scored_customer_messages: 0,
            message_channels: 0,
            priorities: u32::from(!record.attributes.priority.is_none()),
            desk: record.desk,
            call,
        })
    }

    pub fn is_solved(&self) -> bool {
        self.status.is_some_and(Status::is_solved)
    }

    pub fn is_inbound(&self) -> bool {
        self.direction == Direction::Inbound
    }

    /// `None` for tickets that are not inbound.
    pub fn reply_state(&self) -> Option<ReplyState> {
        if !self.is_inbound() {
            return None;
        }
        // A desk's business-hours first-reply time says a reply came, even without its instant.
        let replied =
            self.first_reply_at.is_some() || self.desk.first_reply_business_seconds.is_some();
        Some(if replied {
            ReplyState::Answered
        } else if self.is_solved() {
            ReplyState::ClosedWithoutReply
        } else {
            ReplyState::Unanswered
        })
    }

    /// First response time: first reply minus the first customer message.
    pub fn first_response_seconds(&self) -> Option<f64> {
        Some(seconds_between(
            self.first_customer_message_at?,
            self.first_reply_at?,
        ))
    }

    /// The last resolution, for a ticket solved at `as_of`.
    pub fn resolved_at(&self) -> Option<Instant> {
        self.last_resolved_at.filter(|_| self.is_solved())
    }

    pub fn resolution_seconds(&self) -> Option<f64> {
        Some(seconds_between(self.created_at, self.resolved_at()?))
    }

    pub fn first_resolution_seconds(&self) -> Option<f64> {
        Some(seconds_between(self.created_at, self.first_resolved_at?))
    }

    /// Whether the ticket was solved at `at` (a ticket with no status yet is unsolved).
    pub fn solved_at(&self, at: Instant) -> bool {
        self.solved_changes
            .iter()
            .take_while(|change| change.at <= at)
            .last()
            .is_some_and(|change| change.solved)
    }

    /// Seconds from each answered customer run to its reply.
    pub fn response_waits(&self) -> impl Iterator<Item = f64> + '_ {
        self.response_spans.iter().map(|span| span.seconds())
    }

    /// Reopens that came within `window` seconds of the resolution they undid (all of them
    /// when there is no window, or when the export does not date them).
    pub fn reopens_within(&self, window: Option<f64>) -> u32 {
        match window {
            Some(window) if self.reopen_gaps.len() == self.reopens as usize => {
                self.reopen_gaps
                    .iter()
                    .filter(|gap| **gap <= window)
                    .count() as u32
            }
            _ => self.reopens,
        }
    }

    pub fn sentiment_change(&self) -> Option<f64> {
        if self.scored_customer_messages < 2 {
            return None;
        }
        Some(self.last_sentiment? - self.first_sentiment?)
    }
}

/// The state carried through the ordered events of one ticket.
#[derive(Default)]
struct Walk {
    first_customer_channel: Option<Sym>,
    first_any_channel: Option<Sym>,
    priority: Sym,
    category: Sym,
    team: Sym,
    agent: Sym,
    direction: Option<Direction>,
    first_customer_message_at: Option<Instant>,
    first_reply_at: Option<Instant>,
    open_run_since: Option<Instant>,
    response_spans: Vec<Span>,
    solved_since_customer_message: bool,
    customer_returns: Vec<Instant>,
    status_changes: Vec<(Instant, Status)>,
    reopen_gaps: Vec<f64>,
    replies: u32,
    customer_messages: u32,
    bot_messages: u32,
    system_messages: u32,
    notes: u32,
    status: Option<Status>,
    first_resolved_at: Option<Instant>,
    last_resolved_at: Option<Instant>,
    reopens: u32,
    solved_changes: Vec<SolvedChange>,
    handle_seconds: Option<f64>,
    csat: Option<f64>,
    nps: Option<f64>,
    first_sentiment: Option<f64>,
    last_sentiment: Option<f64>,
    scored_customer_messages: u32,
    message_channels: Vec<Sym>,
    priorities: Vec<Sym>,
}

impl Walk {
    fn observe(&mut self, event: &Event) {
        let attributes = &event.attributes;
        if self.first_any_channel.is_none() {
            self.first_any_channel = attributes.channel.non_empty();
        }
        if let Some(priority) = attributes.priority.non_empty() {
            self.priority = priority;
            if !self.priorities.contains(&priority) {
                self.priorities.push(priority);
            }
        }
        self.category = attributes.category.non_empty().unwrap_or(self.category);
        self.team = attributes.team.non_empty().unwrap_or(self.team);

        if event.kind == EventKind::Message {
            if let Some(channel) = attributes.channel.non_empty()
                && !self.message_channels.contains(&channel)
            {
                self.message_channels.push(channel);
            }
            match event.author {
                Some(AuthorType::Customer) => self.customer_message(event),
                Some(AuthorType::Agent) => self.reply(event),
                Some(AuthorType::Bot) => self.bot_messages += 1,
                Some(AuthorType::System) => self.system_messages += 1,
                None => {}
            }
        }
        match event.kind {
            EventKind::Note => self.notes += 1,
            EventKind::Rating => self.csat = event.csat.or(self.csat),
            EventKind::Message | EventKind::Status => {}
        }
        self.nps = event.nps.or(self.nps);
        if let Some(handle) = event.handle_seconds {
            *self.handle_seconds.get_or_insert(0.0) += handle;
        }
        if let Some(status) = event.status {
            self.set_status(status, event.at);
        }
    }

    fn customer_message(&mut self, event: &Event) {
        self.customer_messages += 1;
        self.direction.get_or_insert(Direction::Inbound);
        if self.first_customer_message_at.is_none() {
            self.first_customer_message_at = Some(event.at);
            self.first_customer_channel = Some(event.attributes.channel);
        }
        self.open_run_since.get_or_insert(event.at);
        if std::mem::take(&mut self.solved_since_customer_message) {
            self.customer_returns.push(event.at);
        }
        if let Some(score) = event.sentiment {
            self.first_sentiment.get_or_insert(score);
            self.last_sentiment = Some(score);
            self.scored_customer_messages += 1;
        }
        // A customer writing back on a solved (not closed) ticket reopens it, unless the row
        // itself says what the status is.
        if event.status.is_none() && self.status == Some(Status::Solved) {
            self.set_status(Status::Open, event.at);
        }
    }

    fn reply(&mut self, event: &Event) {
        self.replies += 1;
        self.agent = event.attributes.agent;
        self.direction.get_or_insert(Direction::Outbound);
        if self.direction == Some(Direction::Inbound) && self.first_reply_at.is_none() {
            self.first_reply_at = Some(event.at);
        }
        if let Some(since) = self.open_run_since.take() {
            self.response_spans.push(Span {
                start: since,
                end: event.at,
            });
        }
    }

    fn set_status(&mut self, status: Status, at: Instant) {
        let was_solved = self.status.is_some_and(Status::is_solved);
        let now_solved = status.is_solved();
        if now_solved && !was_solved {
            self.solved_since_customer_message = true;
            self.first_resolved_at.get_or_insert(at);
            self.last_resolved_at = Some(at);
            self.solved_changes.push(SolvedChange { at, solved: true });
        } else if was_solved && !now_solved {
            self.reopens += 1;
            if let Some(resolved_at) = self.last_resolved_at {
                self.reopen_gaps.push(seconds_between(resolved_at, at));
            }
            self.solved_changes.push(SolvedChange { at, solved: false });
        }
        self.status = Some(status);
        self.status_changes.push((at, status));
    }

    fn finish(self, id: String, created_at: Instant) -> Ticket {
        let channel = self
            .first_customer_channel
            .and_then(Sym::non_empty)
            .or(self.first_any_channel)
            .unwrap_or(Sym::NONE);
        Ticket {
            id,
            created_at,
            channel,
            priority: self.priority,
            category: self.category,
            team: self.team,
            agent: self.agent,
            tags: Vec::new(),
            attributes: Vec::new(),
            direction: self.direction.unwrap_or(Direction::Undecided),
            first_customer_message_at: self.first_customer_message_at,
            first_reply_at: self.first_reply_at,
            replies: self.replies,
            customer_messages: self.customer_messages,
            bot_messages: self.bot_messages,
            system_messages: self.system_messages,
            notes: self.notes,
            response_spans: self.response_spans,
            waiting_since: self.open_run_since,
            customer_returns: self.customer_returns,
            status_changes: self.status_changes,
            reopen_gaps: self.reopen_gaps,
            status: self.status,
            first_resolved_at: self.first_resolved_at,
            last_resolved_at: self.last_resolved_at,
            reopens: self.reopens,
            solved_changes: self.solved_changes,
            handle_seconds: self.handle_seconds,
            csat: self.csat,
            nps: self.nps,
            first_sentiment: self.first_sentiment,
            last_sentiment: self.last_sentiment,
            scored_customer_messages: self.scored_customer_messages,
            message_channels: u32::try_from(self.message_channels.len()).unwrap_or(u32::MAX),
            priorities: u32::try_from(self.priorities.len()).unwrap_or(u32::MAX),
            desk: DeskFigures::default(),
            call: None,
        }
    }
}
