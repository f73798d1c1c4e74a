//! Data-quality findings: what the input says that cannot be right, counted and reported
//! rather than averaged into the KPIs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Accumulator, Context, Observed};
use crate::ingest::values::{KeywordStatus, ValueFindings};
use crate::symbols::Sym;
use rustc_hash::FxHashMap;

/// Negative durations (a reply or resolution dated before the ticket's start: clocks that
/// disagree between systems) are left out of the distributions and counted here.
pub fn is_plausible(seconds: f64) -> bool {
    seconds >= 0.0
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Quality {
    negative_first_response: u64,
    negative_resolution: u64,
    several_channels: u64,
    several_priorities: u64,
    /// Tickets by their priority at as_of.
    priorities: FxHashMap<Sym, u64>,
}

/// What the tickets themselves show (the rest of [`DataQuality`] comes from reading the rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFindings {
    pub negative_durations: NegativeDurations,
    pub tickets_on_several_channels: u64,
    pub tickets_with_several_priorities: u64,
    pub unknown_priorities: BTreeMap<String, u64>,
}

/// What reading the rows found, before there were tickets.
#[derive(Debug, Clone, Copy)]
pub struct RowFindings<'a> {
    pub rows_rejected: u64,
    pub duplicate_events: u64,
    pub repeated_rows: u64,
    pub values: &'a ValueFindings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NegativeDurations {
    pub first_response: u64,
    pub resolution: u64,
}

/// The findings of a whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataQuality {
    /// Rows rejected (see input.rejects_by_reason).
    pub rows_rejected: u64,
    /// Rows repeating verbatim a row of an earlier input file (same ticket and timestamp):
    /// counted once.
    pub duplicate_events: u64,
    /// Durations below zero, left out of the distributions.
    pub negative_durations: NegativeDurations,
    /// Notes, not errors: rows repeated verbatim within one file (kept: logs with coarse
    /// timestamps repeat status changes), tickets whose messages came over several channels,
    /// or whose priority changed.
    pub repeated_rows_within_a_file: u64,
    pub tickets_on_several_channels: u64,
    pub tickets_with_several_priorities: u64,
    /// Notes: status values outside the vocabulary, read by keyword (docs/mappings.md): value
    /// as written -> category and rows.
    pub statuses_by_keyword: BTreeMap<String, KeywordStatus>,
    /// Notes: source column -> rows whose date there was a "no date" placeholder, read as empty.
    pub placeholder_dates: BTreeMap<String, u64>,
    /// Notes: priorities that are no SLA level (urgent, high, normal, low) and no policy's
    /// condition, so the SLA targets read them as normal: value -> tickets.
    pub unknown_priorities: BTreeMap<String, u64>,
}

impl DataQuality {
    pub fn new(tickets: TicketFindings, rows: RowFindings<'_>) -> DataQuality {
        DataQuality {
            statuses_by_keyword: rows.values.statuses_by_keyword.clone(),
            placeholder_dates: rows.values.placeholder_dates.clone(),
            unknown_priorities: tickets.unknown_priorities,
            rows_rejected: rows.rows_rejected,
            duplicate_events: rows.duplicate_events,
            repeated_rows_within_a_file: rows.repeated_rows,
            negative_durations: tickets.negative_durations,
            tickets_on_several_channels: tickets.tickets_on_several_channels,
            tickets_with_several_priorities: tickets.tickets_with_several_priorities,
        }
    }

    /// Findings that `--strict` turns into an error (the notes are not among them).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut note = |count: u64, what: &str| {
            if count > 0 {
                problems.push(format!("{count} {what}"));
            }
        };
        note(self.rows_rejected, "rejected rows");
        note(self.duplicate_events, "duplicate events");
        note(
            self.negative_durations.first_response,
            "negative first response times",
        );
        note(
            self.negative_durations.resolution,
            "negative resolution times",
        );
        problems
    }
}

impl Accumulator for Quality {
    type Output = TicketFindings;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        let ticket = observed.ticket;
        // A call's answer is not a first response (its clocks may differ by a second from
        // the arrival's, as the call-centre logs' do): only messaging tickets count here.
        if ticket.call.is_none()
            && ticket
                .first_response_seconds()
                .is_some_and(|s| !is_plausible(s))
        {
            self.negative_first_response += 1;
        }
        let negative = |seconds: Option<f64>| seconds.is_some_and(|s| !is_plausible(s));
        if negative(ticket.resolution_seconds()) || negative(ticket.first_resolution_seconds()) {
            self.negative_resolution += 1;
        }
        self.several_channels += u64::from(ticket.message_channels > 1);
        self.several_priorities += u64::from(ticket.priorities > 1);
        if let Some(priority) = ticket.priority.non_empty() {
            *self.priorities.entry(priority).or_default() += 1;
        }
    }

    fn merge(&mut self, other: Quality) {
        self.negative_first_response += other.negative_first_response;
        self.negative_resolution += other.negative_resolution;
        self.several_channels += other.several_channels;
        self.several_priorities += other.several_priorities;
        for (priority, tickets) in other.priorities {
            *self.priorities.entry(priority).or_default() += tickets;
        }
    }

    fn finish(self, context: &Context<'_>) -> TicketFindings {
        TicketFindings {
            unknown_priorities: self.unknown_priorities(context),
            negative_durations: NegativeDurations {
                first_response: self.negative_first_response,
                resolution: self.negative_resolution,
            },
            tickets_on_several_channels: self.several_channels,
            tickets_with_several_priorities: self.several_priorities,
        }
    }
}

impl Quality {
    /// Rewrites its symbols through `map` (old index -> new symbol): how a state built with
    /// another symbol table (another partition of the DataFusion engine) joins this one's.
    pub fn remap_symbols(&mut self, map: &[Sym]) {
        let priorities = std::mem::take(&mut self.priorities);
        for (priority, tickets) in priorities {
            *self.priorities.entry(priority.remapped(map)).or_default() += tickets;
        }
    }

    /// The contract reads an empty or unknown priority as normal; a value the SLA policies
    /// name is known to them.
    fn unknown_priorities(&self, context: &Context<'_>) -> BTreeMap<String, u64> {
        let named = |name: &str| {
            ["urgent", "high", "normal", "low"].contains(&name)
                || context
                    .sla
                    .policies
                    .iter()
                    .any(|policy| policy.conditions.priority.iter().any(|p| p == name))
        };
        self.priorities
            .iter()
            .map(|(priority, tickets)| (context.symbols.name(*priority), *tickets))
            .filter(|(name, _)| !named(name))
            .map(|(name, tickets)| (name.to_owned(), tickets))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Coverage, RowFacts};
    use crate::metrics::sla::{Conditions, SlaPolicies};
    use crate::metrics::tests::context;
    use crate::model::tests::build;

    fn quality(rows: &[&str], sla: &SlaPolicies) -> DataQuality {
        let (tickets, symbols, as_of) = build(rows, None);
        let coverage = Coverage::full();
        let row_facts = RowFacts::default();
        let context = context(as_of, false, sla, &symbols, &coverage, &row_facts);
        let mut quality = Quality::default();
        for ticket in &tickets {
            quality.observe(&Observed::new(ticket, &context), &context);
        }
        let values = ValueFindings::default();
        let rows = RowFindings {
            rows_rejected: 0,
            duplicate_events: 0,
            repeated_rows: 0,
            values: &values,
        };
        DataQuality::new(quality.finish(&context), rows)
    }

    /// A ticket row answered 5 seconds before its creation; a call when `call` is set.
    fn answered_before_creation(call: bool) -> crate::model::Ticket {
        use crate::ingest::ticket_record::CallRecord;
        use crate::ingest::{DeskFigures, TicketRecord};
        let created_at = 1_000 * crate::time::MICROS_PER_SECOND;
        let record = TicketRecord {
            id: "T".to_owned(),
            created_at,
            first_reply_at: Some(created_at - 5 * crate::time::MICROS_PER_SECOND),
            solved_at: None,
            first_resolved_at: None,
            closed_at: None,
            status: None,
            reopens: None,
            replies: None,
            customer_messages: None,
            csat: None,
            nps: None,
            handle_seconds: None,
            attributes: Default::default(),
            extras: Default::default(),
            order: None,
            desk: DeskFigures::default(),
            call: call.then_some(CallRecord {
                answered: true,
                queued_at: None,
                queue_exit_at: None,
                speed_of_answer_seconds: None,
            }),
        };
        crate::model::Ticket::from_record(record, created_at).expect("created by as_of")
    }

    #[test]
    fn a_call_answered_before_its_arrival_is_no_negative_first_response() {
        let symbols = crate::symbols::Symbols::default();
        let coverage = Coverage::full();
        let row_facts = RowFacts::default();
        let sla = SlaPolicies::default();
        let context = context(0, false, &sla, &symbols, &coverage, &row_facts);
        let count = |ticket: &crate::model::Ticket| {
            let mut quality = Quality::default();
            quality.observe(&Observed::new(ticket, &context), &context);
            quality.finish(&context).negative_durations.first_response
        };
        assert_eq!(count(&answered_before_creation(false)), 1, "a ticket row");
        assert_eq!(count(&answered_before_creation(true)), 0, "a call");
    }

    #[test]
    fn priorities_outside_the_levels_and_policies_are_counted_per_ticket() {
        let rows = [
            "A 0 message customer priority=P3",
            "A 1 message agent priority=p3",
            "B 0 message customer priority=p3",
            "C 0 message customer priority=medium",
            "C 1 message agent priority=high",
            "D 0 message customer priority=Urgent",
            "E 0 message customer",
        ];
        let found = quality(&rows, &SlaPolicies::default());
        // C is high at as-of (its last priority); E has none, which is no value.
        assert_eq!(
            found.unknown_priorities,
            BTreeMap::from([("p3".to_owned(), 2)])
        );
        assert!(found.problems().is_empty(), "a note, not a problem");
        let mut named = SlaPolicies::default();
        named.policies[0].conditions = Conditions {
            priority: vec!["p3".to_owned()],
            ..Conditions::default()
        };
        assert!(quality(&rows, &named).unknown_priorities.is_empty());
    }
}
