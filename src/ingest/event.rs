//! The canonical event: one validated row of the event log.

use crate::symbols::Sym;
use crate::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A public message (the default when the column is missing or empty).
    Message,
    /// An internal note: never a reply, never breaks a run of customer messages.
    Note,
    Status,
    Rating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorType {
    Customer,
    Agent,
    Bot,
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

impl Status {
    /// The solved state of the contract: `solved` or `closed`.
    pub fn is_solved(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on_hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

/// Free-text attributes of an event, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attributes {
    pub channel: Sym,
    pub agent: Sym,
    pub team: Sym,
    pub priority: Sym,
    pub category: Sym,
}

impl Attributes {
    /// Rewrites each symbol through `map` (old index -> new symbol).
    pub fn remap(&mut self, map: &[Sym]) {
        for sym in [
            &mut self.channel,
            &mut self.agent,
            &mut self.team,
            &mut self.priority,
            &mut self.category,
        ] {
            *sym = map.get(sym.index()).copied().unwrap_or(*sym);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: Instant,
    pub kind: EventKind,
    /// Required on message rows; optional (and ignored) elsewhere.
    pub author: Option<AuthorType>,
    /// The ticket's status after this event, when the row sets one.
    pub status: Option<Status>,
    pub attributes: Attributes,
    pub csat: Option<f64>,
    pub nps: Option<f64>,
    pub sentiment: Option<f64>,
    /// `handle_seconds`, or the sum of talk, hold and after-call work where it is empty.
    pub handle_seconds: Option<f64>,
    /// A hash of the whole source row (every column, not only the canonical ones): two
    /// events are duplicates only when their rows are identical.
    pub fingerprint: u64,
    /// Which input file the row came from (0 for the first).
    pub source: u16,
}

impl Event {
    /// A reply: a public message by an agent. Bots, system messages and notes never are.
    pub fn is_reply(&self) -> bool {
        self.kind == EventKind::Message && self.author == Some(AuthorType::Agent)
    }

    pub fn is_customer_message(&self) -> bool {
        self.kind == EventKind::Message && self.author == Some(AuthorType::Customer)
    }

    pub fn is_message_by(&self, author: AuthorType) -> bool {
        self.kind == EventKind::Message && self.author == Some(author)
    }
}
