//! The one fold over the tickets: every accumulator of a report (the overall block, the
//! breakdowns by group and by period, the data-quality findings and the durations for the
//! histograms) observes each ticket once, its SLA clocks evaluated once for all of them.
//!
//! On several threads the tickets are cut into runs in order of creation, one a thread,
//! each folded on its own and the results merged in that order (rayon's fold and reduce).
//! Every accumulator's merge gives what one pass gives, so the report does not depend on the
//! number of threads: the tests compare them.

use rayon::prelude::*;

use super::backlog::EarlierBacklog;
use super::group::{Breakdown, Dimension, GroupBlock};
use super::periods::{PeriodBlock, Periods};
use super::quality::{Quality, TicketFindings, is_plausible};
use super::{Accumulator, Context, KpiAccumulator, KpiBlock, Observed};
use crate::model::Ticket;

/// Every accumulator of a report, fed together.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TicketFold {
    quality: Quality,
    durations: Durations,
    overall: KpiAccumulator,
    groups: Breakdown,
    periods: Option<Periods>,
}

/// What the fold finishes into.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub findings: TicketFindings,
    /// Overall first response and resolution times, for histograms (plausible values only,
    /// as in the distributions), sorted.
    pub first_response_values: Vec<f64>,
    pub resolution_values: Vec<f64>,
    pub overall: KpiBlock,
    pub groups: Vec<GroupBlock>,
    pub periods: Vec<PeriodBlock>,
}

impl TicketFold {
    /// An empty fold grouping by `by` (none: no groups; times of day in `tz`) and by
    /// `periods`, if given.
    pub fn new(by: Vec<Dimension>, tz: chrono_tz::Tz, periods: Option<Periods>) -> TicketFold {
        TicketFold {
            quality: Quality::default(),
            durations: Durations::default(),
            overall: KpiAccumulator::default(),
            groups: Breakdown::new(by, tz),
            periods,
        }
    }

    /// One ticket, observed by every accumulator.
    pub fn observe(&mut self, ticket: &Ticket, context: &Context<'_>) {
        let observed = Observed::new(ticket, context);
        self.quality.observe(&observed, context);
        self.durations.observe(&observed, context);
        self.overall.observe(&observed, context);
        self.groups.observe(&observed, context);
        if let Some(periods) = self.periods.as_mut() {
            periods.observe(&observed, context);
        }
    }

    /// The fold of other tickets joined to this one (see [`Accumulator::merge`]).
    pub fn merge(mut self, other: TicketFold) -> TicketFold {
        self.quality.merge(other.quality);
        self.durations.merge(other.durations);
        self.overall.merge(other.overall);
        self.groups.merge(other.groups);
        if let (Some(mine), Some(theirs)) = (self.periods.as_mut(), other.periods) {
            mine.merge(theirs);
        }
        self
    }

    /// Folds `tickets` on `threads` threads (1: on this one), from `self` as it is (empty).
    pub fn fold(self, tickets: &[Ticket], context: &Context<'_>, threads: usize) -> TicketFold {
        if threads <= 1 || tickets.len() < 2 {
            return self.observe_all(tickets.iter(), context);
        }
        // A pool that cannot start (no thread to spare) leaves the fold to this thread: the
        // same result, only slower.
        let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() else {
            return self.observe_all(tickets.iter(), context);
        };
        let runs = creation_runs(tickets, threads);
        let empty = &self;
        pool.install(|| {
            runs.par_iter()
                .fold(
                    || empty.clone(),
                    |fold, run| fold.observe_all(run.iter().copied(), context),
                )
                .reduce(|| empty.clone(), TicketFold::merge)
        })
    }

    fn observe_all<'t>(
        mut self,
        tickets: impl Iterator<Item = &'t Ticket>,
        context: &Context<'_>,
    ) -> TicketFold {
        for ticket in tickets {
            self.observe(ticket, context);
        }
        self
    }

    /// `tickets` are the tickets folded: the backlog at each period's end is swept from them.
    pub fn finish(self, context: &Context<'_>, tickets: &[Ticket]) -> Folded {
        self.finish_with(context, tickets, None)
    }

    /// [`TicketFold::finish`], with the backlog of tickets folded away earlier (`--state`).
    pub fn finish_with(
        self,
        context: &Context<'_>,
        tickets: &[Ticket],
        earlier: Option<&EarlierBacklog>,
    ) -> Folded {
        let overall = self.overall.finish(context);
        let periods = self.periods.map_or_else(Vec::new, |periods| {
            periods.finish(context).with_backlogs(
                tickets,
                overall.backlog.as_ref(),
                context,
                earlier,
            )
        });
        let (first_response_values, resolution_values) = self.durations.finish(context);
        Folded {
            findings: self.quality.finish(context),
            first_response_values,
            resolution_values,
            groups: self.groups.finish(context),
            periods,
            overall,
        }
    }
}

/// The tickets in order of creation, cut into at most `runs` runs of (nearly) equal length.
///
/// Each run folded apart keeps its own accumulator per group and per period. In creation
/// order a run's tickets fall in a few consecutive periods, so the runs together hold little
/// more than one pass does (a `--period day` over years on an export sorted by ticket id
/// would otherwise hold every period once per run); a group's accumulator is held once per
/// run at most.
fn creation_runs(tickets: &[Ticket], runs: usize) -> Vec<Vec<&Ticket>> {
    let mut by_creation: Vec<&Ticket> = tickets.iter().collect();
    by_creation.sort_by_key(|ticket| ticket.created_at);
    let length = by_creation.len().div_ceil(runs.max(1)).max(1);
    by_creation
        .chunks(length)
        .map(<[&Ticket]>::to_vec)
        .collect()
}

/// The plausible first response and resolution times themselves, for the histograms.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Durations {
    first_response: Vec<f64>,
    resolution: Vec<f64>,
}

impl Accumulator for Durations {
    type Output = (Vec<f64>, Vec<f64>);

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        let ticket = observed.ticket;
        self.first_response
            .extend(ticket.first_response_seconds().filter(|s| is_plausible(*s)));
        self.resolution
            .extend(ticket.resolution_seconds().filter(|s| is_plausible(*s)));
    }

    fn merge(&mut self, other: Durations) {
        self.first_response.extend(other.first_response);
        self.resolution.extend(other.resolution);
    }

    /// Sorted, so that they do not depend on the order of the tickets.
    fn finish(mut self, _: &Context<'_>) -> (Vec<f64>, Vec<f64>) {
        self.first_response.sort_by(f64::total_cmp);
        self.resolution.sort_by(f64::total_cmp);
        (self.first_response, self.resolution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Coverage;
    use crate::metrics::sla::SlaPolicies;
    use crate::metrics::tests::{context, row_facts};
    use crate::model::tests::build;
    use crate::time::Period;
    use chrono_tz::Tz;

    /// Tickets of every kind over three weeks: answered or not, solved or reopened, rated,
    /// on several channels and priorities, some with handle times.
    fn rows(tickets: usize) -> Vec<String> {
        let channels = ["email", "chat", "phone"];
        let priorities = ["urgent", "high", "normal", "low", "p3"];
        let mut rows = Vec::new();
        for i in 0..tickets {
            let start = (i * 601) % (21 * 1440);
            let (channel, priority) = (channels[i % 3], priorities[i % 5]);
            rows.push(format!(
                "T{i} {start} message customer channel={channel} priority={priority} status=new"
            ));
            if i % 7 != 0 {
                let reply = start + 5 + (i * 13) % 900;
                rows.push(format!("T{i} {reply} message agent status=pending"));
            }
            if i % 3 == 0 {
                rows.push(format!(
                    "T{i} {} message customer status=open",
                    start + 1000
                ));
            }
            if i % 2 == 0 {
                let solved = start + 1500 + (i * 31) % 5000;
                rows.push(format!("T{i} {solved} status agent status=solved"));
                if i % 4 == 0 {
                    let score = 1 + i % 5;
                    rows.push(format!("T{i} {} rating customer csat={score}", solved + 3));
                }
            }
            if i % 5 == 1 {
                rows.push(format!("T{i} {} note agent handle_seconds=120", start + 2));
            }
        }
        rows
    }

    /// Folds `tickets` as given by `fold`, and finishes.
    fn folded(
        tickets: &[Ticket],
        context: &Context<'_>,
        fold: impl Fn(TicketFold) -> TicketFold,
    ) -> Folded {
        let periods = Periods::new(Period::Week, Tz::UTC);
        let empty = TicketFold::new(
            vec![Dimension::Channel, Dimension::Priority],
            chrono_tz::Tz::UTC,
            Some(periods),
        );
        fold(empty).finish(context, tickets)
    }

    /// Runs `check` on `tickets` of [`rows`] and their context.
    fn with_tickets(tickets: usize, check: impl FnOnce(&[Ticket], &Context<'_>)) {
        let rows = rows(tickets);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let (tickets, symbols, as_of) = build(&rows, Some(30 * 1440));
        let (policies, coverage, facts) = (
            SlaPolicies::default(),
            Coverage::full(),
            row_facts(&tickets),
        );
        check(
            &tickets,
            &context(as_of, true, &policies, &symbols, &coverage, &facts),
        );
    }

    #[test]
    fn folding_in_runs_and_merging_them_in_order_gives_one_pass() {
        with_tickets(60, |tickets, context| {
            let whole = folded(tickets, context, |fold| fold.fold(tickets, context, 1));
            assert_eq!(whole.overall.tickets, 60);
            assert!(whole.groups.len() > 3 && whole.periods.len() >= 3);
            for run in [1, 2, 7, 59] {
                let merged = folded(tickets, context, |empty| {
                    tickets
                        .chunks(run)
                        .map(|chunk| empty.clone().fold(chunk, context, 1))
                        .fold(empty.clone(), TicketFold::merge)
                });
                assert_eq!(merged, whole, "runs of {run} tickets");
            }
        });
    }

    #[test]
    fn the_result_does_not_depend_on_the_number_of_threads() {
        with_tickets(3_000, |tickets, context| {
            let one = folded(tickets, context, |fold| fold.fold(tickets, context, 1));
            for threads in [2, 3, 8] {
                let many = folded(tickets, context, |fold| {
                    fold.fold(tickets, context, threads)
                });
                assert_eq!(many, one, "{threads} threads");
            }
        });
    }

    #[test]
    fn runs_follow_the_creation_order_one_a_thread() {
        with_tickets(100, |tickets, _| {
            let runs = creation_runs(tickets, 3);
            assert_eq!(runs.iter().map(Vec::len).collect::<Vec<_>>(), [34, 34, 32]);
            let created: Vec<_> = runs.iter().flatten().map(|t| t.created_at).collect();
            assert!(created.is_sorted(), "runs of consecutive creations");
            assert_eq!(creation_runs(tickets, 500).len(), 100, "no empty run");
        });
    }
}
