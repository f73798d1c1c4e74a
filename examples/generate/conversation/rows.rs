//! The rows a conversation adds to the export: messages, notes, status changes and ratings,
//! each carrying the ticket's current attributes.

use rand::Rng;

use super::Conversation;
use crate::MINUTE;
use crate::event::Event;
use crate::output::{CASINGS, RESTYLED};
use crate::random::{pick, skewed};
use crate::vocabulary::{Author, Channel, Kind, Status};
impl Conversation<'_> {
    pub(super) fn customer(&mut self, status: Option<Status>) {
        let mut event = self.event(Kind::Message, Some(Author::Customer), status);
        if let Some(mood) = self.mood {
            if self.chance(0.85) {
                event.sentiment = Some(mood);
            }
            // Customers tend to calm down as the conversation goes on.
            self.mood = Some((mood + self.rng.random_range(-25..=45)).clamp(-100, 100));
        }
        self.events.push(event);
    }

    pub(super) fn message(&mut self, author: Author, status: Option<Status>) {
        let event = self.event(Kind::Message, Some(author), status);
        self.events.push(event);
    }

    pub(super) fn agent_reply(&mut self, status: Option<Status>) {
        self.triage();
        let mut event = self.event(Kind::Message, Some(Author::Agent), status);
        if self.channel == Some(Channel::Phone) {
            // Calls log talk, hold and after-call work instead of a handle time.
            event.talk = Some(self.seconds(7 * MINUTE));
            event.hold = match self.rng.random_range(0..20) {
                0 => None,
                1..10 => Some(0),
                _ => Some(self.seconds(90)),
            };
            event.acw = Some(self.seconds(MINUTE));
        } else if self.chance(0.92) {
            event.handle = Some(self.seconds(self.timing().handle));
        }
        self.replies += 1;
        self.events.push(event);
    }

    pub(super) fn note(&mut self) {
        self.triage();
        let mut event = self.event(Kind::Note, Some(Author::Agent), None);
        if self.chance(0.25) {
            event.handle = Some(self.seconds(2 * MINUTE));
        }
        self.events.push(event);
    }

    pub(super) fn status_change(&mut self, author: Author, status: Status) {
        // Exports often do not say who changed a status.
        let author = (!self.chance(0.15)).then_some(author);
        let event = self.event(Kind::Status, author, Some(status));
        self.events.push(event);
    }

    /// A survey answer; a second one (after `previous`) changes the score, so that which one
    /// counts matters.
    pub(super) fn rating(&mut self, previous: Option<u8>) -> u8 {
        let mut event = self.event(Kind::Rating, Some(Author::Customer), None);
        let csat = match previous {
            None => self.csat(),
            Some(4..) => self.rng.random_range(1..=3),
            Some(_) => self.rng.random_range(4..=5),
        };
        event.csat = Some(csat);
        if self.chance(0.3) {
            event.nps = Some(self.nps(csat));
        }
        self.events.push(event);
        csat
    }

    /// Satisfaction drops with reopens, long conversations and an unhappy customer.
    fn csat(&mut self) -> u8 {
        let mut happy = 0.8 - 0.2 * f64::from(self.reopens.min(2));
        happy -= 0.04 * f64::from(self.replies.saturating_sub(1).min(5));
        happy += f64::from(self.mood.unwrap_or(0)) / 500.0;
        if self.chance(happy.clamp(0.05, 0.95)) {
            if self.chance(0.65) { 5 } else { 4 }
        } else {
            pick(self.rng, &[(1, 35), (2, 30), (3, 35)])
        }
    }

    fn nps(&mut self, csat: u8) -> u8 {
        if csat >= 4 {
            pick(self.rng, &[(10, 40), (9, 30), (8, 20), (7, 10)])
        } else {
            self.rng.random_range(0..=8)
        }
    }

    fn seconds(&mut self, median: i64) -> u32 {
        skewed(self.rng, median).min(i64::from(u32::MAX)) as u32
    }

    /// A new event at the current time, carrying the ticket's current attributes.
    fn event(&mut self, kind: Kind, author: Option<Author>, status: Option<Status>) -> Event {
        let implicit_kind = kind == Kind::Message && self.chance(0.02);
        let restyle = self
            .chance(0.03)
            .then(|| (pick(self.rng, &RESTYLED), pick(self.rng, &CASINGS)));
        Event {
            ts: self.t,
            ticket: self.ticket,
            kind,
            implicit_kind,
            author,
            channel: self.channel,
            agent: (author == Some(Author::Agent)).then_some(self.agent),
            team: self.team,
            priority: self.priority,
            category: self.category,
            status,
            csat: None,
            nps: None,
            sentiment: None,
            handle: None,
            talk: None,
            hold: None,
            acw: None,
            restyle,
        }
    }
}
