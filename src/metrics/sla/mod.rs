//! SLA attainment: policies (first match by priority, channel, team, category) with targets
//! for first reply, next reply and resolution, measured in calendar or business time, with
//! the clock paused while the ticket waits in given statuses.
//!
//! Here: the policies and their targets. [`clock`]: a ticket's clocks under its policy,
//! evaluated once per ticket ([`SlaClocks`]) for every accumulator and list that reads them.
//! [`attainment`]: the counts per policy and target, and the report.

mod attainment;
mod clock;

use std::sync::Arc;

use serde::Serialize;

pub use attainment::{PolicyAttainment, SlaAttainment, SlaReport, SlaScope, TargetAttainment};
pub use clock::{ClockOutcome, SlaClocks};

use crate::ingest::event::Status;
use crate::model::Ticket;
use crate::schedule::Schedule;
use crate::symbols::Symbols;

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

/// One value per SLA target, reached by the target itself: no index to get wrong, no target
/// that could be missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PerTarget<T> {
    pub first_reply: T,
    pub next_reply: T,
    pub resolution: T,
}

impl<T> PerTarget<T> {
    pub fn get(&self, target: Target) -> &T {
        match target {
            Target::FirstReply => &self.first_reply,
            Target::NextReply => &self.next_reply,
            Target::Resolution => &self.resolution,
        }
    }

    pub fn get_mut(&mut self, target: Target) -> &mut T {
        match target {
            Target::FirstReply => &mut self.first_reply,
            Target::NextReply => &mut self.next_reply,
            Target::Resolution => &mut self.resolution,
        }
    }

    /// Each target's value, made from the target.
    pub fn from_fn(mut make: impl FnMut(Target) -> T) -> PerTarget<T> {
        PerTarget {
            first_reply: make(Target::FirstReply),
            next_reply: make(Target::NextReply),
            resolution: make(Target::Resolution),
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
        self.policies.iter().position(|policy| {
            // Ticket SLAs do not apply to calls (their service level is the phone SLA)
            // unless a policy names the call's channel.
            let names_channel = !policy.conditions.channel.is_empty();
            (ticket.call.is_none() || names_channel) && policy.conditions.matches(ticket, symbols)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::build;

    #[test]
    fn per_target_values_are_found_by_their_target() {
        let mut values = PerTarget::from_fn(|target| target.as_str().len());
        assert_eq!(
            Target::ALL.map(|target| *values.get(target)),
            [11, 10, 10],
            "first_reply, next_reply, resolution"
        );
        *values.get_mut(Target::Resolution) += 1;
        assert_eq!(values.resolution, 11);
        assert_eq!(values.first_reply, 11);
    }

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
}
