//! What the human-readable formats show, as one model: titled tables ([`Section`]) and the
//! footer lines under them. The report's tables, its trend, the SLA attainment and breach
//! lists and the ticket list are all sections; the renderers (`table` for a terminal,
//! `markdown`, `csv`) only decide how a section is drawn, and each makes the text safe for
//! its medium (`escape`): cells hold values as they are, input values included.

pub mod columns;
mod contact_centre;
mod footer;
mod overall;
mod tables;
mod trend;

pub use footer::footer;
pub use tables::sla_by_policy;

use super::Report;

/// One table: its title, columns and rows of text, and notes to read under it.
pub struct Section {
    /// Shown as a heading where an output has several sections (the report); a list
    /// command's output is its one table.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Lines under the table: how to read it, why a figure is missing.
    pub notes: Vec<String>,
    pub layout: Layout,
}

pub struct Column {
    /// Our own words (a line break in one is meant: a header on two lines).
    pub header: String,
    /// Figures (right-aligned, and never read as a formula: a figure may start with `-`)
    /// rather than labels.
    pub figure: bool,
}

impl Column {
    pub fn label(header: &str) -> Column {
        Column {
            header: header.to_owned(),
            figure: false,
        }
    }

    pub fn figure(header: &str) -> Column {
        Column {
            header: header.to_owned(),
            figure: true,
        }
    }
}

/// How a terminal lays the rows out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Cells wrap so that the table fits the width.
    Fit,
    /// A list, read line by line: one line per row, however wide.
    Lines,
}

impl Section {
    pub fn new(title: impl Into<String>, columns: Vec<Column>, rows: Vec<Vec<String>>) -> Section {
        Section {
            title: title.into(),
            columns,
            rows,
            notes: Vec::new(),
            layout: Layout::Fit,
        }
    }

    pub fn with_notes(mut self, notes: Vec<String>) -> Section {
        self.notes = notes;
        self
    }

    /// Laid out as a list, one line per row ([`Layout::Lines`]).
    pub fn listed(mut self) -> Section {
        self.layout = Layout::Lines;
        self
    }
}

/// The report's tables, in order: the overall KPIs, SLA by policy (with several), the
/// breakdowns by group and by period, and the trend across the periods (with two or more).
pub fn sections(report: &Report) -> Vec<Section> {
    let mut sections = vec![overall::section(report)];
    sections.extend(contact_centre::overall(report));
    sections.extend(contact_centre::status_durations(report));
    if report.overall.sla.policies.len() > 1 {
        let title = "SLA by policy (met / met + breached)";
        sections.push(sla_by_policy(&report.overall.sla, title, false));
    }
    if !report.groups.is_empty() {
        sections.push(tables::breakdown(report));
    }
    sections.extend(contact_centre::by_group(report));
    if !report.periods.is_empty() {
        sections.push(tables::periods(report));
    }
    sections.extend(trend::section(report));
    sections
}
