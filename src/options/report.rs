//! [`ReportOptions::resolve`]: what `report` adds to the common options: its default
//! breakdown, `--where`, `--columns` and `--sort`, and the thresholds of `--fail-if` and
//! `[[alerts]]`, each checked against the KPI block and the report's `--by`.

use std::path::Path;

use super::Options;
use super::filter::Filter;
use crate::baseline::Baseline;
use crate::cli::ReportArgs;
use crate::error::{BadValue, UsageError};
use crate::metrics::group::Dimension;
use crate::options::parse::bad;
use crate::report::Format;
use crate::report::view::columns;
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
    /// `--where`.
    pub filter: Filter,
    /// `--columns`, by name, checked; `None`: every KPI the export supports.
    pub columns: Option<Vec<String>>,
    /// `--sort`.
    pub sort: Option<Sort>,
}

/// `--sort KPI`: the groups ordered by a breakdown column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: &'static str,
    pub descending: bool,
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
            filter: Filter::parse(&args.filter, false)?,
            columns: columns(&args.columns)?,
            sort: args.sort.as_deref().map(sort).transpose()?,
        })
    }
}

/// `--columns a,b`: each a column of the breakdown tables.
fn columns(names: &[String]) -> Result<Option<Vec<String>>, BadValue> {
    if names.is_empty() {
        return Ok(None);
    }
    names
        .iter()
        .map(|name| column_name("columns", name, name.trim()).map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `--sort KPI`, `--sort -KPI`, `--sort KPI:desc` (or `:asc`).
fn sort(text: &str) -> Result<Sort, BadValue> {
    let trimmed = text.trim();
    let (name, descending) = if let Some(name) = trimmed.strip_prefix('-') {
        (name, true)
    } else if let Some((name, order)) = trimmed.split_once(':') {
        match order.trim() {
            "desc" => (name, true),
            "asc" => (name, false),
            _ => return Err(bad("sort", text, "the order after `:` is asc or desc")),
        }
    } else {
        (trimmed, false)
    };
    let column = column_name("sort", text, name.trim())?;
    Ok(Sort { column, descending })
}

/// A column of `view::columns`, or a usage error naming the nearest and the others.
fn column_name(option: &'static str, text: &str, name: &str) -> Result<&'static str, BadValue> {
    if let Some(column) = columns::column(name) {
        return Ok(column.name);
    }
    let known = columns::names();
    let nearest = known
        .iter()
        .map(|known| (strsim::osa_distance(name, known), *known))
        .min()
        .filter(|(distance, _)| *distance <= 4)
        .map(|(_, known)| format!("did you mean \"{known}\"? "))
        .unwrap_or_default();
    Err(bad(
        option,
        text,
        format!(
            "no KPI column \"{name}\"; {nearest}Columns: {}",
            known.join(", ")
        ),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_reads_a_leading_minus_or_an_order_suffix() {
        let asc = Sort {
            column: "csat",
            descending: false,
        };
        let desc = Sort {
            column: "csat",
            descending: true,
        };
        assert_eq!(sort("csat"), Ok(asc));
        assert_eq!(sort("csat:asc"), Ok(asc));
        assert_eq!(sort("-csat"), Ok(desc));
        assert_eq!(sort("csat:desc"), Ok(desc));
        assert!(
            sort("csat:down")
                .unwrap_err()
                .reason
                .contains("asc or desc")
        );
    }

    #[test]
    fn an_unknown_column_gets_the_nearest_name() {
        let error = sort("frt_medain").unwrap_err();
        assert!(
            error.reason.contains("did you mean \"frt_median\""),
            "{}",
            error.reason
        );
        let error = columns(&["tickets".to_owned(), "cast".to_owned()]).unwrap_err();
        assert_eq!(error.option, "columns");
        assert!(
            error.reason.contains("did you mean \"csat\""),
            "{}",
            error.reason
        );
        assert_eq!(columns(&[]), Ok(None));
    }
}
