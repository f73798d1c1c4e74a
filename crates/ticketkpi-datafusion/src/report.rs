//! `ticketkpi-datafusion report`: the CLI's report, its KPIs computed by DataFusion.
//!
//! Reading (formats, presets, mappings, validation) is the library's; the per-ticket fold
//! and the KPI fold run as aggregate functions in the engine; the JSON is the library's
//! `Report`, assembled as `ticketkpi report` assembles it.

use std::sync::Arc;

use ticketkpi::metrics::group::Dimension;
use ticketkpi::output::Destination;
use ticketkpi::report::{self, Format, Report, Style};
use ticketkpi::symbols::Symbols;
use ticketkpi::time::Period;
use ticketkpi::{Analysis, AnalysisOptions, Options};

use crate::definitions::Definitions;
use crate::kpis::ReportState;
use crate::load::load;
use crate::session::{Engine, run_report};

/// What `report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Json,
    Table,
}

/// The report of `input` broken down `by` (and by `period`), computed on `engine`.
pub async fn report(
    input: &ticketkpi::cli::InputArgs,
    by: Vec<Dimension>,
    period: Option<Period>,
    engine: &Engine,
) -> anyhow::Result<Report> {
    if input.rejects.is_some() {
        anyhow::bail!(
            "--rejects is the CLI's: run `ticketkpi report --rejects FILE` on the same inputs"
        );
    }
    let options = Options::resolve(input, by, period, Destination::Stdout)?.analysis;
    report_with(&options, engine).await
}

/// The report of a run resolved as the CLI resolves it, computed on `engine`.
pub async fn report_with(options: &AnalysisOptions, engine: &Engine) -> anyhow::Result<Report> {
    if options.by.contains(&Dimension::Tag) {
        anyhow::bail!(
            "--by tag is the CLI's: the engine does not carry tags yet; run `ticketkpi report \
             --by tag` on the same inputs"
        );
    }
    let loaded = load(options)?;
    let shared = Arc::new(Definitions::of_run(options, &loaded.stats)?.resolve()?);
    let as_of = options.as_of.or(loaded.stats.latest);
    let state = match as_of {
        // No valid row and no --as-of: no tickets, as in the CLI.
        None => None,
        Some(_) => Some(run_report(&loaded, &shared, engine).await?),
    };
    let (tickets, counts, filtered_out) = state
        .as_ref()
        .map_or((0, Default::default(), 0), |state: &ReportState| {
            (state.tickets, state.counts, state.tickets_filtered_out)
        });
    let folded = match state {
        Some(state) => state.finish(&shared),
        None => ReportState::empty(&shared).finish(&shared),
    };
    let analysis = Analysis {
        stats: loaded.stats,
        events_after_as_of: counts.events_after_as_of,
        duplicate_events: counts.duplicate_events,
        repeated_rows: counts.repeated_rows,
        as_of,
        // The tickets stay in the engine: only their count is the report's.
        tickets: Vec::new(),
        tickets_filtered_out: filtered_out,
        symbols: Symbols::default(),
        reject_samples: Vec::new(),
        rejects: None,
        earlier: None,
    };
    let kpis = analysis.kpis_of(folded);
    let mut report = Report::new(&analysis, kpis, options);
    report.input.tickets = tickets;
    Ok(report)
}

/// Writes `report` as `format` to standard output.
pub fn write(report: &Report, format: OutputFormat) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let format = match format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Table => Format::Table,
    };
    let style = Style {
        color: false,
        width: Some(100),
    };
    report::write_report(report, format, style, &mut out)
}
