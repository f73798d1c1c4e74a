//! SLA attainment: clocks counted per policy and target (met, breached, running), and the
//! report of all policies together and of each.

use serde::Serialize;

use super::{PerTarget, SlaClocks, SlaPolicies, SlaState, Target};
use crate::metrics::rate::ratio;
use crate::metrics::{Accumulator, Context, Observed};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct PolicyCounts {
    tickets: u64,
    targets: PerTarget<Counts>,
    overdue: u64,
}

impl PolicyCounts {
    fn merge(&mut self, other: PolicyCounts) {
        self.tickets += other.tickets;
        self.overdue += other.overdue;
        for target in Target::ALL {
            self.targets
                .get_mut(target)
                .merge(*other.targets.get(target));
        }
    }
}

/// Counts per policy (by its place in the list) and target.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
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

impl PolicyAttainment {
    pub fn target(&self, target: Target) -> Option<&TargetAttainment> {
        match target {
            Target::FirstReply => self.first_reply.as_ref(),
            Target::NextReply => self.next_reply.as_ref(),
            Target::Resolution => self.resolution.as_ref(),
        }
    }
}

impl SlaReport {
    /// All policies together, for one target.
    pub fn target(&self, target: Target) -> Option<&TargetAttainment> {
        match target {
            Target::FirstReply => self.first_reply.as_ref(),
            Target::NextReply => self.next_reply.as_ref(),
            Target::Resolution => self.resolution.as_ref(),
        }
    }
}

/// What the input can tell, for the SLA targets (decided by `metrics::availability`).
#[derive(Debug, Clone, Copy)]
pub struct SlaScope {
    pub has_status: bool,
    pub has_first_reply: bool,
    pub has_messages: bool,
}

impl SlaScope {
    fn knows(self, target: Target) -> bool {
        match target {
            Target::FirstReply => self.has_first_reply,
            Target::NextReply => self.has_messages,
            Target::Resolution => self.has_status,
        }
    }
}

impl Accumulator for SlaAttainment {
    type Output = SlaReport;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        self.count(observed.sla.as_ref(), observed.ticket.is_solved());
    }

    fn merge(&mut self, other: SlaAttainment) {
        if self.policies.len() < other.policies.len() {
            self.policies
                .resize(other.policies.len(), PolicyCounts::default());
        }
        for (mine, theirs) in self.policies.iter_mut().zip(other.policies) {
            mine.merge(theirs);
        }
    }

    /// Null where the input cannot measure a target (`Facts::sla_scope`).
    fn finish(self, context: &Context<'_>) -> SlaReport {
        self.report(context.sla, context.facts.sla_scope())
    }
}

impl SlaAttainment {
    /// Counts a ticket's clocks under its policy (a ticket no policy applies to has none).
    fn count(&mut self, clocks: Option<&SlaClocks<'_>>, solved: bool) {
        let Some(clocks) = clocks else { return };
        let index = clocks.policy_index;
        if self.policies.len() <= index {
            self.policies.resize(index + 1, PolicyCounts::default());
        }
        let counts = &mut self.policies[index];
        counts.tickets += 1;
        for outcome in &clocks.outcomes {
            counts.targets.get_mut(outcome.target).count(outcome.state);
            if outcome.target == Target::Resolution
                && !solved
                && outcome.state == SlaState::Breached
            {
                counts.overdue += 1;
            }
        }
    }

    fn report(self, policies: &SlaPolicies, scope: SlaScope) -> SlaReport {
        let mut totals = PolicyCounts::default();
        let mut rows = Vec::new();
        for (index, policy) in policies.policies.iter().enumerate() {
            let counts = self.policies.get(index).cloned().unwrap_or_default();
            totals.merge(counts.clone());
            let attainment = |target: Target| {
                (scope.knows(target) && policy.target(target).is_some())
                    .then(|| counts.targets.get(target).finish())
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
            let any_policy = policies.policies.iter().any(|p| p.target(target).is_some());
            (scope.knows(target) && any_policy).then(|| totals.targets.get(target).finish())
        };
        SlaReport {
            first_reply: total(Target::FirstReply),
            next_reply: total(Target::NextReply),
            resolution: total(Target::Resolution),
            overdue_backlog: scope.has_status.then_some(totals.overdue),
            policies: rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::sla::Policy;
    use crate::model::tests::build;

    fn scope() -> SlaScope {
        SlaScope {
            has_status: true,
            has_first_reply: true,
            has_messages: true,
        }
    }

    #[test]
    fn each_clock_is_counted_under_its_own_target() {
        // Urgent policy (first reply 1 h, resolution 8 h), no next-reply target. The ticket
        // is answered after 2 h (first reply breached) and solved at 3 h (resolution met).
        let (tickets, _, as_of) = build(
            &[
                "A 0 message customer priority=urgent",
                "A 120 message agent",
                "A 180 status agent status=solved",
            ],
            None,
        );
        let policies = SlaPolicies::default();
        let urgent: &Policy = &policies.policies[0];
        let clocks = SlaClocks::evaluate(&tickets[0], 0, urgent, as_of, true, true);
        let mut attainment = SlaAttainment::default();
        attainment.count(Some(&clocks), true);
        let report = attainment.report(&policies, scope());
        let first_reply = report.first_reply.expect("a first-reply target");
        assert_eq!((first_reply.met, first_reply.breached), (0, 1));
        let resolution = report.resolution.expect("a resolution target");
        assert_eq!((resolution.met, resolution.breached), (1, 0));
        assert_eq!(
            report.next_reply, None,
            "no policy sets a next-reply target"
        );
        assert_eq!(report.policies[0].tickets, 1);
        assert_eq!(report.overdue_backlog, Some(0));
    }

    #[test]
    fn a_target_the_input_cannot_tell_is_null_for_every_policy() {
        let report = SlaAttainment::default().report(
            &SlaPolicies::default(),
            SlaScope {
                has_status: false,
                ..scope()
            },
        );
        assert_eq!(report.resolution, None);
        assert_eq!(report.overdue_backlog, None);
        assert!(report.policies.iter().all(|p| p.resolution.is_none()));
        assert!(report.first_reply.is_some());
    }
}
