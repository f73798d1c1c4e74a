//! The real binary on the real public exports in `../shared/data/real/` (one folder per
//! dataset, each described by its SOURCE.md).
//!
//! Every test reads its file twice: once through `ticketkpi report --format json
//! --skip-invalid` (with the preset it must detect, or the mapping in `examples/mappings/`),
//! and once here, with the `csv` crate and plain Rust that follows docs/metrics.md, without
//! any of the crate's code. The report must agree with that independent reading on the row
//! count, the ticket count and at least two KPIs per file.
//!
//! The data is not part of the repository: where the folder is missing, each test says
//! `SKIPPED` and passes.
//!
//! One test binary, one module per dataset family; `check` (the tool's side), `read` (the
//! test's own reading of the files) and `activity` (tickets rebuilt from event rows) serve
//! them all.

#[path = "../common/mod.rs"]
mod common;

mod activity;
mod check;
mod read;

mod calls;
mod complaints;
mod helpdesk;
mod incidents;
mod kaggle;
mod servicenow;
mod tweets;

const DAY: f64 = 86_400.0;
const HOUR: f64 = 3_600.0;
