//! ticketkpi: customer-support KPIs from help desk exports.
//!
//! Data flows one way: [`ingest`] (inputs -> validated events) -> [`model`] (tickets) ->
//! [`metrics`] (KPI accumulators) -> [`report`] (output formats). [`pipeline`] runs the
//! pass; [`run`] wires the command line to it.

pub mod cli;
pub mod config;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod symbols;
pub mod time;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use cli::{Cli, Command};
use config::{Config, UsageError};
use metrics::group::Dimension;
use report::{InputSummary, Report, Style, Tool};

/// Exit codes, as documented in `--help` and README.md.
pub const EXIT_INPUT_ERROR: u8 = 1;
pub const EXIT_USAGE_ERROR: u8 = 2;

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Report(args) => {
            // The default report: overall plus the by-channel breakdown.
            let by = if args.by.is_empty() {
                vec![Dimension::Channel]
            } else {
                args.by.clone()
            };
            let config = Config::resolve(&args.input, &by, args.period, args.format, &args.output)?;
            report(&config)
        }
        Command::Tickets(args) => {
            let config = Config::resolve(&args.input, &[], None, args.format, &args.output)?;
            tickets(&config)
        }
        Command::Inspect(args) => {
            let no_output = cli::OutputArgs { output: None };
            let mut config =
                Config::resolve(&args.input, &[], None, cli::ReportFormat::Table, &no_output)?;
            // Inspection is for broken exports too: show the bad rows, never stop at one.
            config.ingest.skip_invalid = true;
            inspect(&config, args.json)
        }
    }
}

fn inspect(config: &Config, json: bool) -> anyhow::Result<()> {
    use report::inspect::{InspectedInput, Inspection, RejectedRow};
    let analysis = pipeline::analyse(config)?;
    let kpis = analysis.kpis(config);
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
            })
            .collect(),
        rows: stats.rows,
        rows_used: stats.rows_used,
        rows_rejected: stats.rows_rejected,
        rejects_by_reason: stats
            .rejects_by_reason
            .iter()
            .map(|(reason, n)| (reason.as_str().to_owned(), *n))
            .collect(),
        tickets: analysis.tickets.len() as u64,
        first_event: stats.earliest.map(time::format_rfc3339),
        last_event: stats.latest.map(time::format_rfc3339),
        kpis: metrics::availability::availability(&kpis.overall, stats.coverage, stats.has_status),
        first_rejected_rows: analysis
            .reject_samples
            .iter()
            .map(|reject| RejectedRow {
                location: reject.location.to_string(),
                reason: reject.error.reason.as_str().to_owned(),
                message: reject.error.to_string(),
            })
            .collect(),
    };
    write_output(config, |out, style| {
        report::inspect::write(&inspection, json, style, out)
    })
}

fn report(config: &Config) -> anyhow::Result<()> {
    let analysis = pipeline::analyse(config)?;
    let kpis = analysis.kpis(config);
    let stats = &analysis.stats;
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        tool: Tool::default(),
        input: InputSummary {
            files: stats.files.clone(),
            read_as: stats
                .inputs
                .iter()
                .map(|input| report::ReadAs {
                    file: input.file.clone(),
                    mapping: input.mapping.clone(),
                    shape: input.shape,
                })
                .collect(),
            rows: stats.rows,
            rows_used: stats.rows_used,
            rows_rejected: stats.rows_rejected,
            rejects_by_reason: stats
                .rejects_by_reason
                .iter()
                .map(|(reason, count)| (reason.as_str().to_owned(), *count))
                .collect(),
            events_after_as_of: analysis.events_after_as_of,
            tickets: analysis.tickets.len() as u64,
            tickets_filtered_out: analysis.tickets_filtered_out,
        },
        as_of: analysis.as_of.map(time::format_rfc3339),
        tz: config.tz.name().to_owned(),
        group_by: config.by.iter().map(|d| d.name().to_owned()).collect(),
        period: config.period.map(|p| format!("{p:?}").to_lowercase()),
        overall: kpis.overall,
        groups: kpis.groups,
        periods: kpis.periods,
    };
    write_output(config, |out, style| {
        report::write_report(&report, config.format, style, out)
    })
}

fn tickets(config: &Config) -> anyhow::Result<()> {
    let analysis = pipeline::analyse(config)?;
    let context = analysis.context(config);
    let mut tickets: Vec<&model::Ticket> = analysis.tickets.iter().collect();
    tickets.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let rows: Vec<report::tickets::TicketRow> = tickets
        .into_iter()
        .map(|ticket| report::tickets::TicketRow::new(ticket, &context))
        .collect();
    write_output(config, |out, style| {
        report::tickets::write(&rows, config.format, style, out)
    })?;
    if analysis.stats.rows_rejected > 0 {
        eprintln!(
            "ticketkpi: {} invalid rows were skipped",
            analysis.stats.rows_rejected
        );
    }
    Ok(())
}

/// Writes to `--output` or standard output, styled for a terminal only when it is one.
fn write_output(
    config: &Config,
    write: impl FnOnce(&mut dyn Write, Style) -> io::Result<()>,
) -> anyhow::Result<()> {
    match &config.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = BufWriter::new(file);
            write(&mut out, Style::default())
                .and_then(|()| out.flush())
                .with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let stdout = io::stdout();
            let terminal = stdout.is_terminal();
            let style = Style {
                color: terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
                width: if terminal { None } else { Some(80) },
            };
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out, style).and_then(|()| out.flush())?;
            Ok(())
        }
    }
}

/// Maps an error to its documented exit code, printing it unless the output pipe was closed
/// (`ticketkpi ... | head` is not a failure).
pub fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("ticketkpi: error: {error:#}");
    if error.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(EXIT_USAGE_ERROR)
    } else {
        ExitCode::from(EXIT_INPUT_ERROR)
    }
}
