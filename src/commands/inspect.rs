//! `ticketkpi inspect`: how an unknown export is read, what it holds, which KPIs it can feed
//! and its first bad rows. When no preset fits and the input is not the canonical event log,
//! it profiles the columns instead (never failing on a readable file), and
//! `--suggest-mapping` writes a mapping of those guesses.

mod unknown;

use crate::cli::InspectArgs;
use crate::options::Options;
use crate::output::Destination;
use crate::pipeline;
use crate::report::inspect::{self, InspectedInput, Inspection, RejectedRow};
use crate::report::named_reasons;
use crate::time::format_rfc3339;

pub fn run(args: &InspectArgs, console: super::Console) -> anyhow::Result<()> {
    // The inspection goes to standard output: `inspect` has no --output.
    let Options {
        analysis: mut options,
        output,
        ..
    } = Options::resolve(&args.input, Vec::new(), None, Destination::Stdout)?;
    // Inspection is for broken exports too: show the bad rows, never stop at one.
    options.ingest.skip_invalid = true;
    if args.suggest_mapping {
        return unknown::suggest(&options, console, &output);
    }
    let mut analysis = match pipeline::analyse(&options) {
        Ok(analysis) if !unknown::unread(&options, &analysis) => analysis,
        Ok(_) => return unknown::describe(&options, None, args.json, console, &output),
        Err(error) if unknown::profiles(&options, &error) => {
            return unknown::describe(&options, Some(&error), args.json, console, &output);
        }
        Err(error) => return Err(error),
    };
    let stats = &analysis.stats;
    let inspection = Inspection {
        inputs: stats
            .inputs
            .iter()
            .map(|input| InspectedInput {
                file: input.file.clone(),
                mapping: input.mapping.clone(),
                detected: input.detected,
                shape: input.shape,
                fields: input.fields.clone(),
                tz: options.zone_of(input),
            })
            .collect(),
        rows: stats.rows,
        rows_used: stats.rows_used,
        rows_rejected: stats.rows_rejected,
        rejects_by_reason: named_reasons(&stats.rejects_by_reason),
        rows_excluded: stats.rows_excluded,
        excluded_by_value: stats.excluded_by_value.clone(),
        tickets: analysis.tickets.len() as u64,
        first_event: stats.earliest.map(format_rfc3339),
        last_event: stats.latest.map(format_rfc3339),
        kpis: analysis.facts(&options).availability(),
        first_rejected_rows: analysis
            .reject_samples
            .iter()
            .map(|reject| RejectedRow {
                location: reject.location.to_string(),
                reason: reject.error.reason.as_str().to_owned(),
                message: reject.error.to_string(),
                row: reject.raw.clone(),
                cells: reject.cells.iter().map(|cell| cell.bytes.clone()).collect(),
            })
            .collect(),
    };
    super::write(console, &output, |out, style| {
        inspect::write(&inspection, args.json, style, out)
    })?;
    analysis.commit_rejects()
}
