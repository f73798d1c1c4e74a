//! `--format markdown`: the view's sections as Markdown tables, for issues and wikis. Every
//! title, header, cell, note and footer line is written by the Markdown policy of `escape`
//! (input values cannot form HTML, links or cells); label cells are also defused against
//! spreadsheet formulas, for a table pasted into one.

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
    write_lines(&footer(report), out)
}

/// A section as a Markdown table (figures right-aligned), then its notes.
pub fn write_section(section: &Section, out: &mut dyn Write) -> io::Result<()> {
    let headers: Vec<String> = section
        .columns
        .iter()
        .map(|column| escape(&column.header))
        .collect();
    write_row(out, &headers)?;
    let rule: Vec<String> = section
        .columns
        .iter()
        .map(|column| if column.figure { "--:" } else { "---" }.to_owned())
        .collect();
    write_row(out, &rule)?;
    for row in &section.rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&section.columns)
            .map(|(cell, column)| {
                if column.figure {
                    escape(cell)
                } else {
                    escape(&spreadsheet(cell))
                }
            })
            .collect();
        write_row(out, &cells)?;
    }
    if !section.notes.is_empty() {
        writeln!(out)?;
        write_lines(&section.notes, out)?;
    }
    Ok(())
}

fn write_row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}

/// Lines of prose, each ending in a hard line break (two spaces).
fn write_lines(lines: &[String], out: &mut dyn Write) -> io::Result<()> {
    for line in lines {
        writeln!(out, "{}  ", escape(line))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::view::Column;

    #[test]
    fn input_values_cannot_form_html_links_or_cells_and_labels_no_formulas() {
        let section = Section::new(
            "t",
            vec![Column::label("Channel"), Column::figure("Change")],
            vec![vec!["=1+2|<b>\n[x](y)".to_owned(), "-5".to_owned()]],
        )
        .with_notes(vec!["note <i>".to_owned()]);
        let mut out = Vec::new();
        write_section(&section, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "| Channel | Change |\n| --- | --: |\n| '=1+2\\|&lt;b&gt; \\[x\\](y) | -5 |\n\nnote &lt;i&gt;  \n"
        );
    }
}
