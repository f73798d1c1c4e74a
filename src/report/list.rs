//! The output of the list commands (`tickets`, `sla`, `sla --breaches`): the records as JSON,
//! their view as a table or Markdown, and CSV as each list writes it (its records, or a view
//! made for data).

use std::io::{self, Write};

use serde::Serialize;

use super::view::Section;
use super::{Style, markdown, table};
use crate::cli::ReportFormat;

pub(crate) fn write<T: Serialize + ?Sized>(
    records: &T,
    view: impl FnOnce() -> Section,
    csv: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    format: ReportFormat,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, records)?;
            writeln!(out)
        }
        ReportFormat::Csv => csv(out),
        // The command line offers HTML for `report` only (see cli::tabular_formats).
        ReportFormat::Html => Err(io::Error::other("the HTML format is for `report` only")),
        ReportFormat::Table => table::write_section(&view(), style, out),
        ReportFormat::Markdown => markdown::write_section(&view(), out),
    }
}
