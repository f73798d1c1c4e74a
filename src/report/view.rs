//! What the human-readable formats (table, markdown) show: the report as titled sections of
//! text cells. The renderers only decide how the cells are drawn.

use super::text::{count, decimal, opt_duration, percent, sanitize, signed};
use super::{Report, SlaTargets};
use crate::metrics::KpiBlock;
use crate::metrics::availability::Kpi;
use crate::metrics::distribution::Summary;

pub struct Section {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column: figures (right-aligned) rather than labels.
    pub figures: Vec<bool>,
}

pub fn sections(report: &Report) -> Vec<Section> {
    let mut sections = vec![overall(report)];
    if report.overall.sla.policies.len() > 1 {
        sections.push(sla_policies(&report.overall));
    }
    if !report.groups.is_empty() {
        sections.push(breakdown(report));
    }
    if !report.periods.is_empty() {
        sections.push(periods(report));
    }
    sections
}

/// The lines under the tables: what was read, what was skipped, and when.
pub fn footer(report: &Report) -> Vec<String> {
    let input = &report.input;
    let files = match input.files.len() {
        1 => sanitize(&input.files[0]),
        n => format!("{n} files"),
    };
    let as_of = report.as_of.as_deref().map_or_else(
        || "n/a".to_owned(),
        |at| at.replace('T', " ").replace('Z', " UTC"),
    );
    let excluded = if input.rows_excluded > 0 {
        format!(", {} excluded by the mapping", count(input.rows_excluded))
    } else {
        String::new()
    };
    let mut lines = vec![
        format!(
            "Input: {files}: {} rows, {} rejected{excluded}, {} tickets.",
            count(input.rows),
            count(input.rows_rejected),
            count(input.tickets)
        ),
        format!("As of {as_of}, time zone {}.", report.tz),
    ];
    for read_as in input.read_as.iter().filter(|r| r.tz != report.tz) {
        lines.push(format!(
            "Local times of {} read in {} (mapping {}).",
            sanitize(&read_as.file),
            read_as.tz,
            sanitize(&read_as.mapping)
        ));
    }
    if !input.excluded_by_value.is_empty() {
        let values: Vec<String> = input
            .excluded_by_value
            .iter()
            .map(|(value, n)| format!("{} {}", sanitize(value), count(*n)))
            .collect();
        lines.push(format!(
            "Excluded by design (not errors): {}.",
            values.join(", ")
        ));
    }
    if !input.rejects_by_reason.is_empty() {
        let reasons: Vec<String> = input
            .rejects_by_reason
            .iter()
            .map(|(reason, n)| format!("{reason} {}", count(*n)))
            .collect();
        lines.push(format!("Rejected rows by reason: {}.", reasons.join(", ")));
    }
    if input.events_after_as_of > 0 {
        lines.push(format!(
            "{} events after as-of were ignored.",
            count(input.events_after_as_of)
        ));
    }
    if input.tickets_filtered_out > 0 {
        lines.push(format!(
            "{} tickets outside --since/--until were left out.",
            count(input.tickets_filtered_out)
        ));
    }
    let quality = &report.data_quality;
    let mut findings = Vec::new();
    if quality.duplicate_events > 0 {
        findings.push(format!(
            "{} duplicate events counted once",
            count(quality.duplicate_events)
        ));
    }
    let negative = &quality.negative_durations;
    if negative.first_response + negative.resolution > 0 {
        findings.push(format!(
            "{} negative first response and {} negative resolution times left out",
            count(negative.first_response),
            count(negative.resolution)
        ));
    }
    let notes: Vec<String> = [
        (
            quality.repeated_rows_within_a_file,
            "rows repeated within a file",
        ),
        (
            quality.tickets_on_several_channels,
            "tickets on several channels",
        ),
        (
            quality.tickets_with_several_priorities,
            "tickets with a changed priority",
        ),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", count(*n)))
    .collect();
    if !notes.is_empty() {
        findings.push(format!("notes: {}", notes.join(", ")));
    }
    if !findings.is_empty() {
        lines.push(format!("Data quality: {}.", findings.join("; ")));
    }
    lines.extend(value_notes(quality));
    if let Some(config) = &report.config {
        lines.push(format!("Settings from {}.", sanitize(config)));
    }
    if report.sla_targets == SlaTargets::Default {
        lines.push(
            "SLA targets: the defaults (first reply 1h/4h/8h/24h, resolution 8h/24h/72h/168h \
             for urgent/high/normal/low); set your own in ticketkpi.toml [sla]."
                .to_owned(),
        );
    }
    for availability in report.availability.iter().filter(|a| a.computable) {
        if let Some(caveat) = &availability.caveat {
            lines.push(format!(
                "Note on {}: {}.",
                availability.label,
                sanitize(caveat)
            ));
        }
    }
    lines.push(
        "Definitions: ticketkpi help metrics. n/a: not computable from this input.".to_owned(),
    );
    lines
}

/// How many values a footer line names before it refers to the JSON for the rest.
const LISTED_VALUES: usize = 8;

/// The values read by rule rather than as written: notes, never problems.
fn value_notes(quality: &crate::metrics::quality::DataQuality) -> Vec<String> {
    let plural =
        |n: u64, what: &str| format!("{} {what}{}", count(n), if n == 1 { "" } else { "s" });
    let line = |title: &str, items: Vec<String>| {
        let more = items.len().saturating_sub(LISTED_VALUES);
        let mut listed: Vec<String> = items.into_iter().take(LISTED_VALUES).collect();
        if more > 0 {
            listed.push(format!("{more} more in the JSON data_quality"));
        }
        format!("{title}: {}.", listed.join(", "))
    };
    let mut lines = Vec::new();
    if !quality.statuses_by_keyword.is_empty() {
        let items = quality
            .statuses_by_keyword
            .iter()
            .map(|(value, read)| {
                format!(
                    "{:?} as {} ({})",
                    sanitize(value),
                    read.status.as_str(),
                    plural(read.rows, "row")
                )
            })
            .collect();
        lines.push(line("Statuses read by keyword", items));
    }
    if !quality.placeholder_dates.is_empty() {
        let items = quality
            .placeholder_dates
            .iter()
            .map(|(column, rows)| format!("{} ({})", sanitize(column), plural(*rows, "row")))
            .collect();
        lines.push(line("Placeholder dates read as empty", items));
    }
    if !quality.unknown_priorities.is_empty() {
        let items = quality
            .unknown_priorities
            .iter()
            .map(|(value, tickets)| {
                format!("{:?} ({})", sanitize(value), plural(*tickets, "ticket"))
            })
            .collect();
        lines.push(line("Priorities the SLA targets read as normal", items));
    }
    lines
}

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
    ("n/a".to_owned(), sanitize(why))
}

fn overall(report: &Report) -> Section {
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
    let attainment = |target: &crate::metrics::sla::TargetAttainment| {
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
    let desk = |verdicts: &crate::metrics::desk_sla::DeskVerdicts| {
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
    Section {
        title: "Overall".to_owned(),
        headers: vec!["KPI".into(), "Value".into(), "Detail".into()],
        rows,
        figures: vec![false, true, false],
    }
}

/// Attainment per SLA policy and target: `83.3% (25/30)`.
fn sla_policies(kpis: &KpiBlock) -> Section {
    let cell = attainment_cell;
    Section {
        title: "SLA by policy (met / met + breached)".to_owned(),
        headers: [
            "Policy",
            "Hours",
            "Tickets",
            "First reply",
            "Next reply",
            "Resolution",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
        rows: kpis
            .sla
            .policies
            .iter()
            .map(|p| {
                vec![
                    sanitize(&p.policy),
                    p.schedule
                        .as_deref()
                        .map_or_else(|| "calendar".to_owned(), sanitize),
                    count(p.tickets),
                    cell(p.first_reply.as_ref()),
                    cell(p.next_reply.as_ref()),
                    cell(p.resolution.as_ref()),
                ]
            })
            .collect(),
        figures: vec![false, false, true, true, true, true],
    }
}

/// `83.3% (25/30)`: attainment with met over met + breached; `-` for a target not set.
pub fn attainment_cell(attainment: Option<&crate::metrics::sla::TargetAttainment>) -> String {
    attainment.map_or_else(
        || "-".to_owned(),
        |a| {
            format!(
                "{} ({}/{})",
                percent(a.attainment),
                count(a.met),
                count(a.met + a.breached)
            )
        },
    )
}

fn opt_count(value: Option<u64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), count)
}

/// The headline columns shared by the group and period tables.
fn headline(kpis: &KpiBlock) -> Vec<String> {
    vec![
        count(kpis.tickets),
        opt_duration(
            kpis.first_response
                .as_ref()
                .and_then(|frt| frt.summary.median),
        ),
        opt_duration(kpis.first_response.as_ref().and_then(|frt| frt.summary.p90)),
        kpis.resolution_time
            .as_ref()
            .map_or_else(|| "n/a".to_owned(), |s| opt_duration(s.median)),
        percent(kpis.fcr.as_ref().and_then(|fcr| fcr.rate)),
        percent(kpis.csat.as_ref().and_then(|csat| csat.rate)),
        percent(kpis.sla.first_reply.as_ref().and_then(|t| t.attainment)),
    ]
}

const HEADLINE: [&str; 7] = [
    "Tickets",
    "FRT\nmedian",
    "FRT\np90",
    "Resol.\nmedian",
    "FCR",
    "CSAT",
    "SLA 1st\nreply",
];

fn breakdown(report: &Report) -> Section {
    let mut headers: Vec<String> = report.group_by.iter().map(|d| capitalize(d)).collect();
    headers.extend(HEADLINE.iter().map(|h| (*h).to_owned()));
    headers.push("Backlog".to_owned());
    let rows = report
        .groups
        .iter()
        .map(|group| {
            let mut row: Vec<String> = report
                .group_by
                .iter()
                .map(|d| sanitize(&group.label(d)))
                .collect();
            row.extend(headline(&group.kpis));
            row.push(
                group
                    .kpis
                    .backlog
                    .as_ref()
                    .map_or_else(|| "n/a".to_owned(), |b| count(b.open)),
            );
            row
        })
        .collect();
    let labels = report.group_by.len();
    Section {
        title: format!("By {}", report.group_by.join(" and ")),
        figures: (0..headers.len()).map(|i| i >= labels).collect(),
        headers,
        rows,
    }
}

fn periods(report: &Report) -> Section {
    let mut headers = vec!["Period".to_owned()];
    headers.extend(HEADLINE.iter().map(|h| (*h).to_owned()));
    headers.push("Backlog\nat end".to_owned());
    let rows = report
        .periods
        .iter()
        .map(|period| {
            let mut row = vec![period.period.clone()];
            row.extend(headline(&period.kpis));
            row.push(
                period
                    .backlog_at_end
                    .map_or_else(|| "n/a".to_owned(), count),
            );
            row
        })
        .collect();
    Section {
        title: format!(
            "By {} (tickets created in the period; backlog at its end)",
            report.period.as_deref().unwrap_or("period")
        ),
        figures: (0..headers.len()).map(|i| i > 0).collect(),
        headers,
        rows,
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
