//! The overall section: every KPI of the whole report, with what it is made of, and why it
//! is n/a where the input cannot support it.

use super::{Column, Section};
use crate::metrics::availability::Kpi;
use crate::metrics::desk_sla::DeskVerdicts;
use crate::metrics::distribution::Summary;
use crate::metrics::sla::TargetAttainment;
use crate::report::text::{count, decimal, opt_duration, percent, signed};
use crate::report::{Report, SlaTargets};

fn distribution_detail(summary: &Summary) -> String {
    if summary.count == 0 {
        return "no data".to_owned();
    }
    format!(
        "p90 {}, mean {}, n={}",
        opt_duration(summary.p90),
        opt_duration(summary.mean),
        count(summary.count)
    )
}

/// A KPI's cells when the input cannot support it: `n/a` and why.
fn unavailable(report: &Report, kpi: Kpi) -> (String, String) {
    let why = report.why_not(kpi.key()).unwrap_or("not in this input");
    ("n/a".to_owned(), why.to_owned())
}

pub(super) fn section(report: &Report) -> Section {
    let kpis = &report.overall;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |name: &str, (value, detail): (String, String)| {
        rows.push(vec![name.to_owned(), value, detail]);
    };
    let na = |kpi: Kpi| unavailable(report, kpi);
    let business = |summary: &Summary| (opt_duration(summary.median), distribution_detail(summary));
    let volume = &kpis.volume;
    row(
        "Tickets",
        (
            count(kpis.tickets),
            format!(
                "{} inbound, {} outbound",
                count(volume.inbound),
                count(volume.outbound)
            ),
        ),
    );
    if let (Some(customer), Some(agent), Some(bot)) = (
        volume.customer_messages,
        volume.agent_messages,
        volume.bot_messages,
    ) {
        row(
            "Messages",
            (
                count(customer + agent + bot),
                format!(
                    "{} customer, {} agent, {} bot; {} notes",
                    count(customer),
                    count(agent),
                    count(bot),
                    opt_count(volume.notes)
                ),
            ),
        );
    }
    row(
        "First response (median)",
        kpis.first_response.as_ref().map_or_else(
            || na(Kpi::FirstResponse),
            |frt| {
                (
                    opt_duration(frt.summary.median),
                    format!(
                        "{}, {} unanswered",
                        distribution_detail(&frt.summary),
                        count(frt.unanswered)
                    ),
                )
            },
        ),
    );
    if let Some(summary) = &kpis.first_response_business {
        row("  in business hours", business(summary));
    }
    row(
        "Response time (median)",
        kpis.response_time.as_ref().map_or_else(
            || na(Kpi::ResponseTime),
            |summary| (opt_duration(summary.median), distribution_detail(summary)),
        ),
    );
    if let Some(summary) = &kpis.response_time_business {
        row("  in business hours", business(summary));
    }
    row(
        "Response rate",
        kpis.response_rate.as_ref().map_or_else(
            || na(Kpi::ResponseRate),
            |rate| {
                (
                    percent(rate.rate),
                    format!(
                        "{} answered, {} unanswered, {} closed w/o reply",
                        count(rate.answered),
                        count(rate.unanswered),
                        count(rate.closed_without_reply)
                    ),
                )
            },
        ),
    );
    row(
        "Resolution time (median)",
        kpis.resolution_time.as_ref().map_or_else(
            || na(Kpi::ResolutionTime),
            |summary| (opt_duration(summary.median), distribution_detail(summary)),
        ),
    );
    if let Some(summary) = &kpis.resolution_time_business {
        row("  in business hours", business(summary));
    }
    if let Some(summary) = &kpis.first_resolution_time {
        row(
            "First resolution (median)",
            (opt_duration(summary.median), distribution_detail(summary)),
        );
    }
    row(
        "First contact resolution",
        kpis.fcr.as_ref().map_or_else(
            || na(Kpi::Fcr),
            |fcr| {
                (
                    percent(fcr.rate),
                    format!(
                        "{} of {} solved with replies",
                        count(fcr.first_contact),
                        count(fcr.eligible)
                    ),
                )
            },
        ),
    );
    row(
        "Bot resolution",
        kpis.bot_resolution.as_ref().map_or_else(
            || na(Kpi::BotResolution),
            |bot| {
                (
                    percent(bot.rate),
                    format!(
                        "{} of {} solved",
                        count(bot.bot_resolved),
                        count(bot.solved)
                    ),
                )
            },
        ),
    );
    row(
        "Handle time (AHT, mean)",
        kpis.aht.as_ref().map_or_else(
            || na(Kpi::Aht),
            |aht| {
                let detail = if aht.count == 0 {
                    "no handle times in input".to_owned()
                } else {
                    format!(
                        "median {}, n={}",
                        opt_duration(aht.median),
                        count(aht.count)
                    )
                };
                (opt_duration(aht.mean), detail)
            },
        ),
    );
    row(
        "CSAT",
        kpis.csat.as_ref().map_or_else(
            || na(Kpi::Csat),
            |csat| {
                (
                    percent(csat.rate),
                    format!(
                        "{} of {} satisfied (>= {}), mean {}, {} rated",
                        count(csat.satisfied),
                        count(csat.responses),
                        csat.satisfied_min,
                        decimal(csat.mean_score, 2),
                        percent(csat.response_rate)
                    ),
                )
            },
        ),
    );
    row(
        "NPS",
        kpis.nps.as_ref().map_or_else(
            || na(Kpi::Nps),
            |nps| {
                (
                    signed(nps.score, 0),
                    format!(
                        "{} promoters, {} passives, {} detractors",
                        count(nps.promoters),
                        count(nps.passives),
                        count(nps.detractors)
                    ),
                )
            },
        ),
    );
    row(
        "Backlog",
        kpis.backlog.as_ref().map_or_else(
            || na(Kpi::Backlog),
            |backlog| {
                let ages: Vec<String> = backlog
                    .age
                    .labelled()
                    .iter()
                    .map(|(label, n)| format!("{label} {}", count(*n)))
                    .collect();
                (count(backlog.open), ages.join(", "))
            },
        ),
    );
    let defaults = report.sla_targets == SlaTargets::Default;
    let attainment = |target: &TargetAttainment| {
        (
            percent(target.attainment),
            format!(
                "{} met, {} breached, {} running{}",
                count(target.met),
                count(target.breached),
                count(target.running),
                if defaults { "; default targets" } else { "" }
            ),
        )
    };
    let desk = |verdicts: &DeskVerdicts| {
        (
            percent(verdicts.attainment),
            format!(
                "{} met, {} breached, as the help desk judged",
                count(verdicts.met),
                count(verdicts.breached)
            ),
        )
    };
    let desk_sla = kpis.desk_sla.as_ref();
    row(
        "SLA first reply",
        kpis.sla
            .first_reply
            .as_ref()
            .map_or_else(|| na(Kpi::SlaFirstReply), attainment),
    );
    if let Some(verdicts) = desk_sla.and_then(|d| d.first_reply.as_ref()) {
        row("  help desk's own", desk(verdicts));
    }
    if let Some(next_reply) = &kpis.sla.next_reply {
        row("SLA next reply", attainment(next_reply));
    }
    row(
        "SLA resolution",
        kpis.sla
            .resolution
            .as_ref()
            .map_or_else(|| na(Kpi::SlaResolution), attainment),
    );
    if let Some(verdicts) = desk_sla.and_then(|d| d.resolution.as_ref()) {
        row("  help desk's own", desk(verdicts));
    }
    if let Some(overdue) = kpis.sla.overdue_backlog.filter(|n| *n > 0) {
        row(
            "Overdue backlog",
            (
                count(overdue),
                "open tickets past their resolution target".to_owned(),
            ),
        );
    }
    let interactions = &kpis.interactions;
    row(
        "Replies per solved ticket",
        match interactions.replies_per_solved_ticket {
            Some(replies) => (decimal(Some(replies), 2), String::new()),
            None => na(Kpi::RepliesPerSolvedTicket),
        },
    );
    row(
        "Customer messages/ticket",
        match interactions.customer_messages_per_ticket {
            Some(messages) => (decimal(Some(messages), 2), String::new()),
            None => na(Kpi::CustomerMessagesPerTicket),
        },
    );
    row(
        "Redirect rate",
        kpis.redirects.as_ref().map_or_else(
            || na(Kpi::Redirects),
            |redirects| {
                (
                    percent(redirects.rate),
                    format!("{} tickets changed channel", count(redirects.tickets)),
                )
            },
        ),
    );
    row(
        "Sentiment change",
        kpis.sentiment.as_ref().map_or_else(
            || na(Kpi::Sentiment),
            |sentiment| {
                (
                    signed(sentiment.mean_change, 2),
                    format!("n={}", count(sentiment.tickets)),
                )
            },
        ),
    );
    Section::new(
        "Overall",
        vec![
            Column::label("KPI"),
            Column::figure("Value"),
            Column::label("Detail"),
        ],
        rows,
    )
}

fn opt_count(value: Option<u64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), count)
}
