//! Average handle time: per ticket, the sum of its handle time; the mean over the tickets
//! that carry any.

use super::distribution::{Distribution, Summary};
use super::{Accumulator, Context, Observed};

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct HandleTime {
    per_ticket: Distribution,
}

impl Accumulator for HandleTime {
    type Output = Summary;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        if let Some(seconds) = observed.ticket.handle_seconds {
            self.per_ticket.observe(seconds);
        }
    }

    fn merge(&mut self, other: HandleTime) {
        self.per_ticket.merge(other.per_ticket);
    }

    /// The distribution of per-ticket handle time; its mean is the AHT.
    fn finish(self, _: &Context<'_>) -> Summary {
        self.per_ticket.finish()
    }
}
