//! The help desk's own SLA verdicts, where its export carries them (ServiceNow `made_sla`,
//! Freshdesk "First response status" / "Resolution status"): reported beside our attainment,
//! because the desk applied its own targets and calendars, which the export does not show.

use serde::Serialize;

use super::rate::ratio;
use super::{Accumulator, Context, Observed};
use crate::ingest::mapping::MappedField;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct DeskSla {
    first_reply: Verdicts,
    resolution: Verdicts,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Verdicts {
    met: u64,
    breached: u64,
}

impl Verdicts {
    fn observe(&mut self, verdict: Option<bool>) {
        match verdict {
            Some(true) => self.met += 1,
            Some(false) => self.breached += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: Verdicts) {
        self.met += other.met;
        self.breached += other.breached;
    }

    fn finish(self) -> DeskVerdicts {
        DeskVerdicts {
            met: self.met,
            breached: self.breached,
            attainment: ratio(self.met, self.met + self.breached),
        }
    }
}

/// Tickets the desk says met or breached one SLA target, and met / (met + breached).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeskVerdicts {
    pub met: u64,
    pub breached: u64,
    pub attainment: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeskSlaReport {
    /// Null where the export has no first-reply verdict.
    pub first_reply: Option<DeskVerdicts>,
    pub resolution: Option<DeskVerdicts>,
}

impl Accumulator for DeskSla {
    type Output = DeskSlaReport;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        let desk = &observed.ticket.desk;
        self.first_reply.observe(desk.sla_first_reply_met);
        self.resolution.observe(desk.sla_resolution_met);
    }

    fn merge(&mut self, other: DeskSla) {
        self.first_reply.merge(other.first_reply);
        self.resolution.merge(other.resolution);
    }

    /// Each verdict where the export has its column.
    fn finish(self, context: &Context<'_>) -> DeskSlaReport {
        let coverage = context.facts.coverage;
        DeskSlaReport {
            first_reply: coverage
                .fed(MappedField::SlaFirstReplyMet)
                .then(|| self.first_reply.finish()),
            resolution: coverage
                .fed(MappedField::SlaResolutionMet)
                .then(|| self.resolution.finish()),
        }
    }
}
