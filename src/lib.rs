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
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod schedule;
pub mod settings;
pub mod symbols;
pub mod time;

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
pub const EXIT_DATA_QUALITY: u8 = 3;

/// `--strict` and the input has data-quality findings (the report was still written).
#[derive(Debug, thiserror::Error)]
#[error("data-quality check failed (--strict): {}", .0.join(", "))]
pub struct DataQualityFailure(pub Vec<String>);

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
        Command::Init(args) => init(args),
        Command::Sla(args) => {
            let config = Config::resolve(&args.input, &[], None, args.format, &args.output)?;
            sla(&config, args.breaches)
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

fn init(args: &cli::InitArgs) -> anyhow::Result<()> {
    if args.stdout || args.path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        out.write_all(settings::EXAMPLE.as_bytes())?;
        return Ok(out.flush()?);
    }
    let shown = report::escape::terminal(&args.path.to_string_lossy()).into_owned();
    // A link counts as there even when it leads nowhere: writing through it would create a
    // file wherever it points.
    if std::fs::symlink_metadata(&args.path).is_ok() && !args.force {
        anyhow::bail!(
            "{shown} exists already; use --force to replace it, or --stdout to print the example"
        );
    }
    let mut file =
        output::PendingFile::create(&args.path).with_context(|| format!("cannot write {shown}"))?;
    file.write_all(settings::EXAMPLE.as_bytes())
        .and_then(|()| file.commit())
        .with_context(|| format!("cannot write {shown}"))?;
    eprintln!("ticketkpi: wrote {shown}; edit it, then run `ticketkpi report` in this directory");
    Ok(())
}

fn sla(config: &Config, breaches: bool) -> anyhow::Result<()> {
    use metrics::sla::SlaState;
    let mut analysis = pipeline::analyse(config)?;
    if !breaches {
        let kpis = analysis.kpis(config);
        write_output(config, |out, style| {
            report::sla::write_attainment(&kpis.overall.sla, config.format, style, out)
        })?;
        return analysis.commit_rejects();
    }
    let context = analysis.context(config);
    let mut list = Vec::new();
    for ticket in &analysis.tickets {
        let (Some(policy), outcomes) = context.sla_outcomes(ticket) else {
            continue;
        };
        let policy = &config.sla.policies[policy];
        for outcome in outcomes.iter().filter(|o| o.state == SlaState::Breached) {
            let clock = metrics::sla::Clock::new(policy, ticket, context.as_of);
            list.push(report::sla::Breach {
                ticket_id: ticket.id.clone(),
                policy: policy.name.clone(),
                target: outcome.target.as_str(),
                started_at: time::format_rfc3339(outcome.start),
                due_at: clock
                    .due(outcome.start, outcome.target_seconds)
                    .map(time::format_rfc3339),
                fulfilled_at: outcome.stopped_at.map(time::format_rfc3339),
                target_seconds: outcome.target_seconds,
                elapsed_seconds: outcome.elapsed,
                overrun_seconds: outcome.elapsed - outcome.target_seconds,
            });
        }
    }
    // Worst first: the longest overrun, then by ticket and target for a stable order.
    list.sort_by(|a, b| {
        b.overrun_seconds
            .total_cmp(&a.overrun_seconds)
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
            .then_with(|| a.target.cmp(b.target))
    });
    write_output(config, |out, style| {
        report::sla::write_breaches(&list, config.format, style, out)
    })?;
    analysis.commit_rejects()
}

fn inspect(config: &Config, json: bool) -> anyhow::Result<()> {
    use report::inspect::{InspectedInput, Inspection, RejectedRow};
    let mut analysis = pipeline::analyse(config)?;
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
                tz: input
                    .tz
                    .clone()
                    .unwrap_or_else(|| config.tz.name().to_owned()),
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
        rows_excluded: stats.rows_excluded,
        excluded_by_value: stats.excluded_by_value.clone(),
        tickets: analysis.tickets.len() as u64,
        first_event: stats.earliest.map(time::format_rfc3339),
        last_event: stats.latest.map(time::format_rfc3339),
        kpis: analysis.facts(config).availability(),
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
    write_output(config, |out, style| {
        report::inspect::write(&inspection, json, style, out)
    })?;
    analysis.commit_rejects()
}

fn report(config: &Config) -> anyhow::Result<()> {
    let mut analysis = pipeline::analyse(config)?;
    if let Some(period) = config.period {
        let created = analysis.tickets.iter().map(|t| t.created_at);
        if let (Some(first), Some(last)) = (created.clone().min(), created.max()) {
            metrics::group::check_period_count(period, config.tz, first, last, config.max_memory)?;
        }
    }
    let kpis = analysis.kpis(config);
    let stats = &analysis.stats;
    let histograms =
        report::Histograms {
            first_response: kpis.overall.first_response.is_some().then(|| {
                metrics::distribution::histogram(kpis.first_response_values.iter().copied())
            }),
            resolution_time: kpis
                .overall
                .resolution_time
                .is_some()
                .then(|| metrics::distribution::histogram(kpis.resolution_values.iter().copied())),
        };
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
                    tz: input
                        .tz
                        .clone()
                        .unwrap_or_else(|| config.tz.name().to_owned()),
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
            rows_excluded: stats.rows_excluded,
            excluded_by_value: stats.excluded_by_value.clone(),
            events_after_as_of: analysis.events_after_as_of,
            tickets: analysis.tickets.len() as u64,
            tickets_filtered_out: analysis.tickets_filtered_out,
        },
        as_of: analysis.as_of.map(time::format_rfc3339),
        tz: config.tz.name().to_owned(),
        config: config
            .config_file
            .as_ref()
            .map(|path| path.display().to_string()),
        group_by: config.by.iter().map(|d| d.name().to_owned()).collect(),
        period: config.period.map(|p| p.name().to_owned()),
        sla_targets: if config.sla_defaults {
            report::SlaTargets::Default
        } else {
            report::SlaTargets::Config
        },
        availability: analysis.facts(config).availability(),
        data_quality: kpis.data_quality,
        overall: kpis.overall,
        groups: kpis.groups,
        periods: kpis.periods,
        histograms,
    };
    write_output(config, |out, style| {
        report::write_report(&report, config.format, style, out)
    })?;
    analysis.commit_rejects()?;
    let problems = report.data_quality.problems();
    if config.strict && !problems.is_empty() {
        return Err(DataQualityFailure(problems).into());
    }
    Ok(())
}

fn tickets(config: &Config) -> anyhow::Result<()> {
    let mut analysis = pipeline::analyse(config)?;
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
    analysis.commit_rejects()?;
    if analysis.stats.rows_rejected > 0 {
        eprintln!(
            "ticketkpi: {} invalid rows were skipped",
            analysis.stats.rows_rejected
        );
    }
    Ok(())
}

/// Writes to `--output` or standard output, styled for a terminal only when it is one. A
/// file is put in place only once complete (see `output`).
fn write_output(
    config: &Config,
    write: impl FnOnce(&mut dyn Write, Style) -> io::Result<()>,
) -> anyhow::Result<()> {
    match &config.output {
        output::Destination::File(path) => {
            let shown = report::escape::terminal(&path.to_string_lossy()).into_owned();
            let mut out = output::PendingFile::create(path)
                .with_context(|| format!("cannot create {shown}"))?;
            write(&mut out, Style::default())
                .and_then(|()| out.commit())
                .with_context(|| format!("writing {shown}"))
        }
        output::Destination::Stdout => {
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

/// The longest error message printed; the rest is counted.
const MAX_MESSAGE_CHARS: usize = 4_000;

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
    // Messages quote file, column and mapping names and values from the input: shown as on
    // a terminal, and one value cannot make a message of megabytes.
    let message = format!("{error:#}");
    let message = report::escape::elide(&message, MAX_MESSAGE_CHARS);
    eprintln!("ticketkpi: error: {}", report::escape::message(&message));
    if error.downcast_ref::<UsageError>().is_some() {
        ExitCode::from(EXIT_USAGE_ERROR)
    } else if error.downcast_ref::<DataQualityFailure>().is_some() {
        ExitCode::from(EXIT_DATA_QUALITY)
    } else {
        ExitCode::from(EXIT_INPUT_ERROR)
    }
}
