//! What the aggregates need beyond their rows: the moment the report describes, the settings
//! of the config file (SLA policies, business hours, the FCR window), the CSAT scale, and what
//! the inputs can tell (coverage, row facts, whether any row has a status).
//!
//! It travels with the plan: a Ballista scheduler and its executors rebuild the same
//! functions from these bytes (see `codec`), so a remote executor needs no file of the run.
//! The config file travels as its text and is read by the library's own reader, once per
//! function, so that executor and client read it alike.

use std::sync::Arc;

use chrono_tz::Tz;
use datafusion::error::{DataFusionError, Result};
use serde::{Deserialize, Serialize};
use ticketkpi::AnalysisOptions;
use ticketkpi::config_file::{ConfigFile, FileSettings};
use ticketkpi::ingest::{Coverage, InputStats, RowFacts};
use ticketkpi::metrics::Context;
use ticketkpi::metrics::availability::Facts;
use ticketkpi::metrics::group::Dimension;
use ticketkpi::metrics::periods::Periods;
use ticketkpi::metrics::surveys::CsatScale;
use ticketkpi::symbols::Symbols;
use ticketkpi::time::{Instant, Period};

/// The settings of one run, as they travel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definitions {
    /// Later events are ignored; clocks run until then.
    pub as_of: Instant,
    /// The CSAT scale: min, max, lowest satisfied score.
    pub csat: [f64; 3],
    /// The text of ticketkpi.toml, if the run read one.
    pub config: Option<String>,
    pub has_status: bool,
    pub coverage: Coverage,
    pub rows: RowFacts,
    /// `--by`: the report's breakdown.
    pub by: Vec<Dimension>,
    /// `--since` / `--until` on ticket creation.
    pub since: Option<Instant>,
    pub until: Option<Instant>,
    /// `--tz` (or the config file's): the zone of times of day and periods, by its IANA name.
    pub tz: String,
    /// `--period`: the report's calendar buckets.
    pub period: Option<Period>,
}

impl Definitions {
    /// The settings of a `report` run of `options` over inputs read into `stats`.
    pub fn of_run(options: &AnalysisOptions, stats: &InputStats) -> anyhow::Result<Definitions> {
        let config = options
            .config_file
            .as_ref()
            .map(|path| {
                std::fs::read_to_string(path).map_err(|error| {
                    anyhow::anyhow!("cannot read the config file {}: {error}", path.display())
                })
            })
            .transpose()?;
        Ok(Definitions {
            as_of: options.as_of.or(stats.latest).unwrap_or_default(),
            csat: [
                options.csat.min,
                options.csat.max,
                options.csat.satisfied_min,
            ],
            config,
            has_status: stats.has_status,
            coverage: stats.coverage.clone(),
            rows: stats.facts,
            by: options.by.clone(),
            since: options.since,
            until: options.until,
            tz: options.tz.name().to_owned(),
            period: options.period,
        })
    }

    /// Definitions for a session of one's own: the contract's defaults (SLA targets, CSAT
    /// 1-5), an input that feeds every canonical column and has statuses, at `as_of`.
    pub fn defaults(as_of: Instant) -> Definitions {
        let scale = CsatScale::default();
        Definitions {
            as_of,
            csat: [scale.min, scale.max, scale.satisfied_min],
            config: None,
            has_status: true,
            coverage: Coverage::full(),
            rows: RowFacts::default(),
            by: vec![Dimension::Channel],
            since: None,
            until: None,
            tz: Tz::UTC.name().to_owned(),
            period: None,
        }
    }

    pub fn encode(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|error| {
            DataFusionError::Internal(format!("encoding ticketkpi's definitions: {error}"))
        })
    }

    pub fn decode(bytes: &[u8]) -> Result<Definitions> {
        postcard::from_bytes(bytes).map_err(|error| {
            DataFusionError::Plan(format!(
                "reading ticketkpi's definitions from the plan: {error} (is every executor and \
                 the scheduler the same ticketkpi-datafusion version as the client?)"
            ))
        })
    }

    /// The settings read, ready to make a [`Context`].
    pub fn resolve(self) -> Result<Resolved> {
        let file = match &self.config {
            Some(text) => ConfigFile::read(text).map_err(|error| {
                DataFusionError::Plan(format!("the config file of the run: {error}"))
            })?,
            None => FileSettings::default(),
        };
        let encoded = self.encode()?;
        let tz = self.tz.parse::<Tz>().map_err(|error| {
            DataFusionError::Plan(format!("the run's time zone {:?}: {error}", self.tz))
        })?;
        Ok(Resolved {
            file,
            encoded,
            tz,
            definitions: self,
        })
    }
}

/// [`Definitions`] with the config file read.
#[derive(Debug)]
pub struct Resolved {
    pub definitions: Definitions,
    file: FileSettings,
    tz: Tz,
    /// The definitions as they travel: what makes two functions the same.
    encoded: Vec<u8>,
}

impl Resolved {
    pub fn encoded(&self) -> &[u8] {
        &self.encoded
    }

    pub fn csat(&self) -> CsatScale {
        let [min, max, satisfied_min] = self.definitions.csat;
        CsatScale {
            min,
            max,
            satisfied_min,
        }
    }

    /// What the accumulators read beyond the ticket, with `symbols` for its labels: the
    /// library's [`Context`], as `Analysis::context` makes it for the CLI.
    pub fn context<'a>(&'a self, symbols: &'a Symbols) -> Context<'a> {
        let definitions = &self.definitions;
        Context {
            as_of: definitions.as_of,
            csat: self.csat(),
            sla: &self.file.sla,
            schedule: self.file.schedule.as_deref(),
            fcr_reopen_window: self.file.fcr_reopen_window,
            symbols,
            contact_centre: self.file.contact_centre,
            facts: Facts {
                coverage: &definitions.coverage,
                rows: &definitions.rows,
                has_status: definitions.has_status,
                schedule: self.file.schedule.is_some(),
                next_reply_target: self
                    .file
                    .sla
                    .policies
                    .iter()
                    .any(|p| p.next_reply.is_some()),
            },
        }
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The report's calendar buckets (`--period`), within `--since`/`--until`, as the CLI
    /// makes them.
    pub fn periods(&self) -> Option<Periods> {
        let definitions = &self.definitions;
        definitions.period.map(|period| {
            Periods::new(period, self.tz).within(definitions.since, definitions.until)
        })
    }

    /// Whether a ticket created at `created` is among those the report selects.
    pub fn selects(&self, created: Instant) -> bool {
        let definitions = &self.definitions;
        definitions.since.is_none_or(|since| created >= since)
            && definitions.until.is_none_or(|until| created <= until)
    }
}

/// Shared by every function of one run.
pub type Shared = Arc<Resolved>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_travel_and_read_the_config_file() {
        let mut definitions = Definitions::defaults(42);
        definitions.config =
            Some("[sla]\n[[sla.policies]]\nname = \"vip\"\nfirst_reply = \"30m\"\n".to_owned());
        let bytes = definitions.encode().unwrap();
        let back = Definitions::decode(&bytes).unwrap();
        assert_eq!(back, definitions);
        let resolved = back.resolve().unwrap();
        let symbols = Symbols::default();
        let context = resolved.context(&symbols);
        assert_eq!(context.sla.policies[0].name, "vip");
        assert_eq!(context.as_of, 42);
    }

    #[test]
    fn a_broken_config_is_an_error_not_a_default() {
        let mut definitions = Definitions::defaults(0);
        definitions.config = Some("[sla\n".to_owned());
        assert!(definitions.resolve().is_err());
        assert!(Definitions::decode(b"\xff\xff").is_err());
    }
}
