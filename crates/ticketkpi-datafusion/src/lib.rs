//! ticketkpi's definitions as Apache DataFusion aggregate functions: the same code as the
//! CLI (the `ticketkpi` library's ticket store and accumulators), on one machine with many
//! partitions or on a Ballista cluster. docs/datafusion.md shows how to use them.
//!
//! - [`fold::TicketFold`] (`ticket_fold`): a ticket id's events -> its ticket facts;
//! - [`records::TicketRecordFold`] (`ticket_record_fold`): a ticket id's rows of a
//!   ticket-level export -> its ticket facts;
//! - [`kpis::TicketReport`] (`ticket_report`, `ticket_kpis`): ticket facts -> the KPIs.

pub mod cluster;
pub mod codec;
pub mod columns;
pub mod definitions;
pub mod facts;
pub mod fold;
pub mod kpis;
pub mod load;
pub mod records;
pub mod report;
pub mod session;

pub use definitions::{Definitions, Resolved, Shared};
pub use session::{Engine, REPORT_QUERY, functions, register};
