//! The resolved configuration: every argument checked and turned into its typed value once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use crate::cli::{InputArgs, OutputArgs, ReportFormat};
use crate::ingest::{IngestOptions, Mapping, MappingChoice, RowRules, Source, presets};
use crate::metrics::group::Dimension;
use crate::metrics::sla::SlaPolicies;
use crate::metrics::surveys::CsatScale;
use crate::output::{self, Destination, NamedOutput};
use crate::schedule::Schedule;
use crate::settings::{self, Settings};
use crate::time::{Instant, Period, TimestampError, parse_timestamp, start_of_local_day};

/// A bad argument value: reported like clap's own usage errors (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("invalid value {value:?} for '--{option}': {reason}")]
pub struct UsageError {
    pub option: &'static str,
    pub value: String,
    pub reason: String,
}

fn usage(option: &'static str, value: &str, reason: impl Into<String>) -> UsageError {
    UsageError {
        option,
        value: value.to_owned(),
        reason: reason.into(),
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub sources: Vec<Source>,
    pub ingest: IngestOptions,
    pub tz: Tz,
    pub as_of: Option<Instant>,
    pub since: Option<Instant>,
    /// Inclusive upper bound on created_at.
    pub until: Option<Instant>,
    /// `--rejects`: where rejected rows go as CSV.
    pub rejects: Option<Destination>,
    pub csat: CsatScale,
    pub sla: SlaPolicies,
    /// `sla` holds the contract's default targets (no policy is configured).
    pub sla_defaults: bool,
    /// Business hours for the `*_business` durations.
    pub schedule: Option<Arc<Schedule>>,
    pub fcr_reopen_window: Option<f64>,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    /// Data-quality findings are errors (exit code 3).
    pub strict: bool,
    /// Bytes the held input may take before the run stops with an error.
    pub max_memory: Option<u64>,
    pub by: Vec<Dimension>,
    pub period: Option<Period>,
    pub format: ReportFormat,
    pub output: Destination,
}

/// More reading threads than this only add memory (each holds a few 4 MiB chunks in flight)
/// and thread start-up: reading is bound by the booking thread long before.
pub const MAX_THREADS: usize = 64;

impl Config {
    /// The defaults of the command line for these inputs: what library users and tests start
    /// from before setting fields.
    pub fn for_sources(sources: Vec<Source>) -> Config {
        Config {
            sources,
            ingest: IngestOptions::default(),
            tz: Tz::UTC,
            as_of: None,
            since: None,
            until: None,
            rejects: None,
            csat: CsatScale::default(),
            sla: SlaPolicies::default(),
            sla_defaults: true,
            schedule: None,
            fcr_reopen_window: None,
            config_file: None,
            strict: false,
            max_memory: None,
            by: vec![Dimension::Channel],
            period: None,
            format: ReportFormat::Json,
            output: Destination::Stdout,
        }
    }

    pub fn resolve(
        input: &InputArgs,
        by: &[Dimension],
        period: Option<Period>,
        format: ReportFormat,
        output: &OutputArgs,
    ) -> Result<Config, UsageError> {
        let (config_file, settings) = load_settings(input.config.as_deref())?;
        let tz: Tz = match &input.tz {
            Some(name) => name.parse().map_err(|_| {
                usage(
                    "tz",
                    name,
                    "not an IANA time zone name (e.g. Europe/Berlin)",
                )
            })?,
            None => settings.tz.unwrap_or(Tz::UTC),
        };
        let csat_scale = input
            .csat_scale
            .clone()
            .or(settings.csat_scale.clone())
            .unwrap_or_else(|| "1-5".to_owned());
        let csat = parse_csat(
            &csat_scale,
            input.csat_satisfied.or(settings.csat_satisfied),
        )?;
        let delimiter = input
            .delimiter
            .as_deref()
            .map(parse_delimiter)
            .transpose()?;
        let mapping = match (resolve_mapping(input)?, &settings.mapping) {
            (MappingChoice::Auto, Some(table)) => {
                let name = config_file
                    .as_ref()
                    .map_or_else(|| "config".to_owned(), |p| p.display().to_string());
                let text = toml::to_string(table).unwrap_or_default();
                let mapping = Mapping::from_toml("config mapping", &text)
                    .map_err(|error| usage("config", &name, error.to_string()))?;
                MappingChoice::Given(Box::new(mapping))
            }
            (choice, _) => choice,
        };
        let instant = |option, value: &Option<String>, end_of_day| {
            value
                .as_deref()
                .map(|text| parse_instant(option, text, tz, end_of_day))
                .transpose()
        };
        let since = instant("since", &input.since, false)?;
        let until = instant("until", &input.until, true)?;
        if let (Some(since), Some(until), Some(text)) = (since, until, &input.since)
            && since > until
        {
            return Err(usage(
                "since",
                text,
                format!(
                    "it is after --until {}: no ticket could be selected",
                    input.until.as_deref().unwrap_or_default()
                ),
            ));
        }
        if let (Some(period), Some(since), Some(until)) = (period, since, until) {
            // Known before anything is read: refuse a period table that cannot be made.
            let max_memory = max_memory(input.max_memory.as_deref())?;
            crate::metrics::periods::check_period_count(period, tz, since, until, max_memory)
                .map_err(|error| usage("period", period.name(), error.to_string()))?;
        }
        let rejects = input.rejects.as_deref().map(Destination::from_arg);
        let output = output
            .output
            .as_deref()
            .map_or(Destination::Stdout, Destination::from_arg);
        check_outputs(input, config_file.as_deref(), &output, rejects.as_ref())?;
        Ok(Config {
            sources: input.inputs.iter().map(|p| Source::from_arg(p)).collect(),
            ingest: IngestOptions {
                rules: RowRules {
                    tz,
                    csat_min: csat.min,
                    csat_max: csat.max,
                    aliases: settings.aliases,
                },
                input_format: input.input_format,
                delimiter,
                mapping,
                encoding: input
                    .encoding
                    .as_deref()
                    .map(|label| {
                        encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                            usage(
                                "encoding",
                                label,
                                "not a known encoding (try latin1 or windows-1252)",
                            )
                        })
                    })
                    .transpose()?,
                threads: threads(input.threads)?,
                skip_invalid: input.skip_invalid || input.rejects.is_some(),
                max_record_bytes: input
                    .max_record_size
                    .as_deref()
                    .map(|text| {
                        let bytes = parse_size(text).map_err(|error| UsageError {
                            option: "max-record-size",
                            ..error
                        })?;
                        Ok::<_, UsageError>(bytes.unwrap_or(u64::MAX))
                    })
                    .transpose()?,
                progress: (!input.quiet).then(|| {
                    let sizes: Option<u64> = input
                        .inputs
                        .iter()
                        .map(|path| std::fs::metadata(path).ok().map(|m| m.len()))
                        .sum();
                    crate::progress::Progress::new(sizes)
                }),
            },
            tz,
            as_of: instant("as-of", &input.as_of, false)?,
            since,
            until,
            rejects,
            csat,
            sla: settings.sla,
            sla_defaults: settings.sla_defaults,
            schedule: settings.schedule,
            fcr_reopen_window: settings.fcr_reopen_window,
            config_file,
            strict: input.strict,
            max_memory: max_memory(input.max_memory.as_deref())?,
            by: by.to_vec(),
            period,
            format,
            output,
        })
    }
}

/// `--threads`, or the machine's cores; at most [`MAX_THREADS`].
fn threads(given: Option<u16>) -> Result<usize, UsageError> {
    match given.map(usize::from) {
        Some(n) if n > MAX_THREADS => Err(usage(
            "threads",
            &n.to_string(),
            format!("at most {MAX_THREADS} (more only cost memory)"),
        )),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_THREADS)),
    }
}

/// Outputs must not be inputs (the exports, the config and mapping files) nor each other.
fn check_outputs(
    input: &InputArgs,
    config_file: Option<&Path>,
    report: &Destination,
    rejects: Option<&Destination>,
) -> Result<(), UsageError> {
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

/// `--config FILE`, else ticketkpi.toml in the working directory, else the defaults.
fn load_settings(
    given: Option<&Path>,
) -> Result<(Option<PathBuf>, settings::Resolved), UsageError> {
    let path = match given {
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from(settings::FILE_NAME)).filter(|path| path.is_file()),
    };
    let Some(path) = path else {
        let defaults = Settings::default()
            .resolve()
            .map_err(|error| usage("config", "", error))?;
        return Ok((None, defaults));
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|error| usage("config", &shown, format!("cannot read it: {error}")))?;
    let resolved = Settings::parse(&text)
        .and_then(Settings::resolve)
        .map_err(|error| usage("config", &shown, error))?;
    Ok((Some(path), resolved))
}

/// `--preset`, `--mapping`, or auto-detection.
fn resolve_mapping(input: &InputArgs) -> Result<MappingChoice, UsageError> {
    if let Some(name) = &input.preset {
        return match presets::preset(name) {
            Some(Ok(mapping)) => Ok(MappingChoice::Given(Box::new(mapping))),
            Some(Err(error)) => Err(usage("preset", name, error.to_string())),
            None => Err(usage(
                "preset",
                name,
                format!("no such preset; known: {}", presets::names().join(", ")),
            )),
        };
    }
    let Some(path) = &input.mapping else {
        return Ok(MappingChoice::Auto);
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|error| usage("mapping", &shown, format!("cannot read it: {error}")))?;
    load_mapping(&shown, &text)
        .map(|mapping| MappingChoice::Given(Box::new(mapping)))
        .map_err(|error| usage("mapping", &shown, error))
}

/// A mapping file: the mapping itself, or a ticketkpi.toml holding it as `[mapping]`.
pub fn load_mapping(name: &str, text: &str) -> Result<Mapping, String> {
    let document: toml::Table = toml::from_str(text).map_err(|error| error.to_string())?;
    let spec = match document.get("mapping") {
        Some(toml::Value::Table(table)) => table.clone(),
        _ => document,
    };
    let stem = std::path::Path::new(name).file_stem().map_or_else(
        || name.to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let text = toml::to_string(&spec).map_err(|error| error.to_string())?;
    Mapping::from_toml(&stem, &text).map_err(|error| error.to_string())
}

/// A timestamp in any accepted format, or a bare date: its first instant, or with
/// `end_of_day` its last (so `--until 2026-03-31` includes that day).
fn parse_instant(
    option: &'static str,
    text: &str,
    tz: Tz,
    end_of_day: bool,
) -> Result<Instant, UsageError> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(if end_of_day {
            start_of_local_day(date + Duration::days(1), tz) - 1
        } else {
            start_of_local_day(date, tz)
        });
    }
    parse_timestamp(text.trim(), tz).map_err(|error| match error {
        TimestampError::Unparseable => usage(
            option,
            text,
            "expected a date (2026-03-31), a timestamp (2026-03-31T23:59:59Z) or Unix seconds",
        ),
        TimestampError::NonexistentLocal(tz) => usage(
            option,
            text,
            format!("this local time does not exist in {tz}"),
        ),
    })
}

/// `8G`, `512M`, `100K` or bytes; `0` for no limit.
fn parse_size(text: &str) -> Result<Option<u64>, UsageError> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((text, ""), |at| text.split_at(at));
    let factor: f64 = match unit.trim().to_ascii_uppercase().trim_end_matches('B') {
        "" => 1.0,
        "K" => 1024.0,
        "M" => 1024.0 * 1024.0,
        "G" => 1024.0 * 1024.0 * 1024.0,
        "T" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(usage(
                "max-memory",
                text,
                "expected a size such as 8G or 500M",
            ));
        }
    };
    let bytes = number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| usage("max-memory", text, "expected a size such as 8G or 500M"))?
        * factor;
    Ok((bytes > 0.0).then_some(bytes as u64))
}

/// `--max-memory`, or the default.
fn max_memory(given: Option<&str>) -> Result<Option<u64>, UsageError> {
    match given {
        Some(text) => parse_size(text),
        None => Ok(default_memory_limit()),
    }
}

/// 80% of the machine's memory (Linux), leaving room for the rest of the run.
fn default_memory_limit() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kilobytes: u64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kilobytes * 1024 / 5 * 4)
}

fn parse_delimiter(text: &str) -> Result<u8, UsageError> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err(usage(
            "delimiter",
            text,
            "expected one ASCII character or `tab`",
        )),
    }
}

fn parse_csat(scale: &str, satisfied: Option<f64>) -> Result<CsatScale, UsageError> {
    let bounds = scale
        .split_once('-')
        .and_then(|(min, max)| {
            Some((
                min.trim().parse::<f64>().ok()?,
                max.trim().parse::<f64>().ok()?,
            ))
        })
        .filter(|(min, max)| min.is_finite() && max.is_finite() && min < max);
    let Some((min, max)) = bounds else {
        return Err(usage(
            "csat-scale",
            scale,
            "expected MIN-MAX with MIN < MAX, e.g. 1-5",
        ));
    };
    // The usual convention: the top two points of a 5-point scale, 8-10 of a 10-point one.
    let satisfied_min = satisfied.unwrap_or_else(|| (min + 0.75 * (max - min)).ceil());
    if !(min..=max).contains(&satisfied_min) {
        return Err(usage(
            "csat-satisfied",
            &satisfied_min.to_string(),
            format!("must lie within the scale {min}-{max}"),
        ));
    }
    Ok(CsatScale {
        min,
        max,
        satisfied_min,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_cover_whole_days_in_the_zone() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let since = parse_instant("since", "2026-03-01", berlin, false).unwrap();
        let until = parse_instant("until", "2026-03-01", berlin, true).unwrap();
        assert_eq!(
            since,
            parse_timestamp("2026-02-28T23:00:00Z", Tz::UTC).unwrap()
        );
        assert_eq!(
            until,
            parse_timestamp("2026-03-01T23:00:00Z", Tz::UTC).unwrap() - 1
        );
        assert!(parse_instant("as-of", "yesterday", berlin, false).is_err());
    }

    #[test]
    fn csat_scale_and_threshold() {
        assert_eq!(parse_csat("1-5", None).unwrap().satisfied_min, 4.0);
        let ten = parse_csat("1-10", None).unwrap();
        assert_eq!(ten.satisfied_min, 8.0);
        assert_eq!(parse_csat("0-10", None).unwrap().satisfied_min, 8.0);
        assert_eq!(parse_csat("1-7", None).unwrap().satisfied_min, 6.0);
        assert_eq!(parse_csat("1-10", Some(8.0)).unwrap().satisfied_min, 8.0);
        assert!(parse_csat("5-1", None).is_err());
        assert!(parse_csat("1-5", Some(9.0)).is_err());
        assert!(parse_csat("five", None).is_err());
    }

    #[test]
    fn memory_sizes() {
        assert_eq!(parse_size("8G").unwrap(), Some(8 << 30));
        assert_eq!(parse_size("512m").unwrap(), Some(512 << 20));
        assert_eq!(parse_size("1.5GB").unwrap(), Some(3 << 29));
        assert_eq!(parse_size("0").unwrap(), None);
        assert!(parse_size("lots").is_err());
        assert!(default_memory_limit().is_some_and(|bytes| bytes > 0));
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(";").unwrap(), b';');
        assert_eq!(parse_delimiter("tab").unwrap(), b'\t');
        assert!(parse_delimiter(";;").is_err());
    }
}
