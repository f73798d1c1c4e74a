//! SLA attainment: policies (first match by priority, channel, team, category) with targets
//! for first reply, next reply and resolution, measured in calendar or business time, with
//! the clock paused while the ticket waits in given statuses.

use std::sync::Arc;

use serde::Serialize;

use super::rate::ratio;
use crate::ingest::event::Status;
use crate::model::ticket::Span;
use crate::model::{ReplyState, Ticket};
use crate::schedule::Schedule;
use crate::symbols::Symbols;
use crate::time::{Instant, MICROS_PER_SECOND, seconds_between};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    FirstReply,
    NextReply,
    Resolution,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::FirstReply, Target::NextReply, Target::Resolution];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::FirstReply => "first_reply",
            Target::NextReply => "next_reply",
            Target::Resolution => "resolution",
        }
    }
}

/// Empty or unknown priorities are `normal`, as the contract says.
pub fn priority_level(name: &str) -> &'static str {
    match name {
        "urgent" => "urgent",
        "high" => "high",
        "low" => "low",
        _ => "normal",
    }
}

/// Which tickets a policy applies to: every listed attribute must match one of its values
/// (lowercase); an empty list matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    pub priority: Vec<String>,
    pub channel: Vec<String>,
    pub team: Vec<String>,
    pub category: Vec<String>,
}

impl Conditions {
    fn matches(&self, ticket: &Ticket, symbols: &Symbols) -> bool {
        let any = |values: &[String], actual: &str| {
            values.is_empty() || values.iter().any(|v| v == actual)
        };
        let priority = symbols.name(ticket.priority);
        (self.priority.is_empty()
            || self
                .priority
                .iter()
                .any(|v| v == priority || v == priority_level(priority)))
            && any(&self.channel, symbols.name(ticket.channel))
            && any(&self.team, symbols.name(ticket.team))
            && any(&self.category, symbols.name(ticket.category))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: String,
    pub conditions: Conditions,
    /// Business hours the clocks run in; `None`: calendar time.
    pub schedule: Option<Arc<Schedule>>,
    /// Statuses during which the clocks stop.
    pub pause_on: Vec<Status>,
    /// Targets in seconds (of the schedule's time).
    pub first_reply: Option<f64>,
    pub next_reply: Option<f64>,
    pub resolution: Option<f64>,
}

impl Policy {
    pub fn target(&self, target: Target) -> Option<f64> {
        match target {
            Target::FirstReply => self.first_reply,
            Target::NextReply => self.next_reply,
            Target::Resolution => self.resolution,
        }
    }
}

/// An ordered list of policies; the first whose conditions match a ticket applies to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicies {
    pub policies: Vec<Policy>,
}

impl Default for SlaPolicies {
    /// The contract's defaults, in calendar time without pauses. First reply: urgent 1h,
    /// high 4h, normal 8h, low 24h. Resolution: urgent 8h, high 24h, normal 72h, low 168h.
    fn default() -> Self {
        let policy = |name: &str, first_reply: f64, resolution: f64, catch_all: bool| Policy {
            name: name.to_owned(),
            conditions: Conditions {
                priority: if catch_all {
                    Vec::new()
                } else {
                    vec![name.to_owned()]
                },
                ..Conditions::default()
            },
            schedule: None,
            pause_on: Vec::new(),
            first_reply: Some(first_reply * HOUR),
            next_reply: None,
            resolution: Some(resolution * HOUR),
        };
        SlaPolicies {
            policies: vec![
                policy("urgent", 1.0, 8.0, false),
                policy("high", 4.0, 24.0, false),
                policy("low", 24.0, 168.0, false),
                policy("normal", 8.0, 72.0, true),
            ],
        }
    }
}

impl SlaPolicies {
    /// The policy of a ticket, by its attributes at `as_of`.
    pub fn select(&self, ticket: &Ticket, symbols: &Symbols) -> Option<usize> {
        self.policies
            .iter()
            .position(|policy| policy.conditions.matches(ticket, symbols))
    }
}

/// How time counts for one policy and one ticket: calendar or business time, minus pauses.
pub struct Clock<'a> {
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
pub fn evaluate(
    ticket: &Ticket,
    policy: &Policy,
    as_of: Instant,
    has_status: bool,
    has_messages: bool,
) -> Vec<ClockOutcome> {
    let clock = Clock::new(policy, ticket, as_of);
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    met: u64,
    breached: u64,
    running: u64,
}

impl Counts {
    fn count(&mut self, state: SlaState) {
        match state {
            SlaState::Met => self.met += 1,
            SlaState::Breached => self.breached += 1,
            SlaState::Running => self.running += 1,
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
struct PolicyCounts {
    tickets: u64,
    targets: [Counts; 3],
    overdue: u64,
}

/// Counts per policy and target.
#[derive(Debug, Clone, Default)]
pub struct SlaAttainment {
    policies: Vec<PolicyCounts>,
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
pub struct PolicyAttainment {
    pub policy: String,
    /// The business-hours schedule, or null for calendar time.
    pub schedule: Option<String>,
    pub tickets: u64,
    pub first_reply: Option<TargetAttainment>,
    pub next_reply: Option<TargetAttainment>,
    pub resolution: Option<TargetAttainment>,
    pub overdue_backlog: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaReport {
    /// All policies together; null when no policy has the target or the input cannot tell.
    pub first_reply: Option<TargetAttainment>,
    pub next_reply: Option<TargetAttainment>,
    pub resolution: Option<TargetAttainment>,
    /// Open tickets already past their resolution target; null without status.
    pub overdue_backlog: Option<u64>,
    pub policies: Vec<PolicyAttainment>,
}

/// What the input can tell, for the SLA targets.
#[derive(Debug, Clone, Copy)]
pub struct SlaScope {
    pub has_status: bool,
    pub has_first_reply: bool,
    pub has_messages: bool,
}

impl SlaAttainment {
    pub fn observe(&mut self, policy: Option<usize>, outcomes: &[ClockOutcome], solved: bool) {
        let Some(policy) = policy else { return };
        if self.policies.len() <= policy {
            self.policies.resize(policy + 1, PolicyCounts::default());
        }
        let counts = &mut self.policies[policy];
        counts.tickets += 1;
        for outcome in outcomes {
            let index = Target::ALL
                .iter()
                .position(|t| *t == outcome.target)
                .unwrap_or(0);
            counts.targets[index].count(outcome.state);
            if outcome.target == Target::Resolution
                && !solved
                && outcome.state == SlaState::Breached
            {
                counts.overdue += 1;
            }
        }
    }

    pub fn merge(&mut self, other: SlaAttainment) {
        if self.policies.len() < other.policies.len() {
            self.policies
                .resize(other.policies.len(), PolicyCounts::default());
        }
        for (mine, theirs) in self.policies.iter_mut().zip(other.policies) {
            mine.tickets += theirs.tickets;
            mine.overdue += theirs.overdue;
            for (mine, theirs) in mine.targets.iter_mut().zip(theirs.targets) {
                mine.merge(theirs);
            }
        }
    }

    pub fn finish(self, policies: &SlaPolicies, scope: SlaScope) -> SlaReport {
        let known = |target: Target| match target {
            Target::FirstReply => scope.has_first_reply,
            Target::NextReply => scope.has_messages,
            Target::Resolution => scope.has_status,
        };
        let mut totals = [Counts::default(); 3];
        let mut overdue = 0;
        let mut rows = Vec::new();
        for (index, policy) in policies.policies.iter().enumerate() {
            let counts = self.policies.get(index).cloned().unwrap_or_default();
            for (total, counts) in totals.iter_mut().zip(counts.targets) {
                total.merge(counts);
            }
            overdue += counts.overdue;
            let attainment = |target: Target| {
                let i = Target::ALL.iter().position(|t| *t == target).unwrap_or(0);
                (known(target) && policy.target(target).is_some())
                    .then(|| counts.targets[i].finish())
            };
            rows.push(PolicyAttainment {
                policy: policy.name.clone(),
                schedule: policy.schedule.as_ref().map(|s| s.name.clone()),
                tickets: counts.tickets,
                first_reply: attainment(Target::FirstReply),
                next_reply: attainment(Target::NextReply),
                resolution: attainment(Target::Resolution),
                overdue_backlog: (scope.has_status && policy.resolution.is_some())
                    .then_some(counts.overdue),
            });
        }
        let total = |target: Target| {
            let i = Target::ALL.iter().position(|t| *t == target).unwrap_or(0);
            let any_policy = policies.policies.iter().any(|p| p.target(target).is_some());
            (known(target) && any_policy).then(|| totals[i].finish())
        };
        SlaReport {
            first_reply: total(Target::FirstReply),
            next_reply: total(Target::NextReply),
            resolution: total(Target::Resolution),
            overdue_backlog: scope.has_status.then_some(overdue),
            policies: rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::build;

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
    fn default_policies_follow_the_priority_and_unknown_is_normal() {
        let (tickets, symbols, _) = build(
            &[
                "A 0 message customer priority=urgent",
                "B 0 message customer priority=medium",
                "C 0 message customer",
                "D 0 message customer priority=Low",
            ],
            None,
        );
        let policies = SlaPolicies::default();
        let name = |id: &str| {
            let ticket = tickets.iter().find(|t| t.id == id).unwrap();
            policies.policies[policies.select(ticket, &symbols).unwrap()]
                .name
                .clone()
        };
        assert_eq!(name("A"), "urgent");
        assert_eq!(name("B"), "normal");
        assert_eq!(name("C"), "normal");
        assert_eq!(name("D"), "low");
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
