//! The lines under the report's tables: what was read, what was skipped, and when. Values
//! from the input (file, column and status names) are written as they are: each renderer
//! makes them safe for its medium.

use crate::metrics::quality::DataQuality;
use crate::report::text::count;
use crate::report::{Report, SlaTargets};

/// The lines under the tables: what was read, what was skipped, and when.
pub fn footer(report: &Report) -> Vec<String> {
    let input = &report.input;
    let files = match input.files.len() {
        1 => input.files[0].clone(),
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
            read_as.file, read_as.tz, read_as.mapping
        ));
    }
    if !input.excluded_by_value.is_empty() {
        let values: Vec<String> = input
            .excluded_by_value
            .iter()
            .map(|(value, n)| format!("{value} {}", count(*n)))
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
    if let Some(filter) = &report.filter {
        lines.push(format!(
            "Filter (--where): {}; {} tickets left out.",
            filter.conditions.join(" and "),
            count(filter.tickets_left_out)
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
        lines.push(format!("Settings from {config}."));
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
            lines.push(format!("Note on {}: {caveat}.", availability.label));
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
fn value_notes(quality: &DataQuality) -> Vec<String> {
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
                    "{value:?} as {} ({})",
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
            .map(|(column, rows)| format!("{column} ({})", plural(*rows, "row")))
            .collect();
        lines.push(line("Placeholder dates read as empty", items));
    }
    if !quality.unknown_priorities.is_empty() {
        let items = quality
            .unknown_priorities
            .iter()
            .map(|(value, tickets)| format!("{value:?} ({})", plural(*tickets, "ticket")))
            .collect();
        lines.push(line("Priorities the SLA targets read as normal", items));
    }
    lines
}
