//! The resolved options: every argument and every setting of the config file checked and
//! turned into its typed value, in one place ([`Options::resolve`], in `resolve.rs`), so that
//! commands and the pipeline never see raw text. What a command computes
//! ([`AnalysisOptions`]) is kept apart from where it writes it; the format is the command's
//! own argument, typed by clap already.

pub mod filter;
pub mod parse;
mod report;
mod resolve;

use std::path::PathBuf;
use std::sync::Arc;

use chrono_tz::Tz;

use crate::ingest::{IngestOptions, InputReading, Source};
use crate::metrics::contact_centre::ContactCentreSettings;
use crate::metrics::group::Dimension;
use crate::metrics::sla::SlaPolicies;
use crate::metrics::surveys::CsatScale;
use crate::output::Destination;
use crate::schedule::Schedule;
use crate::time::{Instant, Period};

pub use parse::MAX_THREADS;
pub use report::{ReportOptions, Sort};

/// A command's options, resolved.
#[derive(Debug, Clone)]
pub struct Options {
    pub analysis: AnalysisOptions,
    /// Where the command writes (`--output`; `inspect`: standard output).
    pub output: Destination,
    /// The config file's `[[alerts]]` (only `report` evaluates them; their scopes are checked
    /// against its `--by` in [`ReportOptions::resolve`]).
    pub alerts: Vec<crate::thresholds::Threshold>,
    /// The config file read, to blame its mistakes found after reading on it.
    config: Option<resolve::ConfigPath>,
}

/// What to read and how to compute: everything `pipeline::analyse` and the KPIs need.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    pub sources: Vec<Source>,
    pub ingest: IngestOptions,
    pub tz: Tz,
    pub as_of: Option<Instant>,
    pub since: Option<Instant>,
    /// Inclusive upper bound on created_at.
    pub until: Option<Instant>,
    /// `--rejects`: where rejected rows go as CSV, written while the inputs are read.
    pub rejects: Option<Destination>,
    pub csat: CsatScale,
    pub sla: SlaPolicies,
    /// `sla` holds the contract's default targets (no policy is configured).
    pub sla_defaults: bool,
    /// Business hours for the `*_business` durations.
    pub schedule: Option<Arc<Schedule>>,
    pub fcr_reopen_window: Option<f64>,
    /// `[contact_centre]`: the calls' service level and abandons.
    pub contact_centre: ContactCentreSettings,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    /// Data-quality findings are errors (exit code 3).
    pub strict: bool,
    /// Bytes the held input may take before the run stops with an error.
    pub max_memory: Option<u64>,
    pub by: Vec<Dimension>,
    pub period: Option<Period>,
}

impl AnalysisOptions {
    /// The defaults of the command line for these inputs: what library users and tests start
    /// from before setting fields.
    pub fn for_sources(sources: Vec<Source>) -> AnalysisOptions {
        AnalysisOptions {
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
            contact_centre: ContactCentreSettings::default(),
            config_file: None,
            strict: false,
            max_memory: None,
            by: vec![Dimension::Channel],
            period: None,
        }
    }

    /// The zone an input's local times (without an offset) were read in: its mapping's,
    /// else `--tz`.
    pub fn zone_of(&self, input: &InputReading) -> String {
        input
            .tz
            .clone()
            .unwrap_or_else(|| self.tz.name().to_owned())
    }
}
