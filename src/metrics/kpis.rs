//! Every KPI of one set of tickets: the families' accumulators side by side, and the KPI
//! block they finish into, with each KPI the input cannot support made null by its rule in
//! `availability`.

use serde::Serialize;

use super::availability::Kpi;
use super::backlog::{Backlog, BacklogReport};
use super::contact_centre::{ContactCentre, ContactCentreReport};
use super::desk_sla::{DeskSla, DeskSlaReport};
use super::distribution::Summary;
use super::handle::HandleTime;
use super::resolution::{BotResolution, Fcr, Reopens, Resolution};
use super::responses::{FirstResponse, ResponseRate, Responses};
use super::sla::{SlaAttainment, SlaReport};
use super::status_durations::{StatusDurations, StatusDurationsReport};
use super::surveys::{Csat, Nps, Surveys};
use super::volume::{Redirects, SentimentChange, Volume, VolumeReport};
use super::{Accumulator, Context, Observed};

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KpiAccumulator {
    volume: Volume,
    responses: Responses,
    resolution: Resolution,
    handle: HandleTime,
    surveys: Surveys,
    backlog: Backlog,
    sla: SlaAttainment,
    desk_sla: DeskSla,
    contact_centre: ContactCentre,
    status_durations: StatusDurations,
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
    /// Null without a status (and, for a ticket table, a reopen count).
    pub reopens: Option<Reopens>,
    pub bot_resolution: Option<BotResolution>,
    /// Null without a handle-time column.
    pub aht: Option<Summary>,
    /// Null without a satisfaction column.
    pub csat: Option<Csat>,
    /// Null without an NPS column.
    pub nps: Option<Nps>,
    pub backlog: Option<BacklogReport>,
    pub sla: SlaReport,
    /// The help desk's own SLA verdicts, where the export carries them (beside ours).
    pub desk_sla: Option<DeskSlaReport>,
    pub response_rate: Option<ResponseRate>,
    pub interactions: Interactions,
    pub redirects: Option<Redirects>,
    pub sentiment: Option<SentimentChange>,
    /// Calls: offered, answered, abandoned, ASA, service level. Null without calls.
    pub contact_centre: Option<ContactCentreReport>,
    /// Requester wait, agent wait, on hold. Null without a status history.
    pub status_durations: Option<StatusDurationsReport>,
    /// The same in business hours (present when a report schedule is configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_durations_business: Option<StatusDurationsReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interactions {
    /// Mean replies per ticket solved at as_of; null without status.
    pub replies_per_solved_ticket: Option<f64>,
    pub customer_messages_per_ticket: Option<f64>,
}

impl Accumulator for KpiAccumulator {
    type Output = KpiBlock;

    fn observe(&mut self, ticket: &Observed<'_>, context: &Context<'_>) {
        self.volume.observe(ticket, context);
        self.responses.observe(ticket, context);
        self.resolution.observe(ticket, context);
        self.handle.observe(ticket, context);
        self.surveys.observe(ticket, context);
        self.backlog.observe(ticket, context);
        self.sla.observe(ticket, context);
        self.desk_sla.observe(ticket, context);
        self.contact_centre.observe(ticket, context);
        self.status_durations.observe(ticket, context);
    }

    fn merge(&mut self, other: KpiAccumulator) {
        self.volume.merge(other.volume);
        self.responses.merge(other.responses);
        self.resolution.merge(other.resolution);
        self.handle.merge(other.handle);
        self.surveys.merge(other.surveys);
        self.backlog.merge(other.backlog);
        self.sla.merge(other.sla);
        self.desk_sla.merge(other.desk_sla);
        self.contact_centre.merge(other.contact_centre);
        self.status_durations.merge(other.status_durations);
    }

    fn finish(self, context: &Context<'_>) -> KpiBlock {
        let facts = &context.facts;
        // Each KPI the input cannot support is null, whatever its accumulator holds.
        let known = |kpi: Kpi| facts.allows(kpi);
        let volume = self.volume.finish(context);
        let responses = self.responses.finish(context);
        let resolution = self.resolution.finish(context);
        let (csat, nps) = self.surveys.finish(context);
        let status_durations = self.status_durations.finish(context);
        KpiBlock {
            tickets: volume.volume.tickets,
            volume: volume.volume,
            first_response: known(Kpi::FirstResponse).then_some(responses.first_response),
            first_response_business: known(Kpi::FirstResponseBusiness)
                .then_some(responses.first_response_business),
            response_time: known(Kpi::ResponseTime).then_some(responses.response_time),
            response_time_business: facts
                .allows_response_time_business()
                .then_some(responses.response_time_business),
            resolution_time: known(Kpi::ResolutionTime).then_some(resolution.resolution_time),
            resolution_time_business: known(Kpi::ResolutionTimeBusiness)
                .then_some(resolution.resolution_time_business),
            first_resolution_time: known(Kpi::FirstResolutionTime)
                .then_some(resolution.first_resolution_time),
            fcr: known(Kpi::Fcr).then_some(resolution.fcr),
            reopens: known(Kpi::Reopens).then_some(resolution.reopens),
            bot_resolution: known(Kpi::BotResolution).then_some(resolution.bot_resolution),
            aht: known(Kpi::Aht).then(|| self.handle.finish(context)),
            csat: known(Kpi::Csat).then_some(csat),
            nps: known(Kpi::Nps).then_some(nps),
            backlog: known(Kpi::Backlog).then(|| self.backlog.finish(context)),
            sla: self.sla.finish(context),
            desk_sla: known(Kpi::DeskSla).then(|| self.desk_sla.finish(context)),
            response_rate: known(Kpi::ResponseRate).then_some(responses.response_rate),
            interactions: Interactions {
                replies_per_solved_ticket: resolution
                    .replies_per_solved_ticket
                    .filter(|_| known(Kpi::RepliesPerSolvedTicket)),
                customer_messages_per_ticket: volume
                    .customer_messages_per_ticket
                    .filter(|_| known(Kpi::CustomerMessagesPerTicket)),
            },
            redirects: known(Kpi::Redirects).then_some(volume.redirects),
            sentiment: known(Kpi::Sentiment).then_some(volume.sentiment),
            contact_centre: known(Kpi::ContactCentre).then(|| self.contact_centre.finish(context)),
            status_durations: status_durations.calendar,
            status_durations_business: status_durations.business,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Coverage;
    use crate::metrics::sla::SlaPolicies;
    use crate::metrics::tests::{context, row_facts};
    use crate::model::tests::{build, tickets_from};

    fn block(rows: &[&str], as_of_minute: Option<i64>) -> KpiBlock {
        let (tickets, symbols, as_of) = build(rows, as_of_minute);
        let policies = SlaPolicies::default();
        let coverage = Coverage::full();
        let facts = row_facts(&tickets);
        let rows_have_status = rows.iter().any(|row| row.contains("status="));
        let context = context(
            as_of,
            rows_have_status,
            &policies,
            &symbols,
            &coverage,
            &facts,
        );
        let mut accumulator = KpiAccumulator::default();
        for ticket in &tickets {
            accumulator.observe(&Observed::new(ticket, &context), &context);
        }
        accumulator.finish(&context)
    }

    #[test]
    fn without_any_status_resolution_kpis_are_null_not_zero() {
        let kpis = block(&["A 0 message customer", "A 10 message agent"], Some(60));
        assert_eq!(kpis.resolution_time, None);
        assert_eq!(kpis.first_resolution_time, None);
        assert_eq!(kpis.fcr, None);
        assert_eq!(kpis.reopens, None);
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

    /// B was solved, reopened by the customer's message and solved again: one of the four
    /// tickets resolved at least once was reopened, once; E was never resolved.
    #[test]
    fn reopens_count_resolved_tickets_that_came_back() {
        let kpis = block(
            &[
                "A 0 message customer",
                "A 10 message agent status=solved",
                "B 0 message customer",
                "B 10 message agent status=solved",
                "B 20 message customer",
                "B 30 message agent status=solved",
                "C 0 message customer",
                "C 10 message agent status=solved",
                "D 0 message customer",
                "D 1 message bot status=solved",
                "E 0 message customer status=open",
            ],
            Some(100),
        );
        let reopens = kpis.reopens.unwrap();
        assert_eq!(
            (reopens.resolved, reopens.reopened_tickets, reopens.reopens),
            (4, 1, 1)
        );
        assert_eq!(reopens.rate, Some(0.25));
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
        let coverage = Coverage::full();
        let rows = row_facts(&tickets);
        let as_of = tickets.iter().map(|t| t.created_at).max().unwrap() + 1;
        let context = context(as_of, true, &policies, &symbols, &coverage, &rows);
        let mut whole = KpiAccumulator::default();
        let mut parts = [KpiAccumulator::default(), KpiAccumulator::default()];
        for (i, ticket) in tickets.iter().enumerate() {
            let observed = Observed::new(ticket, &context);
            whole.observe(&observed, &context);
            parts[i % 2].observe(&observed, &context);
        }
        let [mut left, right] = parts;
        left.merge(right);
        assert_eq!(left.finish(&context), whole.finish(&context));
    }
}
