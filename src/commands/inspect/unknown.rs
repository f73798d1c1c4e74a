//! `inspect` on an export no preset fits: each column with sample values, its detected type
//! and probable role, and what to do next; `--suggest-mapping` prints the mapping of those
//! guesses. A readable file is always described; only a file that cannot be read fails.

use std::io::{self, Write};

use anyhow::Context;

use crate::ingest::mapping::profile::{self, ColumnProfile, Profile, ValueType};
use crate::ingest::sample::{self, Sample};
use crate::ingest::{IngestError, MappingChoice, presets};
use crate::options::AnalysisOptions;
use crate::output::Destination;
use crate::pipeline::Analysis;
use crate::report::escape;

/// Whether the analysis read nothing because no mapping fitted: detection was left to the
/// header, every input fell back to the canonical event log, and no row of it was valid.
pub fn unread(options: &AnalysisOptions, analysis: &Analysis) -> bool {
    matches!(options.ingest.mapping, MappingChoice::Auto)
        && analysis.stats.rows_used == 0
        && analysis.stats.rows > 0
        && analysis
            .stats
            .inputs
            .iter()
            .all(|input| input.mapping == "canonical")
}

/// Whether an error of the analysis is one the profile answers: the header fitted no mapping
/// (missing columns) or the rows were no valid JSON, when detection was left to the header.
/// A file that cannot be read stays an error.
pub fn profiles(options: &AnalysisOptions, error: &anyhow::Error) -> bool {
    matches!(options.ingest.mapping, MappingChoice::Auto)
        && matches!(
            error.downcast_ref::<IngestError>(),
            Some(
                IngestError::MissingColumns { .. }
                    | IngestError::Malformed { .. }
                    | IngestError::InvalidRow { .. }
            )
        )
}

/// One input's sample and profile.
struct Described {
    file: String,
    sample: Sample,
    profile: Option<Profile>,
}

fn described(options: &AnalysisOptions) -> anyhow::Result<Vec<Described>> {
    options
        .sources
        .iter()
        .map(|source| {
            let file = source.to_string();
            let sample = sample::sample(source, &options.ingest)
                .with_context(|| format!("{}: cannot read it", escape::terminal(&file)))?;
            let profile = match &sample {
                Sample::Table {
                    header,
                    rows,
                    arrays,
                    ..
                } => Some(profile::profile(header, rows, arrays)),
                Sample::Binary(_) => None,
            };
            Ok(Described {
                file,
                sample,
                profile,
            })
        })
        .collect()
}

pub fn describe(
    options: &AnalysisOptions,
    error: Option<&anyhow::Error>,
    json: bool,
    console: super::super::Console,
    output: &Destination,
) -> anyhow::Result<()> {
    let inputs = described(options)?;
    let reason = error.map(|error| format!("{error:#}"));
    super::super::write(console, output, |out, _style| {
        if json {
            write_json(&inputs, reason.as_deref(), out)
        } else {
            write_text(&inputs, reason.as_deref(), out)
        }
    })
}

pub fn suggest(
    options: &AnalysisOptions,
    console: super::super::Console,
    output: &Destination,
) -> anyhow::Result<()> {
    let inputs = described(options)?;
    let Some(first) = inputs.first() else {
        anyhow::bail!("no input to suggest a mapping for");
    };
    let profile = match (&first.sample, &first.profile) {
        (_, Some(profile)) => profile,
        (Sample::Binary(what), None) => anyhow::bail!(
            "{}: {what}, not a text export: export it as CSV or JSON first",
            escape::terminal(&first.file)
        ),
        (_, None) => anyhow::bail!("{}: nothing to profile", escape::terminal(&first.file)),
    };
    let name = std::path::Path::new(&first.file)
        .file_name()
        .map_or_else(|| first.file.clone(), |n| n.to_string_lossy().into_owned());
    let mut toml = profile::suggest_mapping(profile, &name).map_err(|reason| {
        anyhow::anyhow!(
            "{}: cannot suggest a mapping: {reason}; write one by hand (ticketkpi help mappings)",
            escape::terminal(&first.file)
        )
    })?;
    if let Sample::Table {
        delimiter: Some(delimiter),
        ..
    } = &first.sample
        && *delimiter != b','
    {
        let shown = match delimiter {
            b'\t' => "\\t".to_owned(),
            other => (*other as char).to_string(),
        };
        toml = toml.replacen("\nshape", &format!("\ndelimiter = \"{shown}\"\nshape"), 1);
    }
    super::super::write(console, output, |out, _style| {
        out.write_all(toml.as_bytes())
    })
}

fn write_text(inputs: &[Described], reason: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    for input in inputs {
        let file = escape::terminal(&input.file);
        match (&input.sample, &input.profile) {
            (Sample::Binary(what), _) => {
                writeln!(out, "{file}: {what}, not a text export.")?;
                writeln!(
                    out,
                    "What to do: export it from the help desk (or save it from the \
                     spreadsheet) as CSV or JSON, then run `ticketkpi inspect` on that file."
                )?;
            }
            (_, Some(profile)) => write_profile(&file, profile, out)?,
            (_, None) => writeln!(out, "{file}: nothing to profile")?,
        }
    }
    if let Some(reason) = reason {
        writeln!(
            out,
            "\nRead as the canonical event log, it fails: {}",
            escape::terminal(reason)
        )?;
    }
    let first = inputs
        .first()
        .map(|i| escape::terminal(&i.file).into_owned());
    let first = first.unwrap_or_else(|| "FILE".to_owned());
    writeln!(
        out,
        "\nWhat to do:\n  ticketkpi inspect {first} --suggest-mapping > ours.toml   \
         # a mapping of these guesses\n  (read and correct it: roles, event kinds, formats)\n  \
         ticketkpi report {first} --mapping ours.toml\nor name a preset with --preset ({}).",
        presets::names().join(", ")
    )
}

fn write_profile(file: &str, profile: &Profile, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{file}: no preset fits it. Its columns, from the first {} rows (read as {}):",
        profile.rows_sampled,
        match profile.shape {
            crate::ingest::mapping::Shape::Events => "several rows per ticket: an event log",
            _ => "one row per ticket",
        }
    )?;
    for column in &profile.columns {
        write_column(column, out)?;
    }
    for array in &profile.arrays {
        let events = if profile.events_path.as_ref() == Some(&array.path) {
            format!(
                "; its objects have times: events_path = \"{}\" makes each one an event",
                escape::terminal(&array.path)
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "Inside the array {} ({} objects in the sample{events}):",
            escape::terminal(&array.path),
            array.objects
        )?;
        for column in &array.columns {
            write_column(column, out)?;
        }
    }
    Ok(())
}

fn write_column(column: &ColumnProfile, out: &mut dyn Write) -> io::Result<()> {
    let kind = match &column.kind {
        ValueType::Empty => "empty".to_owned(),
        ValueType::Timestamp { format: None } => "timestamp (ISO 8601)".to_owned(),
        ValueType::Timestamp {
            format: Some(format),
        } => format!("timestamp (format = \"{format}\")"),
        ValueType::Number => "number".to_owned(),
        ValueType::Enum { values } => {
            let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
            let more = if values.len() > 8 { ", ..." } else { "" };
            format!("enum: {}{more}", shown.join(", "))
        }
        ValueType::Text => "text".to_owned(),
    };
    let role = column.role.map_or_else(
        || "-".to_owned(),
        |role| format!("probably {}", role.field()),
    );
    let samples: Vec<String> = column
        .samples
        .iter()
        .map(|sample| format!("\"{}\"", elide(sample)))
        .collect();
    writeln!(
        out,
        "  {}\n      type: {}\n      role: {role}\n      e.g.: {}",
        escape::terminal(&column.name),
        escape::terminal(&kind),
        escape::terminal(&samples.join(", "))
    )
}

fn elide(text: &str) -> String {
    let mut shown: String = text.chars().take(40).collect();
    if shown.len() < text.len() {
        shown.push_str("...");
    }
    shown
}

fn write_json(inputs: &[Described], reason: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let inputs: Vec<serde_json::Value> = inputs
        .iter()
        .map(|input| match (&input.sample, &input.profile) {
            (Sample::Binary(what), _) => serde_json::json!({
                "file": input.file, "preset": null, "binary": what,
            }),
            (_, profile) => serde_json::json!({
                "file": input.file, "preset": null, "profile": profile,
            }),
        })
        .collect();
    let value = serde_json::json!({
        "unknown_export": true,
        "canonical_error": reason,
        "inputs": inputs,
        "next": "ticketkpi inspect FILE --suggest-mapping > ours.toml, then ticketkpi report FILE --mapping ours.toml",
    });
    serde_json::to_writer_pretty(&mut *out, &value)?;
    writeln!(out)
}
