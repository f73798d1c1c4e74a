//! KPIs over tickets. Each family is an [`Accumulator`]: it observes tickets one at a time,
//! merges with another built from other tickets, and finishes into its figures, so that
//! groups, periods and threads can each keep one and combine them ([`fold`]).
//!
//! Whether the input can support a KPI at all is decided in one place, [`availability`]:
//! [`KpiAccumulator::finish`] makes a KPI null by its rule, whatever the accumulator holds.

pub mod availability;
pub mod backlog;
pub mod contact_centre;
pub mod desk_sla;
pub mod distribution;
pub mod fold;
pub mod group;
pub mod handle;
mod kpis;
pub mod periods;
pub mod quality;
pub mod rate;
pub mod resolution;
pub mod responses;
pub mod settled;
pub mod sla;
pub mod status_durations;
pub mod surveys;
pub mod time_of_day;
pub mod volume;

pub use kpis::{Interactions, KpiAccumulator, KpiBlock};

use crate::model::Ticket;
use crate::schedule::Schedule;
use crate::symbols::Symbols;
use crate::time::Instant;
use availability::Facts;
use contact_centre::ContactCentreSettings;
use sla::{SlaClocks, SlaPolicies};
use surveys::CsatScale;

/// What every KPI needs to know beyond the ticket itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub as_of: Instant,
    pub csat: CsatScale,
    pub sla: &'a SlaPolicies,
    /// Business hours for the `*_business` durations, when configured.
    pub schedule: Option<&'a Schedule>,
    /// A reopen later than this (seconds) after its resolution does not break FCR.
    pub fcr_reopen_window: Option<f64>,
    pub symbols: &'a Symbols,
    /// What the input can tell: a KPI it cannot support is null.
    pub facts: Facts<'a>,
    /// Service level threshold, short abandons and abandon policy of the calls.
    pub contact_centre: ContactCentreSettings,
}

impl<'a> Context<'a> {
    /// The ticket's clocks under the SLA policy that applies to it, if one does.
    pub fn sla_clocks(&self, ticket: &Ticket) -> Option<SlaClocks<'a>> {
        let index = self.sla.select(ticket, self.symbols)?;
        Some(SlaClocks::evaluate(
            ticket,
            index,
            &self.sla.policies[index],
            self.as_of,
            self.facts.has_status,
            self.facts.coverage.per_event,
        ))
    }
}

/// A ticket as the accumulators observe it: the ticket, and what is derived from it once for
/// all of them (the clocks of its SLA policy), however many observe it (the overall block,
/// its group, its period).
pub struct Observed<'t> {
    pub ticket: &'t Ticket,
    pub sla: Option<SlaClocks<'t>>,
}

impl<'t> Observed<'t> {
    pub fn new(ticket: &'t Ticket, context: &Context<'t>) -> Observed<'t> {
        Observed {
            ticket,
            sla: context.sla_clocks(ticket),
        }
    }
}

/// A KPI family's running state over a set of tickets, in the spirit of xsv's `Commute` and
/// DataFusion's `Accumulator`.
///
/// `merge` takes the state of other tickets (the tickets of `other` after those of `self`),
/// and finishing the merge gives exactly what one pass over all of them gives: the fold over
/// tickets splits them over threads and merges the parts ([`fold`]). Figures that depend on
/// order (a mean, a percentile) are computed from sorted values in `finish`, never as they
/// come.
pub trait Accumulator {
    /// What the finished state is.
    type Output;

    fn observe(&mut self, ticket: &Observed<'_>, context: &Context<'_>);

    fn merge(&mut self, other: Self);

    /// The figures, as far as the state goes: availability is applied by the caller
    /// ([`KpiAccumulator::finish`]) unless noted.
    fn finish(self, context: &Context<'_>) -> Self::Output;
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::{Coverage, RowFacts};

    /// Row facts as the ingest layer would gather them from these tickets' messages.
    pub(crate) fn row_facts(tickets: &[Ticket]) -> RowFacts {
        let mut facts = RowFacts {
            customer_messages: tickets.iter().map(|t| u64::from(t.customer_messages)).sum(),
            agent_messages: tickets.iter().map(|t| u64::from(t.replies)).sum(),
            bot_messages: tickets.iter().map(|t| u64::from(t.bot_messages)).sum(),
            ..RowFacts::default()
        };
        facts.message_rows = facts.customer_messages + facts.agent_messages + facts.bot_messages;
        facts
    }

    /// A context for unit tests: the default SLA policies and CSAT scale, no schedule, an
    /// input with every column.
    pub(crate) fn context<'a>(
        as_of: Instant,
        has_status: bool,
        sla: &'a SlaPolicies,
        symbols: &'a Symbols,
        coverage: &'a Coverage,
        rows: &'a RowFacts,
    ) -> Context<'a> {
        Context {
            as_of,
            csat: CsatScale::default(),
            sla,
            schedule: None,
            fcr_reopen_window: None,
            symbols,
            facts: Facts {
                coverage,
                rows,
                has_status,
                schedule: false,
                next_reply_target: false,
            },
            contact_centre: ContactCentreSettings::default(),
        }
    }
}
