//! The canonical event: one validated row of the event log.

use super::names::named_enum;
use crate::symbols::Sym;
use crate::time::Instant;

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EventKind {
        /// A public message (the default when the column is missing or empty).
        Message = "message",
        /// An internal note: never a reply, never breaks a run of customer messages.
        Note = "note",
        Status = "status",
        Rating = "rating",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AuthorType {
        Customer = "customer",
        Agent = "agent",
        Bot = "bot",
        System = "system",
    }
}

named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Status {
        New = "new",
        Open = "open",
        Pending = "pending",
        OnHold = "on_hold",
        Solved = "solved",
        Closed = "closed",
    }
}

impl Status {
    /// The solved state of the contract: `solved` or `closed`.
    pub fn is_solved(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_serialize_as_they_are_spelled() {
        for status in Status::ALL {
            let json = serde_json::to_string(&status).expect("serializes");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
