//! `--format markdown`: the tables of the terminal report as Markdown, for issues and wikis.

use std::io::{self, Write};

use super::Report;
use super::escape::{markdown as escape, spreadsheet};
use super::view::{Section, footer, sections};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Support KPIs")?;
    for section in sections(report) {
        writeln!(out)?;
        writeln!(out, "## {}", escape(&section.title))?;
        writeln!(out)?;
        write_section(&section, out)?;
    }
    writeln!(out)?;
    for line in footer(report) {
        writeln!(out, "{}  ", escape(&line))?;
    }
    Ok(())
}

/// A section as a Markdown table: figures right-aligned, every cell escaped (the Markdown
/// policy of `escape`), label cells (which come from the input) also defused against
/// spreadsheet formulas, for a table pasted into one.
pub(super) fn write_section(section: &Section, out: &mut dyn Write) -> io::Result<()> {
    let headers: Vec<String> = section.headers.iter().map(|h| escape(h)).collect();
    write_row(out, &headers)?;
    let rule: Vec<String> = section
        .figures
        .iter()
        .map(|figure| if *figure { "--:" } else { "---" }.to_owned())
        .collect();
    write_row(out, &rule)?;
    for row in &section.rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&section.figures)
            .map(|(cell, figure)| {
                if *figure {
                    escape(cell)
                } else {
                    escape(&spreadsheet(cell))
                }
            })
            .collect();
        write_row(out, &cells)?;
    }
    Ok(())
}

fn write_row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}
