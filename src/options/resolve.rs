//! [`Options::resolve`]: the command line and the config file, merged and checked.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use super::parse::{self, bad};
use super::{AnalysisOptions, Options};
use crate::cli::InputArgs;
use crate::config_file::{self, ConfigFile, FileSettings};
use crate::error::{BadValue, UsageError};
use crate::ingest::mapping::{MappingError, MappingSpec};
use crate::ingest::{IngestOptions, Mapping, MappingChoice, RowRules, Source, presets};
use crate::metrics::group::Dimension;
use crate::metrics::surveys::CsatScale;
use crate::names::Named as _;
use crate::output::{self, Destination, NamedOutput};
use crate::time::{Instant, Period};

impl Options {
    /// The options of a command that reads `input`, breaks the tickets down `by` and by
    /// `period`, and writes to `output`.
    pub fn resolve(
        input: &InputArgs,
        by: Vec<Dimension>,
        period: Option<Period>,
        output: Destination,
    ) -> Result<Options, UsageError> {
        let config = ConfigPath::locate(input.config.as_deref());
        let settings = match &config {
            Some(config) => config.read()?,
            None => FileSettings::default(),
        };
        let tz = match &input.tz {
            Some(name) => parse::zone(name)?,
            None => settings.tz.unwrap_or(Tz::UTC),
        };
        let csat = csat(input, &settings, config.as_ref())?;
        let delimiter = input
            .delimiter
            .as_deref()
            .map(parse::delimiter)
            .transpose()?;
        let mapping = mapping(input, settings.mapping)?;
        let (since, until) = selection(input, tz)?;
        let max_memory = parse::max_memory(input.max_memory.as_deref())?;
        if let (Some(period), Some(since), Some(until)) = (period, since, until) {
            // Known before anything is read: refuse a period table that cannot be made.
            crate::metrics::periods::check_period_count(period, tz, since, until, max_memory)
                .map_err(|error| bad("period", period.as_str(), error.to_string()))?;
        }
        let rejects = input.rejects.as_deref().map(Destination::from_arg);
        check_outputs(
            input,
            config.as_ref().map(|config| config.path.as_path()),
            &output,
            rejects.as_ref(),
        )?;
        let ingest = IngestOptions {
            rules: RowRules {
                tz,
                csat_min: csat.min,
                csat_max: csat.max,
                aliases: settings.aliases,
            },
            input_format: input.input_format,
            delimiter,
            mapping,
            encoding: input.encoding.as_deref().map(parse::encoding).transpose()?,
            threads: parse::threads(input.threads)?,
            skip_invalid: input.skip_invalid || input.rejects.is_some(),
            max_record_bytes: input
                .max_record_size
                .as_deref()
                .map(|text| parse::size("max-record-size", text).map(|n| n.unwrap_or(u64::MAX)))
                .transpose()?,
            progress: (!input.quiet).then(|| crate::progress::Progress::new(input_bytes(input))),
        };
        let analysis = AnalysisOptions {
            sources: input.inputs.iter().map(|p| Source::from_arg(p)).collect(),
            ingest,
            tz,
            as_of: input
                .as_of
                .as_deref()
                .map(|text| parse::instant("as-of", text, tz, false))
                .transpose()?,
            since,
            until,
            rejects,
            csat,
            sla: settings.sla,
            sla_defaults: settings.sla_defaults,
            schedule: settings.schedule,
            fcr_reopen_window: settings.fcr_reopen_window,
            contact_centre: settings.contact_centre,
            config_file: config.as_ref().map(|config| config.path.clone()),
            strict: input.strict,
            max_memory,
            by,
            period,
        };
        Ok(Options {
            analysis,
            output,
            alerts: settings.alerts,
            config,
        })
    }
}

/// The inputs' size, for the progress bar: known when every input is a file.
fn input_bytes(input: &InputArgs) -> Option<u64> {
    input
        .inputs
        .iter()
        .map(|path| std::fs::metadata(path).ok().map(|m| m.len()))
        .sum()
}

/// `--since` and `--until`: a date means its whole day, and they must leave room for a ticket.
fn selection(input: &InputArgs, tz: Tz) -> Result<(Option<Instant>, Option<Instant>), BadValue> {
    let since = input
        .since
        .as_deref()
        .map(|text| parse::instant("since", text, tz, false))
        .transpose()?;
    let until = input
        .until
        .as_deref()
        .map(|text| parse::instant("until", text, tz, true))
        .transpose()?;
    if let (Some(since), Some(until), Some(text)) = (since, until, &input.since)
        && since > until
    {
        return Err(bad(
            "since",
            text,
            format!(
                "it is after --until {}: no ticket could be selected",
                input.until.as_deref().unwrap_or_default()
            ),
        ));
    }
    Ok((since, until))
}

/// The CSAT scale: `--csat-scale`, else the file's, else 1-5; its threshold likewise. A
/// threshold outside the scale is blamed on where it was written.
fn csat(
    input: &InputArgs,
    settings: &FileSettings,
    config: Option<&ConfigPath>,
) -> Result<CsatScale, UsageError> {
    let bounds = match &input.csat_scale {
        Some(text) => parse::csat_bounds(text)
            .ok_or_else(|| bad("csat-scale", text, parse::CSAT_SCALE_EXPECTED))?,
        None => settings.csat_scale.unwrap_or((1.0, 5.0)),
    };
    let satisfied = input.csat_satisfied.or(settings.csat_satisfied);
    parse::csat_scale(bounds, satisfied).map_err(|(threshold, reason)| {
        match config.filter(|_| input.csat_satisfied.is_none() && satisfied.is_some()) {
            Some(config) => config.mistake(format!("report.csat_satisfied: {threshold} {reason}")),
            None => bad("csat-satisfied", &threshold.to_string(), reason).into(),
        }
    })
}

/// `--preset`, `--mapping`, the config file's `[mapping]`, or auto-detection.
fn mapping(input: &InputArgs, in_config: Option<Mapping>) -> Result<MappingChoice, UsageError> {
    let given = |mapping| Ok(MappingChoice::Given(Box::new(mapping)));
    if let Some(name) = &input.preset {
        return match presets::preset(name) {
            Some(Ok(mapping)) => given(mapping),
            Some(Err(error)) => Err(bad("preset", name, error.to_string()).into()),
            None => Err(bad(
                "preset",
                name,
                format!("no such preset; known: {}", presets::names().join(", ")),
            )
            .into()),
        };
    }
    if let Some(path) = &input.mapping {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|error| bad("mapping", &shown, format!("cannot read it: {error}")))?;
        return mapping_file(&shown, &text)
            .map_or_else(|error| Err(bad("mapping", &shown, error).into()), given);
    }
    in_config.map_or(Ok(MappingChoice::Auto), given)
}

/// A mapping file: the mapping itself, or a ticketkpi.toml holding it as `[mapping]`. Either
/// way the spec is read from the file's own text, so a mistake is placed on its own line.
fn mapping_file(name: &str, text: &str) -> Result<Mapping, String> {
    /// A ticketkpi.toml: its other tables are not the mapping's business.
    #[derive(Deserialize)]
    struct Holder {
        mapping: MappingSpec,
    }
    let document: toml::Table = toml::from_str(text).map_err(|error| error.to_string())?;
    let stem = Path::new(name).file_stem().map_or_else(
        || name.to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let spec = if matches!(document.get("mapping"), Some(toml::Value::Table(_))) {
        toml::from_str::<Holder>(text).map(|holder| holder.mapping)
    } else {
        toml::from_str::<MappingSpec>(text)
    };
    let mut spec = spec.map_err(|error| {
        MappingError {
            name: stem.clone(),
            message: error.to_string(),
        }
        .to_string()
    })?;
    spec.name.get_or_insert(stem);
    Mapping::compile(&spec).map_err(|error| error.to_string())
}

/// The config file read, and how it was chosen.
#[derive(Debug, Clone)]
pub(super) struct ConfigPath {
    path: PathBuf,
    /// By `--config`, rather than found in the working directory.
    named: bool,
}

impl ConfigPath {
    /// `--config FILE`, else ticketkpi.toml in the working directory, if there is one.
    fn locate(given: Option<&Path>) -> Option<ConfigPath> {
        match given {
            Some(path) => Some(ConfigPath {
                path: path.to_path_buf(),
                named: true,
            }),
            None => Some(PathBuf::from(config_file::FILE_NAME))
                .filter(|path| path.is_file())
                .map(|path| ConfigPath { path, named: false }),
        }
    }

    fn read(&self) -> Result<FileSettings, UsageError> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|error| self.mistake(format!("cannot read it: {error}")))?;
        ConfigFile::read(&text).map_err(|error| self.mistake(error))
    }

    /// A mistake in the file: blamed on `--config` when that named it.
    pub(super) fn mistake(&self, reason: impl Into<String>) -> UsageError {
        let path = self.path.display().to_string();
        if self.named {
            bad("config", &path, reason).into()
        } else {
            UsageError::FoundConfig {
                path,
                reason: reason.into(),
            }
        }
    }
}

/// Outputs must not be inputs (the exports, the config and mapping files) nor each other.
fn check_outputs(
    input: &InputArgs,
    config_file: Option<&Path>,
    report: &Destination,
    rejects: Option<&Destination>,
) -> Result<(), BadValue> {
    let mut inputs: Vec<&Path> = input.inputs.iter().map(PathBuf::as_path).collect();
    inputs.extend(config_file);
    inputs.extend(input.mapping.as_deref());
    let mut outputs = vec![NamedOutput {
        option: "output",
        what: "the report",
        destination: report,
    }];
    outputs.extend(rejects.map(|destination| NamedOutput {
        option: "rejects",
        what: "the rejected rows",
        destination,
    }));
    output::check(&inputs, &outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--mapping ticketkpi.toml`: the `[mapping]` table is read from the file's own text, so
    /// a mistake is placed where the user wrote it, not in a re-serialised copy.
    #[test]
    fn a_mapping_file_places_its_mistakes_on_its_own_lines() {
        let held = "[report]\ntz = \"UTC\"\n\n[mapping]\ndelimiter = \";\"\n\n[mapping.fields]\n\
                    ticket_id = \"Case\"\ntimestamp = { column = \"When\", unit = 3 }\n";
        let error = mapping_file("desk/ticketkpi.toml", held).unwrap_err();
        assert!(error.starts_with("mapping ticketkpi: "), "{error}");
        assert!(error.contains("line 9, column 13"), "{error}");
        let plain = "delimiter = \";\"\nshape = \"rows\"\n";
        let error = mapping_file("desk.toml", plain).unwrap_err();
        assert!(error.contains("line 2, column 9"), "{error}");
        let mapping = mapping_file(
            "desk.toml",
            "[fields]\nticket_id = \"Case\"\ntimestamp = \"When\"\n",
        )
        .expect("valid");
        assert_eq!(mapping.name, "desk", "named after the file");
    }
}
