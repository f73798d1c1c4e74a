//! `--format table`: the default, for a support lead at a terminal.

use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle,
};

use super::view::{Section, footer, sections};
use super::{Report, Style};

pub fn write(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for section in sections(report) {
        writeln!(out, "{}", heading(&section.title, style))?;
        write_table(&render(&section, style), out)?;
        writeln!(out)?;
    }
    // The periods table is the last section: its trend goes right under it.
    super::trend::write(report, style, out)?;
    let width = usize::from(style.width.unwrap_or(80));
    for line in footer(report) {
        for part in wrap(&line, width) {
            writeln!(out, "{part}")?;
        }
    }
    Ok(())
}

/// Breaks a footer line at spaces so that it fits `width` columns; continuation lines are
/// indented by two. A word longer than the width stays whole.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in line.split(' ') {
        let current = lines.last_mut().map_or(0, |l| l.chars().count());
        if current > 0 && current + 1 + word.chars().count() > width {
            lines.push(format!("  {word}"));
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
pub fn write_table(table: &Table, out: &mut dyn Write) -> io::Result<()> {
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

/// Draws a section as a table that fits `style.width` (cells wrap rather than overflow).
pub fn render(section: &Section, style: Style) -> Table {
    let mut table = Table::new();
    table
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = style.width {
        table.set_width(width);
    }
    if !style.color {
        table.force_no_tty();
    } else {
        table.enforce_styling();
    }
    let header = section
        .headers
        .iter()
        .zip(&section.figures)
        .map(|(title, figure)| {
            let cell = aligned(Cell::new(title), *figure);
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
                .zip(&section.figures)
                .map(|(value, figure)| aligned(Cell::new(value), *figure)),
        );
    }
    // One space of padding (plus the empty rule) between columns: what lets nine columns fit in 80.
    for column in table.column_iter_mut() {
        column.set_padding((0, 1));
    }
    table
}

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
    #[test]
    fn footer_lines_wrap_at_spaces() {
        assert_eq!(super::wrap("aa bb cc dd", 5), vec!["aa bb", "  cc", "  dd"]);
        assert_eq!(super::wrap("short", 80), vec!["short"]);
    }
}
