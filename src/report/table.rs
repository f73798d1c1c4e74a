//! `--format table`: the default, for a support lead at a terminal. Draws the view's
//! sections; every cell, note and footer line is shown by the terminal policy of `escape`
//! (input values cannot move the cursor or turn text around).

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table,
    TableStyle, Width,
};

use super::escape::terminal;
use super::view::{Layout, Section, footer, sections};
use super::{Report, Style};

pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for section in sections(report) {
        writeln!(out, "{}", heading(&section.title, style))?;
        write_section(&section, style, out)?;
        writeln!(out)?;
    }
    for line in footer(report) {
        for part in wrap(&terminal(&line), line_width(style), "  ") {
            writeln!(out, "{part}")?;
        }
    }
    Ok(())
}

/// A section as a table that fits `style.width`, then its notes.
pub fn write_section(section: &Section, style: Style, out: &mut dyn Write) -> io::Result<()> {
    write_table(&render(section, style), out)?;
    for note in &section.notes {
        for line in wrap(&terminal(note), line_width(style), "") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// Notes and footer lines are read as prose: 80 columns, even on a wider terminal.
fn line_width(style: Style) -> usize {
    usize::from(style.width.unwrap_or(80))
}

/// Breaks a line at spaces so that it fits `width` columns; continuation lines start with
/// `indent`. A word longer than the width stays whole.
fn wrap(line: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in line.split(' ') {
        let current = lines.last_mut().map_or(0, |l| l.chars().count());
        if current > 0 && current + 1 + word.chars().count() > width {
            lines.push(format!("{indent}{word}"));
        } else if let Some(last) = lines.last_mut() {
            if current > 0 {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// Writes a table without the padding comfy-table leaves at the end of each line.
fn write_table(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn heading(title: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[1m{title}\x1b[0m")
    } else {
        title.to_owned()
    }
}

/// No vertical rules: at 80 columns every character goes to the figures.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Draws a section as a table: cells wrap to fit `style.width`, except in a list, whose rows
/// stay one line each however wide.
fn render(section: &Section, style: Style) -> Table {
    let mut table = Table::new();
    let arrangement = match section.layout {
        Layout::Fit => ContentArrangement::Dynamic,
        Layout::Lines => ContentArrangement::Disabled,
    };
    table.load_style(STYLE).set_content_arrangement(arrangement);
    if let Some(width) = style.width {
        table.set_width(width);
    }
    if !style.color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    // Headers are our own words; their line breaks are meant.
    let header = section.columns.iter().map(|column| {
        let cell = aligned(Cell::new(&column.header), column.figure);
        if style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    });
    table.set_header(header);
    for row in &section.rows {
        table.add_row(
            row.iter()
                .zip(&section.columns)
                .map(|(value, column)| aligned(Cell::new(terminal(value)), column.figure)),
        );
    }
    // One space of padding (plus the empty rule) between columns: what lets nine columns fit in 80.
    for column in table.column_iter_mut() {
        column.set_padding((0, 1));
    }
    // The first column names the row (a period, an agent): it keeps its width up to a
    // point, so that a wide table wraps its figures' headers, not `2026-W1` / `4`.
    if let (Some(first), Some(column)) = (section.columns.first(), table.column_mut(0))
        && !first.figure
    {
        let widest = section
            .rows
            .iter()
            .filter_map(|row| row.first())
            .map(|label| terminal(label).chars().count())
            .max()
            .unwrap_or(0)
            .min(LABEL_KEPT_WIDTH);
        // The width counts the padding of one space.
        column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
            (widest + 1) as u16,
        )));
    }
    table
}

/// How wide a row's label stays before it may wrap.
const LABEL_KEPT_WIDTH: usize = 16;

/// Figures line up on the right, labels on the left.
fn aligned(cell: Cell, figure: bool) -> Cell {
    if figure {
        cell.set_alignment(CellAlignment::Right)
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::view::Column;

    #[test]
    fn footer_lines_wrap_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5, "  "), vec!["aa bb", "  cc", "  dd"]);
        assert_eq!(wrap("short", 80, "  "), vec!["short"]);
        assert_eq!(
            wrap("a verylongword b", 4, ""),
            vec!["a", "verylongword", "b"]
        );
    }

    #[test]
    fn cells_and_notes_show_control_and_direction_characters_as_text() {
        let section = Section::new(
            "t",
            vec![Column::label("Agent"), Column::figure("Tickets")],
            vec![vec!["\u{202e}evil\u{1b}[2J".to_owned(), "3".to_owned()]],
        )
        .with_notes(vec!["from \u{7}x".to_owned()]);
        let mut out = Vec::new();
        write_section(&section, Style::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\\u{202e}evil\\u{1b}[2J"), "{text}");
        assert!(text.contains("from \\u{7}x"), "{text}");
        assert!(!text.contains(['\u{202e}', '\u{1b}', '\u{7}']), "{text}");
    }
}
