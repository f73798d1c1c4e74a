//! ticketkpi: customer-support KPIs from help desk exports.
//!
//! Data flows one way: [`ingest`] (inputs -> validated events) -> [`model`] (tickets) ->
//! [`metrics`] (KPI accumulators) -> [`report`] (output formats). [`pipeline`] runs the
//! pass; [`commands`] hold one `run` per command, from [`cli`] arguments resolved into
//! [`options`] (with [`config_file`]). docs/architecture.md walks through the layers.

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config_file;
pub mod error;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod names;
pub mod options;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod schedule;
pub mod schema;
pub mod state;
pub mod symbols;
pub mod thresholds;
pub mod time;

pub use commands::run;
pub use error::{
    DataQualityFailure, EXIT_DATA_QUALITY, EXIT_INPUT_ERROR, EXIT_THRESHOLD, EXIT_USAGE_ERROR,
    UsageError, exit_code_for,
};
pub use options::{AnalysisOptions, Options};
pub use pipeline::{Analysis, analyse};
pub use report::Report;
