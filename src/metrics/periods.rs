//! The breakdown by calendar period (`--period`): one KPI block per period of creation, in
//! the report's time zone, every period from the first ticket's to the last's, with the
//! backlog at each one's end; and the bound on how many a report lists.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::Serialize;

use super::backlog::{AgeBuckets, BacklogReport, BacklogsAt, EarlierBacklog};
use super::{Accumulator, Context, KpiAccumulator, KpiBlock, Observed};
use crate::model::Ticket;
use crate::names::Named as _;
use crate::time::{Instant, Period, PeriodBucket, format_rfc3339};

/// More periods than anyone reads (27 years of days, 190 of weeks, 833 of months), and a
/// bound on the period table: each period is a whole KPI block.
pub const MAX_PERIODS: u64 = 10_000;

/// What one reported period takes in memory (9,862 daily periods took 63 MB of peak RSS in
/// a table report), for `--max-memory`.
pub const PERIOD_BYTES: u64 = 7 << 10;

/// A `--period` over a range that would list too many periods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "from {from} to {to}, --period {period} would list about {} periods, {reason}; narrow the \
     range with --since/--until{}",
    crate::report::text::count(*periods),
    if *period == "month" { "" } else { ", or take a longer --period" }
)]
pub struct TooManyPeriods {
    pub from: String,
    pub to: String,
    pub period: &'static str,
    pub periods: u64,
    pub reason: String,
}

/// Refuses a period table too long to report or to hold, before it is made: `first` and
/// `last` are the first and last creation instants that will be reported.
pub fn check_period_count(
    period: Period,
    tz: Tz,
    first: Instant,
    last: Instant,
    memory_limit: Option<u64>,
) -> Result<u64, TooManyPeriods> {
    let periods = period.count(first, last, tz);
    let needed = periods.saturating_mul(PERIOD_BYTES);
    let reason = if periods > MAX_PERIODS {
        format!(
            "more than the {} a report lists at most",
            crate::report::text::count(MAX_PERIODS)
        )
    } else if let Some(limit) = memory_limit.filter(|limit| needed > *limit) {
        format!(
            "taking about {} MB, more than the limit of {} MB (--max-memory)",
            needed >> 20,
            limit >> 20
        )
    } else {
        return Ok(periods);
    };
    let day = |at: Instant| format_rfc3339(at).chars().take(10).collect::<String>();
    Err(TooManyPeriods {
        from: day(first),
        to: day(last),
        period: period.as_str(),
        periods,
        reason,
    })
}

/// Which part of time the input covers: from `--since` (else the first ticket's creation) to
/// `--until` or `as_of`, whichever is earlier. A period wholly inside it is complete.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Periods {
    period: Period,
    tz: Tz,
    window: Window,
    buckets: BTreeMap<Instant, (PeriodBucket, KpiAccumulator)>,
    /// The first creation observed: where the data starts (see `Window::covers`).
    first_ticket: Option<Instant>,
}

/// The periods' KPI blocks, every period from the first ticket's to the last's; their
/// backlog at end comes from all the tickets at once ([`PeriodKpis::with_backlogs`]).
#[derive(Debug, Clone)]
pub struct PeriodKpis {
    periods: Vec<(PeriodBucket, KpiBlock)>,
    window: Window,
    first_ticket: Option<Instant>,
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
            window: Window::default(),
            buckets: BTreeMap::new(),
            first_ticket: None,
        }
    }

    /// The `--since` and `--until` the tickets were chosen by, so that a period they cut is
    /// known to be partial.
    pub fn within(mut self, since: Option<Instant>, until: Option<Instant>) -> Periods {
        self.window = Window { since, until };
        self
    }
}

impl Accumulator for Periods {
    type Output = PeriodKpis;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let created = observed.ticket.created_at;
        self.first_ticket = Some(
            self.first_ticket
                .map_or(created, |first| first.min(created)),
        );
        let bucket = self.period.bucket_of(created, self.tz);
        self.buckets
            .entry(bucket.start)
            .or_insert_with(|| (bucket, KpiAccumulator::default()))
            .1
            .observe(observed, context);
    }

    /// `other` has the same period, zone and window.
    fn merge(&mut self, other: Periods) {
        self.first_ticket = match (self.first_ticket, other.first_ticket) {
            (Some(mine), Some(theirs)) => Some(mine.min(theirs)),
            (mine, theirs) => mine.or(theirs),
        };
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
    fn finish(mut self, context: &Context<'_>) -> PeriodKpis {
        let mut buckets = Vec::new();
        if let (Some(first), Some(last_end)) = (
            self.buckets.keys().next().copied(),
            self.buckets.values().map(|(bucket, _)| bucket.end).max(),
        ) {
            let mut at = first;
            while at < last_end {
                // Buckets are found by their own start: where a zone repeats midnight, a
                // period starts before the previous one ends.
                let bucket = self.period.bucket_of(at, self.tz);
                let entry = self
                    .buckets
                    .remove(&bucket.start)
                    .unwrap_or_else(|| (bucket, KpiAccumulator::default()));
                // Strictly later, whatever a zone's clock does.
                at = entry.0.end.max(at + 1);
                buckets.push(entry);
            }
        }
        // Anything the walk could not reach (none is known) is still reported.
        buckets.extend(self.buckets.into_values());
        buckets.sort_by_key(|(bucket, _)| bucket.start);
        PeriodKpis {
            periods: buckets
                .into_iter()
                .map(|(bucket, accumulator)| (bucket, accumulator.finish(context)))
                .collect(),
            window: self.window,
            first_ticket: self.first_ticket,
        }
    }
}

impl PeriodKpis {
    /// The periods with the backlog at each one's end: `tickets` are the tickets observed,
    /// `open_at_as_of` the overall backlog (the last periods end at `as_of`, where the
    /// backlog is the open one, by status).
    pub fn with_backlogs(
        self,
        tickets: &[Ticket],
        open_at_as_of: Option<&BacklogReport>,
        context: &Context<'_>,
        earlier: Option<&EarlierBacklog>,
    ) -> Vec<PeriodBlock> {
        // The state at each period's last instant, but never beyond what we know.
        let ends: Vec<Instant> = self
            .periods
            .iter()
            .map(|(bucket, _)| (bucket.end - 1).min(context.as_of))
            .collect();
        let backlogs = BacklogsAt::sweep(tickets, &ends, open_at_as_of, context, earlier);
        let window = self.window;
        let first_ticket = self.first_ticket;
        self.periods
            .into_iter()
            .zip(ends)
            .map(|((bucket, kpis), end)| {
                let (backlog_at_end, backlog_age_at_end) = backlogs.at(end);
                PeriodBlock {
                    period: bucket.label.clone(),
                    start: format_rfc3339(bucket.start),
                    end: format_rfc3339(bucket.end),
                    complete: window.covers(
                        bucket.start,
                        bucket.end,
                        first_ticket.unwrap_or(bucket.start),
                        context.as_of,
                    ),
                    backlog_at_end,
                    backlog_age_at_end,
                    kpis,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Coverage, RowFacts};
    use crate::metrics::backlog::Backlog;
    use crate::metrics::backlog::tests::{scan, tickets_of};
    use crate::metrics::sla::SlaPolicies;
    use crate::metrics::tests::context;
    use crate::symbols::Symbols;

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

    #[test]
    fn daily_periods_over_years_are_linear_in_tickets_and_periods() {
        // 20,000 tickets over ten years, open from one to sixty days: 3,653 daily periods.
        // Scanning every ticket for every period's end took minutes in a debug build.
        let spec: Vec<(i64, Vec<(i64, bool)>)> = (0..20_000i64)
            .map(|i| (i * 263 % (3652 * 1440), vec![((i % 60 + 1) * 1440, true)]))
            .collect();
        let (tickets, _) = tickets_of(&spec);
        let symbols = Symbols::default();
        let sla = SlaPolicies::default();
        let as_of = tickets
            .iter()
            .map(|t| t.created_at)
            .max()
            .unwrap_or_default();
        let coverage = Coverage::full();
        let row_facts = RowFacts::default();
        let context = context(as_of, true, &sla, &symbols, &coverage, &row_facts);
        let mut periods = Periods::new(Period::Day, Tz::UTC);
        let mut open = Backlog::default();
        for ticket in &tickets {
            let observed = Observed::new(ticket, &context);
            periods.observe(&observed, &context);
            open.observe(&observed, &context);
        }
        let open = open.finish(&context);
        let blocks = periods
            .finish(&context)
            .with_backlogs(&tickets, Some(&open), &context, None);
        assert!(blocks.len() >= 3650, "{} periods", blocks.len());
        let tickets_in: u64 = blocks.iter().map(|b| b.kpis.tickets).sum();
        assert_eq!(tickets_in, 20_000);
        // Spot checks against the scan.
        for block in blocks.iter().step_by(500) {
            let end = chrono::DateTime::parse_from_rfc3339(&block.end)
                .unwrap()
                .timestamp_micros();
            let at = (end - 1).min(as_of);
            let ages = block.backlog_age_at_end.unwrap();
            let expected = scan(&tickets, at);
            assert_eq!(ages.from_7d_to_30d, expected[3]);
            assert_eq!(block.backlog_at_end, Some(expected.iter().sum()));
        }
    }
}
