//! Time in each status group, as Zendesk's ticket metrics measure it: requester wait (new,
//! open and on-hold: the customer waits for the team), agent wait (pending: the team waits
//! for the customer) and on-hold time, per ticket and as distributions, in calendar time and
//! in business hours. Only an event log with statuses has the history (`availability`).

use serde::Serialize;

use super::availability::Kpi;
use super::distribution::{Distribution, Summary};
use super::{Accumulator, Context, Observed};
use crate::ingest::event::Status;
use crate::model::Ticket;
use crate::schedule::Schedule;
use crate::time::{Instant, seconds_between};

/// One ticket's seconds in each status group, up to `as_of`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StatusTimes {
    pub requester_wait: f64,
    pub agent_wait: f64,
    pub on_hold: f64,
}

impl StatusTimes {
    fn add(&mut self, status: Status, seconds: f64) {
        match status {
            Status::New | Status::Open => self.requester_wait += seconds,
            Status::OnHold => {
                self.requester_wait += seconds;
                self.on_hold += seconds;
            }
            Status::Pending => self.agent_wait += seconds,
            // A solved ticket waits for nobody.
            Status::Solved | Status::Closed => {}
        }
    }
}

/// The ticket's status times up to `as_of`, in calendar seconds or, with a schedule, in its
/// business hours. `None` without a status history. Until its first status the ticket is new
/// (a ticket is created new).
pub fn status_times(
    ticket: &Ticket,
    as_of: Instant,
    schedule: Option<&Schedule>,
) -> Option<StatusTimes> {
    if ticket.status_changes.is_empty() {
        return None;
    }
    let seconds = |start: Instant, end: Instant| match schedule {
        _ if end <= start => 0.0,
        Some(schedule) => schedule.business_seconds(start, end),
        None => seconds_between(start, end),
    };
    let mut times = StatusTimes::default();
    let mut since = ticket.created_at;
    let mut current = Status::New;
    for &(at, status) in &ticket.status_changes {
        times.add(current, seconds(since, at.min(as_of)));
        since = at.max(since);
        current = status;
    }
    times.add(current, seconds(since, as_of));
    Some(times)
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Distributions {
    requester_wait: Distribution,
    agent_wait: Distribution,
    on_hold: Distribution,
}

impl Distributions {
    fn observe(&mut self, times: StatusTimes) {
        self.requester_wait.observe(times.requester_wait);
        self.agent_wait.observe(times.agent_wait);
        self.on_hold.observe(times.on_hold);
    }

    fn merge(&mut self, other: Distributions) {
        self.requester_wait.merge(other.requester_wait);
        self.agent_wait.merge(other.agent_wait);
        self.on_hold.merge(other.on_hold);
    }

    fn finish(self) -> StatusDurationsReport {
        StatusDurationsReport {
            requester_wait: self.requester_wait.finish(),
            agent_wait: self.agent_wait.finish(),
            on_hold: self.on_hold.finish(),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct StatusDurations {
    calendar: Distributions,
    business: Distributions,
}

/// The distributions over the tickets with a status history (`status_durations` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusDurationsReport {
    pub requester_wait: Summary,
    pub agent_wait: Summary,
    pub on_hold: Summary,
}

/// What [`StatusDurations`] finishes into: calendar time, and business hours when a
/// schedule is configured; each null where the input cannot support it.
pub struct StatusDurationsKpis {
    pub calendar: Option<StatusDurationsReport>,
    pub business: Option<StatusDurationsReport>,
}

impl Accumulator for StatusDurations {
    type Output = StatusDurationsKpis;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let ticket = observed.ticket;
        if let Some(times) = status_times(ticket, context.as_of, None) {
            self.calendar.observe(times);
        }
        if let Some(schedule) = context.schedule
            && let Some(times) = status_times(ticket, context.as_of, Some(schedule))
        {
            self.business.observe(times);
        }
    }

    fn merge(&mut self, other: StatusDurations) {
        self.calendar.merge(other.calendar);
        self.business.merge(other.business);
    }

    fn finish(self, context: &Context<'_>) -> StatusDurationsKpis {
        let facts = &context.facts;
        StatusDurationsKpis {
            calendar: facts
                .allows(Kpi::StatusDurations)
                .then(|| self.calendar.finish()),
            business: facts
                .allows(Kpi::StatusDurationsBusiness)
                .then(|| self.business.finish()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::build;
    use crate::time::MICROS_PER_SECOND;

    const MINUTE: i64 = 60 * MICROS_PER_SECOND;

    #[test]
    fn each_status_adds_to_its_group_until_solved() {
        // New 0-10, open 10-30, pending 30-60, on hold 60-70, solved from 70 (as_of 100).
        let (tickets, _, as_of) = build(
            &[
                "A 0 message customer",
                "A 10 message agent status=open",
                "A 30 message agent status=pending",
                "A 60 status agent status=on_hold",
                "A 70 message agent status=solved",
            ],
            Some(100),
        );
        let times = status_times(&tickets[0], as_of, None).unwrap();
        assert_eq!(times.requester_wait, 40.0 * 60.0, "new + open + on hold");
        assert_eq!(times.agent_wait, 30.0 * 60.0);
        assert_eq!(times.on_hold, 10.0 * 60.0);
    }

    #[test]
    fn an_unsolved_ticket_waits_until_as_of() {
        let (tickets, _, as_of) = build(
            &[
                "A 0 message customer status=open",
                "A 20 message agent status=pending",
            ],
            Some(50),
        );
        let times = status_times(&tickets[0], as_of, None).unwrap();
        assert_eq!((times.requester_wait, times.agent_wait), (1200.0, 1800.0));
        assert_eq!(as_of - tickets[0].created_at, 50 * MINUTE);
    }

    #[test]
    fn a_reopened_ticket_waits_again() {
        let (tickets, _, as_of) = build(
            &[
                "A 0 message customer status=open",
                "A 10 message agent status=solved",
                "A 40 message customer status=open",
                "A 45 message agent status=solved",
            ],
            Some(60),
        );
        let times = status_times(&tickets[0], as_of, None).unwrap();
        assert_eq!(times.requester_wait, 15.0 * 60.0);
    }

    #[test]
    fn without_a_status_there_is_no_history() {
        let (tickets, _, as_of) = build(&["A 0 message customer", "A 5 message agent"], Some(10));
        assert_eq!(status_times(&tickets[0], as_of, None), None);
    }
}
