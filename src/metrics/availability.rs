//! Which KPIs an input can support, and why not. One decision, taken here, serves both the
//! report (a KPI the input cannot support is null, never 0) and `inspect` (the list a new user
//! reads before trusting a report), so the two always agree.
//!
//! Every null the input decides is decided here: a whole KPI by [`Facts::check`] (the list the
//! report and `inspect` show), and the few figures within a block or a ticket row that an
//! export may lack while the KPI stands ([`Facts::knows`], [`Facts::sla_scope`],
//! [`Facts::allows_response_time_business`]).

use serde::Serialize;

use crate::ingest::coverage::Channels;
use crate::ingest::mapping::MappedField;
use crate::ingest::row::Field;
use crate::ingest::{Coverage, RowFacts};
use crate::metrics::sla::SlaScope;

/// The KPIs whose availability depends on the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kpi {
    FirstResponse,
    FirstResponseBusiness,
    ResponseTime,
    ResponseRate,
    ResolutionTime,
    ResolutionTimeBusiness,
    FirstResolutionTime,
    Fcr,
    Reopens,
    BotResolution,
    Aht,
    Csat,
    Nps,
    Backlog,
    SlaFirstReply,
    SlaNextReply,
    SlaResolution,
    DeskSla,
    RepliesPerSolvedTicket,
    CustomerMessagesPerTicket,
    Redirects,
    Sentiment,
    ContactCentre,
    Asa,
    ServiceLevel,
    /// Whether an abandoned call hung up in the menu (IVR) or in the queue.
    AbandonPlace,
    StatusDurations,
    StatusDurationsBusiness,
}

impl Kpi {
    pub const ALL: [Kpi; 28] = [
        Kpi::FirstResponse,
        Kpi::FirstResponseBusiness,
        Kpi::ResponseTime,
        Kpi::ResponseRate,
        Kpi::ResolutionTime,
        Kpi::ResolutionTimeBusiness,
        Kpi::FirstResolutionTime,
        Kpi::Fcr,
        Kpi::Reopens,
        Kpi::BotResolution,
        Kpi::Aht,
        Kpi::Csat,
        Kpi::Nps,
        Kpi::Backlog,
        Kpi::SlaFirstReply,
        Kpi::SlaNextReply,
        Kpi::SlaResolution,
        Kpi::DeskSla,
        Kpi::RepliesPerSolvedTicket,
        Kpi::CustomerMessagesPerTicket,
        Kpi::Redirects,
        Kpi::Sentiment,
        Kpi::ContactCentre,
        Kpi::Asa,
        Kpi::ServiceLevel,
        Kpi::AbandonPlace,
        Kpi::StatusDurations,
        Kpi::StatusDurationsBusiness,
    ];

    /// Its path in a KPI block of the JSON report.
    pub fn key(self) -> &'static str {
        match self {
            Kpi::FirstResponse => "first_response",
            Kpi::FirstResponseBusiness => "first_response_business",
            Kpi::ResponseTime => "response_time",
            Kpi::ResponseRate => "response_rate",
            Kpi::ResolutionTime => "resolution_time",
            Kpi::ResolutionTimeBusiness => "resolution_time_business",
            Kpi::FirstResolutionTime => "first_resolution_time",
            Kpi::Fcr => "fcr",
            Kpi::Reopens => "reopens",
            Kpi::BotResolution => "bot_resolution",
            Kpi::Aht => "aht",
            Kpi::Csat => "csat",
            Kpi::Nps => "nps",
            Kpi::Backlog => "backlog",
            Kpi::SlaFirstReply => "sla.first_reply",
            Kpi::SlaNextReply => "sla.next_reply",
            Kpi::SlaResolution => "sla.resolution",
            Kpi::DeskSla => "desk_sla",
            Kpi::RepliesPerSolvedTicket => "interactions.replies_per_solved_ticket",
            Kpi::CustomerMessagesPerTicket => "interactions.customer_messages_per_ticket",
            Kpi::Redirects => "redirects",
            Kpi::Sentiment => "sentiment",
            Kpi::ContactCentre => "contact_centre",
            Kpi::Asa => "contact_centre.asa",
            Kpi::ServiceLevel => "contact_centre.service_level",
            Kpi::AbandonPlace => "contact_centre.abandonment.in_queue",
            Kpi::StatusDurations => "status_durations",
            Kpi::StatusDurationsBusiness => "status_durations_business",
        }
    }

    /// Its name for a person.
    pub fn label(self) -> &'static str {
        match self {
            Kpi::FirstResponse => "first response time",
            Kpi::FirstResponseBusiness => "first response time, business hours",
            Kpi::ResponseTime => "response time",
            Kpi::ResponseRate => "response rate",
            Kpi::ResolutionTime => "resolution time",
            Kpi::ResolutionTimeBusiness => "resolution time, business hours",
            Kpi::FirstResolutionTime => "first resolution time",
            Kpi::Fcr => "first contact resolution",
            Kpi::Reopens => "reopens",
            Kpi::BotResolution => "bot resolution",
            Kpi::Aht => "average handle time",
            Kpi::Csat => "CSAT",
            Kpi::Nps => "NPS",
            Kpi::Backlog => "backlog",
            Kpi::SlaFirstReply => "SLA first reply",
            Kpi::SlaNextReply => "SLA next reply",
            Kpi::SlaResolution => "SLA resolution",
            Kpi::DeskSla => "help desk's own SLA verdict",
            Kpi::RepliesPerSolvedTicket => "replies per solved ticket",
            Kpi::CustomerMessagesPerTicket => "customer messages per ticket",
            Kpi::Redirects => "redirect rate",
            Kpi::Sentiment => "sentiment change",
            Kpi::ContactCentre => "contact centre (offered, answered, abandoned)",
            Kpi::Asa => "average speed of answer",
            Kpi::ServiceLevel => "service level",
            Kpi::AbandonPlace => "abandoned in the menu or in the queue",
            Kpi::StatusDurations => "status durations (requester wait, agent wait, on hold)",
            Kpi::StatusDurationsBusiness => "status durations, business hours",
        }
    }
}

/// A per-ticket count that a ticket-level export may not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    CustomerMessages,
    /// Agent messages (replies).
    AgentMessages,
    BotMessages,
    Notes,
    Reopens,
}

impl Count {
    /// The ticket-table column that feeds it, if any can.
    fn column(self) -> Option<MappedField> {
        match self {
            Count::CustomerMessages => Some(MappedField::CustomerMessages),
            Count::AgentMessages => Some(MappedField::Replies),
            Count::Reopens => Some(MappedField::Reopens),
            Count::BotMessages | Count::Notes => None,
        }
    }
}

/// What decides availability: the inputs' columns, what their rows hold, and the settings.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub coverage: &'a Coverage,
    pub rows: &'a RowFacts,
    /// Whether any valid row carries a status (or a solved or closed time).
    pub has_status: bool,
    /// A business-hours schedule is configured for the report.
    pub schedule: bool,
    /// Some SLA policy sets a next-reply target.
    pub next_reply_target: bool,
}

/// Fields that say when a call entered the queue, or how long it waited there.
const QUEUE: [MappedField; 2] = [MappedField::QueuedAt, MappedField::SpeedOfAnswerSeconds];
const CALL_LOG: &str = "a call log: calls are answered or abandoned, not replied to (see \
                        contact_centre: answered, ASA, service level)";
const NO_STATUS: &str = "no row carries a status (or a solved or closed time)";
const PER_TICKET: &str = "the export has one row per ticket, not one per message";
const FIRST_REPLY: [MappedField; 2] = [MappedField::FirstReplyAt, MappedField::FirstReplySeconds];
const SOLVED: [MappedField; 3] = [
    MappedField::SolvedAt,
    MappedField::ResolutionSeconds,
    MappedField::ClosedAt,
];

impl Facts<'_> {
    /// `Ok` when the input can support `kpi`, else why not.
    pub fn check(&self, kpi: Kpi) -> Result<(), String> {
        let coverage = self.coverage;
        let per_event = coverage.per_event;
        let status = || {
            if self.has_status {
                Ok(())
            } else {
                Err(NO_STATUS.to_owned())
            }
        };
        let fed = |targets: &[MappedField]| {
            if coverage.any_fed(targets) {
                Ok(())
            } else {
                Err(coverage.why_not(targets))
            }
        };
        let messages = || {
            if self.rows.message_rows == 0 {
                Err("no message rows in this input (a status or process log)".to_owned())
            } else {
                Ok(())
            }
        };
        let customers = || {
            messages()?;
            if self.rows.customer_messages == 0 {
                Err(
                    "no customer messages in this input (check how author_type is mapped)"
                        .to_owned(),
                )
            } else {
                Ok(())
            }
        };
        let agents = || {
            messages()?;
            if self.rows.agent_messages == 0 {
                Err("no agent replies in this input (check how author_type is mapped)".to_owned())
            } else {
                Ok(())
            }
        };
        let per_ticket = || Err(PER_TICKET.to_owned());
        let calls = || {
            if self.is_call_log() {
                Ok(())
            } else {
                Err(format!(
                    "no call outcome: {}",
                    coverage.why_not(&[MappedField::Answered])
                ))
            }
        };
        let replies_measured = || {
            if self.is_call_log() {
                Err(CALL_LOG.to_owned())
            } else {
                Ok(())
            }
        };
        match kpi {
            Kpi::FirstResponse | Kpi::FirstResponseBusiness | Kpi::ResponseRate
                if self.is_call_log() =>
            {
                replies_measured()
            }
            // A call has no first reply for a first-reply target to measure: the phone's
            // SLA is the service level.
            Kpi::SlaFirstReply if self.is_call_log() => Err(
                "a call log: the phone's SLA is the service level (see contact_centre)".to_owned(),
            ),
            Kpi::ContactCentre => calls(),
            Kpi::Asa | Kpi::ServiceLevel | Kpi::AbandonPlace => calls().and(fed(&QUEUE)),
            Kpi::StatusDurations if per_event => status(),
            Kpi::StatusDurations => {
                Err("the export has one row per ticket, without its status history".to_owned())
            }
            Kpi::StatusDurationsBusiness => {
                self.check(Kpi::StatusDurations)?;
                if self.schedule {
                    Ok(())
                } else {
                    Err("no business-hours schedule is configured (report.schedule)".to_owned())
                }
            }
            Kpi::FirstResponse | Kpi::SlaFirstReply if per_event => customers().and(agents()),
            Kpi::FirstResponse | Kpi::SlaFirstReply => {
                if !coverage.any_fed(&FIRST_REPLY)
                    && coverage.fed(MappedField::FirstReplyBusinessSeconds)
                {
                    return Err(
                        "the export has first-reply times in business hours only (see the \
                         business-hours figure)"
                            .to_owned(),
                    );
                }
                fed(&FIRST_REPLY)
            }
            Kpi::FirstResponseBusiness => {
                if !per_event && coverage.fed(MappedField::FirstReplyBusinessSeconds) {
                    return Ok(());
                }
                self.scheduled(MappedField::FirstReplyBusinessSeconds)?;
                self.check(Kpi::FirstResponse)
            }
            Kpi::ResponseTime if per_event => customers().and(agents()),
            Kpi::ResponseTime => per_ticket(),
            Kpi::ResponseRate if per_event => customers().and(agents()),
            Kpi::ResponseRate => fed(&[
                MappedField::FirstReplyAt,
                MappedField::FirstReplySeconds,
                MappedField::FirstReplyBusinessSeconds,
            ]),
            Kpi::ResolutionTime | Kpi::SlaResolution | Kpi::Backlog if per_event => status(),
            Kpi::Backlog => status(),
            Kpi::ResolutionTime | Kpi::SlaResolution => status().and(fed(&SOLVED)),
            Kpi::ResolutionTimeBusiness => {
                status()?;
                if !per_event && coverage.fed(MappedField::ResolutionBusinessSeconds) {
                    return Ok(());
                }
                self.scheduled(MappedField::ResolutionBusinessSeconds)?;
                self.check(Kpi::ResolutionTime)
            }
            Kpi::FirstResolutionTime if per_event => status(),
            Kpi::FirstResolutionTime => status().and(fed(&[
                MappedField::FirstResolvedAt,
                MappedField::FirstResolutionSeconds,
            ])),
            Kpi::Fcr if per_event => status().and(agents()),
            Kpi::Fcr => status()
                .and(fed(&[MappedField::Replies]))
                .and(fed(&[MappedField::Reopens])),
            Kpi::Reopens if per_event => status(),
            Kpi::Reopens => status().and(fed(&[MappedField::Reopens])),
            Kpi::BotResolution if per_event => {
                status()?;
                messages()?;
                if self.rows.bot_messages == 0 {
                    Err("no bot messages in this input".to_owned())
                } else {
                    Ok(())
                }
            }
            Kpi::BotResolution => status().and(per_ticket()),
            Kpi::Aht => fed(&[
                MappedField::Event(Field::HandleSeconds),
                MappedField::Event(Field::TalkSeconds),
                MappedField::Event(Field::HoldSeconds),
                MappedField::Event(Field::AcwSeconds),
            ]),
            Kpi::Csat => fed(&[MappedField::Event(Field::Csat)]),
            Kpi::Nps => fed(&[MappedField::Event(Field::Nps)]),
            Kpi::SlaNextReply => {
                if !self.next_reply_target {
                    return Err("no SLA policy sets a next-reply target".to_owned());
                }
                if per_event {
                    customers().and(agents())
                } else {
                    per_ticket()
                }
            }
            Kpi::DeskSla => fed(&[MappedField::SlaFirstReplyMet, MappedField::SlaResolutionMet]),
            Kpi::RepliesPerSolvedTicket if per_event => status().and(messages()),
            Kpi::RepliesPerSolvedTicket => status().and(fed(&[MappedField::Replies])),
            Kpi::CustomerMessagesPerTicket if per_event => messages(),
            Kpi::CustomerMessagesPerTicket => fed(&[MappedField::CustomerMessages]),
            Kpi::Redirects if per_event => {
                messages()?;
                fed(&[MappedField::Event(Field::Channel)])?;
                match self.rows.channels {
                    Channels::Several => Ok(()),
                    Channels::One(_) => Err("every message row has the same channel".to_owned()),
                    Channels::None => Err("no message row has a channel".to_owned()),
                }
            }
            Kpi::Redirects => per_ticket(),
            Kpi::Sentiment if per_event => {
                messages().and(fed(&[MappedField::Event(Field::Sentiment)]))
            }
            Kpi::Sentiment => per_ticket(),
        }
    }

    /// Every input is a call log: one row per call, with its outcome (the `answered` field
    /// fed). Messaging KPIs (first response, response rate) do not apply to it.
    pub fn is_call_log(&self) -> bool {
        !self.coverage.per_event && self.coverage.fed(MappedField::Answered)
    }

    pub fn allows(&self, kpi: Kpi) -> bool {
        self.check(kpi).is_ok()
    }

    /// Whether the tickets' `count` is known: an event log counts every message itself; a
    /// ticket table has a count only where a column feeds it, and some (bot messages,
    /// notes) never.
    pub fn knows(&self, count: Count) -> bool {
        self.coverage.per_event
            || count
                .column()
                .is_some_and(|column| self.coverage.fed(column))
    }

    /// `value`, where the tickets' `count` is known ([`Facts::knows`]).
    pub fn known<T>(&self, count: Count, value: T) -> Option<T> {
        self.knows(count).then_some(value)
    }

    /// Which SLA targets the input can measure: resolution needs a dated resolution, first
    /// reply the first-reply time, next replies customer and agent messages (as response
    /// times do).
    pub fn sla_scope(&self) -> SlaScope {
        SlaScope {
            has_status: self.allows(Kpi::SlaResolution),
            has_first_reply: self.allows(Kpi::SlaFirstReply),
            has_messages: self.allows(Kpi::ResponseTime),
        }
    }

    /// Response times in business hours: response times, and a schedule to count them in
    /// (no export carries its own).
    pub fn allows_response_time_business(&self) -> bool {
        self.schedule && self.allows(Kpi::ResponseTime)
    }

    /// Business-hours figures come from our schedule or, in a ticket table, from the desk's
    /// own column (`desk`): say what is missing, including a column the mapping looked for.
    fn scheduled(&self, desk: MappedField) -> Result<(), String> {
        if self.schedule {
            return Ok(());
        }
        let no_schedule = "no business-hours schedule is configured (report.schedule)";
        Err(if self.coverage.per_event || !self.coverage.names(desk) {
            no_schedule.to_owned()
        } else {
            format!("{}, and {no_schedule}", self.coverage.why_not(&[desk]))
        })
    }

    /// Every KPI with whether this input supports it, why not, and what it means here.
    pub fn availability(&self) -> Vec<Availability> {
        Kpi::ALL
            .iter()
            .map(|kpi| {
                let check = self.check(*kpi);
                Availability {
                    kpi: kpi.key(),
                    label: kpi.label(),
                    computable: check.is_ok(),
                    reason: check.err(),
                    caveat: self.coverage.caveats.get(kpi.key()).cloned(),
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// The KPI's path in a KPI block.
    pub kpi: &'static str,
    pub label: &'static str,
    pub computable: bool,
    /// Why not, when it is not.
    pub reason: Option<String>,
    /// What the KPI means for this export, when its mapping says (a proxy, a narrower reading).
    pub caveat: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ingest::Feed;

    fn ticket_coverage(fed: &[MappedField], absent: &[(MappedField, &str)]) -> Coverage {
        let mut fields: BTreeMap<MappedField, Feed> = fed.iter().map(|t| (*t, Feed::Fed)).collect();
        for (target, column) in absent {
            fields.insert(
                *target,
                Feed::Absent {
                    columns: (*column).to_owned(),
                },
            );
        }
        Coverage::new(false, fields, BTreeMap::new())
    }

    fn facts<'a>(coverage: &'a Coverage, rows: &'a RowFacts) -> Facts<'a> {
        Facts {
            coverage,
            rows,
            has_status: true,
            schedule: false,
            next_reply_target: false,
        }
    }

    #[test]
    fn a_ticket_export_has_no_contact_centre_block_and_says_why() {
        let coverage = ticket_coverage(&[MappedField::CreatedAt, MappedField::FirstReplyAt], &[]);
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        let reason = facts.check(Kpi::ContactCentre).unwrap_err();
        assert!(reason.contains("no call outcome"), "{reason}");
        assert!(facts.check(Kpi::Asa).is_err());
        assert!(facts.allows(Kpi::FirstResponse), "not a call log");
    }

    #[test]
    fn a_call_log_has_calls_not_replies() {
        let coverage = ticket_coverage(
            &[
                MappedField::CreatedAt,
                MappedField::FirstReplyAt,
                MappedField::Answered,
                MappedField::QueuedAt,
            ],
            &[],
        );
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        assert!(facts.is_call_log());
        for kpi in [
            Kpi::ContactCentre,
            Kpi::Asa,
            Kpi::ServiceLevel,
            Kpi::AbandonPlace,
        ] {
            assert!(facts.allows(kpi), "{kpi:?}");
        }
        for kpi in [Kpi::FirstResponse, Kpi::ResponseRate] {
            let reason = facts.check(kpi).unwrap_err();
            assert!(reason.contains("call log"), "{reason}");
        }
    }

    #[test]
    fn a_call_log_without_queue_data_has_no_asa_or_service_level() {
        let coverage = ticket_coverage(
            &[MappedField::CreatedAt, MappedField::Answered],
            &[(MappedField::QueuedAt, "Queue start")],
        );
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        assert!(facts.allows(Kpi::ContactCentre));
        let reason = facts.check(Kpi::ServiceLevel).unwrap_err();
        assert!(reason.contains("Queue start"), "{reason}");
        assert!(facts.check(Kpi::Asa).is_err());
        assert!(facts.check(Kpi::AbandonPlace).is_err());
    }

    #[test]
    fn status_durations_need_a_status_history() {
        let coverage = ticket_coverage(&[MappedField::CreatedAt], &[]);
        let rows = RowFacts::default();
        let reason = facts(&coverage, &rows)
            .check(Kpi::StatusDurations)
            .unwrap_err();
        assert!(reason.contains("status history"), "{reason}");
        let events = Coverage::full();
        let with_status = facts(&events, &rows);
        assert!(with_status.allows(Kpi::StatusDurations));
        assert!(with_status.check(Kpi::StatusDurationsBusiness).is_err());
        let no_status = Facts {
            has_status: false,
            ..with_status
        };
        assert!(no_status.check(Kpi::StatusDurations).is_err());
    }

    #[test]
    fn an_absent_first_reply_column_makes_frt_unknowable_and_says_which() {
        let coverage = ticket_coverage(
            &[
                MappedField::CreatedAt,
                MappedField::FirstReplyBusinessSeconds,
            ],
            &[(
                MappedField::FirstReplySeconds,
                "First reply time in minutes",
            )],
        );
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        let reason = facts.check(Kpi::FirstResponse).unwrap_err();
        assert!(reason.contains("business hours only"), "{reason}");
        assert!(facts.allows(Kpi::FirstResponseBusiness));
        assert!(
            facts.allows(Kpi::ResponseRate),
            "a business time is a reply"
        );
        let without = ticket_coverage(
            &[MappedField::CreatedAt],
            &[(
                MappedField::FirstReplySeconds,
                "First reply time in minutes",
            )],
        );
        assert_eq!(
            super::Facts {
                coverage: &without,
                ..facts
            }
            .check(Kpi::ResponseRate)
            .unwrap_err(),
            "the export has no column 'First reply time in minutes'"
        );
    }

    #[test]
    fn message_kpis_need_the_authors_they_count() {
        let coverage = Coverage::full();
        let rows = RowFacts {
            message_rows: 10,
            customer_messages: 10,
            ..RowFacts::default()
        };
        let facts = facts(&coverage, &rows);
        assert!(
            facts
                .check(Kpi::ResponseRate)
                .unwrap_err()
                .contains("agent")
        );
        assert!(facts.check(Kpi::BotResolution).unwrap_err().contains("bot"));
        assert!(facts.check(Kpi::Redirects).unwrap_err().contains("channel"));
        let with_agents = RowFacts {
            agent_messages: 3,
            bot_messages: 1,
            ..rows
        };
        let facts = super::Facts {
            rows: &with_agents,
            ..facts
        };
        assert!(facts.allows(Kpi::ResponseRate));
        assert!(facts.allows(Kpi::BotResolution));
    }

    #[test]
    fn a_status_log_has_no_message_kpis() {
        let coverage = Coverage::full();
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        for kpi in [
            Kpi::FirstResponse,
            Kpi::RepliesPerSolvedTicket,
            Kpi::BotResolution,
        ] {
            assert!(
                facts.check(kpi).unwrap_err().contains("no message rows"),
                "{kpi:?}"
            );
        }
        assert!(facts.allows(Kpi::Backlog));
        let no_status = super::Facts {
            has_status: false,
            ..facts
        };
        assert_eq!(no_status.check(Kpi::Backlog).unwrap_err(), NO_STATUS);
    }

    #[test]
    fn a_ticket_table_knows_the_counts_its_columns_feed_and_no_other() {
        let coverage = ticket_coverage(&[MappedField::CreatedAt, MappedField::Replies], &[]);
        let rows = RowFacts::default();
        let facts = facts(&coverage, &rows);
        assert!(facts.knows(Count::AgentMessages));
        for count in [
            Count::CustomerMessages,
            Count::BotMessages,
            Count::Notes,
            Count::Reopens,
        ] {
            assert!(!facts.knows(count), "{count:?}");
        }
        let events = Coverage::full();
        let facts = super::Facts {
            coverage: &events,
            ..facts
        };
        assert!(
            facts.knows(Count::BotMessages),
            "an event log counts them all"
        );
    }
}
