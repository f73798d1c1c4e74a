//! Backlog: tickets not solved at an instant, with their age: at `as_of` by their status
//! ([`Backlog`]), and at past instants by their dated resolutions ([`BacklogsAt`]).

use serde::Serialize;

use super::availability::Kpi;
use super::{Accumulator, Context, Observed};
use crate::model::Ticket;
use crate::time::{Instant, SECONDS_PER_DAY, seconds_between};

/// Upper bounds (exclusive, in days) of the age buckets, and their labels.
pub(crate) const AGE_BUCKETS: [(f64, &str); 5] = [
    (1.0, "0-1d"),
    (3.0, "1-3d"),
    (7.0, "3-7d"),
    (30.0, "7-30d"),
    (f64::INFINITY, "30d+"),
];

/// The bucket index for an age in seconds: [0,1d), [1d,3d), [3d,7d), [7d,30d), [30d,inf).
pub fn age_bucket(age_seconds: f64) -> usize {
    let days = age_seconds / SECONDS_PER_DAY;
    AGE_BUCKETS
        .iter()
        .position(|(below, _)| days < *below)
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Backlog {
    by_age: [u64; AGE_BUCKETS.len()],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogReport {
    pub open: u64,
    pub age: AgeBuckets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgeBuckets {
    #[serde(rename = "0-1d")]
    pub under_1d: u64,
    #[serde(rename = "1-3d")]
    pub from_1d_to_3d: u64,
    #[serde(rename = "3-7d")]
    pub from_3d_to_7d: u64,
    #[serde(rename = "7-30d")]
    pub from_7d_to_30d: u64,
    #[serde(rename = "30d+")]
    pub from_30d: u64,
}

impl AgeBuckets {
    pub fn labelled(&self) -> [(&'static str, u64); 5] {
        let counts = [
            self.under_1d,
            self.from_1d_to_3d,
            self.from_3d_to_7d,
            self.from_7d_to_30d,
            self.from_30d,
        ];
        std::array::from_fn(|i| (AGE_BUCKETS[i].1, counts[i]))
    }
}

impl AgeBuckets {
    /// From counts per bucket, in the order of [`AGE_BUCKETS`].
    pub(crate) fn from_counts(counts: [u64; AGE_BUCKETS.len()]) -> AgeBuckets {
        AgeBuckets {
            under_1d: counts[0],
            from_1d_to_3d: counts[1],
            from_3d_to_7d: counts[2],
            from_7d_to_30d: counts[3],
            from_30d: counts[4],
        }
    }
}

/// The tickets open at `as_of` (by their status then), by age. Null without a status, where
/// every ticket would look open: the caller applies that (`Kpi::Backlog`).
impl Accumulator for Backlog {
    type Output = BacklogReport;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let ticket = observed.ticket;
        if !ticket.is_solved() {
            self.by_age[age_bucket(seconds_between(ticket.created_at, context.as_of))] += 1;
        }
    }

    fn merge(&mut self, other: Backlog) {
        for (mine, theirs) in self.by_age.iter_mut().zip(other.by_age) {
            *mine += theirs;
        }
    }

    fn finish(self, _: &Context<'_>) -> BacklogReport {
        BacklogReport {
            open: self.by_age.iter().sum(),
            age: AgeBuckets::from_counts(self.by_age),
        }
    }
}

/// The backlog at given instants (the ends of the periods), from one sweep over the tickets
/// rather than a scan of every ticket per instant (`--period day` over years: periods x
/// tickets).
pub(crate) struct BacklogsAt {
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

impl BacklogsAt {
    /// `open_at_as_of` is the backlog at `as_of` (the overall one), null without status.
    /// `earlier`: what tickets folded away before add (`report --state`).
    pub(crate) fn sweep(
        tickets: &[Ticket],
        instants: &[Instant],
        open_at_as_of: Option<&BacklogReport>,
        context: &Context<'_>,
        earlier: Option<&EarlierBacklog>,
    ) -> BacklogsAt {
        let mut instants = instants.to_vec();
        instants.sort_unstable();
        instants.dedup();
        let has_status = context.facts.has_status;
        // A past state needs the resolutions' dates, as resolution times do.
        let resolution_dated = context.facts.allows(Kpi::ResolutionTime);
        let by_age = (has_status && resolution_dated).then(|| {
            let mut by_age = open_by_age_at(tickets, &instants);
            if let Some(earlier) = earlier {
                earlier.add_to(&instants, &mut by_age);
            }
            by_age
        });
        let undated_from = tickets
            .iter()
            .filter(|t| t.is_solved() && t.solved_changes.is_empty())
            .map(|t| t.created_at)
            .chain(earlier.and_then(|earlier| earlier.undated_from))
            .min();
        BacklogsAt {
            by_age,
            instants,
            open_at_as_of: open_at_as_of.map(|report| (report.open, report.age)),
            undated_from,
            has_status,
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
    pub(crate) fn at(&self, at: Instant) -> (Option<u64>, Option<AgeBuckets>) {
        if at >= self.as_of {
            return match self.open_at_as_of {
                Some((open, ages)) => (Some(open), Some(ages)),
                None => (None, None),
            };
        }
        match self.ages(at) {
            Some(ages) => (Some(ages.iter().sum()), Some(AgeBuckets::from_counts(ages))),
            None => (None, None),
        }
    }
}

/// The part of the periods' backlogs that tickets no longer held contribute (`report
/// --state` folds settled tickets away): per period end before the fold's `as_of`, the
/// folded tickets open then by age bucket. A folded ticket is solved from the fold's `as_of`
/// on, so it adds nothing at a later instant; an instant it was not asked about before that
/// lies before its creation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EarlierBacklog {
    by_end: std::collections::BTreeMap<Instant, [u64; AGE_BUCKETS.len()]>,
    undated_from: Option<Instant>,
}

impl EarlierBacklog {
    /// What `tickets` contribute at `ends` (each before every later `as_of`).
    pub fn of(tickets: &[Ticket], ends: &[Instant]) -> EarlierBacklog {
        let mut ends = ends.to_vec();
        ends.sort_unstable();
        ends.dedup();
        let by_age = open_by_age_at(tickets, &ends);
        EarlierBacklog {
            by_end: ends.into_iter().zip(by_age).collect(),
            undated_from: tickets
                .iter()
                .filter(|t| t.is_solved() && t.solved_changes.is_empty())
                .map(|t| t.created_at)
                .min(),
        }
    }

    pub fn merge(&mut self, other: EarlierBacklog) {
        for (end, counts) in other.by_end {
            let mine = self.by_end.entry(end).or_default();
            for (mine, theirs) in mine.iter_mut().zip(counts) {
                *mine += theirs;
            }
        }
        self.undated_from = self
            .undated_from
            .into_iter()
            .chain(other.undated_from)
            .min();
    }

    fn add_to(&self, instants: &[Instant], by_age: &mut [[u64; AGE_BUCKETS.len()]]) {
        for (instant, counts) in instants.iter().zip(by_age) {
            if let Some(earlier) = self.by_end.get(instant) {
                for (count, more) in counts.iter_mut().zip(earlier) {
                    *count += more;
                }
            }
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
pub(crate) mod tests {
    use super::*;

    use crate::model::tests::build;
    use crate::time::format_rfc3339;
    use proptest::prelude::*;

    pub(crate) const MINUTE: i64 = 60_000_000;

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

    pub(crate) fn tickets_of(spec: &[(i64, Vec<(i64, bool)>)]) -> (Vec<Ticket>, Instant) {
        let rows = rows(spec);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (tickets, _, as_of) = build(&rows, Some(4000 * 1440));
        // The helper's minutes count from 2026-03-02T00:00:00Z.
        let base = as_of - 4000 * 1440 * MINUTE;
        (tickets, base)
    }

    /// The tickets open at `at`, by age then, from every ticket's state at that instant: what
    /// the sweep must count.
    pub(crate) fn scan(tickets: &[Ticket], at: Instant) -> [u64; AGE_BUCKETS.len()] {
        let mut by_age = [0u64; AGE_BUCKETS.len()];
        for ticket in tickets {
            if ticket.created_at <= at && !ticket.solved_at(at) {
                by_age[age_bucket(seconds_between(ticket.created_at, at))] += 1;
            }
        }
        by_age
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
    fn age_buckets_are_half_open() {
        let day = SECONDS_PER_DAY;
        assert_eq!(age_bucket(0.0), 0);
        assert_eq!(age_bucket(day - 1.0), 0);
        assert_eq!(age_bucket(day), 1);
        assert_eq!(age_bucket(3.0 * day), 2);
        assert_eq!(age_bucket(7.0 * day), 3);
        assert_eq!(age_bucket(29.9 * day), 3);
        assert_eq!(age_bucket(30.0 * day), 4);
        assert_eq!(age_bucket(400.0 * day), 4);
    }
}
