//! CSAT and NPS: the last score per ticket.

use serde::Serialize;

use super::distribution::Distribution;
use super::rate::ratio;
use super::{Accumulator, Context, Observed};

/// The survey scale and the lowest satisfied score (4 on 1-5, e.g. 8 on 1-10).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsatScale {
    pub min: f64,
    pub max: f64,
    pub satisfied_min: f64,
}

impl Default for CsatScale {
    fn default() -> Self {
        CsatScale {
            min: 1.0,
            max: 5.0,
            satisfied_min: 4.0,
        }
    }
}

pub fn is_satisfied(score: f64, scale: &CsatScale) -> bool {
    score >= scale.satisfied_min
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsClass {
    Promoter,
    Passive,
    Detractor,
}

/// 9-10 promote, 0-6 detract, the rest are passive.
pub fn nps_class(score: f64) -> NpsClass {
    if score >= 9.0 {
        NpsClass::Promoter
    } else if score <= 6.0 {
        NpsClass::Detractor
    } else {
        NpsClass::Passive
    }
}

/// %(promoters) - %(detractors), from -100 to 100.
pub fn nps_score(promoters: u64, detractors: u64, responses: u64) -> Option<f64> {
    (responses > 0).then(|| 100.0 * (promoters as f64 - detractors as f64) / responses as f64)
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Surveys {
    csat_responses: u64,
    satisfied: u64,
    /// The scores themselves: a mean of sorted values does not depend on ticket order.
    scores: Distribution,
    solved: u64,
    solved_with_rating: u64,
    promoters: u64,
    passives: u64,
    detractors: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Csat {
    pub responses: u64,
    pub satisfied: u64,
    /// satisfied / responses.
    pub rate: Option<f64>,
    pub mean_score: Option<f64>,
    /// Tickets solved at as_of with a rating / tickets solved at as_of; null without status.
    pub response_rate: Option<f64>,
    pub scale_min: f64,
    pub scale_max: f64,
    pub satisfied_min: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nps {
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    pub score: Option<f64>,
}

impl Accumulator for Surveys {
    type Output = (Csat, Nps);

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        let ticket = observed.ticket;
        if let Some(score) = ticket.csat {
            self.csat_responses += 1;
            self.satisfied += u64::from(is_satisfied(score, &context.csat));
            self.scores.observe(score);
        }
        if ticket.is_solved() {
            self.solved += 1;
            self.solved_with_rating += u64::from(ticket.csat.is_some());
        }
        match ticket.nps.map(nps_class) {
            Some(NpsClass::Promoter) => self.promoters += 1,
            Some(NpsClass::Passive) => self.passives += 1,
            Some(NpsClass::Detractor) => self.detractors += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: Surveys) {
        self.csat_responses += other.csat_responses;
        self.satisfied += other.satisfied;
        self.scores.merge(other.scores);
        self.solved += other.solved;
        self.solved_with_rating += other.solved_with_rating;
        self.promoters += other.promoters;
        self.passives += other.passives;
        self.detractors += other.detractors;
    }

    /// The response rate counts solved tickets: null without a status.
    fn finish(self, context: &Context<'_>) -> (Csat, Nps) {
        let (scale, has_status) = (&context.csat, context.facts.has_status);
        let csat = Csat {
            responses: self.csat_responses,
            satisfied: self.satisfied,
            rate: ratio(self.satisfied, self.csat_responses),
            mean_score: self.scores.finish().mean,
            response_rate: ratio(self.solved_with_rating, self.solved).filter(|_| has_status),
            scale_min: scale.min,
            scale_max: scale.max,
            satisfied_min: scale.satisfied_min,
        };
        let responses = self.promoters + self.passives + self.detractors;
        let nps = Nps {
            responses,
            promoters: self.promoters,
            passives: self.passives,
            detractors: self.detractors,
            score: nps_score(self.promoters, self.detractors, responses),
        };
        (csat, nps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfied_threshold_follows_the_scale() {
        let five = CsatScale::default();
        assert!(is_satisfied(4.0, &five));
        assert!(!is_satisfied(3.0, &five));
        let ten = CsatScale {
            min: 1.0,
            max: 10.0,
            satisfied_min: 8.0,
        };
        assert!(!is_satisfied(7.0, &ten));
        assert!(is_satisfied(8.0, &ten));
    }

    #[test]
    fn nps_classes_and_score() {
        assert_eq!(nps_class(10.0), NpsClass::Promoter);
        assert_eq!(nps_class(9.0), NpsClass::Promoter);
        assert_eq!(nps_class(8.0), NpsClass::Passive);
        assert_eq!(nps_class(7.0), NpsClass::Passive);
        assert_eq!(nps_class(6.0), NpsClass::Detractor);
        assert_eq!(nps_class(0.0), NpsClass::Detractor);
        assert_eq!(nps_score(2, 1, 4), Some(25.0));
        assert_eq!(nps_score(0, 3, 3), Some(-100.0));
        assert_eq!(nps_score(0, 0, 0), None);
    }
}
