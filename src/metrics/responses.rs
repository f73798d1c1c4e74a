//! First response time, response times of every customer run, and response rate.

use serde::Serialize;

use super::distribution::{Distribution, Summary};
use super::rate::ratio;
use crate::model::{ReplyState, Ticket};

#[derive(Debug, Clone, Default)]
pub struct Responses {
    first_response: Distribution,
    response_time: Distribution,
    answered: u64,
    unanswered: u64,
    closed_without_reply: u64,
}

/// FRT over answered inbound tickets, with the unanswered ones counted beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstResponse {
    #[serde(flatten)]
    pub summary: Summary,
    pub unanswered: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRate {
    pub answered: u64,
    pub unanswered: u64,
    pub closed_without_reply: u64,
    /// answered / (answered + unanswered), inbound tickets.
    pub rate: Option<f64>,
}

impl Responses {
    pub fn observe(&mut self, ticket: &Ticket) {
        if let Some(seconds) = ticket.first_response_seconds() {
            self.first_response.observe(seconds);
        }
        self.response_time.extend(&ticket.response_waits);
        match ticket.reply_state() {
            Some(ReplyState::Answered) => self.answered += 1,
            Some(ReplyState::Unanswered) => self.unanswered += 1,
            Some(ReplyState::ClosedWithoutReply) => self.closed_without_reply += 1,
            None => {}
        }
    }

    pub fn merge(&mut self, other: Responses) {
        self.first_response.merge(other.first_response);
        self.response_time.merge(other.response_time);
        self.answered += other.answered;
        self.unanswered += other.unanswered;
        self.closed_without_reply += other.closed_without_reply;
    }

    pub fn finish(self) -> (FirstResponse, Summary, ResponseRate) {
        let first_response = FirstResponse {
            summary: self.first_response.finish(),
            unanswered: self.unanswered,
        };
        let response_rate = ResponseRate {
            answered: self.answered,
            unanswered: self.unanswered,
            closed_without_reply: self.closed_without_reply,
            rate: ratio(self.answered, self.answered + self.unanswered),
        };
        (first_response, self.response_time.finish(), response_rate)
    }
}
