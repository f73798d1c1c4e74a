//! The output of the list commands (`tickets`, `sla`, `sla --breaches`): the records as JSON,
//! their view as a table or Markdown, and CSV as each list writes it (its records, or a view
//! made for data).

use std::io::{self, Write};

use serde::Serialize;

use super::TabularFormat;
use super::view::Section;
use super::{Style, markdown, table};

pub(crate) fn write<T: Serialize + ?Sized>(
    records: &T,
    view: impl FnOnce() -> Section,
    csv: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    format: TabularFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        TabularFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, records)?;
            writeln!(out)
        }
        TabularFormat::Csv => csv(out),
        // The command line offers HTML for `report` only (see cli::tabular_formats).
        TabularFormat::Table => table::write_section(&view(), style, out),
        TabularFormat::Markdown => markdown::write_section(&view(), out),
    }
}
