//! Breakdowns: one KPI block per group (`--by`) and per calendar period (`--period`).

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;
use serde::Serialize;

use super::backlog::{AgeBuckets, Backlog, open_by_age};
use super::{Context, KpiAccumulator, KpiBlock};
use crate::model::Ticket;
use crate::symbols::Sym;
use crate::time::{Instant, Period, PeriodBucket, format_rfc3339};

/// A ticket attribute to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Dimension {
    Channel,
    Agent,
    Team,
    Priority,
    Category,
}

impl Dimension {
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Priority => "priority",
            Dimension::Category => "category",
        }
    }

    pub fn of(self, ticket: &Ticket) -> Sym {
        match self {
            Dimension::Channel => ticket.channel,
            Dimension::Agent => ticket.agent,
            Dimension::Team => ticket.team,
            Dimension::Priority => ticket.priority,
            Dimension::Category => ticket.category,
        }
    }
}

/// Tickets grouped by the combination of one or more dimensions (`--by a --by b` groups by
/// the pair, like SQL's GROUP BY a, b).
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    dimensions: Vec<Dimension>,
    groups: HashMap<Vec<Sym>, KpiAccumulator>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupBlock {
    /// Dimension name -> group value (lowercase; `(none)` when empty).
    pub by: BTreeMap<String, String>,
    pub kpis: KpiBlock,
}

impl Breakdown {
    pub fn new(dimensions: Vec<Dimension>) -> Breakdown {
        Breakdown {
            dimensions,
            groups: HashMap::new(),
        }
    }

    pub fn observe(&mut self, ticket: &Ticket, context: &Context<'_>) {
        if self.dimensions.is_empty() {
            return;
        }
        let key: Vec<Sym> = self.dimensions.iter().map(|d| d.of(ticket)).collect();
        self.groups.entry(key).or_default().observe(ticket, context);
    }

    pub fn merge(&mut self, other: Breakdown) {
        for (key, accumulator) in other.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(accumulator),
                None => {
                    self.groups.insert(key, accumulator);
                }
            }
        }
    }

    /// Groups with the most tickets first; ties by their labels, so output is stable.
    pub fn finish(self, context: &Context<'_>) -> Vec<GroupBlock> {
        let mut groups: Vec<GroupBlock> = self
            .groups
            .into_iter()
            .map(|(key, accumulator)| GroupBlock {
                by: self
                    .dimensions
                    .iter()
                    .zip(&key)
                    .map(|(d, sym)| (d.name().to_owned(), context.symbols.label(*sym).to_owned()))
                    .collect(),
                kpis: accumulator.finish(context),
            })
            .collect();
        groups.sort_by(|a, b| {
            b.kpis
                .tickets
                .cmp(&a.kpis.tickets)
                .then_with(|| a.by.cmp(&b.by))
        });
        groups
    }
}

/// The backlog at the end of a period and its ages, by one rule so that the total is always
/// the sum of the ages. At `as_of` (or later) it is the open backlog. Earlier it needs to
/// know when each ticket was solved: unknown (null) for a ticket table without solved times,
/// and when a ticket created by then is solved at `as_of` without a date (an abandoned call
/// of a call log, "closed" with no time): its state then is unknown, and counting it open
/// would grow the backlog by every such ticket, period after period.
fn backlog_at(
    tickets: &[Ticket],
    at: Instant,
    context: &Context<'_>,
) -> (Option<u64>, Option<AgeBuckets>) {
    if !context.has_status {
        return (None, None);
    }
    if at >= context.as_of {
        let mut backlog = Backlog::default();
        for ticket in tickets {
            backlog.observe(ticket, context.as_of);
        }
        return match backlog.finish(true) {
            Some(report) => (Some(report.open), Some(report.age)),
            None => (None, None),
        };
    }
    let undated = |t: &Ticket| t.created_at <= at && t.is_solved() && t.solved_changes.is_empty();
    let dated = context
        .facts
        .allows(super::availability::Kpi::ResolutionTime);
    if !dated || tickets.iter().any(undated) {
        return (None, None);
    }
    let ages = open_by_age(tickets, at);
    let total = ages.labelled().iter().map(|(_, n)| n).sum();
    (Some(total), Some(ages))
}

/// Which part of time the input covers: from `--since` (else the first ticket's creation) to
/// `--until` or `as_of`, whichever is earlier. A period wholly inside it is complete.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    since: Option<Instant>,
    until: Option<Instant>,
}

impl Window {
    /// Whether `[start, end)` lies within what the input covers: neither the first period the
    /// data starts in the middle of, nor the one `as_of` falls in, is complete.
    fn covers(&self, start: Instant, end: Instant, first_ticket: Instant, as_of: Instant) -> bool {
        let from = self.since.unwrap_or(first_ticket);
        let to = self.until.map_or(as_of, |until| until.min(as_of));
        start >= from && end - 1 <= to
    }
}

/// Tickets bucketed by the calendar period of their creation, in the report's time zone.
#[derive(Debug, Clone)]
pub struct Periods {
    period: Period,
    tz: Tz,
    window: Window,
    buckets: BTreeMap<Instant, (PeriodBucket, KpiAccumulator)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodBlock {
    /// `2026-03-02` (day), `2026-W10` (ISO week), `2026-03` (month).
    pub period: String,
    pub start: String,
    pub end: String,
    /// Whether the input covers the whole period: false for the period `as_of` (or
    /// `--until`) falls in and for the one the data starts in the middle of. Its figures are
    /// not comparable with a whole period's.
    pub complete: bool,
    /// Tickets open at the end of the period (or at as_of, for the last); null without status.
    pub backlog_at_end: Option<u64>,
    /// Their ages then (they add up to `backlog_at_end`); null where it is.
    pub backlog_age_at_end: Option<AgeBuckets>,
    pub kpis: KpiBlock,
}

impl Periods {
    pub fn new(period: Period, tz: Tz) -> Periods {
        Periods {
            period,
            tz,
            window: Window::default(),
            buckets: BTreeMap::new(),
        }
    }

    /// The `--since` and `--until` the tickets were chosen by, so that a period they cut is
    /// known to be partial.
    pub fn within(mut self, since: Option<Instant>, until: Option<Instant>) -> Periods {
        self.window = Window { since, until };
        self
    }

    pub fn observe(&mut self, ticket: &Ticket, context: &Context<'_>) {
        let bucket = self.period.bucket_of(ticket.created_at, self.tz);
        self.buckets
            .entry(bucket.start)
            .or_insert_with(|| (bucket, KpiAccumulator::default()))
            .1
            .observe(ticket, context);
    }

    pub fn merge(&mut self, other: Periods) {
        for (start, (bucket, accumulator)) in other.buckets {
            match self.buckets.get_mut(&start) {
                Some((_, mine)) => mine.merge(accumulator),
                None => {
                    self.buckets.insert(start, (bucket, accumulator));
                }
            }
        }
    }

    /// Every period from the first ticket's to the last's, the empty ones included, so that a
    /// trend has no silent gaps.
    pub fn finish(mut self, context: &Context<'_>, tickets: &[Ticket]) -> Vec<PeriodBlock> {
        let (Some(first), Some(last_end)) = (
            self.buckets.keys().next().copied(),
            self.buckets.values().map(|(bucket, _)| bucket.end).max(),
        ) else {
            return Vec::new();
        };
        let mut buckets = Vec::new();
        let mut at = first;
        while at < last_end {
            // Buckets are found by their own start: where a zone repeats midnight, a period
            // starts before the previous one ends.
            let bucket = self.period.bucket_of(at, self.tz);
            let entry = self
                .buckets
                .remove(&bucket.start)
                .unwrap_or_else(|| (bucket, KpiAccumulator::default()));
            // Strictly later, whatever a zone's clock does.
            at = entry.0.end.max(at + 1);
            buckets.push(entry);
        }
        // Anything the walk could not reach (none is known) is still reported.
        buckets.extend(self.buckets.into_values());
        buckets.sort_by_key(|(bucket, _)| bucket.start);
        let first_ticket = tickets.iter().map(|t| t.created_at).min().unwrap_or(first);
        let window = self.window;
        buckets
            .into_iter()
            .map(|(bucket, accumulator)| {
                // The state at the period's last instant, but never beyond what we know.
                let end_instant = (bucket.end - 1).min(context.as_of);
                let (backlog_at_end, backlog_age_at_end) =
                    backlog_at(tickets, end_instant, context);
                PeriodBlock {
                    period: bucket.label.clone(),
                    start: format_rfc3339(bucket.start),
                    end: format_rfc3339(bucket.end),
                    complete: window.covers(bucket.start, bucket.end, first_ticket, context.as_of),
                    backlog_at_end,
                    backlog_age_at_end,
                    kpis: accumulator.finish(context),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Instant = 3_600_000_000;

    #[test]
    fn a_window_covers_the_periods_between_the_data_start_and_as_of() {
        let (first_ticket, as_of) = (10 * HOUR, 100 * HOUR);
        let window = Window::default();
        assert!(
            !window.covers(0, 24 * HOUR, first_ticket, as_of),
            "data starts inside"
        );
        assert!(window.covers(24 * HOUR, 48 * HOUR, first_ticket, as_of));
        assert!(
            window.covers(76 * HOUR, 100 * HOUR + 1, first_ticket, as_of),
            "as_of is its last instant"
        );
        assert!(
            !window.covers(96 * HOUR, 120 * HOUR, first_ticket, as_of),
            "as_of inside"
        );
    }

    #[test]
    fn since_and_until_state_what_the_input_covers() {
        let (first_ticket, as_of) = (10 * HOUR, 100 * HOUR);
        let since = Window {
            since: Some(0),
            until: None,
        };
        assert!(since.covers(0, 24 * HOUR, first_ticket, as_of));
        let until = Window {
            since: None,
            until: Some(48 * HOUR - 1),
        };
        assert!(until.covers(24 * HOUR, 48 * HOUR, first_ticket, as_of));
        assert!(!until.covers(48 * HOUR, 72 * HOUR, first_ticket, as_of));
    }
}
