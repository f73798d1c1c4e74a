//! `ticketkpi inspect`: what a new user needs to know about an unknown export before trusting
//! a report of it: how it is read, what it holds, which KPIs it can feed, and its bad rows.

use std::io::{self, Write};

use serde::Serialize;

use super::Style;
use super::table::{render, write_table};
use super::text::{count, sanitize};
use super::view::Section;
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
        let section = Section {
            title: String::new(),
            headers: vec!["Field".into(), "From".into()],
            rows: input
                .fields
                .iter()
                .map(|(field, source)| vec![field.clone(), sanitize(source)])
                .collect(),
            figures: vec![false, false],
        };
        write_table(&render(&section, style), out)?;
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
    let section = Section {
        title: String::new(),
        headers: vec!["KPI".into(), "Computable".into(), "Note".into()],
        rows: inspection
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
        figures: vec![false, false, false],
    };
    write_table(&render(&section, style), out)?;
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
        }
    }
    Ok(())
}
