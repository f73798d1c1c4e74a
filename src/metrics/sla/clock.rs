//! A ticket's SLA clocks: when each starts and stops, how time counts on it (calendar or
//! business hours, less the paused time), and its state at `as_of`.

use super::{Policy, SlaState, Target, sla_state};
use crate::model::ticket::Span;
use crate::model::{ReplyState, Ticket};
use crate::schedule::Schedule;
use crate::time::{Instant, MICROS_PER_SECOND, seconds_between};

/// How time counts for one policy and one ticket: calendar or business time, minus pauses.
pub(super) struct Clock<'a> {
    schedule: Option<&'a Schedule>,
    pauses: Vec<Span>,
}

impl<'a> Clock<'a> {
    pub fn new(policy: &'a Policy, ticket: &Ticket, as_of: Instant) -> Clock<'a> {
        let mut pauses = Vec::new();
        let mut paused_since: Option<Instant> = None;
        for (at, status) in &ticket.status_changes {
            let pausing = policy.pause_on.contains(status);
            match (paused_since, pausing) {
                (None, true) => paused_since = Some(*at),
                (Some(start), false) => {
                    pauses.push(Span { start, end: *at });
                    paused_since = None;
                }
                _ => {}
            }
        }
        if let Some(start) = paused_since {
            pauses.push(Span { start, end: as_of });
        }
        Clock {
            schedule: policy.schedule.as_deref(),
            pauses,
        }
    }

    fn time(&self, from: Instant, to: Instant) -> f64 {
        match self.schedule {
            Some(schedule) => schedule.business_seconds(from, to),
            None => seconds_between(from, to).max(0.0),
        }
    }

    /// Time on the clock between two instants: schedule time less paused time.
    pub fn elapsed(&self, from: Instant, to: Instant) -> f64 {
        let paused: f64 = self
            .pauses
            .iter()
            .map(|pause| self.time(pause.start.max(from), pause.end.min(to)))
            .sum();
        (self.time(from, to) - paused).max(0.0)
    }

    /// When `target` seconds were (or will be, if nothing pauses it) on the clock.
    pub fn due(&self, from: Instant, target: f64) -> Option<Instant> {
        let add = |seconds: f64| match self.schedule {
            Some(schedule) => schedule.add_business(from, seconds),
            None => Some(from + (seconds * MICROS_PER_SECOND as f64).round() as i64),
        };
        // Paused time pushes the due instant out, which may take in more pauses: iterate
        // until it settles (pauses are finite, so it does).
        let mut due = add(target)?;
        for _ in 0..64 {
            let paused: f64 = self
                .pauses
                .iter()
                .map(|pause| self.time(pause.start.max(from), pause.end.min(due)))
                .sum();
            let next = add(target + paused)?;
            if next == due {
                break;
            }
            due = next;
        }
        Some(due)
    }
}

/// One SLA clock of one ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockOutcome {
    pub target: Target,
    pub state: SlaState,
    pub start: Instant,
    pub stopped_at: Option<Instant>,
    pub target_seconds: f64,
    /// Time on the clock: until it stopped, or until `as_of`.
    pub elapsed: f64,
}

/// The next-reply clocks of one run of customer messages, from its first message `start` to
/// its `reply` (`None`: none yet at `as_of`), as (start, stop) pairs; a stop of `None` is a
/// clock still running at `as_of`.
///
/// Solving the ticket stops the clock as a reply would: the customer is not waiting on a
/// solved ticket (Zendesk's next reply time, as Fivetran's dbt_zendesk model computes it,
/// stops at the next agent reply or solve, whichever comes first). A new clock starts when
/// the customer writes again after the solve, once the ticket is open (a message reopens a
/// solved ticket; a message on a closed one waits for a reopen). An agent reopening the
/// ticket without a new customer message starts none.
fn next_reply_clocks(
    ticket: &Ticket,
    start: Instant,
    reply: Option<Instant>,
) -> Vec<(Instant, Option<Instant>)> {
    // A solve in the same instant as the reply leaves the reply to stop the clock.
    let before_reply = |at: Instant| at > start && reply.is_none_or(|reply| at < reply);
    // (instant, what happened), in time order: Some(solved) for a change of the solved
    // state, None for the customer writing again after a solve. At one instant the state
    // change comes first, which is what a message that reopens the ticket does.
    let mut changes: Vec<(Instant, Option<bool>)> = ticket
        .solved_changes
        .iter()
        .filter(|c| before_reply(c.at))
        .map(|c| (c.at, Some(c.solved)))
        .chain(
            ticket
                .customer_returns
                .iter()
                .filter(|at| before_reply(**at))
                .map(|at| (*at, None)),
        )
        .collect();
    changes.sort_by_key(|(at, change)| (*at, change.is_none()));
    let mut solved = ticket.solved_at(start);
    let mut running = (!solved).then_some(start);
    // The customer wrote while the ticket was solved; the clock starts when it reopens.
    let mut unanswered = solved;
    let mut clocks = Vec::new();
    for (at, change) in changes {
        match change {
            Some(true) => {
                solved = true;
                unanswered = false;
                if let Some(since) = running.take() {
                    clocks.push((since, Some(at)));
                }
            }
            Some(false) => {
                solved = false;
                if unanswered && running.is_none() {
                    running = Some(at);
                }
            }
            None if solved => unanswered = true,
            None => {
                running.get_or_insert(at);
            }
        }
    }
    if let Some(since) = running {
        clocks.push((since, reply));
    }
    clocks
}

/// Every clock of a ticket under its policy. The first-reply clock runs from the first
/// customer message of an inbound ticket to its first reply (tickets closed without reply are
/// not counted); each next-reply clock from a later customer run to its reply or to a solve
/// before it ([`next_reply_clocks`]); the resolution clock from creation to the last
/// resolution of a ticket solved at `as_of`.
fn evaluate(
    ticket: &Ticket,
    policy: &Policy,
    clock: &Clock<'_>,
    as_of: Instant,
    has_status: bool,
    has_messages: bool,
) -> Vec<ClockOutcome> {
    let mut outcomes = Vec::new();
    let mut measure = |target: Target, start: Instant, stopped_at: Option<Instant>| {
        let Some(target_seconds) = policy.target(target) else {
            return;
        };
        let elapsed = clock.elapsed(start, stopped_at.unwrap_or(as_of));
        let state = match stopped_at {
            Some(_) => sla_state(Some(elapsed), 0.0, target_seconds),
            None => sla_state(None, elapsed, target_seconds),
        };
        outcomes.push(ClockOutcome {
            target,
            state,
            start,
            stopped_at,
            target_seconds,
            elapsed,
        });
    };
    if let (Some(ReplyState::Answered | ReplyState::Unanswered), Some(start)) =
        (ticket.reply_state(), ticket.first_customer_message_at)
    {
        measure(Target::FirstReply, start, ticket.first_reply_at);
    }
    if has_messages {
        // An inbound ticket's first run is its first reply, measured above.
        let skip = usize::from(ticket.is_inbound());
        let first_still_waiting = ticket.is_inbound() && ticket.response_spans.is_empty();
        let answered = ticket
            .response_spans
            .iter()
            .skip(skip)
            .map(|span| (span.start, Some(span.end)));
        let waiting = ticket
            .waiting_since
            .filter(|_| !first_still_waiting)
            .map(|since| (since, None));
        for (start, reply) in answered.chain(waiting) {
            for (start, stop) in next_reply_clocks(ticket, start, reply) {
                measure(Target::NextReply, start, stop);
            }
        }
    }
    // A solved ticket whose export does not date the resolution has no measurable clock.
    let undated_resolution = ticket.is_solved() && ticket.resolved_at().is_none();
    if has_status && !undated_resolution {
        measure(Target::Resolution, ticket.created_at, ticket.resolved_at());
    }
    outcomes
}

/// The clocks of one ticket under the policy that applies to it, evaluated once per ticket:
/// the KPI accumulators (overall, the ticket's group and its period), the `tickets` list and
/// the breach list all read these rather than evaluating them again.
pub struct SlaClocks<'p> {
    /// Its place in `SlaPolicies::policies`: attainment is counted per policy.
    pub policy_index: usize,
    pub policy: &'p Policy,
    clock: Clock<'p>,
    pub outcomes: Vec<ClockOutcome>,
}

impl<'p> SlaClocks<'p> {
    /// Every clock of `ticket` under `policy` (see [`evaluate`]); `has_status` and
    /// `has_messages` say whether the input can tell resolutions and replies at all.
    pub fn evaluate(
        ticket: &Ticket,
        policy_index: usize,
        policy: &'p Policy,
        as_of: Instant,
        has_status: bool,
        has_messages: bool,
    ) -> SlaClocks<'p> {
        let clock = Clock::new(policy, ticket, as_of);
        let outcomes = evaluate(ticket, policy, &clock, as_of, has_status, has_messages);
        SlaClocks {
            policy_index,
            policy,
            clock,
            outcomes,
        }
    }

    /// The state of the ticket's clock for `target` (its first, for next replies); `None`
    /// where the ticket has none.
    pub fn state(&self, target: Target) -> Option<SlaState> {
        self.outcomes
            .iter()
            .find(|outcome| outcome.target == target)
            .map(|outcome| outcome.state)
    }

    /// How many of the ticket's clocks for `target` are in `state`.
    pub fn count(&self, target: Target, state: SlaState) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| outcome.target == target && outcome.state == state)
            .count()
    }

    /// When `outcome`'s target is (or will be, if nothing pauses it) reached on the clock.
    pub fn due(&self, outcome: &ClockOutcome) -> Option<Instant> {
        self.clock.due(outcome.start, outcome.target_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::event::Status;
    use crate::metrics::sla::Conditions;
    use crate::model::tests::build;

    fn evaluate(
        ticket: &Ticket,
        policy: &Policy,
        as_of: Instant,
        has_status: bool,
        has_messages: bool,
    ) -> Vec<ClockOutcome> {
        SlaClocks::evaluate(ticket, 0, policy, as_of, has_status, has_messages).outcomes
    }

    fn policy(first_reply: f64, next_reply: f64, resolution: f64, pause: bool) -> Policy {
        Policy {
            name: "p".to_owned(),
            conditions: Conditions::default(),
            schedule: None,
            pause_on: if pause {
                vec![Status::Pending, Status::OnHold]
            } else {
                Vec::new()
            },
            first_reply: Some(first_reply * 60.0),
            next_reply: Some(next_reply * 60.0),
            resolution: Some(resolution * 60.0),
        }
    }

    #[test]
    fn pending_pauses_the_resolution_clock() {
        // Created at 0, pending from 10 to 70, solved at 90: 90 min of calendar time, of
        // which 60 were spent waiting on the customer.
        let (tickets, _, as_of) = build(
            &[
                "T 0 message customer status=new",
                "T 10 message agent status=pending",
                "T 70 message customer status=open",
                "T 90 message agent status=solved",
            ],
            None,
        );
        let ticket = &tickets[0];
        let paused = evaluate(ticket, &policy(60.0, 60.0, 45.0, true), as_of, true, true);
        let resolution = paused
            .iter()
            .find(|o| o.target == Target::Resolution)
            .unwrap();
        assert_eq!(resolution.elapsed, 30.0 * 60.0);
        assert_eq!(resolution.state, SlaState::Met);
        let unpaused = evaluate(ticket, &policy(60.0, 60.0, 45.0, false), as_of, true, true);
        let resolution = unpaused
            .iter()
            .find(|o| o.target == Target::Resolution)
            .unwrap();
        assert_eq!(resolution.state, SlaState::Breached);
        // Next reply: the customer wrote at 70 and was answered at 90.
        let next: Vec<_> = paused
            .iter()
            .filter(|o| o.target == Target::NextReply)
            .collect();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].elapsed, 20.0 * 60.0);
    }

    #[test]
    fn a_waiting_customer_run_is_a_running_or_breached_next_reply() {
        let (tickets, _, _) = build(
            &[
                "T 0 message customer",
                "T 5 message agent",
                "T 10 message customer",
            ],
            Some(100),
        );
        let as_of = tickets[0].created_at + 100 * 60_000_000;
        let outcomes = evaluate(
            &tickets[0],
            &policy(60.0, 60.0, 600.0, false),
            as_of,
            false,
            true,
        );
        let next: Vec<_> = outcomes
            .iter()
            .filter(|o| o.target == Target::NextReply)
            .collect();
        assert_eq!(next.len(), 1);
        assert_eq!(
            next[0].state,
            SlaState::Breached,
            "waiting 90 min of a 60 min target"
        );
        assert!(
            outcomes.iter().all(|o| o.target != Target::Resolution),
            "no status"
        );
    }

    /// The next-reply clocks of the only ticket built from `rows`, under 60-minute targets,
    /// at minute 10,000: (start minute, stop minute, state).
    fn next_replies(rows: &[&str]) -> Vec<(i64, Option<i64>, SlaState)> {
        let (tickets, _, _) = build(rows, Some(10_000));
        let ticket = &tickets[0];
        let as_of = ticket.created_at + 10_000 * 60_000_000;
        let minute = |at: Instant| (at - ticket.created_at) / 60_000_000;
        evaluate(ticket, &policy(60.0, 60.0, 6000.0, true), as_of, true, true)
            .into_iter()
            .filter(|o| o.target == Target::NextReply)
            .map(|o| (minute(o.start), o.stopped_at.map(minute), o.state))
            .collect()
    }

    #[test]
    fn a_solve_stops_the_next_reply_clock_within_the_target_as_met() {
        // Sample-data T000012: the customer wrote at 80 and the ticket was solved at 83,
        // with no reply after. The clock stopped at the solve: met, neither running nor
        // breached days later.
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 10 message agent status=pending",
            "T 50 message customer status=open",
            "T 60 message agent status=pending",
            "T 80 message customer status=open",
            "T 83 status agent status=solved",
            "T 300 status - status=closed",
        ]);
        assert_eq!(
            clocks,
            vec![(50, Some(60), SlaState::Met), (80, Some(83), SlaState::Met)]
        );
    }

    #[test]
    fn a_solve_after_the_target_passed_is_a_breach() {
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 5 message agent status=open",
            "T 10 message customer",
            "T 100 status agent status=solved",
        ]);
        assert_eq!(clocks, vec![(10, Some(100), SlaState::Breached)]);
    }

    #[test]
    fn a_reopen_before_the_reply_starts_a_new_next_reply_clock() {
        // Solved at 20 with the customer's message of 10 unanswered; the customer writes
        // again at 30 (which reopens it) and is answered at 45.
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 5 message agent status=open",
            "T 10 message customer",
            "T 20 status agent status=solved",
            "T 30 message customer",
            "T 45 message agent",
        ]);
        assert_eq!(
            clocks,
            vec![(10, Some(20), SlaState::Met), (30, Some(45), SlaState::Met)]
        );
    }

    #[test]
    fn an_agent_reopening_without_a_customer_message_starts_no_next_reply_clock() {
        // Sample-data T000164: solved at 30 with the customer's message of 20 unanswered,
        // reopened by the agent at 60 and answered at 70. Nobody wrote in between.
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 5 message agent status=pending",
            "T 20 message customer status=open",
            "T 30 status agent status=solved",
            "T 60 status agent status=open",
            "T 70 message agent status=solved",
        ]);
        assert_eq!(clocks, vec![(20, Some(30), SlaState::Met)]);
    }

    #[test]
    fn a_message_on_a_closed_ticket_starts_no_next_reply_clock() {
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 5 message agent status=solved",
            "T 10 status - status=closed",
            "T 20 message customer",
        ]);
        assert_eq!(clocks, vec![], "a closed ticket waits for nobody");
    }

    #[test]
    fn a_reply_that_solves_stops_the_clock_as_a_reply() {
        let clocks = next_replies(&[
            "T 0 message customer status=new",
            "T 5 message agent status=open",
            "T 10 message customer",
            "T 30 message agent status=solved",
            "T 40 message customer",
        ]);
        // The message at 40 reopens the ticket: a new clock, still running... and past its
        // 60-minute target at minute 10,000.
        assert_eq!(
            clocks,
            vec![
                (10, Some(30), SlaState::Met),
                (40, None, SlaState::Breached)
            ]
        );
    }

    #[test]
    fn due_instants_account_for_pauses() {
        let (tickets, _, as_of) = build(
            &[
                "T 0 message customer status=new",
                "T 10 message agent status=pending",
                "T 70 message customer status=open",
            ],
            None,
        );
        let policy = policy(60.0, 60.0, 45.0, true);
        let clock = Clock::new(&policy, &tickets[0], as_of);
        // 45 min of target: 10 before the pause, 35 after it ends at 70: due at 105.
        assert_eq!(
            clock.due(tickets[0].created_at, 45.0 * 60.0),
            Some(tickets[0].created_at + 105 * 60_000_000)
        );
    }
}
