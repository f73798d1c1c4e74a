//! `ticketkpi inspect`: what a new user needs to know about an unknown export before trusting
//! a report of it: how it is read, what it holds, which KPIs it can feed, and its bad rows.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::Style;
use super::table::write_section;
use super::text::{count, sanitize};
use super::view::{Column, Section};
use crate::metrics::availability::Availability;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    pub inputs: Vec<InspectedInput>,
    pub rows: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub rejects_by_reason: std::collections::BTreeMap<String, u64>,
    /// Rows the mapping leaves out by design, by `column=value`.
    pub rows_excluded: u64,
    pub excluded_by_value: std::collections::BTreeMap<String, u64>,
    pub tickets: u64,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub kpis: Vec<Availability>,
    pub first_rejected_rows: Vec<RejectedRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectedInput {
    pub file: String,
    pub mapping: String,
    pub detected: bool,
    pub shape: crate::ingest::Shape,
    /// (canonical field, where it comes from)
    pub fields: Vec<(String, String)>,
    /// The zone its local times were read in.
    pub tz: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedRow {
    pub location: String,
    pub reason: String,
    pub message: String,
    /// The row as read, shown with a caret under its bad cells (text output only).
    #[serde(skip)]
    pub row: String,
    /// The bad cells' bytes in `row`; none when the row as a whole is at fault.
    #[serde(skip)]
    pub cells: Vec<Range<usize>>,
}

pub fn write(
    inspection: &Inspection,
    json: bool,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, inspection)?;
        return writeln!(out);
    }
    for input in &inspection.inputs {
        let how = if input.mapping == "canonical" {
            "the canonical event log".to_owned()
        } else if input.detected {
            format!("preset {} (detected from the header)", input.mapping)
        } else {
            format!("mapping {}", input.mapping)
        };
        writeln!(
            out,
            "{}: read as {how}, {} shape, local times in {}",
            sanitize(&input.file),
            input.shape.as_str(),
            input.tz
        )?;
        let section = Section::new(
            "",
            vec![Column::label("Field"), Column::label("From")],
            input
                .fields
                .iter()
                .map(|(field, source)| vec![field.clone(), source.clone()])
                .collect(),
        );
        write_section(&section, style, out)?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "Rows: {} ({} used, {} rejected, {} excluded by the mapping); tickets: {}",
        count(inspection.rows),
        count(inspection.rows_used),
        count(inspection.rows_rejected),
        count(inspection.rows_excluded),
        count(inspection.tickets)
    )?;
    if let (Some(first), Some(last)) = (&inspection.first_event, &inspection.last_event) {
        writeln!(out, "Time range: {first} .. {last}")?;
    }
    for (reason, n) in &inspection.rejects_by_reason {
        writeln!(out, "  rejected, {reason}: {}", count(*n))?;
    }
    for (value, n) in &inspection.excluded_by_value {
        writeln!(out, "  excluded, {}: {}", sanitize(value), count(*n))?;
    }
    writeln!(out)?;
    let section = Section::new(
        "",
        vec![
            Column::label("KPI"),
            Column::label("Computable"),
            Column::label("Note"),
        ],
        inspection
            .kpis
            .iter()
            .map(|kpi| {
                let note = [kpi.reason.as_deref(), kpi.caveat.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    kpi.label.to_owned(),
                    if kpi.computable { "yes" } else { "no" }.to_owned(),
                    note,
                ]
            })
            .collect(),
    );
    write_section(&section, style, out)?;
    if !inspection.first_rejected_rows.is_empty() {
        writeln!(out)?;
        writeln!(out, "First rejected rows:")?;
        for row in &inspection.first_rejected_rows {
            writeln!(
                out,
                "  {}: {}",
                sanitize(&row.location),
                sanitize(&row.message)
            )?;
            if let Some((shown, carets)) = caret_lines(&row.row, &row.cells) {
                writeln!(out, "    {shown}")?;
                writeln!(out, "    {carets}")?;
            }
        }
    }
    Ok(())
}

/// The characters of a rejected row shown at most: its bad cell and some of what is around.
const ROW_SHOWN: usize = 100;
/// Characters shown before the first bad cell of a row too long to show whole.
const ROW_CONTEXT: usize = 30;

/// A rejected row as a terminal shows it (cut to [`ROW_SHOWN`] characters around its bad
/// cells, unsafe characters escaped) and a line with a caret under each character of the bad
/// cells (one at the place of an empty cell); `None` when no cell is known.
fn caret_lines(row: &str, cells: &[Range<usize>]) -> Option<(String, String)> {
    let cells: Vec<&Range<usize>> = cells
        .iter()
        .filter(|cell| {
            cell.start <= cell.end
                && row.is_char_boundary(cell.start)
                && row.is_char_boundary(cell.end)
        })
        .collect();
    let first = cells.iter().map(|cell| cell.start).min()?;
    let start = if row.chars().count() <= ROW_SHOWN {
        0
    } else {
        row[..first]
            .char_indices()
            .rev()
            .nth(ROW_CONTEXT.saturating_sub(1))
            .map_or(0, |(at, _)| at)
    };
    let end = row[start..]
        .char_indices()
        .nth(ROW_SHOWN)
        .map_or(row.len(), |(at, _)| start + at);
    let (mut shown, mut carets) = (String::new(), String::new());
    if start > 0 {
        shown.push_str("...");
        carets.push_str("   ");
    }
    let empty_at = |at: usize| cells.iter().any(|cell| cell.is_empty() && cell.start == at);
    for (offset, c) in row[start..end].char_indices() {
        let at = start + offset;
        if empty_at(at) {
            carets.push('^');
            shown.push(' ');
        }
        let mut buffer = [0; 4];
        let piece = sanitize(c.encode_utf8(&mut buffer));
        let width = unicode_width::UnicodeWidthStr::width(piece.as_str());
        let marked = cells.iter().any(|cell| cell.contains(&at));
        carets.extend(std::iter::repeat_n(if marked { '^' } else { ' ' }, width));
        shown.push_str(&piece);
    }
    if empty_at(end) {
        carets.push('^');
    }
    if end < row.len() {
        shown.push_str("...");
    }
    Some((shown, carets.trim_end().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(row: &str, cell: Range<usize>) -> (String, String) {
        caret_lines(row, std::slice::from_ref(&cell)).expect("cell known")
    }

    #[test]
    fn carets_go_under_the_bad_cell() {
        let (shown, carets) = drawn("7,yesterday,open", 2..11);
        assert_eq!(shown, "7,yesterday,open");
        assert_eq!(carets, "  ^^^^^^^^^");
        assert_eq!(caret_lines("7,x", &[]), None);
        assert_eq!(
            caret_lines("7,x", &[2..9, 9..12]),
            None,
            "out of the row: no caret"
        );
    }

    #[test]
    fn an_empty_cell_gets_one_caret_at_its_place() {
        // The empty cell sits between the two commas; a space marks its place in the row.
        let (shown, carets) = drawn("7,,open", 2..2);
        assert_eq!((shown.as_str(), carets.as_str()), ("7, ,open", "  ^"));
        let (shown, carets) = drawn("7,open,", 7..7);
        assert_eq!((shown.as_str(), carets.as_str()), ("7,open,", "       ^"));
    }

    #[test]
    fn escapes_and_wide_characters_keep_the_caret_aligned() {
        // A tab shows as `\t` (two columns), a CJK character takes two columns.
        let row = "a\t客,bad";
        let at = row.find("bad").expect("in the row");
        let (shown, carets) = drawn(row, at..at + 3);
        assert_eq!(shown, "a\\t客,bad");
        assert_eq!(carets, "      ^^^");
    }

    #[test]
    fn a_long_row_is_cut_around_its_bad_cell() {
        let row = format!("{},BAD,{}", "x".repeat(500), "y".repeat(500));
        let (shown, carets) = drawn(&row, 501..504);
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert_eq!(shown.chars().count(), ROW_SHOWN + 6);
        let caret = carets.find('^').expect("a caret");
        assert_eq!(&shown[caret..caret + 3], "BAD");
    }
}
