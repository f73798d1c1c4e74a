//! `ticketkpi report`: the KPI report, overall, per group and per period.

use crate::cli::ReportArgs;
use crate::error::DataQualityFailure;
use crate::metrics::group::{Dimension, check_period_count};
use crate::options::Options;
use crate::pipeline;
use crate::report::{self, Report};

pub fn run(args: &ReportArgs, console: super::Console) -> anyhow::Result<()> {
    // The default report: overall plus the by-channel breakdown.
    let by = if args.by.is_empty() {
        vec![Dimension::Channel]
    } else {
        args.by.clone()
    };
    let Options {
        analysis: options,
        output,
    } = Options::resolve(&args.input, by, args.period, args.output.destination())?;
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
    let problems = report.data_quality.problems();
    if options.strict && !problems.is_empty() {
        return Err(DataQualityFailure(problems).into());
    }
    Ok(())
}
