//! [`ReportOptions::resolve`]: what `report` adds to the common options: its default
//! breakdown, `--where`, `--columns` and `--sort`, and the thresholds of `--fail-if` and
//! `[[alerts]]`, each checked against the KPI block and the report's `--by`.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rustc_hash::FxHasher;

use super::Options;
use super::filter::Filter;
use crate::baseline::Baseline;
use crate::cli::ReportArgs;
use crate::error::{BadValue, UsageError};
use crate::metrics::group::Dimension;
use crate::names::Named;
use crate::options::parse::bad;
use crate::report::Format;
use crate::report::view::columns;
use crate::state::Key;
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
    /// `--state DIR` and the settings its events depend on.
    pub state: Option<(PathBuf, Key)>,
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
        let state = match &args.state {
            Some(dir) => Some((dir.clone(), state_key(args, &options)?)),
            None => None,
        };
        let attributes = options.analysis.ingest.mapping.attribute_names();
        let filter = Filter::parse(&args.filter, false, &attributes)?;
        // The state keeps earlier nights' events, not their tags and attribute values:
        // refused rather than wrong.
        if let Some((dir, _)) = &state
            && (by.contains(&Dimension::Tag) || filter.reads_extras())
        {
            return Err(bad(
                "state",
                &dir.display().to_string(),
                "--state does not keep the tags of earlier nights yet (nor the mapping's \
                 attribute columns): for --by tag or --where on them, run the report over the \
                 exports without --state",
            )
            .into());
        }
        Ok(ReportOptions {
            options,
            thresholds,
            fail_on_unknown: args.fail_on_unknown,
            baseline,
            state,
            filter,
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

/// The settings that decide how tonight's rows become events, which the state's events were
/// read with: each by name, a file's text by a hash of it. The KPI settings (SLA policies,
/// schedules, the CSAT threshold, --by, --period, --since, --until, --as-of) are not among
/// them: they apply to the tickets, derived again every night.
fn state_key(args: &ReportArgs, options: &Options) -> Result<Key, UsageError> {
    let input = &args.input;
    let ingest = &options.analysis.ingest;
    let mut key = Key::new();
    let mut put = |name: &str, value: String| key.insert(name.to_owned(), value);
    put("tz", options.analysis.tz.name().to_owned());
    put(
        "csat_scale",
        format!("{}-{}", ingest.rules.csat_min, ingest.rules.csat_max),
    );
    put(
        "encoding",
        ingest.encoding.map_or("UTF-8", |e| e.name()).to_owned(),
    );
    put(
        "delimiter",
        ingest
            .delimiter
            .map_or_else(|| "sniffed".to_owned(), |d| format!("{:?}", char::from(d))),
    );
    put(
        "input_format",
        input
            .input_format
            .map_or("detected", |format| format.as_str())
            .to_owned(),
    );
    let mapping = match (&input.preset, &input.mapping) {
        (Some(preset), _) => format!("preset {preset}"),
        (None, Some(path)) => {
            let text = std::fs::read(path)
                .map_err(|error| bad("mapping", &path.display().to_string(), error.to_string()))?;
            format!("mapping file, text hash {}", hash(&text))
        }
        (None, None) => "the config's [mapping], else detected from each header".to_owned(),
    };
    put("mapping", mapping);
    let config = match &options.analysis.config_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| bad("config", &path.display().to_string(), error.to_string()))?;
            format!("text hash {}", hash(reading_settings(&text).as_bytes()))
        }
        None => "none".to_owned(),
    };
    put(
        "config (aliases, mapping, report.tz, csat_scale, agent_authors)",
        config,
    );
    Ok(key)
}

/// The parts of a config file that decide how rows are read, written canonically (so that a
/// comment, an alert or an SLA policy changed does not refuse the state).
fn reading_settings(text: &str) -> String {
    let Ok(table) = text.parse::<toml::Table>() else {
        return text.to_owned();
    };
    let mut kept = toml::Table::new();
    for name in ["aliases", "mapping"] {
        if let Some(value) = table.get(name) {
            kept.insert(name.to_owned(), value.clone());
        }
    }
    if let Some(report) = table.get("report").and_then(toml::Value::as_table) {
        for name in ["tz", "csat_scale", "agent_authors"] {
            if let Some(value) = report.get(name) {
                kept.insert(format!("report.{name}"), value.clone());
            }
        }
    }
    kept.to_string()
}

fn hash(bytes: &[u8]) -> String {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_settings_that_read_rows_count_for_the_state() {
        let base = "[aliases.status]\nresolved = \"solved\"\n[report]\ntz = \"UTC\"\n";
        let with_alert = format!(
            "# a comment\n{base}schedule = \"office\"\n[[alerts]]\nname = \"a\"\n\
             condition = \"backlog.open > 1\"\n"
        );
        assert_eq!(reading_settings(base), reading_settings(&with_alert));
        let other_alias = base.replace("resolved", "done");
        assert_ne!(reading_settings(base), reading_settings(&other_alias));
        let other_zone = base.replace("UTC", "Europe/Paris");
        assert_ne!(reading_settings(base), reading_settings(&other_zone));
    }

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
