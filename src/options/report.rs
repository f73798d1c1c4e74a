//! [`ReportOptions::resolve`]: what `report` adds to the common options: its default
//! breakdown, and the thresholds of `--fail-if` and `[[alerts]]`, each checked against the
//! KPI block and the report's `--by`.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rustc_hash::FxHasher;

use super::Options;
use crate::baseline::Baseline;
use crate::cli::ReportArgs;
use crate::error::UsageError;
use crate::metrics::group::Dimension;
use crate::names::Named;
use crate::options::parse::bad;
use crate::report::Format;
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
        Ok(ReportOptions {
            options,
            thresholds,
            fail_on_unknown: args.fail_on_unknown,
            baseline,
            state,
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
}
