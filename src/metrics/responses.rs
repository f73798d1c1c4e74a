//! First response time, response times of every customer run, and response rate.

use serde::Serialize;

use super::distribution::{Distribution, Summary};
use super::quality::is_plausible;
use super::rate::ratio;
use super::{Accumulator, Context, Observed};
use crate::model::ReplyState;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Responses {
    first_response: Distribution,
    first_response_business: Distribution,
    response_time: Distribution,
    response_time_business: Distribution,
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

/// What [`Responses`] finishes into.
pub struct ResponseKpis {
    pub first_response: FirstResponse,
    pub first_response_business: Summary,
    pub response_time: Summary,
    pub response_time_business: Summary,
    pub response_rate: ResponseRate,
}

impl Accumulator for Responses {
    type Output = ResponseKpis;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let (ticket, schedule) = (observed.ticket, context.schedule);
        // A call is answered or abandoned, not replied to: the contact-centre KPIs measure it
        // (an abandoned call is no ticket closed without a reply).
        if ticket.call.is_some() {
            return;
        }
        if let Some(seconds) = ticket.first_response_seconds().filter(|s| is_plausible(*s)) {
            self.first_response.observe(seconds);
        }
        for wait in ticket.response_waits() {
            self.response_time.observe(wait);
        }
        // The desk's own business-hours figure where the export has one, else ours.
        if let Some(seconds) = ticket.desk.first_reply_business_seconds {
            self.first_response_business.observe(seconds);
        } else if let (Some(schedule), Some(start), Some(end)) = (
            schedule,
            ticket.first_customer_message_at,
            ticket.first_reply_at,
        ) && start <= end
        {
            self.first_response_business
                .observe(schedule.business_seconds(start, end));
        }
        if let Some(schedule) = schedule {
            for span in &ticket.response_spans {
                self.response_time_business
                    .observe(schedule.business_seconds(span.start, span.end));
            }
        }
        match ticket.reply_state() {
            Some(ReplyState::Answered) => self.answered += 1,
            Some(ReplyState::Unanswered) => self.unanswered += 1,
            Some(ReplyState::ClosedWithoutReply) => self.closed_without_reply += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: Responses) {
        self.first_response.merge(other.first_response);
        self.first_response_business
            .merge(other.first_response_business);
        self.response_time.merge(other.response_time);
        self.response_time_business
            .merge(other.response_time_business);
        self.answered += other.answered;
        self.unanswered += other.unanswered;
        self.closed_without_reply += other.closed_without_reply;
    }

    fn finish(self, _: &Context<'_>) -> ResponseKpis {
        ResponseKpis {
            first_response: FirstResponse {
                summary: self.first_response.finish(),
                unanswered: self.unanswered,
            },
            first_response_business: self.first_response_business.finish(),
            response_time: self.response_time.finish(),
            response_time_business: self.response_time_business.finish(),
            response_rate: ResponseRate {
                answered: self.answered,
                unanswered: self.unanswered,
                closed_without_reply: self.closed_without_reply,
                rate: ratio(self.answered, self.answered + self.unanswered),
            },
        }
    }
}
