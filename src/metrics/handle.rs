//! Average handle time: per ticket, the sum of its handle time; the mean over the tickets
//! that carry any.

use super::distribution::{Distribution, Summary};
use crate::model::Ticket;

#[derive(Debug, Clone, Default)]
pub struct HandleTime {
    per_ticket: Distribution,
}

impl HandleTime {
    pub fn observe(&mut self, ticket: &Ticket) {
        if let Some(seconds) = ticket.handle_seconds {
            self.per_ticket.observe(seconds);
        }
    }

    pub fn merge(&mut self, other: HandleTime) {
        self.per_ticket.merge(other.per_ticket);
    }

    /// The distribution of per-ticket handle time; its mean is the AHT.
    pub fn finish(self) -> Summary {
        self.per_ticket.finish()
    }
}
