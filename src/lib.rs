//! ticketkpi: customer-support KPIs from help desk exports.
//!
//! Data flows one way: [`ingest`] (inputs -> validated events) -> [`model`] (tickets) ->
//! [`metrics`] (KPI accumulators) -> [`report`] (output formats).

pub mod ingest;
pub mod metrics;
pub mod model;
pub mod symbols;
pub mod time;
