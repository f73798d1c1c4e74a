//! [`ReportOptions::resolve`]: what `report` adds to the common options: its default
//! breakdown, and the thresholds of `--fail-if` and `[[alerts]]`, each checked against the
//! KPI block and the report's `--by`.

use std::path::Path;

use super::Options;
use crate::baseline::Baseline;
use crate::cli::ReportArgs;
use crate::error::UsageError;
use crate::metrics::group::Dimension;
use crate::options::parse::bad;
use crate::report::Format;
use crate::thresholds::{Condition, Threshold};

/// `report`'s options, resolved.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub options: Options,
    /// `[[alerts]]` first, in the file's order, then `--fail-if` in the order given.
    pub thresholds: Vec<Threshold>,
    /// A threshold that cannot be told fails the run too.
    pub fail_on_unknown: bool,
    /// `--baseline`, read and checked.
    pub baseline: Option<Baseline>,
}

impl ReportOptions {
    pub fn resolve(args: &ReportArgs) -> Result<ReportOptions, UsageError> {
        // The default report: overall plus the by-channel breakdown.
        let by = if args.by.is_empty() {
            vec![Dimension::Channel]
        } else {
            args.by.clone()
        };
        let mut options =
            Options::resolve(&args.input, by, args.period, args.output.destination())?;
        let by = options.analysis.by.clone();
        let mut thresholds = std::mem::take(&mut options.alerts);
        for alert in &thresholds {
            alert.condition.check_scope(&by).map_err(|reason| {
                let name = alert.name.as_deref().unwrap_or_default();
                let mistake = format!("alerts \"{name}\": {reason}");
                match &options.config {
                    Some(config) => config.mistake(mistake),
                    None => bad("config", "", mistake).into(),
                }
            })?;
        }
        for text in &args.fail_if {
            let condition: Condition = text
                .parse()
                .map_err(|reason: String| bad("fail-if", text, reason))?;
            condition
                .check_scope(&by)
                .map_err(|reason| bad("fail-if", text, reason))?;
            thresholds.push(Threshold {
                name: None,
                condition,
            });
        }
        let baseline = args
            .baseline
            .as_deref()
            .map(|path| baseline(path, args.format))
            .transpose()?;
        Ok(ReportOptions {
            options,
            thresholds,
            fail_on_unknown: args.fail_on_unknown,
            baseline,
        })
    }
}

/// `--baseline FILE`: read whole before anything is written, so that it may be the file the
/// report replaces (`--baseline latest.json -o latest.json`).
fn baseline(path: &Path, format: Format) -> Result<Baseline, UsageError> {
    if matches!(format, Format::Csv | Format::Markdown) {
        return Err(bad(
            "baseline",
            &path.display().to_string(),
            "the comparison is shown in --format json, table and html, not in csv or markdown",
        )
        .into());
    }
    Ok(Baseline::read(path)?)
}
