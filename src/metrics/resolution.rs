//! Resolution times, first contact resolution, bot resolution and replies per solved ticket:
//! everything that needs the solved state, and so is null when the input has no status.

use serde::Serialize;

use super::distribution::{Distribution, Summary};
use super::quality::is_plausible;
use super::rate::ratio;
use super::{Accumulator, Context, Observed};
use crate::model::Ticket;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Resolution {
    resolution_time: Distribution,
    resolution_time_business: Distribution,
    first_resolution_time: Distribution,
    solved: u64,
    fcr_eligible: u64,
    first_contact: u64,
    bot_resolved: u64,
    replies_on_solved: u64,
    reopens: ReopenCounts,
}

/// What the reopens figure counts, folded.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct ReopenCounts {
    resolved: u64,
    reopened: u64,
    reopens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fcr {
    /// Solved at as_of with at least one reply.
    pub eligible: u64,
    /// Eligible, exactly one reply and never reopened.
    pub first_contact: u64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BotResolution {
    pub solved: u64,
    /// Solved with no reply and at least one bot message.
    pub bot_resolved: u64,
    pub rate: Option<f64>,
}

/// Reopens: how often a resolution was undone (by a status or a customer message).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reopens {
    /// Tickets resolved at least once by as_of.
    pub resolved: u64,
    /// Of those, tickets reopened at least once.
    pub reopened_tickets: u64,
    /// Every reopen, all tickets.
    pub reopens: u64,
    /// reopened_tickets / resolved; null when none was resolved.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResolutionKpis {
    pub resolution_time: Summary,
    pub resolution_time_business: Summary,
    pub first_resolution_time: Summary,
    pub fcr: Fcr,
    pub bot_resolution: BotResolution,
    pub replies_per_solved_ticket: Option<f64>,
    pub reopens: Reopens,
}

/// First contact: one reply solved it and it stayed solved (a reopen later than the window,
/// when one is set, is a new issue rather than a failed resolution).
pub fn is_first_contact(ticket: &Ticket, reopen_window: Option<f64>) -> bool {
    ticket.replies == 1 && ticket.reopens_within(reopen_window) == 0
}

impl Accumulator for Resolution {
    type Output = ResolutionKpis;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let ticket = observed.ticket;
        let (schedule, reopen_window) = (context.schedule, context.fcr_reopen_window);
        if let Some(seconds) = ticket
            .first_resolution_seconds()
            .filter(|s| is_plausible(*s))
        {
            self.first_resolution_time.observe(seconds);
        }
        if ticket.first_resolved_at.is_some() {
            self.reopens.resolved += 1;
            self.reopens.reopened += u64::from(ticket.reopens > 0);
            self.reopens.reopens += u64::from(ticket.reopens);
        }
        if !ticket.is_solved() {
            return;
        }
        self.solved += 1;
        self.replies_on_solved += u64::from(ticket.replies);
        if let Some(seconds) = ticket.resolution_seconds().filter(|s| is_plausible(*s)) {
            self.resolution_time.observe(seconds);
        }
        // The desk's own business-hours figure where the export has one, else ours.
        if let Some(seconds) = ticket.desk.resolution_business_seconds {
            self.resolution_time_business.observe(seconds);
        } else if let (Some(schedule), Some(resolved_at)) = (schedule, ticket.resolved_at()) {
            self.resolution_time_business
                .observe(schedule.business_seconds(ticket.created_at, resolved_at));
        }
        if ticket.replies > 0 {
            self.fcr_eligible += 1;
            self.first_contact += u64::from(is_first_contact(ticket, reopen_window));
        } else if ticket.bot_messages > 0 {
            self.bot_resolved += 1;
        }
    }

    fn merge(&mut self, other: Resolution) {
        self.resolution_time.merge(other.resolution_time);
        self.resolution_time_business
            .merge(other.resolution_time_business);
        self.first_resolution_time
            .merge(other.first_resolution_time);
        self.solved += other.solved;
        self.fcr_eligible += other.fcr_eligible;
        self.first_contact += other.first_contact;
        self.bot_resolved += other.bot_resolved;
        self.replies_on_solved += other.replies_on_solved;
        self.reopens.resolved += other.reopens.resolved;
        self.reopens.reopened += other.reopens.reopened;
        self.reopens.reopens += other.reopens.reopens;
    }

    /// Everything here needs the solved state: the caller nulls what the input cannot support.
    fn finish(self, _: &Context<'_>) -> ResolutionKpis {
        ResolutionKpis {
            resolution_time: self.resolution_time.finish(),
            resolution_time_business: self.resolution_time_business.finish(),
            first_resolution_time: self.first_resolution_time.finish(),
            fcr: Fcr {
                eligible: self.fcr_eligible,
                first_contact: self.first_contact,
                rate: ratio(self.first_contact, self.fcr_eligible),
            },
            bot_resolution: BotResolution {
                solved: self.solved,
                bot_resolved: self.bot_resolved,
                rate: ratio(self.bot_resolved, self.solved),
            },
            replies_per_solved_ticket: ratio(self.replies_on_solved, self.solved),
            reopens: Reopens {
                resolved: self.reopens.resolved,
                reopened_tickets: self.reopens.reopened,
                reopens: self.reopens.reopens,
                rate: ratio(self.reopens.reopened, self.reopens.resolved),
            },
        }
    }
}
