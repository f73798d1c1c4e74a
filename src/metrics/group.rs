//! Breakdowns: one KPI block per group (`--by`) and per calendar period (`--period`).

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;
use serde::Serialize;

use super::backlog::{AgeBuckets, open_at, open_by_age};
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

/// The backlog at the end of a period: at `as_of` it is the open backlog; earlier it needs
/// dated resolutions, which a ticket table without solved times lacks.
fn backlog_at(tickets: &[Ticket], at: Instant, context: &Context<'_>) -> Option<u64> {
    if !context.has_status {
        return None;
    }
    if at >= context.as_of {
        return Some(tickets.iter().filter(|t| !t.is_solved()).count() as u64);
    }
    // Earlier states need dated resolutions.
    context
        .facts
        .allows(super::availability::Kpi::ResolutionTime)
        .then(|| open_at(tickets, at))
}

/// Tickets bucketed by the calendar period of their creation, in the report's time zone.
#[derive(Debug, Clone)]
pub struct Periods {
    period: Period,
    tz: Tz,
    buckets: BTreeMap<Instant, (PeriodBucket, KpiAccumulator)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodBlock {
    /// `2026-03-02` (day), `2026-W10` (ISO week), `2026-03` (month).
    pub period: String,
    pub start: String,
    pub end: String,
    /// Tickets open at the end of the period (or at as_of, for the last); null without status.
    pub backlog_at_end: Option<u64>,
    /// Their ages then; null where `backlog_at_end` is, and for ticket tables without dated
    /// resolutions.
    pub backlog_age_at_end: Option<AgeBuckets>,
    pub kpis: KpiBlock,
}

impl Periods {
    pub fn new(period: Period, tz: Tz) -> Periods {
        Periods {
            period,
            tz,
            buckets: BTreeMap::new(),
        }
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
        buckets
            .into_iter()
            .map(|(bucket, accumulator)| {
                // The state at the period's last instant, but never beyond what we know.
                let end_instant = (bucket.end - 1).min(context.as_of);
                PeriodBlock {
                    period: bucket.label.clone(),
                    start: format_rfc3339(bucket.start),
                    end: format_rfc3339(bucket.end),
                    backlog_at_end: backlog_at(tickets, end_instant, context),
                    backlog_age_at_end: (context.has_status
                        && context
                            .facts
                            .allows(super::availability::Kpi::ResolutionTime))
                    .then(|| open_by_age(tickets, end_instant)),
                    kpis: accumulator.finish(context),
                }
            })
            .collect()
    }
}
