//! What the fuzz targets share: the whole pipeline on one input, in memory through the library
//! and from a file through the command line, and the invariants that hold whatever the bytes
//! are.
//!
//! Any panic, including a failed assertion here, is a bug in ticketkpi.

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono_tz::Tz;
use clap::Parser;
use ticketkpi::cli::Cli;
use ticketkpi::options::AnalysisOptions;
use ticketkpi::ingest::{IngestError, InputFormat, Source};
use ticketkpi::metrics::group::Dimension;
use ticketkpi::names::Named;
use ticketkpi::pipeline::{self, Analysis};
use ticketkpi::report::{self, Format, Style, TabularFormat};
use ticketkpi::time::{Instant, MICROS_PER_SECOND, Period};

/// Time zones with the awkward cases: DST gaps and folds, half- and quarter-hour offsets,
/// DST at midnight, a 30-minute DST shift, offsets beyond 12 hours and whole skipped days
/// (Kiritimati skipped 1994-12-31, Samoa 2011-12-30).
pub const ZONES: [Tz; 9] = [
    Tz::UTC,
    Tz::Europe__Berlin,
    Tz::America__New_York,
    Tz::Asia__Kathmandu,
    Tz::America__St_Johns,
    Tz::Australia__Lord_Howe,
    Tz::America__Santiago,
    Tz::Pacific__Kiritimati,
    Tz::Pacific__Apia,
];

/// Runs `bytes`, named `name`, through the pipeline: in memory with and without
/// `skip_invalid`; in memory again in another zone with other groups and a period, down to the
/// ticket list; and that last run through `ticketkpi report`, in one of its output formats.
pub fn run_input(name: &str, bytes: &[u8], format: Option<InputFormat>) {
    let source = Source::Memory {
        name: name.to_owned(),
        bytes: Arc::from(bytes),
    };
    let strict = config(source.clone(), format, false, Tz::UTC);
    let lenient = config(source.clone(), format, true, Tz::UTC);
    let strict_run = pipeline::analyse(&strict);
    let lenient_run = pipeline::analyse(&lenient);
    match (&strict_run, &lenient_run) {
        (Ok(strict_analysis), Ok(lenient_analysis)) => {
            // A strict run that succeeds saw no invalid row: skipping them changes nothing.
            assert_eq!(strict_analysis.stats, lenient_analysis.stats);
            assert_eq!(strict_analysis.stats.rows_rejected, 0);
            assert_eq!(
                kpis_json(&strict, strict_analysis),
                kpis_json(&lenient, lenient_analysis)
            );
        }
        (Ok(_), Err(error)) => panic!("only the run with skip_invalid failed: {error:#}"),
        (Err(error), Ok(analysis)) => assert!(
            is_invalid_row(error) && analysis.stats.rows_rejected > 0,
            "the strict run failed with {error:#}, yet skip_invalid rejected no row"
        ),
        (Err(_), Err(_)) => {}
    }

    let zone = ZONES[bytes.len() % ZONES.len()];
    let list_format = TabularFormat::ALL[bytes.len() % TabularFormat::ALL.len()];
    let mut zoned = config(source, format, true, zone);
    zoned.by = vec![Dimension::Agent, Dimension::Priority];
    let Ok(analysis) = pipeline::analyse(&zoned) else {
        return;
    };
    zoned.period = bounded_period(&analysis, bytes.len());
    kpis_json(&zoned, &analysis);
    let context = analysis.context(&zoned);
    let rows: Vec<report::tickets::TicketRow> = analysis
        .tickets
        .iter()
        .map(|ticket| report::tickets::TicketRow::new(ticket, &context))
        .collect();
    report::tickets::write(&rows, list_format, Style::default(), &mut Vec::new())
        .expect("writing to memory cannot fail");
    let formats = Format::ALL;
    report_through_cli(
        name,
        bytes,
        format,
        &zoned,
        formats[bytes.len() % formats.len()],
    );
}

fn config(source: Source, format: Option<InputFormat>, skip_invalid: bool, tz: Tz) -> AnalysisOptions {
    let mut config = AnalysisOptions::for_sources(vec![source]);
    config.ingest.input_format = format;
    config.ingest.skip_invalid = skip_invalid;
    config.ingest.rules.tz = tz;
    config.tz = tz;
    config
}

fn is_invalid_row(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<IngestError>(),
        Some(IngestError::InvalidRow { .. })
    )
}

/// A period for the breakdown, unless the tickets span so long a time that the report would
/// list more than a hundred periods (every period is reported, empty ones included, so a
/// timestamp in year 9000 would make the harness slow rather than find bugs).
fn bounded_period(analysis: &Analysis, selector: usize) -> Option<Period> {
    let (period, days) = match selector % 3 {
        0 => (Period::Day, 1),
        1 => (Period::Week, 7),
        _ => (Period::Month, 31),
    };
    let created = analysis.tickets.iter().map(|ticket| ticket.created_at);
    let (first, last) = (created.clone().min()?, created.max()?);
    let span: Instant = last.checked_sub(first)?;
    (span <= 100 * days * 86_400 * MICROS_PER_SECOND).then_some(period)
}

/// The KPIs, checked and serialised: the overall block, the groups and the periods.
fn kpis_json(config: &AnalysisOptions, analysis: &Analysis) -> serde_json::Value {
    let stats = &analysis.stats;
    assert_eq!(stats.rows, stats.rows_used + stats.rows_rejected);
    assert_eq!(
        stats.rows_rejected,
        stats.rejects_by_reason.values().sum::<u64>()
    );
    let kpis = analysis.kpis(config);
    if config.period.is_some() {
        // Periods partition the tickets: each is in the period of its creation.
        let in_periods: u64 = kpis.periods.iter().map(|p| p.kpis.tickets).sum();
        assert_eq!(
            in_periods, kpis.overall.tickets,
            "tickets missing from the periods"
        );
    }
    serde_json::json!({
        "overall": kpis.overall,
        "groups": kpis.groups,
        "periods": kpis.periods,
    })
}

/// `ticketkpi report` as a user runs it, on the bytes written to a file, with the options of
/// `config`, into a file in `output` format; a JSON report must parse back.
fn report_through_cli(
    name: &str,
    bytes: &[u8],
    format: Option<InputFormat>,
    config: &AnalysisOptions,
    output: Format,
) {
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    let scratch = SCRATCH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ticketkpi-fuzz-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    });
    let input = scratch.join(name);
    let report = scratch.join("report");
    fs::write(&input, bytes).expect("writing the input");
    let mut args: Vec<OsString> = vec![
        "ticketkpi".into(),
        "report".into(),
        input.into(),
        "--skip-invalid".into(),
        "--tz".into(),
        config.tz.name().into(),
        "--format".into(),
        output.as_str().into(),
        "--output".into(),
        report.clone().into(),
    ];
    for dimension in &config.by {
        args.extend(["--by".into(), dimension.as_str().into()]);
    }
    if let Some(format) = format {
        args.extend(["--input-format".into(), format.as_str().into()]);
    }
    if let Some(period) = config.period {
        args.extend(["--period".into(), period.as_str().into()]);
    }
    let cli = Cli::try_parse_from(args).expect("the arguments parse");
    if ticketkpi::run(&cli).is_ok() && output == Format::Json {
        let text = fs::read(&report).expect("the report was written");
        serde_json::from_slice::<serde_json::Value>(&text).expect("the JSON report parses");
    }
}
