//! Command-line arguments. Declarations only: they are resolved once into `Options`. The
//! values of `--by`, `--period`, `--input-format` and `--format` are the domain's own enums,
//! offered by the names they give themselves (see `named`); clap stops here.

use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ingest::InputFormat;
use crate::metrics::group::Dimension;
use crate::names::Named;
use crate::output::Destination;
use crate::report::{Format, TabularFormat};
use crate::time::Period;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  input error (unreadable file, invalid row without --skip-invalid, missing column)
  2  usage error (unknown option, bad value, a mistake in the config or mapping file)
  3  data-quality failure under --strict (rejected rows, duplicate events, negative durations)
  4  a threshold holds (report --fail-if, [[alerts]]; unknown ones too with --fail-on-unknown);
     the report is still written
A closed output pipe (e.g. `| head`) ends the run quietly with 0.";

/// Customer-support KPIs from help desk exports: first response time, FCR, AHT, CSAT,
/// backlog, SLA attainment and more, with written-down definitions (`ticketkpi help metrics`).
#[derive(Debug, Parser)]
#[command(
    name = "ticketkpi",
    version,
    after_help = EXIT_CODES,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Style standard output (bold headings): `auto` on a terminal only, unless NO_COLOR is
    /// set (never) or else CLICOLOR_FORCE is set (always); `always` and `never` override both.
    /// Files written with --output are never styled.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The shells `ticketkpi completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    #[value(name = "powershell")]
    PowerShell,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute the KPI report: overall, per group and per period.
    #[command(after_help = EXIT_CODES)]
    Report(ReportArgs),
    /// One row per ticket with its derived facts (FRT, replies, reopens, SLA states, ...).
    #[command(after_help = EXIT_CODES)]
    Tickets(TicketsArgs),
    /// Write a commented example config file (ticketkpi.toml) to start from.
    Init(InitArgs),
    /// SLA attainment per policy and target; with --breaches, every breached clock.
    #[command(after_help = EXIT_CODES)]
    Sla(SlaArgs),
    /// Describe an unknown export: how it is read (preset, mapping), its rows, tickets and
    /// time range, which KPIs it can feed and why not, and its first bad rows.
    #[command(after_help = EXIT_CODES)]
    Inspect(InspectArgs),
    /// Print the JSON Schema (draft 2020-12) of `report --format json`, the contract for
    /// scripts (compatibility rule: `ticketkpi help json`).
    Schema,
    /// Print the help of a command, or a built-in page: metrics (the KPI definitions),
    /// config (ticketkpi.toml), mappings (reading any export), json (the JSON report).
    Help(HelpArgs),
    /// Print a completion script for SHELL, generated from these definitions.
    Completions(CompletionsArgs),
    /// Print the man page (roff) of ticketkpi, or of one of its commands.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// A command (report, tickets, ...) or a page (metrics, config, mappings, json, state); none:
    /// this help and the list of pages.
    #[arg(value_name = "TOPIC")]
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (ticketkpi-COMMAND(1)); default: ticketkpi(1).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = "ticketkpi.toml", value_name = "FILE")]
    pub path: PathBuf,

    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,

    /// Print the example instead of writing a file.
    #[arg(long, conflicts_with = "force")]
    pub stdout: bool,
}

#[derive(Debug, Args)]
pub struct SlaArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// List each breached clock: ticket, policy, target, start, due, fulfilled at, overrun.
    #[arg(long)]
    pub breaches: bool,

    /// Only the tickets where FIELD=VALUE holds; repeat for all of several to hold. `!=`
    /// excludes; a comma list means any of (`channel=email,chat`); `(none)` is no value;
    /// `<`, `<=`, `>`, `>=` compare numbers (`hour>=18`). FIELD: channel, agent, team,
    /// priority, category, status, hour, weekday, tag (any of the ticket's tags), and the
    /// mapping's `[attributes]` columns.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filter: Vec<String>,

    #[arg(long, value_parser = named(tabular_format_help), default_value = "table")]
    pub format: TabularFormat,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print the inspection as JSON.
    #[arg(long)]
    pub json: bool,

    /// Print a commented mapping (TOML) guessed from the first input's columns, for
    /// `report FILE --mapping ours.toml`: `inspect FILE --suggest-mapping > ours.toml`.
    #[arg(long, conflicts_with = "json")]
    pub suggest_mapping: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Break the KPIs down by this ticket attribute; repeat to group by a combination.
    /// Default: channel.
    #[arg(long, value_name = "DIMENSION", value_parser = named(dimension_help))]
    pub by: Vec<Dimension>,

    /// Only the tickets where FIELD=VALUE holds; repeat for all of several to hold. `!=`
    /// excludes; a comma list means any of (`channel=email,chat`); `(none)` is no value;
    /// `<`, `<=`, `>`, `>=` compare numbers (`hour>=18`). FIELD: channel, agent, team,
    /// priority, category, status, hour, weekday, tag (any of the ticket's tags), and the
    /// mapping's `[attributes]` columns. The report says which filter applied.
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filter: Vec<String>,

    /// The KPI columns of the breakdown tables (by group, by period), in this order, e.g.
    /// `tickets,frt_median,csat`. Default: the main KPIs the export supports. Names: tickets,
    /// solved, replies, frt_median, frt_p90, resolution_median, fcr, reopens, reopen_rate,
    /// csat, aht, answered, asa, service_level, abandonment, sla_first_reply,
    /// sla_resolution, backlog. JSON and CSV keep every KPI.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub columns: Vec<String>,

    /// Order the groups by this KPI column (a --columns name), ascending; `-KPI` or
    /// `KPI:desc` for descending (`--sort=-csat`). Groups without a value come last. In
    /// every format. Default: time order for hour and weekday, else the most tickets first.
    #[arg(long, value_name = "KPI", allow_hyphen_values = true)]
    pub sort: Option<String>,

    /// Also report each calendar period (by ticket creation, in --tz), with the backlog at
    /// its end; at most 10,000 periods.
    #[arg(long, value_parser = named(period_help))]
    pub period: Option<Period>,

    #[arg(long, value_parser = named(format_help), default_value = "table")]
    pub format: Format,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit with code 4, after writing the report, when EXPR holds: `[SCOPE:] KPI OP VALUE`,
    /// e.g. 'sla.first_reply.attainment < 90%', 'channel=email: first_response.p90 > 4h',
    /// 'backlog.open > 50'. KPI: a path of the JSON report's KPI block; SCOPE: a group of
    /// --by; OP: < <= > >= == !=; VALUE: a number, a percentage or a duration (2h, 1d 4h).
    /// Repeatable; [[alerts]] in the config file add to them.
    #[arg(long, value_name = "EXPR")]
    pub fail_if: Vec<String>,

    /// A threshold that cannot be told (its KPI is null, or its group is not in the report)
    /// fails the run too (exit code 4); without it, it is only reported on stderr.
    #[arg(long)]
    pub fail_on_unknown: bool,

    /// Compare with an earlier JSON report of the same schema version: every KPI gets its
    /// previous value and change (JSON: `previous` and `change` beside the values; table: an
    /// arrow and the delta of each headline KPI; HTML: on the tiles). json, table or html.
    #[arg(long, value_name = "PREVIOUS.json")]
    pub baseline: Option<PathBuf>,

    /// Keep what the next night needs in DIR and go on from it: the inputs are tonight's
    /// export only, and the report is that of one run over every export added so far. A
    /// night whose rows are already in the state is not added again. Event logs only.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TicketsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Only the tickets where FIELD=VALUE holds; repeat for all of several to hold. `!=`
    /// excludes; a comma list means any of (`channel=email,chat`); `(none)` is no value;
    /// `<`, `<=`, `>`, `>=` compare numbers (`hour>=18`). FIELD: channel, agent, team,
    /// priority, category, status, hour, weekday, tag, the mapping's `[attributes]` columns; and
    /// the facts the list shows: reopens, replies, first_response_seconds, csat, status,
    /// sla_first_reply, sla_resolution, ... (`--where sla_first_reply=breached`, `reopens>0`).
    #[arg(long = "where", value_name = "FIELD=VALUE")]
    pub filter: Vec<String>,

    #[arg(long, value_parser = named(tabular_format_help), default_value = "table")]
    pub format: TabularFormat,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the output to FILE instead of standard output (`-`: standard output). FILE is
    /// replaced only when the run succeeds, and may not be an input or another output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    pub fn destination(&self) -> Destination {
        self.output
            .as_deref()
            .map_or(Destination::Stdout, Destination::from_arg)
    }
}

/// The values of a domain enum as clap offers them: by their names, each with what
/// `--help` says of it, parsed back by the enum's own `FromStr`.
fn named<T>(help: fn(T) -> Option<&'static str>) -> impl TypedValueParser<Value = T>
where
    T: Named + FromStr + Send + Sync,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let values = T::ALL.iter().map(move |value| {
        let possible = PossibleValue::new(value.as_str());
        match help(*value) {
            Some(text) => possible.help(text),
            None => possible,
        }
    });
    PossibleValuesParser::new(values).try_map(|name| name.parse::<T>())
}

fn dimension_help(dimension: Dimension) -> Option<&'static str> {
    match dimension {
        Dimension::Agent => Some("The assignee: the agent of the last agent message"),
        Dimension::Hour => Some("Hour of creation, 0-23, in --tz"),
        Dimension::Weekday => Some("Weekday of creation in --tz, Monday first"),
        Dimension::Tag => {
            Some("Each of the ticket's tags: a ticket counts in each, one without in (none)")
        }
        _ => None,
    }
}

fn format_help(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Table => "Readable tables for a terminal",
        Format::Json => "The versioned JSON schema (`ticketkpi help json`, `ticketkpi schema`)",
        Format::Csv => "Tidy rows: one per group and metric",
        Format::Markdown => "Markdown tables, for issues and wikis",
        Format::Html => "One self-contained HTML page with charts (report only), to share or print",
    })
}

/// `tickets` and `sla` write lists and tables; the HTML page is the report's alone, Parquet
/// the tickets list's.
fn tabular_format_help(format: TabularFormat) -> Option<&'static str> {
    match format.report_format() {
        Some(format) => format_help(format),
        None => {
            Some("Apache Parquet with typed columns (tickets only), for Spark, Trino or DuckDB")
        }
    }
}

fn period_help(period: Period) -> Option<&'static str> {
    match period {
        Period::Week => Some("ISO weeks, starting on Monday"),
        Period::Quarter => Some("Calendar quarters, labelled 2026-Q1"),
        Period::Day | Period::Month => None,
    }
}

fn input_format_help(format: InputFormat) -> Option<&'static str> {
    match format {
        InputFormat::Csv => None,
        InputFormat::Json => Some("A JSON array of objects"),
        InputFormat::Jsonl => Some("One JSON object per line (also called NDJSON)"),
        InputFormat::Parquet => Some("Apache Parquet (detected by its magic bytes)"),
    }
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Export files: CSV/TSV, JSON array, JSON Lines or Parquet, optionally gzipped; `-`
    /// reads standard input. Several files are one export.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,

    /// Read the inputs with a built-in preset: zendesk, zendesk-json, freshdesk, twitter,
    /// callcenter, servicenow, servicenow-list, jira, intercom, helpscout, chatwoot, gorgias,
    /// front, helpdesk. By default a preset is detected from the header, else the canonical
    /// event log is expected.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// Read the inputs with the column mapping in FILE (TOML: a mapping, or a ticketkpi.toml
    /// with a [mapping] table). See `ticketkpi help mappings`.
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    pub mapping: Option<PathBuf>,

    /// Input format; by default from the extension, else from the content.
    #[arg(long, value_parser = named(input_format_help))]
    pub input_format: Option<InputFormat>,

    /// CSV field delimiter (one character, or `tab`); by default sniffed from the header.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Time zone (IANA name) for timestamps without an offset and for --period buckets.
    /// Default: the config file's report.tz, else UTC.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// The config file (business hours, SLA policies, aliases, mapping). Default:
    /// ticketkpi.toml in the working directory, if there is one. See `ticketkpi help config`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The moment the report describes; later events are ignored. Default: the latest
    /// timestamp in the input.
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,

    /// Only tickets created at or after TIME (a timestamp, or a date meaning its midnight).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only tickets created at or before TIME (a date includes that whole day).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Skip invalid rows instead of stopping at the first; every skipped row is counted
    /// by reason in the report.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Treat any data-quality finding (rejected rows, duplicate events, negative durations)
    /// as an error: the report is still written, then the exit code is 3.
    #[arg(long)]
    pub strict: bool,

    /// The inputs' text encoding when not UTF-8: latin1 or windows-1252 (any WHATWG label).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,

    /// Stop with a clear error when holding the input would take more memory than SIZE
    /// (e.g. 8G, 500M; 0 for no limit). Default: 80% of this machine's memory as Linux
    /// reports it; no limit on other systems.
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,

    /// The longest record an input may hold (a CSV row, a JSON Lines line, a JSON object read
    /// whole), e.g. 256M; a longer one stops the run with its line. Default: 64M.
    #[arg(long, value_name = "SIZE")]
    pub max_record_size: Option<String>,

    /// No progress bar (it shows on a terminal for inputs that take over a second).
    #[arg(short, long)]
    pub quiet: bool,

    /// Threads for reading CSV inputs and for folding the tickets into KPIs, at most 64.
    /// Default: the machine's cores. Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Write each rejected row (file, line, reason, the row itself) to FILE as CSV (`-`:
    /// standard output, with -o FILE for the report). Implies --skip-invalid.
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// The CSAT survey scale, MIN-MAX; a score outside it makes the row invalid.
    /// Default: 1-5.
    #[arg(long, value_name = "MIN-MAX")]
    pub csat_scale: Option<String>,

    /// The lowest satisfied CSAT score. Default: MIN + 75% of the range, rounded up
    /// (4 on 1-5, 8 on 1-10).
    #[arg(long, value_name = "SCORE")]
    pub csat_satisfied: Option<f64>,
}
