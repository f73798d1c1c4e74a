//! Breakdowns: one KPI block per group (`--by`) and per calendar period (`--period`).

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;
use serde::Serialize;

use super::backlog::{AGE_BUCKETS, AgeBuckets, Backlog};
use super::{Context, KpiAccumulator, KpiBlock};
use crate::model::Ticket;
use crate::names::{self, Named, UnknownName};
use crate::symbols::Sym;
use crate::time::{Instant, Period, PeriodBucket, format_rfc3339};

/// A ticket attribute to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Channel,
    Agent,
    Team,
    Priority,
    Category,
}

impl Named for Dimension {
    const ALL: &'static [Dimension] = &[
        Dimension::Channel,
        Dimension::Agent,
        Dimension::Team,
        Dimension::Priority,
        Dimension::Category,
    ];
    const WHAT: &'static str = "dimension";

    fn as_str(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Priority => "priority",
            Dimension::Category => "category",
        }
    }
}

impl std::str::FromStr for Dimension {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Dimension, UnknownName> {
        names::parse(text)
    }
}

impl Dimension {
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
    /// Dimension name -> group value (lowercase); `None` (JSON null) for tickets without
    /// one, kept apart from any real value, a value written `(none)` included.
    pub by: BTreeMap<String, Option<String>>,
    pub kpis: KpiBlock,
}

impl GroupBlock {
    /// The group's value of `dimension` as people read it: `(none)` for no value.
    pub fn label(&self, dimension: &str) -> std::borrow::Cow<'_, str> {
        crate::symbols::label_of(self.by.get(dimension).and_then(Option::as_deref))
    }
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
                    .map(|(d, sym)| {
                        let value = sym.non_empty().map(|sym| context.symbols.name(sym));
                        (d.as_str().to_owned(), value.map(str::to_owned))
                    })
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
    super::super::report::text::count(*periods),
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
        // The state at each period's last instant, but never beyond what we know.
        let ends: Vec<Instant> = buckets
            .iter()
            .map(|(bucket, _)| (bucket.end - 1).min(context.as_of))
            .collect();
        let backlogs = Backlogs::at(tickets, &ends, context);
        let first_ticket = tickets.iter().map(|t| t.created_at).min().unwrap_or(first);
        let window = self.window;
        buckets
            .into_iter()
            .zip(ends)
            .map(|((bucket, accumulator), end)| PeriodBlock {
                period: bucket.label.clone(),
                start: format_rfc3339(bucket.start),
                end: format_rfc3339(bucket.end),
                complete: window.covers(bucket.start, bucket.end, first_ticket, context.as_of),
                backlog_at_end: backlogs.at_instant(end).0,
                backlog_age_at_end: backlogs.at_instant(end).1,
                kpis: accumulator.finish(context),
            })
            .collect()
    }
}

/// The backlog at the ends of the periods, from one sweep over the tickets rather than a
/// scan of every ticket per period (`--period day` over years: periods x tickets).
struct Backlogs {
    /// The instants asked about, sorted and distinct.
    instants: Vec<Instant>,
    /// Per instant, the tickets open then by age bucket; `None` without dated resolutions.
    by_age: Option<Vec<[u64; AGE_BUCKETS.len()]>>,
    /// Tickets open at `as_of` and their ages, by status, as the overall backlog counts them
    /// (so that the ages add up to the total there too).
    open_at_as_of: Option<(u64, AgeBuckets)>,
    /// The earliest creation of a ticket solved at `as_of` without a dated resolution (an
    /// abandoned call of a call log, "closed" with no time): from then on, its state at a
    /// past instant is unknown, and counting it open would grow every later backlog by it.
    undated_from: Option<Instant>,
    has_status: bool,
    resolution_dated: bool,
    as_of: Instant,
}

impl Backlogs {
    fn at(tickets: &[Ticket], ends: &[Instant], context: &Context<'_>) -> Backlogs {
        let mut instants = ends.to_vec();
        instants.sort_unstable();
        instants.dedup();
        let resolution_dated = context
            .facts
            .allows(super::availability::Kpi::ResolutionTime);
        let mut at_as_of = Backlog::default();
        for ticket in tickets {
            at_as_of.observe(ticket, context.as_of);
        }
        Backlogs {
            by_age: (context.has_status && resolution_dated)
                .then(|| open_by_age_at(tickets, &instants)),
            instants,
            open_at_as_of: at_as_of
                .finish(context.has_status)
                .map(|report| (report.open, report.age)),
            undated_from: tickets
                .iter()
                .filter(|t| t.is_solved() && t.solved_changes.is_empty())
                .map(|t| t.created_at)
                .min(),
            has_status: context.has_status,
            resolution_dated,
            as_of: context.as_of,
        }
    }

    /// The ages of the tickets open at a past instant; `None` where that state is unknown.
    fn ages(&self, at: Instant) -> Option<[u64; AGE_BUCKETS.len()]> {
        if !self.has_status || !self.resolution_dated || self.undated_from.is_some_and(|t| t <= at)
        {
            return None;
        }
        let index = self.instants.binary_search(&at).ok()?;
        self.by_age.as_ref().map(|by_age| by_age[index])
    }

    /// The backlog at an instant and its ages, by one rule so that the ages always add up
    /// to the total: at `as_of` (or later) the open backlog, by status; earlier the sweep,
    /// where the state then is known (dated resolutions).
    fn at_instant(&self, at: Instant) -> (Option<u64>, Option<AgeBuckets>) {
        if at >= self.as_of {
            return match self.open_at_as_of {
                Some((open, ages)) => (Some(open), Some(ages)),
                None => (None, None),
            };
        }
        match self.ages(at) {
            Some(ages) => (
                Some(ages.iter().sum()),
                Some(AgeBuckets {
                    under_1d: ages[0],
                    from_1d_to_3d: ages[1],
                    from_3d_to_7d: ages[2],
                    from_7d_to_30d: ages[3],
                    from_30d: ages[4],
                }),
            ),
            None => (None, None),
        }
    }
}

/// Where a ticket is open (created, and not solved: `Ticket::solved_at` is false), as
/// `[from, to)` spans in time order.
fn open_spans(ticket: &Ticket) -> Vec<(Instant, Instant)> {
    let created = ticket.created_at;
    let mut spans = Vec::new();
    let mut open_since = (!ticket.solved_at(created)).then_some(created);
    for change in ticket.solved_changes.iter().filter(|c| c.at > created) {
        match (change.solved, open_since) {
            (true, Some(since)) => {
                if change.at > since {
                    spans.push((since, change.at));
                }
                open_since = None;
            }
            (false, None) => open_since = Some(change.at),
            _ => {}
        }
    }
    if let Some(since) = open_since {
        spans.push((since, Instant::MAX));
    }
    spans
}

/// For each of `instants` (sorted), the tickets open then by age bucket. Each ticket's open
/// spans, cut at its age bucket boundaries, add one to a bucket over a range of instants:
/// a difference array over the instants, summed once. O((tickets + periods) log periods).
fn open_by_age_at(tickets: &[Ticket], instants: &[Instant]) -> Vec<[u64; AGE_BUCKETS.len()]> {
    const MICROS_PER_DAY: f64 = 86_400.0 * 1_000_000.0;
    // Bucket k holds ages in [bounds[k], bounds[k + 1]) microseconds.
    let mut bounds = [0i64; AGE_BUCKETS.len() + 1];
    for (k, (below_days, _)) in AGE_BUCKETS.iter().enumerate() {
        bounds[k + 1] = if below_days.is_finite() {
            (below_days * MICROS_PER_DAY) as i64
        } else {
            i64::MAX
        };
    }
    let mut difference = vec![[0i64; AGE_BUCKETS.len()]; instants.len() + 1];
    let index_of = |at: Instant| instants.partition_point(|instant| *instant < at);
    for ticket in tickets {
        let created = ticket.created_at;
        for (from, to) in open_spans(ticket) {
            for k in 0..AGE_BUCKETS.len() {
                let start = from.max(created.saturating_add(bounds[k]));
                let end = to.min(created.saturating_add(bounds[k + 1]));
                if start < end {
                    difference[index_of(start)][k] += 1;
                    difference[index_of(end)][k] -= 1;
                }
            }
        }
    }
    let mut running = [0i64; AGE_BUCKETS.len()];
    instants
        .iter()
        .zip(&difference)
        .map(|(_, step)| {
            for k in 0..AGE_BUCKETS.len() {
                running[k] += step[k];
            }
            running.map(|n| u64::try_from(n).unwrap_or(0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Coverage, RowFacts};
    use crate::metrics::availability::Facts;
    use crate::metrics::backlog::open_by_age;
    use crate::metrics::sla::SlaPolicies;
    use crate::metrics::surveys::CsatScale;
    use crate::model::tests::build;
    use crate::symbols::Symbols;
    use proptest::prelude::*;

    const MINUTE: i64 = 60_000_000;
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

    /// `(created minute, [(minute after creation, solved?)])` as event rows.
    fn rows(tickets: &[(i64, Vec<(i64, bool)>)]) -> Vec<String> {
        let mut rows = Vec::new();
        for (i, (created, changes)) in tickets.iter().enumerate() {
            rows.push(format!("T{i} {created} message customer status=new"));
            for (after, solved) in changes {
                let status = if *solved { "solved" } else { "open" };
                rows.push(format!("T{i} {} status - status={status}", created + after));
            }
        }
        rows
    }

    fn tickets_of(spec: &[(i64, Vec<(i64, bool)>)]) -> (Vec<Ticket>, Instant) {
        let rows = rows(spec);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (tickets, _, as_of) = build(&rows, Some(4000 * 1440));
        // The helper's minutes count from 2026-03-02T00:00:00Z.
        let base = as_of - 4000 * 1440 * MINUTE;
        (tickets, base)
    }

    fn scan(tickets: &[Ticket], at: Instant) -> [u64; 5] {
        let ages = open_by_age(tickets, at);
        [
            ages.under_1d,
            ages.from_1d_to_3d,
            ages.from_3d_to_7d,
            ages.from_7d_to_30d,
            ages.from_30d,
        ]
    }

    proptest! {
        #[test]
        fn the_sweep_counts_what_a_scan_of_every_ticket_counts(
            spec in prop::collection::vec(
                (0i64..20_000, prop::collection::vec((0i64..50_000, any::<bool>()), 0..5)),
                1..12,
            ),
            probes in prop::collection::vec(0i64..80_000, 1..30),
        ) {
            let (tickets, base) = tickets_of(&spec);
            let mut instants: Vec<Instant> = probes.iter().map(|m| base + m * MINUTE).collect();
            // Age bucket boundaries exactly, and a microsecond either side.
            for ticket in &tickets {
                for days in [1, 3, 7, 30] {
                    let edge = ticket.created_at + days * 1440 * MINUTE;
                    instants.extend([edge - 1, edge, edge + 1]);
                }
                for change in &ticket.solved_changes {
                    instants.extend([change.at - 1, change.at, change.at + 1]);
                }
            }
            instants.sort_unstable();
            instants.dedup();
            let swept = open_by_age_at(&tickets, &instants);
            for (at, ages) in instants.iter().zip(swept) {
                prop_assert_eq!(ages, scan(&tickets, *at), "at {}", format_rfc3339(*at));
            }
        }
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
        let context = Context {
            as_of,
            has_status: true,
            csat: CsatScale::default(),
            sla: &sla,
            schedule: None,
            fcr_reopen_window: None,
            symbols: &symbols,
            facts: Facts {
                coverage: &coverage,
                rows: &row_facts,
                has_status: true,
                schedule: false,
                next_reply_target: false,
            },
        };
        let mut periods = Periods::new(Period::Day, Tz::UTC);
        for ticket in &tickets {
            periods.observe(ticket, &context);
        }
        let blocks = periods.finish(&context, &tickets);
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
