//! `ticketkpi report`: the KPI report, overall, per group and per period; then its thresholds.

use crate::cli::ReportArgs;
use crate::error::DataQualityFailure;
use crate::metrics::group::check_period_count;
use crate::options::{Options, ReportOptions};
use crate::pipeline;
use crate::report::{self, Report};
use crate::thresholds::{self, Threshold};

pub fn run(args: &ReportArgs, console: super::Console) -> anyhow::Result<()> {
    let ReportOptions {
        options:
            Options {
                analysis: options,
                output,
                ..
            },
        thresholds,
        fail_on_unknown,
    } = ReportOptions::resolve(args)?;
    let mut analysis = pipeline::analyse(&options)?;
    if let Some(period) = options.period {
        // The period table must fit, now that the tickets' span is known (--since and
        // --until were checked before reading).
        let created = analysis.tickets.iter().map(|t| t.created_at);
        if let (Some(first), Some(last)) = (created.clone().min(), created.max()) {
            check_period_count(period, options.tz, first, last, options.max_memory)?;
        }
    }
    let kpis = analysis.kpis(&options);
    let report = Report::new(&analysis, kpis, &options);
    super::write(console, &output, |out, style| {
        report::write_report(&report, args.format, style, out)
    })?;
    analysis.commit_rejects()?;
    // Thresholds are told even when --strict fails the run: both are news to the reader.
    let outcome = check_thresholds(&thresholds, &report)?;
    let problems = report.data_quality.problems();
    if options.strict && !problems.is_empty() {
        return Err(DataQualityFailure(problems).into());
    }
    match outcome.and_then(|outcome| outcome.failure(fail_on_unknown)) {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}

/// Evaluates the thresholds on the report's JSON value and prints, on stderr, each that
/// holds with its value and each that cannot be told with why.
fn check_thresholds(
    thresholds: &[Threshold],
    report: &Report,
) -> anyhow::Result<Option<thresholds::Outcome>> {
    if thresholds.is_empty() {
        return Ok(None);
    }
    let value = serde_json::to_value(report)?;
    let outcome = thresholds::evaluate_all(thresholds, &value);
    for line in outcome.holding.iter().chain(&outcome.unknown) {
        eprintln!("ticketkpi: {}", report::escape::message(line));
    }
    Ok(Some(outcome))
}
