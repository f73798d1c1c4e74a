//! `ticketkpi schema`: the JSON report's schema (draft 2020-12), for scripts that check what
//! they read.

use crate::cli::ColorChoice;
use crate::output::Destination;
use crate::schema::REPORT_SCHEMA;

pub fn run() -> anyhow::Result<()> {
    super::write(
        super::Console {
            color: ColorChoice::Never,
        },
        &Destination::Stdout,
        |out, _style| out.write_all(REPORT_SCHEMA.as_bytes()),
    )
}
