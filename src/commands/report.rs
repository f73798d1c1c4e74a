//! `ticketkpi report`: the KPI report, overall, per group and per period; then its thresholds.

use std::io::{self, Write};

use serde_json::Value;

use crate::baseline::{Baseline, annotate, table};
use crate::cli::ReportArgs;
use crate::error::DataQualityFailure;
use crate::metrics::periods::check_period_count;
use crate::options::{Options, ReportOptions};
use crate::pipeline;
use crate::report::{self, Format, Report, Style, html, view};
use crate::state::{self, State};
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
        baseline,
        state,
        filter,
        columns,
        sort,
    } = ReportOptions::resolve(args)?;
    if let Some((dir, _)) = &state {
        state::check_output(dir, &output)?;
    }
    let state = state.map(|(dir, key)| State::open(&dir, key)).transpose()?;
    let (mut analysis, night) = match &state {
        Some(state) => state::night::analyse(state, &options, &filter)?,
        None => (pipeline::analyse_folded(&options, &filter)?, None),
    };
    let left_out = filter.select(&mut analysis.tickets, &analysis.symbols, options.tz)
        + analysis
            .earlier
            .as_ref()
            .map_or(0, |earlier| earlier.left_out);
    if let Some(period) = options.period {
        // The period table must fit, now that the tickets' span is known (--since and
        // --until were checked before reading); the tickets folded away count too.
        let earlier = analysis
            .earlier
            .as_ref()
            .and_then(|earlier| earlier.created);
        let created = analysis.tickets.iter().map(|t| t.created_at);
        let first = created.clone().chain(earlier.map(|c| c.0)).min();
        let last = created.chain(earlier.map(|c| c.1)).max();
        if let (Some(first), Some(last)) = (first, last) {
            check_period_count(period, options.tz, first, last, options.max_memory)?;
        }
    }
    let kpis = analysis.kpis(&options);
    let mut report = Report::new(&analysis, kpis, &options);
    report.filter = filter.summary(left_out);
    report.columns = columns;
    if let Some(sort) = sort {
        view::columns::sort_groups(&mut report.groups, sort.column, sort.descending);
    }
    // The report as JSON, compared with the baseline: what thresholds read, and what the
    // comparison is drawn from.
    let value = if thresholds.is_empty() && baseline.is_none() {
        None
    } else {
        let mut value = serde_json::to_value(&report)?;
        if let Some(baseline) = &baseline {
            compare(&mut value, baseline);
        }
        Some(value)
    };
    super::write(console, &output, |out, style| match (&baseline, &value) {
        (Some(baseline), Some(value)) => {
            write_compared(&report, value, baseline, args.format, style, out)
        }
        _ => report::write_report(&report, args.format, style, out),
    })?;
    analysis.commit_rejects()?;
    // The state goes on only once the report is written: a failed run leaves it as it was.
    if let (Some(state), Some(night)) = (&state, night) {
        state::night::add(state, night, &mut analysis, &options, &filter)?;
    }
    // Thresholds are told even when --strict fails the run: both are news to the reader.
    let outcome = value
        .as_ref()
        .filter(|_| !thresholds.is_empty())
        .map(|value| check_thresholds(&thresholds, value));
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
fn check_thresholds(thresholds: &[Threshold], report: &Value) -> thresholds::Outcome {
    let outcome = thresholds::evaluate_all(thresholds, report);
    for line in outcome.holding.iter().chain(&outcome.unknown) {
        eprintln!("ticketkpi: {}", report::escape::message(line));
    }
    outcome
}

/// `previous` and `change` beside every value, and what the baseline was.
fn compare(value: &mut Value, baseline: &Baseline) {
    annotate::annotate(value, &baseline.report);
    if let Some(report) = value.as_object_mut() {
        report.insert("baseline".to_owned(), baseline.summary());
    }
}

/// The report in `format`, with the comparison (csv and markdown were refused with
/// --baseline when the options were resolved).
fn write_compared(
    report: &Report,
    value: &Value,
    baseline: &Baseline,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Table => {
            report::write_report(report, format, style, out)?;
            table::write(value, baseline, style, out)
        }
        Format::Html => html::write_compared(report, Some(&baseline.headline_values()), out),
        Format::Csv | Format::Markdown => report::write_report(report, format, style, out),
    }
}
