//! KPIs over tickets. Each family is an accumulator with `observe`, `merge` and `finish`, so
//! groups, periods, files and threads can each keep one and combine them.

pub mod availability;
pub mod backlog;
pub mod distribution;
pub mod group;
pub mod handle;
pub mod quality;
pub mod rate;
pub mod resolution;
pub mod responses;
pub mod sla;
pub mod surveys;
pub mod volume;

use serde::Serialize;

use crate::ingest::Coverage;
use crate::model::Ticket;
use crate::schedule::Schedule;
use crate::symbols::Symbols;
use crate::time::Instant;
use backlog::{Backlog, BacklogReport};
use distribution::Summary;
use handle::HandleTime;
use resolution::{BotResolution, Fcr, Resolution};
use responses::{FirstResponse, ResponseRate, Responses};
use sla::{ClockOutcome, SlaAttainment, SlaPolicies, SlaReport, SlaScope};
use surveys::{Csat, CsatScale, Nps, Surveys};
use volume::{Redirects, SentimentChange, Volume, VolumeReport};

/// What every KPI needs to know beyond the ticket itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub as_of: Instant,
    /// Whether any valid row of the input carries a status (see the null rule).
    pub has_status: bool,
    pub csat: CsatScale,
    pub sla: &'a SlaPolicies,
    /// Business hours for the `*_business` durations, when configured.
    pub schedule: Option<&'a Schedule>,
    /// A reopen later than this (seconds) after its resolution does not break FCR.
    pub fcr_reopen_window: Option<f64>,
    pub symbols: &'a Symbols,
    /// What the input can tell: a KPI it cannot support is null.
    pub coverage: Coverage,
}

impl Context<'_> {
    /// The ticket's SLA policy and the outcome of each of its clocks.
    pub fn sla_outcomes(&self, ticket: &Ticket) -> (Option<usize>, Vec<ClockOutcome>) {
        let Some(index) = self.sla.select(ticket, self.symbols) else {
            return (None, Vec::new());
        };
        let outcomes = sla::evaluate(
            ticket,
            &self.sla.policies[index],
            self.as_of,
            self.has_status,
            self.coverage.messages,
        );
        (Some(index), outcomes)
    }
}

#[derive(Debug, Clone, Default)]
pub struct KpiAccumulator {
    volume: Volume,
    responses: Responses,
    resolution: Resolution,
    handle: HandleTime,
    surveys: Surveys,
    backlog: Backlog,
    sla: SlaAttainment,
}

/// Every KPI of one group of tickets. Serialises to the `kpis` block of the JSON schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiBlock {
    pub tickets: u64,
    pub volume: VolumeReport,
    pub first_response: Option<FirstResponse>,
    /// The same in business hours (present when a report schedule is configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_response_business: Option<Summary>,
    pub response_time: Option<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_time_business: Option<Summary>,
    pub resolution_time: Option<Summary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution_time_business: Option<Summary>,
    pub first_resolution_time: Option<Summary>,
    pub fcr: Option<Fcr>,
    pub bot_resolution: Option<BotResolution>,
    pub aht: Summary,
    /// Null for a ticket-level export without a satisfaction column.
    pub csat: Option<Csat>,
    pub nps: Nps,
    pub backlog: Option<BacklogReport>,
    pub sla: SlaReport,
    pub response_rate: Option<ResponseRate>,
    pub interactions: Interactions,
    pub redirects: Option<Redirects>,
    pub sentiment: Option<SentimentChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interactions {
    /// Mean replies per ticket solved at as_of; null without status.
    pub replies_per_solved_ticket: Option<f64>,
    pub customer_messages_per_ticket: Option<f64>,
}

impl KpiAccumulator {
    pub fn observe(&mut self, ticket: &Ticket, context: &Context<'_>) {
        self.volume.observe(ticket);
        self.responses.observe(ticket, context.schedule);
        self.resolution
            .observe(ticket, context.schedule, context.fcr_reopen_window);
        self.handle.observe(ticket);
        self.surveys.observe(ticket, &context.csat);
        self.backlog.observe(ticket, context.as_of);
        let (policy, outcomes) = context.sla_outcomes(ticket);
        self.sla.observe(policy, &outcomes, ticket.is_solved());
    }

    pub fn merge(&mut self, other: KpiAccumulator) {
        self.volume.merge(other.volume);
        self.responses.merge(other.responses);
        self.resolution.merge(other.resolution);
        self.handle.merge(other.handle);
        self.surveys.merge(other.surveys);
        self.backlog.merge(other.backlog);
        self.sla.merge(other.sla);
    }

    pub fn finish(self, context: &Context<'_>) -> KpiBlock {
        let has_status = context.has_status;
        let coverage = context.coverage;
        let volume = self.volume.finish(context.symbols, coverage);
        let responses = self.responses.finish();
        let business = context.schedule.is_some();
        // A ticket table without solved times cannot say how long resolution took.
        let resolution = self.resolution.finish(has_status && coverage.resolution);
        let (csat, nps) = self.surveys.finish(&context.csat, has_status);
        let fcr_known = coverage.replies && coverage.reopens;
        KpiBlock {
            tickets: volume.volume.tickets,
            volume: volume.volume,
            first_response: coverage.first_reply.then_some(responses.first_response),
            first_response_business: (business && coverage.first_reply)
                .then_some(responses.first_response_business),
            response_time: coverage.messages.then_some(responses.response_time),
            response_time_business: (business && coverage.messages)
                .then_some(responses.response_time_business),
            resolution_time: resolution.as_ref().map(|r| r.resolution_time),
            resolution_time_business: resolution
                .as_ref()
                .filter(|_| business)
                .map(|r| r.resolution_time_business),
            first_resolution_time: resolution
                .as_ref()
                .filter(|_| coverage.first_resolution)
                .map(|r| r.first_resolution_time),
            fcr: resolution
                .as_ref()
                .filter(|_| fcr_known)
                .map(|r| r.fcr.clone()),
            bot_resolution: resolution
                .as_ref()
                .filter(|_| coverage.messages)
                .map(|r| r.bot_resolution.clone()),
            aht: self.handle.finish(),
            csat: coverage.ratings.then_some(csat),
            nps,
            backlog: self.backlog.finish(has_status),
            sla: self.sla.finish(
                context.sla,
                SlaScope {
                    has_status: has_status && coverage.resolution,
                    has_first_reply: coverage.first_reply,
                    has_messages: coverage.messages,
                },
            ),
            response_rate: coverage.first_reply.then_some(responses.response_rate),
            interactions: Interactions {
                replies_per_solved_ticket: resolution
                    .as_ref()
                    .filter(|_| coverage.replies)
                    .and_then(|r| r.replies_per_solved_ticket),
                customer_messages_per_ticket: volume
                    .customer_messages_per_ticket
                    .filter(|_| coverage.customer_messages),
            },
            redirects: coverage.messages.then_some(volume.redirects),
            sentiment: coverage.messages.then_some(volume.sentiment),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::{build, tickets_from};

    fn block(rows: &[&str], as_of_minute: Option<i64>) -> KpiBlock {
        let (tickets, symbols, as_of) = build(rows, as_of_minute);
        let policies = SlaPolicies::default();
        let context = Context {
            as_of,
            has_status: rows.iter().any(|row| row.contains("status=")),
            csat: CsatScale::default(),
            sla: &policies,
            schedule: None,
            fcr_reopen_window: None,
            symbols: &symbols,
            coverage: Coverage::FULL,
        };
        let mut accumulator = KpiAccumulator::default();
        for ticket in &tickets {
            accumulator.observe(ticket, &context);
        }
        accumulator.finish(&context)
    }

    #[test]
    fn without_any_status_resolution_kpis_are_null_not_zero() {
        let kpis = block(&["A 0 message customer", "A 10 message agent"], Some(60));
        assert_eq!(kpis.resolution_time, None);
        assert_eq!(kpis.first_resolution_time, None);
        assert_eq!(kpis.fcr, None);
        assert_eq!(kpis.bot_resolution, None);
        assert_eq!(kpis.backlog, None);
        assert_eq!(kpis.sla.resolution, None);
        assert_eq!(kpis.csat.unwrap().response_rate, None);
        assert_eq!(kpis.interactions.replies_per_solved_ticket, None);
        assert_eq!(
            kpis.first_response.and_then(|frt| frt.summary.median),
            Some(600.0),
            "FRT needs no status"
        );
        assert_eq!(kpis.sla.first_reply.unwrap().met, 1);
    }

    #[test]
    fn fcr_counts_one_reply_without_reopen() {
        let kpis = block(
            &[
                "A 0 message customer",
                "A 10 message agent status=solved",
                "B 0 message customer",
                "B 10 message agent status=solved",
                "B 20 message customer",
                "B 30 message agent status=solved",
                "C 0 message customer",
                "C 10 message agent",
                "C 20 message agent status=solved",
                "D 0 message customer",
                "D 1 message bot status=solved",
                "E 0 message customer status=open",
            ],
            Some(100),
        );
        let fcr = kpis.fcr.unwrap();
        assert_eq!((fcr.eligible, fcr.first_contact), (3, 1));
        let bot = kpis.bot_resolution.unwrap();
        assert_eq!((bot.solved, bot.bot_resolved), (4, 1));
        assert_eq!(bot.rate, Some(0.25));
        assert_eq!(kpis.backlog.unwrap().open, 1);
        assert_eq!(kpis.interactions.replies_per_solved_ticket, Some(5.0 / 4.0));
        let rate = kpis.response_rate.unwrap();
        assert_eq!(rate.answered, 3);
        assert_eq!(rate.closed_without_reply, 1);
        assert_eq!(rate.unanswered, 1);
        assert_eq!(rate.rate, Some(0.75));
    }

    #[test]
    fn csat_uses_the_last_rating_and_solved_tickets_for_response_rate() {
        let kpis = block(
            &[
                "A 0 message customer",
                "A 10 message agent status=solved",
                "A 20 rating customer csat=5",
                "A 30 rating customer csat=2",
                "B 0 message customer",
                "B 10 message agent status=solved",
                "B 20 rating customer csat=4",
                "C 0 message customer",
            ],
            None,
        );
        let csat = kpis.csat.unwrap();
        assert_eq!(csat.responses, 2);
        assert_eq!(csat.satisfied, 1);
        assert_eq!(csat.rate, Some(0.5));
        assert_eq!(csat.mean_score, Some(3.0));
        assert_eq!(csat.response_rate, Some(1.0));
    }

    #[test]
    fn sla_states_for_first_reply_and_resolution() {
        // as_of at minute 600 (10 h). A: urgent, replied after 2 h -> first reply breached;
        // B: normal, unanswered for 10 h -> breached; C: low, 2 h old -> running;
        // D: closed without reply -> not counted for first reply.
        let kpis = block(
            &[
                "A 0 message customer priority=urgent",
                "A 120 message agent status=solved",
                "B 0 message customer",
                "C 480 message customer priority=low status=open",
                "D 0 message customer",
                "D 5 status customer status=closed",
            ],
            Some(600),
        );
        let first_reply = kpis.sla.first_reply.unwrap();
        assert_eq!(
            (first_reply.met, first_reply.breached, first_reply.running),
            (0, 2, 1)
        );
        let resolution = kpis.sla.resolution.unwrap();
        // A solved in 2 h of 8 h: met; B 10 h of 72 h: running; C running; D 5 min: met.
        assert_eq!(
            (resolution.met, resolution.breached, resolution.running),
            (2, 0, 2)
        );
        assert_eq!(resolution.attainment, Some(1.0));
    }

    #[test]
    fn merged_accumulators_equal_one_pass() {
        let rows = [
            "A 0 message customer channel=chat",
            "A 10 message agent status=solved handle_seconds=30",
            "B 0 message customer channel=email nps=10",
            "B 100 message agent",
            "C 0 message agent channel=email",
            "C 5 rating customer csat=3 status=solved",
        ];
        let (tickets, symbols) = tickets_from(&rows, None);
        let policies = SlaPolicies::default();
        let context = Context {
            as_of: tickets.iter().map(|t| t.created_at).max().unwrap() + 1,
            has_status: true,
            csat: CsatScale::default(),
            sla: &policies,
            schedule: None,
            fcr_reopen_window: None,
            symbols: &symbols,
            coverage: Coverage::FULL,
        };
        let mut whole = KpiAccumulator::default();
        let mut parts = [KpiAccumulator::default(), KpiAccumulator::default()];
        for (i, ticket) in tickets.iter().enumerate() {
            whole.observe(ticket, &context);
            parts[i % 2].observe(ticket, &context);
        }
        let [mut left, right] = parts;
        left.merge(right);
        assert_eq!(left.finish(&context), whole.finish(&context));
    }
}
