//! Volume, channel share, customer messages per ticket, redirects and sentiment change.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::availability::Count;
use super::distribution::Distribution;
use super::rate::ratio;
use super::{Accumulator, Context, Observed};
use crate::model::Direction;
use crate::symbols::Sym;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Volume {
    tickets: u64,
    inbound: u64,
    outbound: u64,
    customer_messages: u64,
    agent_messages: u64,
    bot_messages: u64,
    notes: u64,
    by_channel: HashMap<Sym, u64>,
    redirected: u64,
    sentiment_changes: Distribution,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeReport {
    pub tickets: u64,
    pub inbound: u64,
    pub outbound: u64,
    /// Null where the input has no such counts (ticket-level exports).
    pub customer_messages: Option<u64>,
    pub agent_messages: Option<u64>,
    pub bot_messages: Option<u64>,
    pub notes: Option<u64>,
    /// Share of tickets by their (preferred) channel; `(none)` for tickets without one (a
    /// channel written `(none)` is keyed `"(none)"`, see `symbols::label_of`).
    pub channel_share: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redirects {
    /// Tickets whose message rows carry more than one distinct channel.
    pub tickets: u64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentimentChange {
    /// Tickets with two or more scored customer messages.
    pub tickets: u64,
    pub mean_change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VolumeKpis {
    pub volume: VolumeReport,
    pub customer_messages_per_ticket: Option<f64>,
    pub redirects: Redirects,
    pub sentiment: SentimentChange,
}

impl Accumulator for Volume {
    type Output = VolumeKpis;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        let ticket = observed.ticket;
        self.tickets += 1;
        match ticket.direction {
            Direction::Inbound => self.inbound += 1,
            Direction::Outbound => self.outbound += 1,
            Direction::Undecided => {}
        }
        self.customer_messages += u64::from(ticket.customer_messages);
        self.agent_messages += u64::from(ticket.replies);
        self.bot_messages += u64::from(ticket.bot_messages);
        self.notes += u64::from(ticket.notes);
        *self.by_channel.entry(ticket.channel).or_default() += 1;
        self.redirected += u64::from(ticket.message_channels > 1);
        if let Some(change) = ticket.sentiment_change() {
            self.sentiment_changes.observe(change);
        }
    }

    fn merge(&mut self, other: Volume) {
        self.tickets += other.tickets;
        self.inbound += other.inbound;
        self.outbound += other.outbound;
        self.customer_messages += other.customer_messages;
        self.agent_messages += other.agent_messages;
        self.bot_messages += other.bot_messages;
        self.notes += other.notes;
        for (channel, count) in other.by_channel {
            *self.by_channel.entry(channel).or_default() += count;
        }
        self.redirected += other.redirected;
        self.sentiment_changes.merge(other.sentiment_changes);
    }

    /// Message counts are null where the export cannot tell them (see `Facts::knows`).
    fn finish(self, context: &Context<'_>) -> VolumeKpis {
        let (symbols, facts) = (context.symbols, &context.facts);
        let channel_share = self
            .by_channel
            .iter()
            .map(|(channel, count)| {
                let share = ratio(*count, self.tickets).unwrap_or_default();
                (symbols.label(*channel).into_owned(), share)
            })
            .collect();
        VolumeKpis {
            customer_messages_per_ticket: ratio(self.customer_messages, self.tickets),
            redirects: Redirects {
                tickets: self.redirected,
                rate: ratio(self.redirected, self.tickets),
            },
            sentiment: {
                let changes = self.sentiment_changes.finish();
                SentimentChange {
                    tickets: changes.count,
                    mean_change: changes.mean,
                }
            },
            volume: VolumeReport {
                tickets: self.tickets,
                inbound: self.inbound,
                outbound: self.outbound,
                customer_messages: facts.known(Count::CustomerMessages, self.customer_messages),
                agent_messages: facts.known(Count::AgentMessages, self.agent_messages),
                bot_messages: facts.known(Count::BotMessages, self.bot_messages),
                notes: facts.known(Count::Notes, self.notes),
                channel_share,
            },
        }
    }
}
