//! The contact-centre KPIs of calls (any ticket with a call outcome): offered, answered,
//! abandoned (in the menu or in the queue), short abandons, ASA and the service level.
//! docs/metrics.md defines each; which of them an input supports is decided in
//! `availability` (a ticket export has no calls: the block is null).

use serde::Serialize;

use super::availability::Kpi;
use super::distribution::{Distribution, Summary};
use super::rate::ratio;
use super::{Accumulator, Context, Observed};
use crate::ingest::names::named_enum;
use crate::model::Call;

named_enum! {
    /// How abandoned calls enter the service level; vendors differ (docs/metrics.md).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
    pub enum AbandonPolicy {
        /// Abandoned calls count against it: answered within T / (answered + abandoned).
        #[serde(rename = "count")]
        Count = "count",
        /// Abandoned calls are left out: answered within T / answered.
        #[serde(rename = "exclude")]
        Exclude = "exclude",
        /// A call abandoned within T counts as met:
        /// (answered within T + abandoned within T) / (answered + abandoned).
        #[serde(rename = "met-if-within-T")]
        MetIfWithinT = "met-if-within-T",
    }
}

/// The `[contact_centre]` settings of ticketkpi.toml.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContactCentreSettings {
    /// T of the service level, in seconds of queue wait.
    pub service_level_seconds: f64,
    /// A call abandoned in the queue within this many seconds is a short abandon: counted
    /// apart and left out of offered. `None`: off.
    pub short_abandon: Option<f64>,
    pub abandon_policy: AbandonPolicy,
}

impl Default for ContactCentreSettings {
    fn default() -> Self {
        ContactCentreSettings {
            service_level_seconds: 20.0,
            short_abandon: None,
            abandon_policy: AbandonPolicy::Count,
        }
    }
}

impl ContactCentreSettings {
    /// The formula the service level used, printed with the figure.
    pub fn formula(&self) -> String {
        let t = self.service_level_seconds;
        let short = if self.short_abandon.is_some() {
            ", short abandons left out"
        } else {
            ""
        };
        match self.abandon_policy {
            AbandonPolicy::Count => {
                format!("answered within {t} s / (answered + abandoned in queue){short}")
            }
            AbandonPolicy::Exclude => format!("answered within {t} s / answered"),
            AbandonPolicy::MetIfWithinT => format!(
                "(answered + abandoned in queue, within {t} s) / (answered + abandoned in \
                 queue){short}"
            ),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ContactCentre {
    answered: u64,
    abandoned_in_ivr: u64,
    abandoned_in_queue: u64,
    short_abandons: u64,
    /// Queue waits of the answered calls (0 for those never queued): the ASA.
    answer_waits: Distribution,
    answered_within: u64,
    abandoned_within: u64,
    /// Calls whose wait the log contradicts (left out of ASA and the service level).
    unknown_wait: u64,
}

/// The contact-centre block of a KPI block (`contact_centre` in the JSON report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactCentreReport {
    /// Answered + abandoned, short abandons left out.
    pub offered: u64,
    pub answered: u64,
    /// Abandoned in the menu and in the queue, short abandons left out.
    pub abandoned: u64,
    /// Null when `short_abandon` is off (or the log has no queue wait).
    pub short_abandons: Option<u64>,
    pub abandonment: Abandonment,
    /// answered / offered.
    pub answer_rate: Option<f64>,
    /// Queue entry to answer over answered calls, never-queued calls counted 0.
    pub asa: Option<Summary>,
    pub service_level: Option<ServiceLevel>,
    /// Calls whose queue instants contradict each other, left out of ASA and service level.
    pub unknown_wait: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Abandonment {
    /// abandoned / offered.
    pub rate: Option<f64>,
    /// Where the log tells the menu (IVR) from the queue; else null.
    pub in_ivr: Option<u64>,
    pub in_queue: Option<u64>,
    pub ivr_rate: Option<f64>,
    pub queue_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceLevel {
    pub threshold_seconds: f64,
    pub abandon_policy: AbandonPolicy,
    /// The formula used, in words.
    pub formula: String,
    pub met: u64,
    pub considered: u64,
    pub rate: Option<f64>,
}

impl ContactCentre {
    fn observe_call(&mut self, call: &Call, settings: &ContactCentreSettings) {
        let t = settings.service_level_seconds;
        if call.answered {
            self.answered += 1;
            match call.wait_seconds {
                Some(wait) => {
                    self.answer_waits.observe(wait);
                    self.answered_within += u64::from(wait <= t);
                }
                None => self.unknown_wait += 1,
            }
            return;
        }
        if !call.queued {
            self.abandoned_in_ivr += 1;
            return;
        }
        match call.wait_seconds {
            Some(wait) if settings.short_abandon.is_some_and(|short| wait <= short) => {
                self.short_abandons += 1;
            }
            Some(wait) => {
                self.abandoned_in_queue += 1;
                self.abandoned_within += u64::from(wait <= t);
            }
            None => {
                self.abandoned_in_queue += 1;
                self.unknown_wait += 1;
            }
        }
    }

    /// The service level's numerator and denominator under the policy. Calls of unknown
    /// wait cannot be placed against T and are left out.
    fn service_level(&self, settings: &ContactCentreSettings) -> (u64, u64) {
        let answered = self.answer_waits.len() as u64;
        let abandoned = self.abandoned_in_queue - self.queue_unknown();
        match settings.abandon_policy {
            AbandonPolicy::Count => (self.answered_within, answered + abandoned),
            AbandonPolicy::Exclude => (self.answered_within, answered),
            AbandonPolicy::MetIfWithinT => (
                self.answered_within + self.abandoned_within,
                answered + abandoned,
            ),
        }
    }

    /// Abandoned-in-queue calls of unknown wait.
    fn queue_unknown(&self) -> u64 {
        let answered_unknown = self.answered - self.answer_waits.len() as u64;
        self.unknown_wait - answered_unknown
    }
}

impl Accumulator for ContactCentre {
    type Output = ContactCentreReport;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        if let Some(call) = &observed.ticket.call {
            self.observe_call(call, &context.contact_centre);
        }
    }

    fn merge(&mut self, other: ContactCentre) {
        self.answered += other.answered;
        self.abandoned_in_ivr += other.abandoned_in_ivr;
        self.abandoned_in_queue += other.abandoned_in_queue;
        self.short_abandons += other.short_abandons;
        self.answer_waits.merge(other.answer_waits);
        self.answered_within += other.answered_within;
        self.abandoned_within += other.abandoned_within;
        self.unknown_wait += other.unknown_wait;
    }

    fn finish(self, context: &Context<'_>) -> ContactCentreReport {
        let settings = &context.contact_centre;
        let facts = &context.facts;
        let queue_data = facts.allows(Kpi::AbandonPlace);
        let abandoned = self.abandoned_in_ivr + self.abandoned_in_queue;
        let offered = self.answered + abandoned;
        let (met, considered) = self.service_level(settings);
        let short_abandons =
            (queue_data && settings.short_abandon.is_some()).then_some(self.short_abandons);
        ContactCentreReport {
            offered,
            answered: self.answered,
            abandoned,
            short_abandons,
            abandonment: Abandonment {
                rate: ratio(abandoned, offered),
                in_ivr: queue_data.then_some(self.abandoned_in_ivr),
                in_queue: queue_data.then_some(self.abandoned_in_queue),
                ivr_rate: ratio(self.abandoned_in_ivr, offered).filter(|_| queue_data),
                queue_rate: ratio(self.abandoned_in_queue, offered).filter(|_| queue_data),
            },
            answer_rate: ratio(self.answered, offered),
            asa: facts
                .allows(Kpi::Asa)
                .then(|| self.answer_waits.clone().finish()),
            service_level: facts.allows(Kpi::ServiceLevel).then(|| ServiceLevel {
                threshold_seconds: settings.service_level_seconds,
                abandon_policy: settings.abandon_policy,
                formula: settings.formula(),
                met,
                considered,
                rate: ratio(met, considered),
            }),
            unknown_wait: self.unknown_wait,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(answered: bool, queued: bool, wait: Option<f64>) -> Call {
        Call {
            answered,
            queued,
            wait_seconds: wait,
            ended_at: 0,
        }
    }

    /// Answered after 0 (never queued), 10, 30 s; abandoned in the menu; abandoned in the
    /// queue after 3 s and after 40 s.
    fn calls(settings: &ContactCentreSettings) -> ContactCentre {
        let mut family = ContactCentre::default();
        for c in [
            call(true, false, Some(0.0)),
            call(true, true, Some(10.0)),
            call(true, true, Some(30.0)),
            call(false, false, None),
            call(false, true, Some(3.0)),
            call(false, true, Some(40.0)),
        ] {
            family.observe_call(&c, settings);
        }
        family
    }

    #[test]
    fn abandons_are_placed_in_the_menu_or_the_queue() {
        let family = calls(&ContactCentreSettings::default());
        assert_eq!(family.answered, 3);
        assert_eq!((family.abandoned_in_ivr, family.abandoned_in_queue), (1, 2));
        assert_eq!(family.short_abandons, 0, "off by default");
    }

    #[test]
    fn asa_counts_calls_never_queued_as_zero() {
        let summary = calls(&ContactCentreSettings::default())
            .answer_waits
            .finish();
        assert_eq!(summary.count, 3);
        assert_eq!(summary.mean, Some(40.0 / 3.0));
        assert_eq!(summary.median, Some(10.0));
    }

    #[test]
    fn each_abandon_policy_gives_its_formula() {
        let with = |abandon_policy| ContactCentreSettings {
            abandon_policy,
            ..ContactCentreSettings::default()
        };
        // Within 20 s: answered 0 and 10 s; abandoned 3 s. In the queue: 3 answered with a
        // wait, 2 abandoned.
        let count = with(AbandonPolicy::Count);
        assert_eq!(calls(&count).service_level(&count), (2, 5));
        let exclude = with(AbandonPolicy::Exclude);
        assert_eq!(calls(&exclude).service_level(&exclude), (2, 3));
        let met = with(AbandonPolicy::MetIfWithinT);
        assert_eq!(calls(&met).service_level(&met), (3, 5));
    }

    #[test]
    fn short_abandons_are_counted_apart_and_left_out() {
        let settings = ContactCentreSettings {
            short_abandon: Some(5.0),
            ..ContactCentreSettings::default()
        };
        let family = calls(&settings);
        assert_eq!(family.short_abandons, 1);
        assert_eq!(family.abandoned_in_queue, 1, "the 40 s abandon only");
        assert_eq!(family.service_level(&settings), (2, 4));
        assert!(settings.formula().contains("short abandons left out"));
    }

    #[test]
    fn a_wait_at_the_threshold_meets_it() {
        let settings = ContactCentreSettings::default();
        let mut family = ContactCentre::default();
        family.observe_call(&call(true, true, Some(20.0)), &settings);
        assert_eq!(family.service_level(&settings), (1, 1));
    }

    #[test]
    fn calls_of_unknown_wait_are_left_out_of_the_service_level() {
        let settings = ContactCentreSettings::default();
        let mut family = ContactCentre::default();
        family.observe_call(&call(true, true, None), &settings);
        family.observe_call(&call(false, true, None), &settings);
        family.observe_call(&call(true, true, Some(5.0)), &settings);
        assert_eq!(family.unknown_wait, 2);
        assert_eq!((family.answered, family.abandoned_in_queue), (2, 1));
        assert_eq!(family.service_level(&settings), (1, 1));
    }

    #[test]
    fn merged_equals_one_pass() {
        let settings = ContactCentreSettings::default();
        let mut left = calls(&settings);
        left.merge(calls(&settings));
        assert_eq!(left.answered, 6);
        assert_eq!(left.service_level(&settings), (4, 10));
        assert_eq!(left.answer_waits.len(), 6);
    }

    #[test]
    fn abandon_policies_read_back_from_their_names() {
        for policy in AbandonPolicy::ALL {
            assert_eq!(policy.as_str().parse::<AbandonPolicy>().ok(), Some(policy));
        }
    }
}
