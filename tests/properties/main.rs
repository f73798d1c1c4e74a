//! Property tests over random canonical event logs: the KPIs do not depend on how an export
//! is ordered (beyond the contract's tie rule), split into files or written, merging
//! accumulators equals one pass, invalid rows are counted and left out exactly, and every
//! number lies in its range.
//!
//! The logs are small (a few tickets, a few dozen rows) and their timestamps come from a dozen
//! slots, so that equal timestamps are common. Values are drawn from the valid sets of the
//! contract, empty ones included; numbers include decimals such as 0.1 that floating point
//! rounds, so that sums must not depend on the order of tickets or of merges either.
//!
//! One test binary: `logs` draws the logs and `writers` writes them out; the pipeline runs
//! in memory through the library (no binary, so no tests/common); each other module holds
//! the properties of one concern.

use std::sync::Arc;

use proptest::prelude::ProptestConfig;
use serde_json::{Value, json};
use ticketkpi::ingest::Source;
use ticketkpi::options::AnalysisOptions;
use ticketkpi::pipeline::{self, Analysis};

use crate::logs::{Options, Row, instant};
use crate::writers::csv_file;

mod logs;
mod writers;

mod invalid;
mod invariance;
mod merge;
mod ranges;
mod zones;

fn config(files: Vec<(String, Vec<u8>)>, options: &Options, step: i64) -> AnalysisOptions {
    let sources = files
        .into_iter()
        .map(|(name, bytes)| Source::Memory {
            name,
            bytes: Arc::from(bytes),
        })
        .collect();
    let mut config = AnalysisOptions::for_sources(sources);
    config.as_of = options.as_of_slot.map(|slot| instant(slot, step));
    config.by = options.by.clone();
    config.period = options.period;
    config
}

fn analyse(config: &AnalysisOptions) -> Analysis {
    pipeline::analyse(config).unwrap_or_else(|error| panic!("valid input fails: {error:#}"))
}

/// The KPIs of a run, as JSON: the overall block, the groups and the periods.
fn kpis(config: &AnalysisOptions, analysis: &Analysis) -> Value {
    let kpis = analysis.kpis(config);
    json!({
        "overall": kpis.overall,
        "groups": kpis.groups,
        "periods": kpis.periods,
    })
}

/// The KPIs of one CSV file holding `rows`.
fn kpis_of(rows: &[Row], options: &Options, step: i64) -> Value {
    let config = config(
        vec![("export.csv".to_owned(), csv_file(rows, step))],
        options,
        step,
    );
    kpis(&config, &analyse(&config))
}

/// Each case runs the pipeline twice or more: 128 cases each keep the file within seconds in a
/// debug build.
fn pipeline_config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn single_run_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
