//! SLA attainment against per-priority targets for first reply and resolution.

use serde::Serialize;

use super::rate::ratio;
use crate::model::{ReplyState, Ticket};
use crate::time::{Instant, seconds_between};

const HOUR: f64 = 3600.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaState {
    /// Stopped within the target.
    Met,
    /// Stopped after the target, or still running and already past it.
    Breached,
    /// Still running and within the target.
    Running,
}

impl SlaState {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::Met => "met",
            SlaState::Breached => "breached",
            SlaState::Running => "running",
        }
    }
}

/// The state of one clock: `elapsed` when it stopped, else the time it has been running.
pub fn sla_state(elapsed: Option<f64>, running_for: f64, target: f64) -> SlaState {
    match elapsed {
        Some(elapsed) if elapsed <= target => SlaState::Met,
        Some(_) => SlaState::Breached,
        None if running_for > target => SlaState::Breached,
        None => SlaState::Running,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityLevel {
    Urgent,
    High,
    Normal,
    Low,
}

impl PriorityLevel {
    /// Empty or unknown priorities use `normal`.
    pub fn from_name(name: &str) -> PriorityLevel {
        match name {
            "urgent" => PriorityLevel::Urgent,
            "high" => PriorityLevel::High,
            "low" => PriorityLevel::Low,
            _ => PriorityLevel::Normal,
        }
    }
}

/// Targets in seconds per priority.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    pub urgent: f64,
    pub high: f64,
    pub normal: f64,
    pub low: f64,
}

impl Targets {
    pub fn for_priority(&self, level: PriorityLevel) -> f64 {
        match level {
            PriorityLevel::Urgent => self.urgent,
            PriorityLevel::High => self.high,
            PriorityLevel::Normal => self.normal,
            PriorityLevel::Low => self.low,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlaPolicy {
    pub first_reply: Targets,
    pub resolution: Targets,
}

impl Default for SlaPolicy {
    /// First reply: urgent 1h, high 4h, normal 8h, low 24h.
    /// Resolution: urgent 8h, high 24h, normal 72h, low 168h.
    fn default() -> Self {
        SlaPolicy {
            first_reply: Targets {
                urgent: HOUR,
                high: 4.0 * HOUR,
                normal: 8.0 * HOUR,
                low: 24.0 * HOUR,
            },
            resolution: Targets {
                urgent: 8.0 * HOUR,
                high: 24.0 * HOUR,
                normal: 72.0 * HOUR,
                low: 168.0 * HOUR,
            },
        }
    }
}

/// A ticket's SLA states; `None` where a target does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketSla {
    pub first_reply: Option<SlaState>,
    pub resolution: Option<SlaState>,
}

/// The first-reply clock runs from the first customer message of an inbound ticket to its
/// first reply (tickets closed without reply are not counted); the resolution clock from
/// creation to the last resolution of a ticket solved at `as_of`.
pub fn ticket_sla(
    ticket: &Ticket,
    priority: PriorityLevel,
    policy: &SlaPolicy,
    as_of: Instant,
    has_status: bool,
) -> TicketSla {
    let first_reply = match (ticket.reply_state(), ticket.first_customer_message_at) {
        (Some(ReplyState::Answered | ReplyState::Unanswered), Some(start)) => Some(sla_state(
            ticket.first_response_seconds(),
            seconds_between(start, as_of),
            policy.first_reply.for_priority(priority),
        )),
        _ => None,
    };
    let resolution = has_status.then(|| {
        sla_state(
            ticket.resolution_seconds(),
            seconds_between(ticket.created_at, as_of),
            policy.resolution.for_priority(priority),
        )
    });
    TicketSla {
        first_reply,
        resolution,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    met: u64,
    breached: u64,
    running: u64,
}

impl Counts {
    fn count(&mut self, state: Option<SlaState>) {
        match state {
            Some(SlaState::Met) => self.met += 1,
            Some(SlaState::Breached) => self.breached += 1,
            Some(SlaState::Running) => self.running += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: Counts) {
        self.met += other.met;
        self.breached += other.breached;
        self.running += other.running;
    }

    fn finish(self) -> TargetAttainment {
        TargetAttainment {
            met: self.met,
            breached: self.breached,
            running: self.running,
            attainment: ratio(self.met, self.met + self.breached),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SlaAttainment {
    first_reply: Counts,
    resolution: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetAttainment {
    pub met: u64,
    pub breached: u64,
    pub running: u64,
    /// met / (met + breached).
    pub attainment: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaReport {
    /// Null when the input has no first replies.
    pub first_reply: Option<TargetAttainment>,
    /// Null when the input has no status.
    pub resolution: Option<TargetAttainment>,
}

impl SlaAttainment {
    pub fn observe(&mut self, states: TicketSla) {
        self.first_reply.count(states.first_reply);
        self.resolution.count(states.resolution);
    }

    pub fn merge(&mut self, other: SlaAttainment) {
        self.first_reply.merge(other.first_reply);
        self.resolution.merge(other.resolution);
    }

    pub fn finish(self, has_status: bool, has_first_reply: bool) -> SlaReport {
        SlaReport {
            first_reply: has_first_reply.then(|| self.first_reply.finish()),
            resolution: has_status.then(|| self.resolution.finish()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn met_breached_running() {
        assert_eq!(
            sla_state(Some(3600.0), 0.0, 3600.0),
            SlaState::Met,
            "at the target is met"
        );
        assert_eq!(sla_state(Some(3601.0), 0.0, 3600.0), SlaState::Breached);
        assert_eq!(sla_state(None, 3600.0, 3600.0), SlaState::Running);
        assert_eq!(sla_state(None, 3601.0, 3600.0), SlaState::Breached);
    }

    #[test]
    fn unknown_priorities_are_normal() {
        let policy = SlaPolicy::default();
        assert_eq!(PriorityLevel::from_name(""), PriorityLevel::Normal);
        assert_eq!(PriorityLevel::from_name("medium"), PriorityLevel::Normal);
        assert_eq!(
            policy.first_reply.for_priority(PriorityLevel::Urgent),
            3600.0
        );
        assert_eq!(
            policy.resolution.for_priority(PriorityLevel::Low),
            168.0 * 3600.0
        );
    }
}
