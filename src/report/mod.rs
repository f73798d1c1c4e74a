//! Output: the report structure (it serialises to the JSON schema) and one file per format.

pub mod csv;
pub mod escape;
pub mod html;
pub mod inspect;
pub mod json;
mod list;
pub mod markdown;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod sla;
pub mod table;
pub mod text;
pub mod tickets;
pub mod trend;
pub(crate) mod view;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::ingest::RejectReason;
use crate::metrics::KpiBlock;
use crate::metrics::group::GroupBlock;
use crate::metrics::periods::PeriodBlock;
use crate::names::{self, Named, UnknownName};
use crate::options::AnalysisOptions;
use crate::pipeline::{Analysis, Kpis};

pub const SCHEMA_VERSION: u32 = 2;

/// The whole report; its serde form is the documented JSON schema (docs/json-schema.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub input: InputSummary,
    /// RFC 3339, UTC; null when the input has no valid row and no --as-of was given.
    pub as_of: Option<String>,
    pub tz: String,
    /// The config file that was read (ticketkpi.toml or --config), if any.
    pub config: Option<String>,
    /// The dimensions of `groups`, in the order given.
    pub group_by: Vec<String>,
    pub period: Option<String>,
    /// Where the SLA targets come from: the contract's defaults or the config file.
    pub sla_targets: SlaTargets,
    /// Every KPI with whether this input supports it and why not: a KPI it does not support
    /// is null in every block.
    pub availability: Vec<crate::metrics::availability::Availability>,
    pub data_quality: crate::metrics::quality::DataQuality,
    pub overall: KpiBlock,
    pub groups: Vec<GroupBlock>,
    /// With `--by tag`, where a ticket counts in each of its tags' groups: how far the
    /// groups' tickets exceed the tickets. Absent for the other dimensions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_overlap: Option<crate::metrics::group::GroupsOverlap>,
    pub periods: Vec<PeriodBlock>,
    /// Overall distributions for charts, on log-spaced buckets; null where the KPI is.
    pub histograms: Histograms,
    /// Tickets and median first response by weekday and hour of creation, in `tz`.
    pub time_of_day: crate::metrics::time_of_day::TimeOfDay,
    /// The `--where` conditions the tickets were selected by; absent without any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<crate::options::filter::FilterSummary>,
    /// The KPI columns of the breakdown tables (`--columns`), by name; `None`: those the
    /// export supports (`view::columns`). Not part of the JSON: it holds every KPI.
    #[serde(skip)]
    pub columns: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlaTargets {
    /// The contract's default targets (first reply: urgent 1h, high 4h, normal 8h, low 24h;
    /// resolution: 8h, 24h, 72h, 168h), applied because no policy is configured.
    Default,
    /// The policies of the config file.
    Config,
}

impl Report {
    /// The report of `analysis`, whose KPIs are `kpis`, as `options` asked for it.
    pub fn new(analysis: &Analysis, kpis: Kpis, options: &AnalysisOptions) -> Report {
        let stats = &analysis.stats;
        let histogram = |shown: bool, values: &[f64]| {
            shown.then(|| crate::metrics::distribution::histogram(values.iter().copied()))
        };
        let histograms = Histograms {
            first_response: histogram(
                kpis.overall.first_response.is_some(),
                &kpis.first_response_values,
            ),
            resolution_time: histogram(
                kpis.overall.resolution_time.is_some(),
                &kpis.resolution_values,
            ),
        };
        let input = InputSummary {
            files: stats.files.clone(),
            read_as: stats
                .inputs
                .iter()
                .map(|input| ReadAs {
                    file: input.file.clone(),
                    mapping: input.mapping.clone(),
                    shape: input.shape,
                    tz: options.zone_of(input),
                })
                .collect(),
            rows: stats.rows,
            rows_used: stats.rows_used,
            rows_rejected: stats.rows_rejected,
            rejects_by_reason: named_reasons(&stats.rejects_by_reason),
            rows_excluded: stats.rows_excluded,
            excluded_by_value: stats.excluded_by_value.clone(),
            events_after_as_of: analysis.events_after_as_of,
            tickets: analysis.ticket_count(),
            tickets_filtered_out: analysis.tickets_filtered_out,
        };
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            input,
            as_of: analysis.as_of.map(crate::time::format_rfc3339),
            tz: options.tz.name().to_owned(),
            config: options
                .config_file
                .as_ref()
                .map(|path| path.display().to_string()),
            group_by: options.by.iter().map(|d| d.as_str().to_owned()).collect(),
            period: options.period.map(|p| p.as_str().to_owned()),
            sla_targets: if options.sla_defaults {
                SlaTargets::Default
            } else {
                SlaTargets::Config
            },
            availability: analysis.facts(options).availability(),
            data_quality: kpis.data_quality,
            groups_overlap: crate::metrics::group::GroupsOverlap::of(
                &options.by,
                &kpis.groups,
                kpis.overall.tickets,
            ),
            overall: kpis.overall,
            groups: kpis.groups,
            periods: kpis.periods,
            histograms,
            time_of_day: kpis.time_of_day,
            filter: None,
            columns: None,
        }
    }

    /// Why a KPI (by its key, see `metrics::availability::Kpi::key`) is null, when the input
    /// cannot support it.
    pub fn why_not(&self, kpi: &str) -> Option<&str> {
        self.availability
            .iter()
            .find(|a| a.kpi == kpi)
            .and_then(|a| a.reason.as_deref())
    }

    /// What a KPI means for this export, when its mapping says.
    pub fn caveat(&self, kpi: &str) -> Option<&str> {
        self.availability
            .iter()
            .find(|a| a.kpi == kpi)
            .and_then(|a| a.caveat.as_deref())
    }
}

/// Rejected rows by the name of their reason, as the report and `inspect` list them.
pub fn named_reasons(by_reason: &BTreeMap<RejectReason, u64>) -> BTreeMap<String, u64> {
    by_reason
        .iter()
        .map(|(reason, count)| (reason.as_str().to_owned(), *count))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histograms {
    pub first_response: Option<Vec<crate::metrics::distribution::Bucket>>,
    pub resolution_time: Option<Vec<crate::metrics::distribution::Bucket>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InputSummary {
    pub files: Vec<String>,
    /// How each input was read: the mapping (a preset, a mapping file or `canonical`) and
    /// the shape of the export.
    pub read_as: Vec<ReadAs>,
    pub rows: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejects_by_reason: BTreeMap<String, u64>,
    /// Rows a mapping leaves out by design (phantom calls, deleted tickets): not faults.
    /// rows = rows_used + rows_rejected + rows_excluded.
    pub rows_excluded: u64,
    /// `column=value` -> rows excluded.
    pub excluded_by_value: BTreeMap<String, u64>,
    pub events_after_as_of: u64,
    pub tickets: u64,
    pub tickets_filtered_out: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadAs {
    pub file: String,
    pub mapping: String,
    pub shape: crate::ingest::Shape,
    /// The zone its local times (without an offset) were read in.
    pub tz: String,
}

/// How terminal output may look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Bold headers: only on a terminal, never with NO_COLOR.
    pub color: bool,
    /// Width to fit tables into; `None` on a terminal, whose own width is used.
    pub width: Option<u16>,
}

impl Default for Style {
    /// What a pipe or a file gets: plain text, 80 columns.
    fn default() -> Self {
        Style {
            color: false,
            width: Some(80),
        }
    }
}

/// csv wraps I/O errors so that their kind is lost; unwrap them so that a closed pipe is
/// still recognised as one.
pub(crate) fn csv_io(error: ::csv::Error) -> io::Error {
    if !error.is_io_error() {
        return io::Error::other(error);
    }
    match error.into_kind() {
        ::csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// What the report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    /// One self-contained page with charts: the report's alone.
    Html,
}

/// What lists and tables (`tickets`, `sla`) are written as: every format but the HTML page,
/// and Parquet for the `tickets` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabularFormat {
    Table,
    Json,
    Csv,
    Markdown,
    /// Apache Parquet with typed columns: the `tickets` list only (see `report::parquet`).
    Parquet,
}

impl Named for Format {
    const ALL: &'static [Format] = &[
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
    ];
    const WHAT: &'static str = "format";

    fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

impl Named for TabularFormat {
    const ALL: &'static [TabularFormat] = &[
        TabularFormat::Table,
        TabularFormat::Json,
        TabularFormat::Csv,
        TabularFormat::Markdown,
        TabularFormat::Parquet,
    ];
    const WHAT: &'static str = "tabular format";

    fn as_str(self) -> &'static str {
        match self.report_format() {
            Some(format) => format.as_str(),
            None => "parquet",
        }
    }
}

impl TabularFormat {
    /// The report's format of the same name; Parquet is the `tickets` list's alone.
    pub fn report_format(self) -> Option<Format> {
        match self {
            TabularFormat::Table => Some(Format::Table),
            TabularFormat::Json => Some(Format::Json),
            TabularFormat::Csv => Some(Format::Csv),
            TabularFormat::Markdown => Some(Format::Markdown),
            TabularFormat::Parquet => None,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Format, UnknownName> {
        names::parse(text)
    }
}

impl std::str::FromStr for TabularFormat {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<TabularFormat, UnknownName> {
        names::parse(text)
    }
}

pub fn write_report(
    report: &Report,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::write(report, style, out),
        Format::Json => json::write(report, out),
        Format::Csv => csv::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
    }
}
